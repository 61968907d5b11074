"""Run every reminder sweep now, then hand waiting e-mail to the workers.

Beat runs the sweeps on their schedules; this is for the moments when waiting for the next tick is not
wanted: right after the demo data is loaded, after an outage, or to check the reminders by hand. A sweep
is a task named ``<app>.sweep_<what>``; running them twice sends nothing twice.
"""

from django.core.management.base import BaseCommand

from netralitas.celery import app
from netralitas.notify import services


class Command(BaseCommand):
    help = "Jalankan semua pengingat sekarang (sweep), lalu serahkan e-mail yang menunggu ke worker."

    def handle(self, *args, **options):
        app.loader.import_default_modules()
        for name in sorted(n for n in app.tasks if n.split(".")[-1].startswith("sweep_")):
            result = app.tasks[name].apply().get()
            self.stdout.write(f"{name}: {result}")
        self.stdout.write(f"notify.dispatch_pending: {services.dispatch_pending()} e-mail diserahkan ke antrean")
