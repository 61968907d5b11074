from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from netralitas.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Pulihkan cadangan dari `backup` ke basis data dan MEDIA_ROOT yang dikonfigurasi (isi sekarang diganti). "
        "Sesudahnya jalankan `migrate` dan `verify_files`."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="folder cadangan (netralitas-YYYYMMDD-HHMMSS)")
        parser.add_argument("--yes", action="store_true", help="ya, ganti isi basis data dan berkas yang ada")

    def handle(self, *args, source, yes, **options):
        if not yes:
            raise CommandError("Pemulihan mengganti seluruh isi basis data dan berkas. Ulangi dengan --yes bila yakin.")
        try:
            manifest = restore(Path(source))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Dipulihkan dari cadangan {manifest['made_at']}. Lanjutkan: migrate, lalu verify_files."
            )
        )
