from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from netralitas.accounts.models import User
from netralitas.reference.models import Agency
from outreach import services


class Command(BaseCommand):
    help = (
        "Membuat alamat rahasia kalender (.ics) untuk seorang pengguna atau sebuah OPD. Token hanya ditampilkan "
        "sekali; yang disimpan hanya sidiknya. Cabut di halaman admin (Token kalender)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="pengguna yang membuat (dan, tanpa --agency, pemilik) token")
        parser.add_argument("--agency", type=int, help="id OPD: kalender berisi kegiatan yang mengundang OPD itu")
        parser.add_argument("--label", default="", help="keterangan token")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="alamat situs untuk tautan")

    def handle(self, *args, username, agency, label, base_url, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna aktif '{username}' tidak ditemukan.")
        target = None
        if agency is not None:
            target = Agency.objects.filter(pk=agency).first()
            if target is None:
                raise CommandError(f"OPD dengan id {agency} tidak ditemukan.")
        try:
            token = services.token_create(actor=user, agency=target, label=label)
        except services.OutreachError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(base_url.rstrip("/") + reverse("outreach:feed", args=[token]))
