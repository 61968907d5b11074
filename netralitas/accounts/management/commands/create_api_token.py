from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from netralitas.accounts.models import ApiClient, ApiScope
from netralitas.accounts.tokens import api_token_create


class Command(BaseCommand):
    help = "Membuat token API baru untuk klien (kode atau nama) dan mencetaknya sekali; yang disimpan hanya hash-nya."

    def add_arguments(self, parser):
        parser.add_argument("client", help="Kode atau nama klien API (lihat admin: Klien API).")
        parser.add_argument("--write", action="store_true", help="Cakupan baca dan tulis (bawaan: baca saja).")
        parser.add_argument("--days", type=int, default=None, help="Masa berlaku dalam hari (bawaan: API_TOKEN_DAYS).")
        parser.add_argument("--label", default="", help="Keterangan token, mis. nama server klien.")

    def handle(self, *args, client, write, days, label, **options):
        matches = list(ApiClient.objects.filter(Q(code=client) | Q(name__iexact=client))[:2])
        if not matches:
            raise CommandError(f"Klien API {client!r} tidak ditemukan (cari menurut kode atau nama).")
        if len(matches) > 1:
            raise CommandError(f"Lebih dari satu klien bernama {client!r}: sebut kodenya.")
        if days is not None and days < 1:
            raise CommandError("--days harus 1 atau lebih.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        scope = ApiScope.READ_WRITE if write else ApiScope.READ
        row, secret = api_token_create(client=matches[0], scope=scope, expires_at=expires_at, label=label)
        self.stderr.write(
            f"Token {row.get_scope_display().lower()} untuk {matches[0]} berlaku sampai "
            f"{timezone.localtime(row.expires_at):%d-%m-%Y %H.%M}. Simpan sekarang: token ini tidak dapat ditampilkan lagi."
        )
        self.stdout.write(secret)
