from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Penanganan pelanggaran")

    def ready(self):
        from cases.context_processors import CHOICES
        from cases.referrals import webhooks
        from netralitas.notify.services import TEMPLATE_CHOICES, WEBHOOK_BODIES

        TEMPLATE_CHOICES.update(CHOICES)
        WEBHOOK_BODIES[webhooks.TEMPLATE] = webhooks.event_body

    def load_demo(self, report):
        from cases.demo import load

        load(report)

    def stored_files(self):
        """The files this app keeps, for ``manage.py verify_files``."""
        from cases.integrity import stored_files

        return stored_files()
