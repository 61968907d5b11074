"""NIP (Nomor Induk Pegawai): 18 digits = birth date YYYYMMDD, appointment YYYYMM, sex (1 man, 2 woman),
sequence of three digits. A PPPK's number has ``21`` where a PNS's has the appointment month (birth date, year
of appointment, 21, sex, sequence; DOMAIN.md, "PPPK numbers"). Validation checks that the dates are real, not
just that there are 18 digits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import EmploymentType


@dataclass(frozen=True)
class Nip:
    value: str
    birth_date: date
    appointed: tuple[int, int | None]  # (year, month); a PPPK's number has no month
    sex: str  # "L" or "P"
    sequence: int
    kind: str = EmploymentType.PNS  # PPPK for a PPPK's number


PPPK_MARK = "21"


def parse_nip(raw: str, *, today: date | None = None) -> Nip:
    today = today or timezone.localdate()
    value = "".join(ch for ch in (raw or "") if not ch.isspace())
    # ASCII digits only: str.isdigit() also takes superscript or Arabic-Indic digits, which int() refuses or misreads
    if len(value) != 18 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("NIP harus 18 angka (tanpa titik atau huruf)."), code="nip_format")
    try:
        birth = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValidationError(
            _("Delapan angka pertama NIP harus tanggal lahir yang ada (TTTTBBHH)."), code="nip_birth"
        ) from None
    if not (today.year - 80 <= birth.year <= today.year - 15):
        raise ValidationError(_("Tanggal lahir dalam NIP tidak masuk akal untuk pegawai."), code="nip_birth_range")
    year, month = int(value[8:12]), int(value[12:14])
    kind = EmploymentType.PPPK if value[12:14] == PPPK_MARK else EmploymentType.PNS
    if kind == EmploymentType.PPPK:
        month = None
    elif not 1 <= month <= 12:
        raise ValidationError(
            _("Angka ke-13 dan ke-14 NIP harus bulan pengangkatan (01-12), atau 21 untuk PPPK."), code="nip_month"
        )
    if (year, month or 1) > (today.year, today.month) or year < birth.year + 15:
        raise ValidationError(
            _("Tahun dan bulan pengangkatan dalam NIP (angka 9-14) tidak masuk akal."), code="nip_appointed"
        )
    if value[14] not in "12":
        raise ValidationError(_("Angka ke-15 NIP (jenis kelamin) harus 1 atau 2."), code="nip_sex")
    return Nip(value, birth, (year, month), "L" if value[14] == "1" else "P", int(value[15:18]), kind)


def check_nip_kind(nip: Nip, employment_type: str) -> None:
    """A PPPK's number (``21`` in place of the month) belongs to a PPPK: a PNS cannot have one."""
    if nip.kind == EmploymentType.PPPK and employment_type == EmploymentType.PNS:
        raise ValidationError(
            _("NIP ini berformat PPPK (angka ke-13 dan ke-14: 21): pilih status kepegawaian PPPK."), code="nip_kind"
        )
