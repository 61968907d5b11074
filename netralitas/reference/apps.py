from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "netralitas.reference"
    verbose_name = _("Data referensi")

    def load_demo(self, report):
        from netralitas.reference.demo import load

        load(report)
