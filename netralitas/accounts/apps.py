from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "netralitas.accounts"
    verbose_name = _("Akun dan keanggotaan")

    def load_demo(self, report):
        from netralitas.accounts.demo import load

        load(report)
