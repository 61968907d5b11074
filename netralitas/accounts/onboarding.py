"""A new regency from a page: its region and kecamatan, its Bawaslu office and first users, its agencies, the
bodies every regency has (the regent as PPK, the BKPSDM, the inspectorate, Sentra Gakkumdu, the regent through
the DPMD) and, if the operator keeps the proposal, its Pilkada. A system operator of the province (or of an
office above it) does this in one transaction; the first users are invited by e-mail, through the outbox, to
set their own password.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from netralitas.accounts.models import Membership, Role, User
from netralitas.accounts.roles import OPERATORS
from netralitas.accounts.scope import holds_role_for
from netralitas.errors import ServiceError
from netralitas.notify.services import Message, queue
from netralitas.reference.models import Agency, Election, Institution, Office, Region

# The roles a new office's first users may get (an operator is a province's or the nation's, not a regency's).
FIRST_USER_ROLES = (Role.KOORDINATOR, Role.PENGAWAS, Role.ADMIN, Role.PEMKAB)


class OnboardingError(ServiceError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    email: str
    role: str


@dataclass(frozen=True)
class NewPilkada:
    name: str
    year: int
    voting_day: date


@dataclass(frozen=True)
class NewRegency:
    code: str  # the Kemendagri code, "62.03"
    name: str  # "Kapuas"
    is_city: bool
    districts: list[tuple[str, str]]  # (code, name) of each kecamatan
    users: list[NewUser]
    agencies: list[tuple[str, str, str]] = field(default_factory=list)  # (name, short name, kind)
    address: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    pilkada: NewPilkada | None = None

    @property
    def region_name(self) -> str:
        return f"{'Kota' if self.is_city else 'Kabupaten'} {self.name}"

    @property
    def head(self) -> str:
        return f"{'Wali Kota' if self.is_city else 'Bupati'} {self.name}"

    @property
    def pilkada_name(self) -> str:
        """The Pilkada's usual name ("Pemilihan Bupati dan Wakil Bupati Kapuas 2024")."""
        office = "Wali Kota dan Wakil Wali Kota" if self.is_city else "Bupati dan Wakil Bupati"
        return f"Pemilihan {office} {self.name} {self.pilkada.year if self.pilkada else ''}".strip()


def provinces_operated_by(user: User):
    """The provinces in which ``user`` may add a regency: those of an office where they are an operator (a
    national operator: all)."""
    provinces = Office.objects.filter(region__level=Region.Level.PROVINCE).select_related("region")
    return [office for office in provinces if holds_role_for(user, office, OPERATORS)]


def regencies_operated_by(user: User) -> list[Region]:
    """The regencies of the provinces ``user`` operates, each with its office and how many members it has."""
    codes = [office.region.code for office in provinces_operated_by(user)]
    if not codes:
        return []
    under = Q()
    for code in codes:
        under |= Q(code__startswith=f"{code}.")
    return list(
        Region.objects.filter(under, level=Region.Level.REGENCY)
        .prefetch_related(
            Prefetch("offices", queryset=Office.objects.annotate(members=Count("memberships")).order_by("pk"))
        )
        .annotate(districts=Count("children"))
        .order_by("code")
    )


def proposed_pilkada(province: Region) -> NewPilkada | None:
    """The Pilkada the new regency most likely needs: the latest simultaneous Pilkada of the province's
    regencies (same year and voting day), to be confirmed or changed on the page."""
    latest = (
        Election.objects.filter(kind=Election.Kind.PILKADA, region__code__startswith=f"{province.code}.")
        .aggregate(year=Max("year"))
        .get("year")
    )
    sibling = (
        Election.objects.filter(kind=Election.Kind.PILKADA, year=latest, region__code__startswith=f"{province.code}.")
        .order_by("voting_day")
        .first()
        if latest
        else None
    )
    if sibling is None:
        return None
    return NewPilkada(name="", year=sibling.year, voting_day=sibling.voting_day)


