from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Sosialisasi dan pencegahan")

    def load_demo(self, report):
        from outreach.demo import load

        load(report)

    def stored_files(self):
        """The files this app keeps, for ``manage.py verify_files``."""
        from outreach.integrity import stored_files

        return stored_files()
