from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "netralitas.accounts"
    verbose_name = _("Akun dan keanggotaan")

    def ready(self):
        # After permissions exist (they are created by post_migrate too, for every app before this one).
        post_migrate.connect(_ensure_groups, sender=self, dispatch_uid="accounts.ensure_office_admin_group")
        # The sign-in audit and the session's second-factor state follow Django's authentication signals, so
        # every way of signing in (the login page, the admin site's) is covered.
        from django.contrib.auth.signals import user_logged_in

        from netralitas.accounts import audit, second_factor

        audit.connect_signals()
        user_logged_in.connect(second_factor.on_logged_in, dispatch_uid="accounts.second_factor.logged_in")

    def load_demo(self, report):
        from netralitas.accounts.demo import load

        load(report)


def _ensure_groups(sender, using="default", **kwargs):
    from netralitas.accounts.groups import ensure_office_admin_group

    ensure_office_admin_group(using=using)
