"""Reference data: regions, Bawaslu offices, regency agencies (OPD), elections and their deadline rules,
candidate pairs, receiving institutions and declared non-working days. All of it is edited in the admin."""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REGION_CODE_VALIDATOR = RegexValidator(
    r"^\d{2}(\.\d{2}(\.\d{2})?)?$",
    _("Kode Kemendagri berbentuk 62, 62.10 atau 62.10.01."),
)


def ancestor_codes(code: str) -> list[str]:
    """A region code and every code above it: "62.10.01" -> ["62", "62.10", "62.10.01"]."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


class Region(models.Model):
    """A province, regency/city or kecamatan, keyed by its Kemendagri code.

    The code is hierarchical ("62" Kalimantan Tengah, "62.10" Gunung Mas, "62.10.01" a kecamatan), so the
    regions under a region are the codes that start with its code and a dot: scoping needs no recursion.
    """

    class Level(models.TextChoices):
        PROVINCE = "provinsi", _("Provinsi")
        REGENCY = "kabupaten", _("Kabupaten/Kota")
        DISTRICT = "kecamatan", _("Kecamatan")

    code = models.CharField(_("kode Kemendagri"), max_length=8, unique=True, validators=[REGION_CODE_VALIDATOR])
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="region_parent_matches_level",
                condition=(Q(level="provinsi", parent__isnull=True) | (~Q(level="provinsi") & Q(parent__isnull=False))),
                violation_error_message=_("Provinsi tidak berinduk; kabupaten/kota dan kecamatan harus berinduk."),
            ),
        ]
        indexes = [
            # scope filters: code = X OR code LIKE 'X.%' (regions under an office's region)
            models.Index(fields=["level", "code"], name="region_level_code_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_codes(self) -> list[str]:
        return ancestor_codes(self.code)

    def clean(self):
        super().clean()
        expected_depth = {"provinsi": 1, "kabupaten": 2, "kecamatan": 3}.get(self.level)
        if self.code and expected_depth and len(self.code.split(".")) != expected_depth:
            raise ValidationError({"code": _("Kode tidak sesuai dengan tingkat wilayah.")})
        if self.parent_id and self.code and not self.code.startswith(self.parent.code + "."):
            raise ValidationError({"parent": _("Kode wilayah harus diawali kode wilayah induknya.")})


ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def format_case_number(pattern: str, *, seq: int, source: str, region: str, month: int, year: int) -> str:
    """A register number from an office's pattern. Raises KeyError/ValueError/IndexError on a bad pattern."""
    return pattern.format(seq=seq, source=source, region=region, month=ROMAN_MONTHS[month - 1], year=year)


