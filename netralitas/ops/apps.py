from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: backup, restore and the check of stored files (management commands only, no models)."""

    name = "netralitas.ops"
    label = "ops"
    verbose_name = _("Operasional")
