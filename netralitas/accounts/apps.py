from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "netralitas.accounts"
    verbose_name = _("Akun dan keanggotaan")

    def ready(self):
        # After permissions exist (they are created by post_migrate too, for every app before this one).
        post_migrate.connect(_ensure_groups, sender=self, dispatch_uid="accounts.ensure_office_admin_group")

    def load_demo(self, report):
        from netralitas.accounts.demo import load

        load(report)


def _ensure_groups(sender, using="default", **kwargs):
    from netralitas.accounts.groups import ensure_office_admin_group

    ensure_office_admin_group(using=using)
