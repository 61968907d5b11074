import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cases import scale_data


class Command(BaseCommand):
    help = (
        "Isi basis data (PostgreSQL) dengan data uji berskala nasional untuk mengukur kinerja: faktor 1.0 = "
        "500 kabupaten, 200.000 perkara, 600.000 bukti, 1,5 juta riwayat, 120.000 penerusan, 20.000 kegiatan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=1.0, help="ukuran relatif terhadap skala penuh (1.0)")
        parser.add_argument("--seed", type=int, default=2024, help="benih acak: benih yang sama, data yang sama")

    def handle(self, *args, factor, seed, **options):
        if factor <= 0 or factor > 5:
            raise CommandError("--factor harus di antara 0 dan 5.")
        if scale_data.already_generated():
            raise CommandError("Data uji sudah ada di basis data ini (akun bench-pengawas ditemukan).")
        started = time.monotonic()
        try:
            report = scale_data.generate(factor=factor, seed=seed, log=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        # As autovacuum would after a bulk load: the visibility map lets covering indexes answer alone
        # (index-only scans), and the statistics are fresh. Outside the load's transaction, as VACUUM must be.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        took = time.monotonic() - started
        for table, n in sorted(report.counts.items()):
            self.stdout.write(f"  {table}: {n}")
        self.stdout.write(self.style.SUCCESS(f"Selesai dalam {took:.0f} detik."))