class Office(models.Model):
    """A Bawaslu office (or an ad hoc Panwaslu Kecamatan) responsible for one region."""

    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="offices")
    name = models.CharField(_("nama"), max_length=150)
    short_name = models.CharField(_("nama singkat"), max_length=60, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    city = models.CharField(_("kota (untuk surat)"), max_length=80, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    case_number_pattern = models.CharField(
        _("pola nomor register"),
        max_length=120,
        default="{seq:03d}/Reg/{source}/PB/{region}/{month}/{year}",
        help_text=_(
            "Pola nomor register perkara. Isian: {seq} nomor urut tahunan (mis. {seq:03d} = 001), {source} LP "
            "(laporan) atau TM (temuan), {region} kode wilayah, {month} bulan dalam angka Romawi, {year} tahun."
        ),
    )

    class Meta:
        verbose_name = _("kantor")
        verbose_name_plural = _("kantor")
        ordering = ["region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                name="office_one_per_region",
                violation_error_message=_("Wilayah ini sudah memiliki kantor."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        try:
            sample = format_case_number(
                self.case_number_pattern, seq=1, source="LP", region="62.10", month=11, year=2024
            )
        except (KeyError, ValueError, IndexError, AttributeError):
            raise ValidationError(
                {
                    "case_number_pattern": _(
                        "Pola tidak dikenali. Gunakan isian {seq}, {source}, {region}, {month}, {year}."
                    )
                }
            ) from None
        if "{seq" not in self.case_number_pattern or not sample:
            raise ValidationError({"case_number_pattern": _("Pola harus memuat nomor urut {seq}.")})


class Agency(models.Model):
    """An agency of a regency government (organisasi perangkat daerah, OPD)."""

    class Kind(models.TextChoices):
        SECRETARIAT = "sekretariat", _("Sekretariat")
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        INSPECTORATE = "inspektorat", _("Inspektorat")
        DISTRICT = "kecamatan", _("Kecamatan")
        HOSPITAL = "rsud", _("Rumah sakit daerah")
        OTHER = "lainnya", _("Lainnya")

    regency = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="agencies",
        limit_choices_to={"level": Region.Level.REGENCY},
    )
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.DINAS)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("perangkat daerah (OPD)")
        verbose_name_plural = _("perangkat daerah (OPD)")
        ordering = ["regency__code", "name"]
        constraints = [models.UniqueConstraint(fields=["regency", "name"], name="agency_unique_name_per_regency")]

    def __str__(self) -> str:
        return self.short_name or self.name


class DayKind(models.TextChoices):
    CALENDAR = "kalender", _("hari kalender")
    WORKING = "kerja", _("hari kerja")


class Election(models.Model):
    """An election (Pilkada or Pemilu) with its case-handling deadline rules as data.

    The law differs by election type and may change; every figure is a field, prefilled from
    ``DEFAULT_RULES`` (DOMAIN.md) and editable by an admin.
    """

    class Kind(models.TextChoices):
        PILKADA = "pilkada", _("Pilkada (pemilihan kepala daerah)")
        PEMILU = "pemilu", _("Pemilu (pemilihan umum)")

    DEFAULT_RULES = {
        # Pilkada: UU 10/2016 Pasal 134(4)-(6), Perbawaslu 8/2020 jo. 9/2024: calendar days (the Bawaslu reading
        # of September 2024, DOMAIN.md "Days").
        Kind.PILKADA: {
            "report_days": 7, "report_day_kind": DayKind.CALENDAR,
            "finding_days": 7, "finding_day_kind": DayKind.CALENDAR,
            "review_days": 2, "review_day_kind": DayKind.CALENDAR,
            "decision_days": 3, "decision_day_kind": DayKind.CALENDAR,
            "extension_days": 2,
            # reports are received 08.00-16.00, polling day included (Bawaslu, September 2024)
            "reports_close_at": time(16, 0),
        },
        # Pemilu: UU 7/2017 Pasal 454-455 (7 working days to report, "at most 14 working days in all") and
        # Perbawaslu 7/2022, whose "hari" are working days: every step in working days.
        Kind.PEMILU: {
            "report_days": 7, "report_day_kind": DayKind.WORKING,
            "finding_days": 7, "finding_day_kind": DayKind.WORKING,
            "review_days": 2, "review_day_kind": DayKind.WORKING,
            "decision_days": 7, "decision_day_kind": DayKind.WORKING,
            "extension_days": 7,
            "reports_close_at": None,
        },
    }  # fmt: skip

    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=200)
    year = models.PositiveSmallIntegerField(_("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="elections",
        help_text=_("Kosongkan untuk pemilihan nasional."),
    )
    voting_day = models.DateField(_("hari pemungutan suara"))
    report_days = models.PositiveSmallIntegerField(
        _("batas lapor (laporan)"), help_text=_("Sejak diketahui, hari."), validators=[MinValueValidator(1)]
    )
    report_day_kind = models.CharField(_("jenis hari batas lapor"), max_length=8, choices=DayKind.choices)
    finding_days = models.PositiveSmallIntegerField(
        _("batas temuan"), help_text=_("Sejak ditemukan, hari."), validators=[MinValueValidator(1)]
    )
    finding_day_kind = models.CharField(_("jenis hari batas temuan"), max_length=8, choices=DayKind.choices)
    review_days = models.PositiveSmallIntegerField(
        _("kajian awal"), help_text=_("Sejak laporan diterima, hari."), validators=[MinValueValidator(1)]
    )
    review_day_kind = models.CharField(_("jenis hari kajian awal"), max_length=8, choices=DayKind.choices)
    decision_days = models.PositiveSmallIntegerField(
        _("batas putusan"), help_text=_("Sejak registrasi, hari."), validators=[MinValueValidator(1)]
    )
    decision_day_kind = models.CharField(_("jenis hari batas putusan"), max_length=8, choices=DayKind.choices)
    extension_days = models.PositiveSmallIntegerField(
        _("perpanjangan"), help_text=_("Tambahan waktu putusan untuk keterangan tambahan, hari (jenis hari sama).")
    )
    reports_close_at = models.TimeField(
        _("laporan diterima sampai pukul"),
        null=True,
        blank=True,
        help_text=_(
            "Laporan yang diterima sesudah jam ini dihitung sejak hari layanan berikutnya (Pilkada: 16.00). "
            "Kosongkan bila tidak ada batas jam."
        ),
    )

    class Meta:
        verbose_name = _("pemilihan")
        verbose_name_plural = _("pemilihan")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "region"], name="election_unique_kind_year_region"),
            models.UniqueConstraint(
                fields=["kind", "year"], condition=Q(region__isnull=True), name="election_unique_national_kind_year"
            ),
            models.CheckConstraint(
                name="election_deadlines_positive",
                condition=Q(report_days__gt=0, finding_days__gt=0, review_days__gt=0, decision_days__gt=0),
                violation_error_message=_("Setiap batas waktu harus sedikitnya 1 hari."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def default_rules(cls, kind: str) -> dict:
        return dict(cls.DEFAULT_RULES[cls.Kind(kind)])


class CandidatePair(models.Model):
    """A candidate pair (pasangan calon) of an election, by ballot number."""

    election = models.ForeignKey(
        Election, verbose_name=_("pemilihan"), on_delete=models.CASCADE, related_name="candidate_pairs"
    )
    number = models.PositiveSmallIntegerField(_("nomor urut"), validators=[MinValueValidator(1)])
    head_name = models.CharField(_("calon kepala daerah"), max_length=150)
    deputy_name = models.CharField(_("calon wakil"), max_length=150, blank=True)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pasangan calon")
        verbose_name_plural = _("pasangan calon")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="candidatepair_unique_number"),
            models.CheckConstraint(
                name="candidatepair_number_positive",
                condition=Q(number__gte=1),
                violation_error_message=_("Nomor urut dimulai dari 1."),
            ),
        ]

    def __str__(self) -> str:
        names = " - ".join(n for n in (self.head_name, self.deputy_name) if n)
        return f"{self.number}. {names}"