def agencies_from_sheet(upload) -> list[tuple[str, str, str]]:
    """The agencies of an uploaded spreadsheet (XLSX, or CSV with ``,`` or ``;``): one per row, the name in
    the first column, then the short name and the kind (optional); a header row naming "nama" is skipped."""
    name = (upload.name or "").lower()
    try:
        if name.endswith(".xlsx"):
            from openpyxl import load_workbook

            sheet = load_workbook(upload, read_only=True, data_only=True).active
            rows = [[("" if c is None else str(c)).strip() for c in row] for row in sheet.iter_rows(values_only=True)]
        elif name.endswith(".csv"):
            text = upload.read().decode("utf-8-sig")
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;") if text.strip() else csv.excel
            rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
        else:
            raise OnboardingError(_("Unggah berkas XLSX atau CSV."), field="agency_sheet")
    except (OSError, ValueError, KeyError, UnicodeDecodeError, csv.Error) as exc:
        raise OnboardingError(
            _("Berkas daftar instansi tidak dapat dibaca: %(why)s") % {"why": exc}, field="agency_sheet"
        ) from exc
    rows = [row for row in rows if any(row)]
    if rows and rows[0] and rows[0][0].lower() in ("nama", "nama instansi", "nama opd"):
        rows = rows[1:]
    return [agency_row(row) for row in rows]


def agency_row(parts: list[str]) -> tuple[str, str, str]:
    """(name, short name, kind) of a row of a list or a sheet whose last columns may be missing."""
    name, short, kind = [*parts, "", "", ""][:3]
    return name, short, kind.lower()


