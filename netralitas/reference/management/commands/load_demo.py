from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from netralitas.demo import DemoReport


class Command(BaseCommand):
    help = (
        "Memuat data demo (Kalimantan Tengah, Kabupaten Gunung Mas, akun demo per peran). "
        "Aman dijalankan berulang: baris yang sudah sesuai tidak ditulis ulang."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Muat juga bila DEBUG mati (mis. server uji coba). Akun demo memakai kata sandi yang diumumkan.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG mati: ini tampaknya server sungguhan. Data demo membuat akun dengan kata sandi yang "
                "diumumkan di README. Jalankan dengan --force bila memang untuk uji coba."
            )
        report = DemoReport()
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                loader = getattr(app_config, "load_demo", None)
                if loader is not None:
                    loader(report)
        for line in report.lines():
            self.stdout.write(f"  {line}")
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"Data demo dimuat: {report.changed} baris baru atau diperbarui."))
        else:
            self.stdout.write(self.style.SUCCESS("Data demo sudah lengkap: tidak ada yang berubah."))
        for line in report.notes:
            self.stdout.write(line)