class CandidatePerson(models.Model):
    """A person of a candidate pair: the candidates themselves and the members of their campaign team. A
    candidate who holds a regent's office (an incumbent running again) is the PPK of that regency's ASN: a
    recommendation about them lands on an interested party's desk (a conflict of interest)."""

    class Role(models.TextChoices):
        HEAD = "calon", _("Calon kepala daerah")
        DEPUTY = "wakil", _("Calon wakil")
        CAMPAIGN = "tim", _("Tim kampanye / pemenangan")

    pair = models.ForeignKey(
        CandidatePair, verbose_name=_("pasangan calon"), on_delete=models.CASCADE, related_name="people"
    )
    role = models.CharField(_("peran"), max_length=6, choices=Role.choices)
    name = models.CharField(_("nama"), max_length=150)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{18}$", _("NIP terdiri atas 18 angka."))],
        help_text=_("Untuk ASN dalam tim kampanye: dicocokkan dengan NIP terlapor."),
    )
    holds_office = models.ForeignKey(
        "Institution",
        verbose_name=_("sedang menjabat sebagai PPK"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidates",
        limit_choices_to={"kind": "ppk"},
        help_text=_("Isi bila orang ini sedang memegang jabatan PPK (mis. bupati petahana yang mencalonkan diri)."),
    )

    class Meta:
        verbose_name = _("orang pasangan calon")
        verbose_name_plural = _("orang pasangan calon")
        ordering = ["pair", "role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.pair})"


class Institution(models.Model):
    """A body a case can be forwarded to. Data, not code: KASN ended in 2024, BKN took over, and a new
    oversight body is due; each has the dates it was active and, once it ended, its successor."""

    class Kind(models.TextChoices):
        OVERSIGHT = "pengawas_asn", _("Lembaga pengawas ASN (KASN/BKN)")
        MINISTRY = "kementerian", _("Kementerian")
        PPK = "ppk", _("Pejabat Pembina Kepegawaian (PPK)")
        PERSONNEL = "bkpsdm", _("BKPSDM / BKD")
        INSPECTORATE = "inspektorat", _("Inspektorat")
        EMPLOYER = "pemberi_kerja", _("Instansi pemberi kerja")
        VILLAGE = "bupati_dpmd", _("Bupati melalui DPMD (kepala desa)")
        GAKKUMDU = "gakkumdu", _("Sentra Gakkumdu")
        OTHER = "lainnya", _("Lainnya")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="institutions",
        help_text=_("Kosongkan untuk lembaga nasional."),
    )
    active_from = models.DateField(_("aktif sejak"), null=True, blank=True)
    active_until = models.DateField(_("aktif sampai"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("penerus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    head_title = models.CharField(
        _("jabatan pimpinan (alamat surat)"),
        max_length=200,
        blank=True,
        help_text=_(
            "Kepada siapa surat penerusan dialamatkan, mis. “Ketua Komisi Aparatur Sipil Negara”, “Bupati Gunung Mas”. "
            "Kosong: “Kepala” dan nama lembaga."
        ),
    )
    response_days = models.PositiveSmallIntegerField(
        _("batas tanggapan (hari)"),
        default=14,
        help_text=_("Hari yang ditunggu untuk rekomendasi atau tindak lanjut sebelum dianggap terlambat."),
    )
    note = models.CharField(_("keterangan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lembaga tujuan")
        verbose_name_plural = _("lembaga tujuan")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="institution_active_range_ordered",
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                violation_error_message=_("Tanggal akhir aktif tidak boleh sebelum tanggal mulai aktif."),
            ),
            models.CheckConstraint(
                name="institution_not_own_successor",
                condition=~Q(successor=models.F("pk")),
                violation_error_message=_("Lembaga tidak dapat menjadi penerusnya sendiri."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def is_active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_until is None or day <= self.active_until
        )

    @classmethod
    def local_bodies(cls, region: Region, head: str, label: str) -> list[tuple[dict, dict]]:
        """The bodies every regency has, as (lookup, values) rows to create: the regent (``head``: "Bupati
        Gunung Mas", "Wali Kota Palangka Raya") as PPK, the BKPSDM, the inspectorate, Sentra Gakkumdu and the
        regent through the DPMD for village heads. ``label`` is the short place name ("Gunung Mas")."""
        slug = region.code.replace(".", "")
        return [
            (
                {"code": f"ppk-{slug}"},
                {
                    "name": f"{head} selaku Pejabat Pembina Kepegawaian",
                    "short_name": f"PPK {label}",
                    "head_title": head,
                    "kind": cls.Kind.PPK,
                    "region": region,
                    "response_days": 10,
                    "note": "Batas tindak lanjut 10 hari: disebut pejabat kementerian pada 2020, belum pasti; ubah bila perlu.",
                },
            ),
            (
                {"code": f"bkpsdm-{slug}"},
                {
                    "name": f"BKPSDM {region.name}",
                    "short_name": f"BKPSDM {label}",
                    "head_title": f"Kepala BKPSDM {region.name}",
                    "kind": cls.Kind.PERSONNEL,
                    "region": region,
                    "response_days": 14,
                },
            ),
            (
                {"code": f"inspektorat-{slug}"},
                {
                    "name": f"Inspektorat {region.name}",
                    "short_name": f"Inspektorat {label}",
                    "head_title": f"Inspektur {region.name}",
                    "kind": cls.Kind.INSPECTORATE,
                    "region": region,
                    "response_days": 14,
                },
            ),
            (
                {"code": f"gakkumdu-{slug}"},
                {
                    "name": f"Sentra Gakkumdu {region.name}",
                    "short_name": f"Gakkumdu {label}",
                    "head_title": f"Koordinator Sentra Gakkumdu {region.name}",
                    "kind": cls.Kind.GAKKUMDU,
                    "region": region,
                    "response_days": 14,
                },
            ),
            (
                {"code": f"dpmd-{slug}"},
                {
                    "name": f"{head} melalui Dinas Pemberdayaan Masyarakat dan Desa",
                    "short_name": f"Bupati/DPMD {label}",
                    "head_title": f"{head} c.q. Kepala Dinas Pemberdayaan Masyarakat dan Desa",
                    "kind": cls.Kind.VILLAGE,
                    "region": region,
                    "response_days": 14,
                    "note": "Kepala desa bukan ASN: sanksi UU 6/2014 Pasal 29-30 dijatuhkan bupati/wali kota melalui DPMD.",
                },
            ),
        ]


class NonWorkingDay(models.Model):
    """A day declared not a working day on top of weekends and the national holidays of the `holidays`
    package: collective leave decided each year, an election-day holiday, a regional holiday."""

    class Kind(models.TextChoices):
        COLLECTIVE_LEAVE = "cuti_bersama", _("Cuti bersama")
        ELECTION_DAY = "hari_pemungutan", _("Libur hari pemungutan suara")
        REGIONAL = "daerah", _("Libur daerah")
        OTHER = "lainnya", _("Lainnya")

    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="non_working_days",
        help_text=_("Kosongkan bila berlaku nasional; bila diisi, berlaku di wilayah itu dan wilayah di bawahnya."),
    )

    class Meta:
        verbose_name = _("hari libur yang ditetapkan")
        verbose_name_plural = _("hari libur yang ditetapkan")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=Q(region__isnull=True), name="nonworkingday_unique_national_date"
            ),
            models.UniqueConstraint(
                fields=["date", "region"],
                condition=Q(region__isnull=False),
                name="nonworkingday_unique_regional_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class EscalationRung(models.Model):
    """One rung of the ladder climbed when a regent (PPK) has not acted on a recommendation: a reminder letter
    to the PPK, a request to BKN to block the person's personnel data, a report to the supervising ministry.
    Data an administrator edits (docs/workflow.md names the source of each); a referral climbs the active
    rungs in ``position`` order, each ``days`` working days after the step before it."""

    class Addressee(models.TextChoices):
        PPK = "ppk", _("PPK perkara itu (bupati/wali kota)")
        RECEIVING_BODY = "lembaga", _("Lembaga yang memberi rekomendasi (mis. BKN)")
        OTHER = "lainnya", _("Pejabat yang ditulis pada kolom tujuan")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama langkah"), max_length=150)
    position = models.PositiveSmallIntegerField(_("urutan"), unique=True)
    days = models.PositiveSmallIntegerField(
        _("hari kerja"),
        help_text=_(
            "Hari kerja sesudah langkah sebelumnya (untuk langkah pertama: sesudah batas tindak lanjut PPK lewat)."
        ),
    )
    addressee = models.CharField(_("ditujukan kepada"), max_length=8, choices=Addressee.choices)
    addressee_title = models.CharField(
        _("tujuan surat"),
        max_length=200,
        blank=True,
        help_text=_(
            "Untuk tujuan “pejabat yang ditulis”, mis. “Menteri Dalam Negeri c.q. Direktur Jenderal Otonomi Daerah”."
        ),
    )
    requests_block = models.BooleanField(
        _("meminta pemblokiran data kepegawaian"),
        default=False,
        help_text=_("Jawabannya dicatat sebagai pemblokiran dan pembukaan blokir, masing-masing bertanggal."),
    )
    request = models.TextField(_("isi permintaan dalam surat"))
    source = models.CharField(_("dasar / sumber"), max_length=300)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("langkah eskalasi")
        verbose_name_plural = _("langkah eskalasi")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                name="escalationrung_other_has_title",
                condition=~Q(addressee="lainnya") | ~Q(addressee_title=""),
                violation_error_message=_("Tuliskan tujuan surat untuk langkah ini."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def above_ppk(self) -> bool:
        """Addressed to someone other than the PPK: the rungs a conflict of interest starts from."""
        return self.addressee != self.Addressee.PPK
