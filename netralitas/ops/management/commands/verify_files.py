"""Check every stored file (evidence, letters, materials) against what was recorded when it was stored."""

from django.core.management.base import BaseCommand, CommandError

from netralitas.files import verify_stored_files


class Command(BaseCommand):
    help = (
        "Periksa setiap berkas tersimpan (bukti, surat, materi) terhadap SHA-256 atau ukuran yang dicatat saat "
        "disimpan; laporkan yang hilang atau berubah. Keluar dengan kode 1 bila ada."
    )

    def handle(self, *args, **options):
        check = verify_stored_files()
        for stored in check.missing:
            self.stdout.write(f"HILANG   {stored.name}  — {stored.label}")
        for stored, actual in check.altered:
            expected = stored.sha256 or f"ukuran {stored.size} bita"
            self.stdout.write(f"BERUBAH  {stored.name}  — {stored.label} (tercatat {expected}, terbaca {actual})")
        summary = (
            f"Utuh: {check.intact}; ada tanpa hash: {check.unhashed}; "
            f"hilang: {len(check.missing)}; berubah: {len(check.altered)}."
        )
        if not check.ok:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
