"""Demo accounts: one per role at Bawaslu Gunung Mas, an outsider at Palangka Raya, a province supervisor.

Passwords are set when an account is created and never reset by a later load, so a changed demo password
stays changed (and a second load changes nothing).
"""

from netralitas.accounts.groups import ensure_office_admin_group
from netralitas.accounts.models import ApiClient, ApiScope, ApiToken, Membership, Role, User
from netralitas.accounts.tokens import api_token_create, hash_token
from netralitas.demo import DemoReport
from netralitas.reference.models import Institution, Office

DEMO_PASSWORD = "netralitas-demo"
# The demo BKN client's token (read and write), published in README.md and docs/api.md like the demo passwords:
# load_demo runs only with DEBUG on or --force. A real client's token is random and shown once.
DEMO_API_CLIENT = "bkn-demo"
DEMO_API_TOKEN = "ntr_demo-bkn-token-hanya-untuk-data-demo-0000000"

# username, full name, position, office region code, role, staff (admin site, scoped to the office)
DEMO_USERS = [
    ("pengawas", "Rina Demo Lestari", "Staf Penanganan Pelanggaran", "62.10", Role.PENGAWAS, False),
    (
        "koordinator",
        "Markus Demo Tingang",
        "Koordinator Divisi Penanganan Pelanggaran",
        "62.10",
        Role.KOORDINATOR,
        False,
    ),
    ("admin", "Dewi Demo Anggraini", "Admin Kantor", "62.10", Role.ADMIN, True),
    ("pemkab", "Yusuf Demo Pratama", "Kepala BKPSDM (pemkab)", "62.10", Role.PEMKAB, False),
    ("pengawas2", "Agus Demo Setiawan", "Staf Penanganan Pelanggaran", "62.71", Role.PENGAWAS, False),
    ("provinsi", "Sari Demo Handayani", "Staf Penanganan Pelanggaran Provinsi", "62", Role.PENGAWAS, False),
    # the province's plenary steps: a hand-down (pelimpahan) to a regency is one
    ("koordinator-prov", "Hendra Demo Saputra", "Koordinator Penanganan Pelanggaran Provinsi", "62",
     Role.KOORDINATOR, False),
    # the province's system operator: adds a regency, its office and first users from a page
    ("operator", "Wahyu Demo Nugroho", "Operator Sistem Informasi Provinsi", "62", Role.OPERATOR, False),
]  # fmt: skip


def load(report: DemoReport) -> None:
    _load_users(report)
    load_api_client(report)


def _load_users(report: DemoReport) -> None:
    office_admins = ensure_office_admin_group()
    for username, full_name, position, region_code, role, staff in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, position=position)
            user.email = f"{username}@demo.netralitas.test"
            user.set_password(DEMO_PASSWORD)
        # The demo office admin uses the admin site, limited to the office's region (never a superuser).
        created = user.pk is None
        changed = created or (user.is_staff, user.is_superuser) != (staff, False)
        user.is_staff, user.is_superuser = staff, False
        if changed:
            user.save()
        if staff and not user.groups.filter(pk=office_admins.pk).exists():
            user.groups.add(office_admins)
            changed = True
        label = str(User._meta.verbose_name_plural)
        report.count(label, "created" if created else ("updated" if changed else "unchanged"))
        office = Office.objects.get(region__code=region_code)
        report.upsert(Membership, {"user": user, "office": office}, {"role": role})
    report.note(f"Akun demo (kata sandi semua akun: {DEMO_PASSWORD}):")
    for username, _full_name, _position, region_code, role, _staff in DEMO_USERS:
        office = Office.objects.get(region__code=region_code)
        report.note(f"  {username:<16} {role.label:<34} {office.short_name or office.name}")


def load_api_client(report: DemoReport) -> None:
    """BKN's demo system: reads the referrals addressed to BKN and posts its recommendations back."""
    client = report.upsert(
        ApiClient,
        {"code": DEMO_API_CLIENT},
        {"name": "BKN (demo)", "institution": Institution.objects.get(code="bkn"), "is_active": True},
    )
    label = str(ApiToken._meta.verbose_name_plural)
    if ApiToken.objects.filter(key_hash=hash_token(DEMO_API_TOKEN)).exists():
        report.count(label, "unchanged")
    else:
        api_token_create(client=client, scope=ApiScope.READ_WRITE, label="demo", secret=DEMO_API_TOKEN)
        report.count(label, "created")
    report.note(f"Token API demo (klien {client.name}, baca dan tulis): {DEMO_API_TOKEN}")