def _check(regency: NewRegency, province: Region) -> None:
    parts = regency.code.split(".")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts) or parts[0] != province.code:
        raise OnboardingError(
            _("Kode wilayah kabupaten/kota ditulis %(code)s.NN (dua angka sesudah kode provinsi).")
            % {"code": province.code},
            field="code",
        )
    if Region.objects.filter(code=regency.code).exists():
        raise OnboardingError(_("Kode wilayah %(code)s sudah terdaftar.") % {"code": regency.code}, field="code")
    if not regency.name.strip():
        raise OnboardingError(_("Isi nama kabupaten/kota."), field="name")
    if Region.objects.filter(parent=province, name__iexact=regency.region_name).exists():
        raise OnboardingError(_("%(name)s sudah terdaftar.") % {"name": regency.region_name}, field="name")
    if not regency.districts:
        raise OnboardingError(_("Isi sedikitnya satu kecamatan."), field="districts")
    seen = set()
    for code, name in regency.districts:
        if not code.startswith(f"{regency.code}.") or len(code.split(".")) != 3 or not code.split(".")[2].isdigit():
            raise OnboardingError(
                _("Kode kecamatan %(code)s harus diawali %(regency)s. (mis. %(regency)s.01).")
                % {"code": code, "regency": regency.code},
                field="districts",
            )
        if not name.strip() or code in seen:
            raise OnboardingError(_("Kecamatan %(code)s kosong atau tertulis dua kali.") % {"code": code}, "districts")
        seen.add(code)
    if not regency.users:
        raise OnboardingError(_("Isi sedikitnya satu pengguna pertama kantor ini."), field="users")
    names = [u.username for u in regency.users]
    for user in regency.users:
        if user.role not in FIRST_USER_ROLES:
            raise OnboardingError(
                _("Peran %(role)s tidak dikenal: gunakan koordinator, pengawas, admin atau pemkab.")
                % {"role": user.role},
                field="users",
            )
        for check, what in ((User.username_validator, _("nama pengguna")), (validate_email, _("alamat e-mail"))):
            try:
                check(user.username if check is User.username_validator else user.email)
            except ValidationError as exc:
                raise OnboardingError(
                    _("Pengguna %(name)s: %(what)s tidak sah (nama pengguna: huruf, angka dan @ . + - _ saja).")
                    % {"name": user.username or "?", "what": what},
                    field="users",
                ) from exc
    if not any(u.role == Role.KOORDINATOR for u in regency.users):
        raise OnboardingError(_("Sertakan sedikitnya satu koordinator: dia yang mengirim penerusan."), "users")
    taken = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    if taken or len(set(names)) != len(names):
        raise OnboardingError(
            _("Nama pengguna sudah dipakai: %(names)s.") % {"names": ", ".join(sorted(taken) or names)}, "users"
        )
    agency_names = [name.strip().lower() for name, _short, _kind in regency.agencies]
    if any(not n for n in agency_names) or len(set(agency_names)) != len(agency_names):
        raise OnboardingError(_("Nama instansi kosong atau tertulis dua kali."), field="agencies")
    for _name, _short, kind in regency.agencies:
        if kind and kind not in Agency.Kind.values:
            raise OnboardingError(
                _("Jenis instansi %(kind)s tidak dikenal: gunakan %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(Agency.Kind.values)},
                field="agencies",
            )
    if regency.pilkada is not None and not 2000 <= regency.pilkada.year <= 2100:
        raise OnboardingError(_("Tahun Pilkada antara 2000 dan 2100."), field="pilkada_year")


@transaction.atomic
def regency_add(*, actor: User, province: Office, regency: NewRegency) -> Office:
    """Add ``regency`` under ``province`` (an office of a province), with everything it needs to work the same
    day. The operator's change is on the admin history of the new office; the invitations go on commit."""
    if province.region.level != Region.Level.PROVINCE or not holds_role_for(actor, province, OPERATORS):
        raise OnboardingError(_("Hanya operator sistem provinsi atau nasional yang dapat menambah kabupaten/kota."))
    _check(regency, province.region)
    region = Region.objects.create(
        code=regency.code, name=regency.region_name, level=Region.Level.REGENCY, parent=province.region
    )
    Region.objects.bulk_create(
        Region(code=code, name=name.strip(), level=Region.Level.DISTRICT, parent=region)
        for code, name in regency.districts
    )
    office = Office.objects.create(
        region=region,
        name=f"Bawaslu {regency.region_name}",
        short_name=f"Bawaslu {regency.name}",
        address=regency.address,
        city=regency.city or regency.name,
        phone=regency.phone,
        email=regency.email,
        case_number_pattern=province.case_number_pattern,
    )
    Agency.objects.bulk_create(
        Agency(regency=region, name=name.strip(), short_name=short.strip(), kind=kind or Agency.Kind.OTHER)
        for name, short, kind in regency.agencies
    )
    for lookup, values in Institution.local_bodies(region, regency.head, regency.name):
        Institution.objects.create(**lookup, **values)
    if regency.pilkada is not None:
        Election.objects.create(
            kind=Election.Kind.PILKADA,
            name=regency.pilkada.name or regency.pilkada_name,
            year=regency.pilkada.year,
            region=region,
            voting_day=regency.pilkada.voting_day,
            **Election.default_rules(Election.Kind.PILKADA),
        )
    users = []
    for new in regency.users:
        user = User(username=new.username, full_name=new.full_name.strip(), email=new.email)
        user.set_unusable_password()  # each sets their own through the invitation
        user.save()
        Membership.objects.create(user=user, office=office, role=new.role)
        users.append(user)
    LogEntry.objects.create(
        user=actor,
        content_type=ContentType.objects.get_for_model(Office),
        object_id=str(office.pk),
        object_repr=str(office)[:200],
        action_flag=ADDITION,
        change_message=(
            f"Kabupaten/kota baru {region.code} {region.name}: {len(regency.districts)} kecamatan, "
            f"{len(regency.agencies)} instansi, {len(users)} pengguna, 5 lembaga daerah"
            + (f", Pilkada {regency.pilkada.year}" if regency.pilkada else "")
            + "."
        ),
    )
    queue(_invitation(user, office, actor) for user in users)
    return office


def _invitation(user: User, office: Office, actor: User) -> Message:
    link = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return Message(
        template="account_invited",
        key=f"user:{user.pk}:invited",
        context={"office": office.name, "username": user.username, "by": actor.display_name},
        users=[user.pk],
        url=link,
        office_id=office.pk,
    )
