from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from netralitas.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Cadangkan basis data dan berkas tersimpan ke folder baru di TUJUAN (pulihkan dengan `restore`)."

    def add_arguments(self, parser):
        parser.add_argument("destination", help="folder tempat folder cadangan dibuat")

    def handle(self, *args, destination, **options):
        try:
            folder = backup(Path(destination))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Cadangan dibuat: {folder}"))
