from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: backup, restore and the check of stored files (management commands only, no models); the
    database connection's setup."""

    name = "netralitas.ops"
    label = "ops"
    verbose_name = _("Operasional")

    def ready(self):
        from django.db.backends.signals import connection_created

        from netralitas.db import install_compiled_timestamptz_loader

        connection_created.connect(install_compiled_timestamptz_loader, dispatch_uid="ops.timestamptz_loader")
