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
        # The candidates' people are reference data edited in the admin (which may not import this app):
        # a change refreshes the conflict-of-interest flag of the election's open referrals, once committed.
        from django.db.models.signals import post_delete, post_save

        from cases.referrals.conflicts import candidates_changed
        from netralitas.reference.models import CandidatePerson

        post_save.connect(candidates_changed, sender=CandidatePerson, dispatch_uid="cases.candidates_saved")
        post_delete.connect(candidates_changed, sender=CandidatePerson, dispatch_uid="cases.candidates_deleted")

    def load_demo(self, report):
        from cases.demo import load

        load(report)

    def stored_files(self):
        """The files this app keeps, for ``manage.py verify_files``."""
        from cases.integrity import stored_files

        return stored_files()
