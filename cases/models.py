"""The violation register: cases, the people reported, evidence, clarification meetings and the timeline.

Fields and constraints only; every write goes through ``cases.workflow.services`` and every non-trivial read
through ``cases.workflow.selectors``.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netralitas.reference.models import Agency, CandidatePair, Election, Institution, Office, Region
from netralitas.triggers import AppendOnly


class ViolationType(models.Model):
    """An act listed in the 2022 joint decree (SKB) on ASN neutrality; seeded by a migration."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    discipline_track = models.CharField(
        _("jalur disiplin"), max_length=120, blank=True, help_text=_("Tingkat hukuman disiplin menurut PP 94/2021.")
    )
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis pelanggaran")
        verbose_name_plural = _("jenis pelanggaran")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class EmploymentType(models.TextChoices):
    PNS = "pns", _("PNS")
    PPPK = "pppk", _("PPPK")
    HONORER = "honorer", _("Honorer / non-ASN")
    KEPALA_DESA = "kepala_desa", _("Kepala desa / perangkat desa")
    OTHER = "lainnya", _("Lainnya")


class Person(models.Model):
    """A person reported. One row across many cases, so a repeat offender shows as such."""

    code = models.UUIDField(_("kode"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nama"), max_length=150)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        help_text=_("18 digit; kosongkan bila bukan PNS/PPPK atau belum diketahui."),
    )
    employment_type = models.CharField(_("status kepegawaian"), max_length=12, choices=EmploymentType.choices)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    rank = models.CharField(_("pangkat/golongan"), max_length=60, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("instansi (OPD)"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    employer_note = models.CharField(_("instansi lain / keterangan"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("Wilayah tempat orang ini bekerja; menentukan siapa yang boleh melihatnya."),
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("terlapor")
        verbose_name_plural = _("terlapor")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["nip"], condition=~Q(nip=""), name="person_unique_nip"),
            models.CheckConstraint(name="person_nip_18_digits", condition=Q(nip="") | Q(nip__regex=r"^[0-9]{18}$")),
        ]
        indexes = [
            models.Index(fields=["region", "name"], name="person_region_name_idx"),  # person search
            # The dashboard's subjects per agency and employment type: a subject's person read from the index.
            models.Index(fields=["id"], include=["agency", "employment_type"], name="person_figures_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima (kajian awal)")
    REGISTERED = "registered", _("Diregistrasi")
    UNDER_REVIEW = "under_review", _("Klarifikasi dan kajian")
    DECIDED = "decided", _("Diputus")
    NOT_REGISTERED = "not_registered", _("Tidak diregistrasi")
    STOPPED = "stopped", _("Dihentikan")
    HANDED_OVER = "handed_over", _("Dilimpahkan")
    REFERRED = "referred", _("Diteruskan")
    CLOSED = "closed", _("Selesai")


OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.REGISTERED, CaseStatus.UNDER_REVIEW)


class CaseSource(models.TextChoices):
    FINDING = "temuan", _("Temuan")
    REPORT = "laporan", _("Laporan")


class CaseOutcome(models.TextChoices):
    OTHER_LAW = "peraturan_lain", _("Pelanggaran peraturan perundang-undangan lainnya (diteruskan)")
    CRIME = "pidana", _("Tindak pidana pemilihan (ke Gakkumdu)")
    ADMINISTRATIVE = "administratif", _("Pelanggaran administrasi")
    ETHICS = "etik", _("Pelanggaran kode etik penyelenggara (DKPP)")
    NOT_A_VIOLATION = "bukan_pelanggaran", _("Bukan pelanggaran")


class CaseDeletionRefused(Exception):
    """A case is never deleted from the database: ``cases.workflow.services.case_delete`` hides it, with the reason on
    its timeline (and the timeline itself cannot be deleted: a database trigger refuses it)."""


class CaseQuerySet(models.QuerySet):
    def delete(self):
        raise CaseDeletionRefused("Cases are deleted softly only: use cases.workflow.services.case_delete().")

    delete.queryset_only = True


class LiveCaseManager(models.Manager.from_queryset(CaseQuerySet)):
    """The default manager: cases not deleted. Every list, figure, sweep, export and page starts here."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Case(models.Model):
    code = models.UUIDField(_("kode"), default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(Office, verbose_name=_("kantor"), on_delete=models.PROTECT, related_name="cases")
    election = models.ForeignKey(Election, verbose_name=_("pemilihan"), on_delete=models.PROTECT, related_name="cases")
    source = models.CharField(_("sumber"), max_length=8, choices=CaseSource.choices)
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    outcome = models.CharField(_("putusan"), max_length=20, choices=CaseOutcome.choices, blank=True)

    number = models.CharField(_("nomor register"), max_length=120, blank=True)
    number_year = models.PositiveSmallIntegerField(_("tahun register"), null=True, blank=True)
    number_seq = models.PositiveIntegerField(_("nomor urut register"), null=True, blank=True)

    title = models.CharField(_("ringkasan"), max_length=200)
    chronology = models.TextField(_("kronologi"))
    occurred_on = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    district = models.ForeignKey(
        Region,
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.DISTRICT},
    )
    place = models.CharField(_("tempat kejadian"), max_length=255, blank=True)
    known_on = models.DateField(_("tanggal diketahui/ditemukan"))
    received_at = models.DateTimeField(_("diterima"))
    registered_at = models.DateTimeField(_("diregistrasi"), null=True, blank=True)
    steps_entered_late = models.BooleanField(_("ada langkah yang dicatat belakangan"), default=False, db_default=False)
    decided_at = models.DateTimeField(_("diputus"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)

    # Formal and material requirements (syarat formal dan materiel), checked at the initial review.
    req_reporter_identity = models.BooleanField(_("identitas pelapor lengkap"), default=False)
    req_reported_identity = models.BooleanField(_("nama dan alamat terlapor"), default=False)
    req_within_time = models.BooleanField(_("disampaikan dalam batas waktu"), default=False)
    req_signature = models.BooleanField(_("tanda tangan sesuai identitas"), default=False)
    req_time_place = models.BooleanField(_("waktu dan tempat kejadian"), default=False)
    req_description = models.BooleanField(_("uraian kejadian"), default=False)
    req_evidence = models.BooleanField(_("bukti"), default=False)

    report_due = models.DateField(_("batas lapor"))
    review_due = models.DateField(_("batas kajian awal"))
    decision_due = models.DateField(_("batas putusan"), null=True, blank=True)
    extended = models.BooleanField(_("diperpanjang"), default=False)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penanggung jawab"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    handed_over_to = models.ForeignKey(
        Office, verbose_name=_("dilimpahkan ke"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_reason = models.TextField(_("alasan status"), blank=True)

    version = models.PositiveIntegerField(_("versi"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    # Soft deletion: a deleted case is hidden everywhere (``Case.objects`` leaves it out) and kept whole, with
    # who deleted it and why on its timeline; coordinators and admins see it under "Perkara terhapus".
    deleted_at = models.DateTimeField(_("dihapus"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dihapus oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    deletion_reason = models.TextField(_("alasan penghapusan"), blank=True, editable=False)
    # A case handed down (or up) is received by the other office as a case of its own, linked to this one.
    handed_over_from = models.OneToOneField(
        "self",
        verbose_name=_("dilimpahkan dari"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handed_over_as",
        editable=False,
    )

    objects = LiveCaseManager()
    all_objects = models.Manager.from_queryset(CaseQuerySet)()  # deleted ones included

    FORMAL_REQUIREMENTS = ("req_reporter_identity", "req_reported_identity", "req_within_time", "req_signature")
    MATERIAL_REQUIREMENTS = ("req_time_place", "req_description", "req_evidence")
    #: the requirements a person ticks (the time limit the system knows: ``req_within_time``)
    TICKED_REQUIREMENTS = tuple(n for n in (*FORMAL_REQUIREMENTS, *MATERIAL_REQUIREMENTS) if n != "req_within_time")

    class Meta:
        verbose_name = _("perkara")
        verbose_name_plural = _("perkara")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "number_year", "number_seq"],
                condition=Q(number_seq__isnull=False),
                name="case_unique_register_seq_per_office_year",
            ),
            models.UniqueConstraint(fields=["office", "number"], condition=~Q(number=""), name="case_unique_number"),
            models.CheckConstraint(
                name="case_registered_after_received",
                condition=Q(registered_at__isnull=True) | Q(registered_at__gte=F("received_at")),
            ),
            models.CheckConstraint(
                name="case_decided_after_registered",
                condition=Q(decided_at__isnull=True)
                | Q(registered_at__isnull=False, decided_at__gte=F("registered_at")),
            ),
            models.CheckConstraint(
                name="case_number_iff_registered",
                condition=(Q(number="") & Q(registered_at__isnull=True) & Q(number_seq__isnull=True))
                | (~Q(number="") & Q(registered_at__isnull=False) & Q(number_seq__isnull=False)),
            ),
            models.CheckConstraint(
                name="case_outcome_iff_decided",
                condition=Q(outcome="", decided_at__isnull=True) | (~Q(outcome="") & Q(decided_at__isnull=False)),
            ),
            models.CheckConstraint(name="case_version_positive", condition=Q(version__gte=1)),
            models.CheckConstraint(
                name="case_deleted_with_reason",
                condition=Q(deleted_at__isnull=True, deletion_reason="")
                | (Q(deleted_at__isnull=False) & ~Q(deletion_reason="")),
            ),
        ]
        indexes = [
            # case list: the office's cases by status, newest first
            models.Index(fields=["office", "status", "-received_at"], name="case_list_office_status_idx"),
            # case list of many offices (a province): the newest cases read in order until a page is full,
            # the offices checked from the index, instead of every case of the scope read and sorted
            models.Index(
                fields=["-received_at", "-id"],
                include=["office", "handed_over_to"],
                condition=Q(deleted_at__isnull=True),
                name="case_list_recent_idx",
            ),
            # The dashboard's figures read the cases of a scope from this index alone (index-only scans). It
            # holds the cases not deleted, the only ones counted: a deleted_at column outside the index would
            # send every figure back to the table to check it.
            models.Index(
                fields=["office"],
                include=["id", "status", "received_at", "review_due", "decision_due", "election"],
                condition=Q(deleted_at__isnull=True),
                name="case_figures_live_idx",
            ),
            # "due soon" and reminder sweeps over open cases
            models.Index(
                fields=["review_due"], condition=Q(status=CaseStatus.RECEIVED), name="case_open_review_due_idx"
            ),
            models.Index(
                fields=["decision_due"],
                condition=Q(status__in=[CaseStatus.REGISTERED, CaseStatus.UNDER_REVIEW]),
                name="case_open_decision_due_idx",
            ),
            # the "Perkara terhapus" list: an office's deleted cases, most recent first
            models.Index(
                fields=["office", "-deleted_at"], condition=Q(deleted_at__isnull=False), name="case_deleted_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.title

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"code": self.code})

    def outcomes_by_person(self) -> str:
        """What the plenary found, person by person, counted ("Terbukti: pelanggaran netralitas (peraturan
        lain): 3 orang; Dugaan tindak pidana pemilihan (ke Gakkumdu): 1 orang"), from the subjects (prefetched
        by the case page)."""
        from collections import Counter

        labels = dict(SubjectOutcome.choices)
        counts = Counter(s.outcome for s in self.subjects.all() if s.outcome != SubjectOutcome.PENDING)
        return "; ".join(f"{labels[outcome]}: {n} orang" for outcome, n in counts.items())

    def delete(self, *args, **kwargs):
        raise CaseDeletionRefused("Cases are deleted softly only: use cases.workflow.services.case_delete().")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_report(self) -> bool:
        return self.source == CaseSource.REPORT

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def received_on(self) -> date:
        from django.utils import timezone

        return timezone.localdate(self.received_at)

    @property
    def filed_late(self) -> bool:
        """Received after the time limit to report (shown, not enforced: it can still be recorded)."""
        return self.received_on > self.report_due

    @property
    def requirements(self) -> list[tuple[str, str, bool]]:
        """(field, label, met) for the checklist of the case's source."""
        fields = self.FORMAL_REQUIREMENTS + self.MATERIAL_REQUIREMENTS
        if not self.is_report:
            fields = tuple(f for f in fields if f not in ("req_reporter_identity", "req_signature"))
        return [(f, str(self._meta.get_field(f).verbose_name), getattr(self, f)) for f in fields]

    @property
    def active_due(self) -> date | None:
        """The deadline the case is running against now."""
        if self.status == CaseStatus.RECEIVED:
            return self.review_due
        if self.status in (CaseStatus.REGISTERED, CaseStatus.UNDER_REVIEW):
            return self.decision_due
        return None


class ReporterIdentity(models.Model):
    """Who filed a laporan, as Form B.1 asks: protected wherever it is kept (office staff only)."""

    name = models.CharField(_("nama pelapor"), max_length=150)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    sex = models.CharField(
        _("jenis kelamin"), max_length=1, choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))], blank=True
    )
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    nationality = models.CharField(_("kewarganegaraan"), max_length=60, default="Indonesia", blank=True)
    address = models.CharField(_("alamat"), max_length=255)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    FIELDS = ("name", "birth_place", "birth_date", "sex", "occupation", "nationality", "address", "phone", "email")

    class Meta:
        abstract = True


class Reporter(ReporterIdentity):
    """The identity of whoever filed a laporan. Kept apart from the case so that nothing shows it by
    accident: only office staff pages read it, never pemkab pages or the API."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reporter")

    class Meta:
        verbose_name = _("pelapor")
        verbose_name_plural = _("pelapor")

    def __str__(self) -> str:
        return self.name


class SubjectOutcome(models.TextChoices):
    """What the plenary decides for one person. Each proven outcome has its route: a neutrality violation
    (ASN or village head: "other laws") to the body that takes it by the person's employment, an election
    crime to Sentra Gakkumdu, an administrative violation handled by the election supervisors themselves."""

    PENDING = "pending", _("Belum diputus")
    PROVEN = "terbukti", _("Terbukti: pelanggaran netralitas (peraturan lain)")
    # the plenary finds the elements of a suspected crime; a court decides guilt (the referral's verdict)
    CRIME = "pidana", _("Dugaan tindak pidana pemilihan (ke Gakkumdu)")
    ADMINISTRATIVE = "administratif", _("Terbukti: pelanggaran administrasi")
    NOT_PROVEN = "tidak_terbukti", _("Tidak terbukti")


# A person found to have done something the law forbids (the dashboard's "proven" figures), whatever its route.
PROVEN_SUBJECT_OUTCOMES = (SubjectOutcome.PROVEN, SubjectOutcome.CRIME, SubjectOutcome.ADMINISTRATIVE)

# A person with one of these outcomes is forwarded: a neutrality violation to the body of their employment,
# a crime to Sentra Gakkumdu (``Institution.Kind.GAKKUMDU``); the route is chosen by ``route_of``.
FORWARDED_SUBJECT_OUTCOMES = (SubjectOutcome.PROVEN, SubjectOutcome.CRIME)

# The case's result, derived from its subjects: the first of these any subject has, else "not a violation".
CASE_OUTCOME_OF_SUBJECTS = (
    (SubjectOutcome.PROVEN, CaseOutcome.OTHER_LAW),
    (SubjectOutcome.CRIME, CaseOutcome.CRIME),
    (SubjectOutcome.ADMINISTRATIVE, CaseOutcome.ADMINISTRATIVE),
)


def case_outcome_of(subject_outcomes) -> str:
    """The plenary's result for a case whose subjects were decided as ``subject_outcomes``."""
    present = set(subject_outcomes)
    return next(
        (case_outcome for outcome, case_outcome in CASE_OUTCOME_OF_SUBJECTS if outcome in present),
        CaseOutcome.NOT_A_VIOLATION,
    )


class CaseSubject(models.Model):
    """A person reported in a case, with the acts found and the outcome for that person."""

    # Indexed by ``casesubject_figures_idx`` (a case's subjects, for the dashboard's figures from the index alone).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_subjects")
    violation_types = models.ManyToManyField(ViolationType, verbose_name=_("jenis pelanggaran"), blank=True)
    outcome = models.CharField(
        _("hasil"), max_length=16, choices=SubjectOutcome.choices, default=SubjectOutcome.PENDING
    )
    note = models.TextField(_("catatan"), blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("terlapor dalam perkara")
        verbose_name_plural = _("terlapor dalam perkara")
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="casesubject_unique_person_per_case")]
        indexes = [
            # The dashboard's subject figures (dashboard.selectors.subject_figures) and every read of
            # a case's subjects.
            models.Index(fields=["case"], include=["id", "outcome", "person"], name="casesubject_figures_idx"),
        ]

    def __str__(self) -> str:
        return str(self.person)


def evidence_upload_path(instance: Evidence, filename: str) -> str:
    # Named by content: the same file is stored once, and a stored file is never overwritten.
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


class Integrity(models.TextChoices):
    INTACT = "utuh", _("Utuh")
    ALTERED = "berubah", _("Berkas tidak cocok dengan sidik SHA-256")
    MISSING = "hilang", _("Berkas hilang dari penyimpanan")


class EvidenceKind(models.TextChoices):
    SCREENSHOT = "screenshot", _("Tangkapan layar")
    PHOTO = "foto", _("Foto")
    VIDEO = "video", _("Video")
    DOCUMENT = "dokumen", _("Dokumen")
    LINK = "tautan", _("Tautan")
    WITNESS = "keterangan_saksi", _("Keterangan saksi")


class Evidence(models.Model):
    Kind = EvidenceKind
    #: what a person adding evidence says of it (the form's fields; the service's keyword arguments)
    DESCRIBED_BY = (
        "kind", "subject", "description", "captured_at", "url", "platform", "account", "interactions", "comment_text",
        "candidate_pair", "gesture", "gesture_fingers", "with_whom",
    )  # fmt: skip

    class Platform(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        TIKTOK = "tiktok", "TikTok"
        X = "x", "X (Twitter)"
        YOUTUBE = "youtube", "YouTube"
        WHATSAPP = "whatsapp", "WhatsApp"
        OTHER = "lainnya", _("Lainnya")

    class Interaction(models.TextChoices):
        POST = "unggah", _("Mengunggah")
        COMMENT = "komentar", _("Berkomentar")
        SHARE = "bagikan", _("Membagikan")
        LIKE = "suka", _("Menyukai")
        FOLLOW = "ikuti", _("Mengikuti / bergabung")
        PROFILE_FRAME = "bingkai_profil", _("Bingkai foto profil")
        STORY = "story", _("Story / status")

    code = models.UUIDField(_("kode"), default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    subject = models.ForeignKey(
        CaseSubject,
        verbose_name=_("terlapor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    captured_at = models.DateTimeField(_("diambil pada"), null=True, blank=True)

    file = models.FileField(_("berkas"), upload_to=evidence_upload_path, max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"), null=True, blank=True)
    mime_type = models.CharField(_("jenis berkas"), max_length=100, blank=True)
    original_name = models.CharField(_("nama berkas asli"), max_length=255, blank=True)

    url = models.URLField(_("tautan"), max_length=1000, blank=True)
    url_normalized = models.CharField(_("tautan (dinormalkan)"), max_length=1000, blank=True)
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices, blank=True)
    account = models.CharField(_("akun pengunggah"), max_length=200, blank=True)
    # a person may like and comment on the same post: one item, several interactions
    interactions = ArrayField(
        models.CharField(max_length=16, choices=Interaction.choices),
        verbose_name=_("interaksi"),
        default=list,
        blank=True,
    )
    comment_text = models.TextField(_("isi komentar"), blank=True)
    candidate_pair = models.ForeignKey(
        CandidatePair,
        verbose_name=_("pasangan calon"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    gesture = models.CharField(
        _("gestur"), max_length=100, blank=True, help_text=_("Mis. dua jari, jempol, simbol 'saranghae'.")
    )
    gesture_fingers = models.PositiveSmallIntegerField(_("jumlah jari"), null=True, blank=True)
    with_whom = models.CharField(_("bersama siapa"), max_length=255, blank=True)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    # The periodic check of the stored file against its SHA-256 (``cases.evidence.verification``): when it was last
    # read, what it found, and what the content hashes to now when it no longer matches.
    integrity = models.CharField(
        _("keutuhan berkas"), max_length=8, choices=Integrity.choices, blank=True, editable=False
    )
    verified_at = models.DateTimeField(_("terakhir diperiksa"), null=True, blank=True, editable=False)
    integrity_sha256 = models.CharField(_("SHA-256 saat diperiksa"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="evidence_file_or_link",
                condition=(~Q(file="") & Q(sha256__regex=r"^[0-9a-f]{64}$") & Q(size__isnull=False))
                | (Q(file="") & Q(sha256="") & (~Q(url="") | Q(kind=EvidenceKind.WITNESS))),
            ),
            models.CheckConstraint(
                name="evidence_fingers_0_to_10",
                condition=Q(gesture_fingers__isnull=True) | Q(gesture_fingers__lte=10),
            ),
        ]
        indexes = [
            # duplicate checks: the same file or the same post in another case
            models.Index(fields=["sha256"], condition=~Q(sha256=""), name="evidence_dup_sha256_idx"),
            models.Index(fields=["url_normalized"], condition=~Q(url_normalized=""), name="evidence_dup_url_idx"),
            # used by cases.evidence.verification.due_for_check: stored files never checked, then the longest unchecked
            models.Index(
                fields=["id"], condition=~Q(file="") & Q(verified_at__isnull=True), name="evidence_never_verified_idx"
            ),
            models.Index(fields=["verified_at", "id"], condition=~Q(file=""), name="evidence_verify_queue_idx"),
        ]

    def __str__(self) -> str:
        return self.original_name or self.url or self.get_kind_display()

    def get_interactions_display(self) -> str:
        labels = dict(self.Interaction.choices)
        return ", ".join(str(labels.get(value, value)) for value in self.interactions)

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    @property
    def integrity_failed(self) -> bool:
        return self.integrity in (Integrity.ALTERED, Integrity.MISSING)


class CaseEvent(models.Model):
    """Append-only timeline and audit row, written in the same transaction as the change it records.

    The database refuses to update or delete a row (``AppendOnly`` below): a wrong entry is corrected by
    a new one. Hence PROTECT below: a case is never hard-deleted (it is soft-deleted), and a user who acted
    on a case is deactivated rather than deleted, so the row keeps naming them."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("tindakan"), max_length=60)
    from_status = models.CharField(_("dari status"), max_length=16, blank=True)
    to_status = models.CharField(_("ke status"), max_length=16, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    # When the step happened, as the law counts it (a plenary held in 2020, entered today); null: when entered.
    occurred_at = models.DateTimeField(_("terjadi"), null=True, blank=True)
    entered_late = models.BooleanField(_("dicatat belakangan"), default=False, db_default=False)  # at the write
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("riwayat perkara")
        verbose_name_plural = _("riwayat perkara")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="caseevent_timeline_idx")]
        triggers = [AppendOnly()]

    def __str__(self) -> str:
        return f"{self.action} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def happened_at(self):
        return self.occurred_at or self.created_at


def entered_late(occurred_at, created_at) -> bool:
    """The one rule of a step entered late: recorded on a later local day than the one it happened on (the
    timeline then shows both dates; the case, the API and the exports say it has such steps)."""
    return occurred_at is not None and timezone.localdate(created_at) > timezone.localdate(occurred_at)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "dijadwalkan", _("Dijadwalkan")
    HELD = "dilaksanakan", _("Dilaksanakan")
    CANCELLED = "batal", _("Dibatalkan")


class ClarificationMeeting(models.Model):
    Status = MeetingStatus

    class InviteeRole(models.TextChoices):
        REPORTER = "pelapor", _("Pelapor")
        REPORTED = "terlapor", _("Terlapor")
        WITNESS = "saksi", _("Saksi")
        EXPERT = "ahli", _("Ahli")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    invitee_role = models.CharField(_("pihak"), max_length=10, choices=InviteeRole.choices)
    invitee_name = models.CharField(_("nama yang diundang"), max_length=200)
    subject = models.ForeignKey(
        CaseSubject, verbose_name=_("terlapor"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_at = models.DateTimeField(_("waktu"))
    place = models.CharField(_("tempat"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(_("berita acara / keterangan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("klarifikasi")
        verbose_name_plural = _("klarifikasi")
        ordering = ["scheduled_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="meeting_minutes_when_held", condition=~Q(status=MeetingStatus.HELD) | ~Q(minutes="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_invitee_role_display()}: {self.invitee_name}"


class RegisterCounter(models.Model):
    """The last register sequence used by an office in a year; locked while a number is taken, so two
    coordinators registering at once get consecutive numbers, never the same one."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="registercounter_unique_office_year")]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last}"


class Sanction(models.TextChoices):
    """Sanctions a recommendation or a PPK decision names: PP 94/2021 discipline, moral sanction (PP 42/2004
    Pasal 15), dismissal under the ASN law, and the employing agency's sanction for honorer staff."""

    ORAL_REPRIMAND = "teguran_lisan", _("Teguran lisan (ringan)")
    WRITTEN_REPRIMAND = "teguran_tertulis", _("Teguran tertulis (ringan)")
    DISSATISFACTION = "pernyataan_tidak_puas", _("Pernyataan tidak puas secara tertulis (ringan)")
    ALLOWANCE_CUT_6 = "potong_tunjangan_6", _("Pemotongan tunjangan kinerja 25% selama 6 bulan (sedang)")
    ALLOWANCE_CUT_9 = "potong_tunjangan_9", _("Pemotongan tunjangan kinerja 25% selama 9 bulan (sedang)")
    ALLOWANCE_CUT_12 = "potong_tunjangan_12", _("Pemotongan tunjangan kinerja 25% selama 12 bulan (sedang)")
    DEMOTION = "penurunan_jabatan", _("Penurunan jabatan setingkat lebih rendah selama 12 bulan (berat)")
    NON_MANAGERIAL = "jabatan_pelaksana", _("Pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan (berat)")
    HONOURABLE_DISMISSAL = (
        "berhenti_dengan_hormat",
        _("Pemberhentian dengan hormat tidak atas permintaan sendiri (berat)"),
    )
    DISHONOURABLE_DISMISSAL = "ptdh", _("Pemberhentian tidak dengan hormat (PTDH)")
    # a PPPK's contract ended for a heavy violation (PP 49/2018 Pasal 52; its other sanctions are PP 94/2021's)
    PPPK_TERMINATION = "pppk_putus_kontrak", _("PPPK: pemutusan hubungan perjanjian kerja (berat)")
    MORAL_CLOSED = "moral_tertutup", _("Sanksi moral: pernyataan secara tertutup")
    MORAL_OPEN = "moral_terbuka", _("Sanksi moral: pernyataan secara terbuka")
    EMPLOYER = "sanksi_pemberi_kerja", _("Sanksi menurut perjanjian kerja (honorer)")
    # A village head is not ASN: UU 6/2014 (Desa) Pasal 29-30, imposed by the regent through the DPMD.
    VILLAGE_ORAL = "kades_teguran_lisan", _("Kepala desa: teguran lisan")
    VILLAGE_WRITTEN = "kades_teguran_tertulis", _("Kepala desa: teguran tertulis")
    VILLAGE_SUSPENSION = "kades_berhenti_sementara", _("Kepala desa: pemberhentian sementara")
    VILLAGE_DISMISSAL = "kades_berhenti", _("Kepala desa: pemberhentian")
    OTHER = "lainnya", _("Lainnya")


VILLAGE_HEAD_SANCTIONS = (
    Sanction.VILLAGE_ORAL,
    Sanction.VILLAGE_WRITTEN,
    Sanction.VILLAGE_SUSPENSION,
    Sanction.VILLAGE_DISMISSAL,
)


# How heavy each sanction is, on its own scale: PP 94/2021's (light, medium, heavy, in the order of Pasal 8),
# the moral sanction's (PP 42/2004 Pasal 15: closed, then open) and a village head's (UU 6/2014 Pasal 29-30).
# Sanctions of different scales, and "Lainnya" or the employer's, are not compared.
SANCTION_SCALE = {
    **{
        sanction: ("pp94", rank)
        for rank, sanction in enumerate(
            (
                Sanction.ORAL_REPRIMAND,
                Sanction.WRITTEN_REPRIMAND,
                Sanction.DISSATISFACTION,
                Sanction.ALLOWANCE_CUT_6,
                Sanction.ALLOWANCE_CUT_9,
                Sanction.ALLOWANCE_CUT_12,
                Sanction.DEMOTION,
                Sanction.NON_MANAGERIAL,
                Sanction.HONOURABLE_DISMISSAL,
                Sanction.DISHONOURABLE_DISMISSAL,
            )
        )
    },
    Sanction.PPPK_TERMINATION: ("pp94", 8),  # as heavy as a dismissal with honour
    Sanction.MORAL_CLOSED: ("moral", 0),
    Sanction.MORAL_OPEN: ("moral", 1),
    **{sanction: ("desa", rank) for rank, sanction in enumerate(VILLAGE_HEAD_SANCTIONS)},
}


def lighter_than(imposed: str, recommended: str) -> bool:
    """Whether the sanction ``imposed`` is lighter than the one ``recommended`` (on the same scale)."""
    a, b = SANCTION_SCALE.get(imposed), SANCTION_SCALE.get(recommended)
    return a is not None and b is not None and a[0] == b[0] and a[1] < b[1]


def sanctions_for(employment_type: str) -> list[tuple[str, str]]:
    """The sanctions that can be named for a person: a village head's (UU 6/2014) for a village head, the
    others for everyone else, the end of a PPPK's contract for a PPPK only; "Lainnya" for all. The one rule
    for the forms, the API and the services."""
    village = employment_type == EmploymentType.KEPALA_DESA
    pppk = employment_type == EmploymentType.PPPK
    return [
        (value, label)
        for value, label in Sanction.choices
        if value == Sanction.OTHER
        or ((value in VILLAGE_HEAD_SANCTIONS) == village and (value != Sanction.PPPK_TERMINATION or pppk))
    ]


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SENT = "sent", _("Menunggu rekomendasi")
    AWAITING_PPK = "awaiting_ppk", _("Menunggu keputusan PPK")
    SANCTIONED = "sanctioned", _("Sanksi dijatuhkan")
    # an election crime's own stages at Sentra Gakkumdu (UU 7/2017 Pasal 476-482; UU 10/2016 Pasal 145-152)
    CRIME_FORWARDED = "gakkumdu", _("Diteruskan ke Gakkumdu")
    INVESTIGATION = "penyidikan", _("Penyidikan")
    PROSECUTION = "penuntutan", _("Penuntutan dan sidang")
    CLOSED = "closed", _("Selesai")
    TRANSFERRED = "transferred", _("Dialihkan")


CRIME_STATUSES = (ReferralStatus.CRIME_FORWARDED, ReferralStatus.INVESTIGATION, ReferralStatus.PROSECUTION)

OPEN_REFERRAL_STATUSES = (
    ReferralStatus.DRAFT,
    ReferralStatus.SENT,
    ReferralStatus.AWAITING_PPK,
    ReferralStatus.SANCTIONED,
    *CRIME_STATUSES,
)


class ReferralClosedAs(models.TextChoices):
    EXECUTED = "dilaksanakan", _("Sanksi dilaksanakan")
    NOT_PROVEN = "tidak_terbukti", _("Rekomendasi: tidak terbukti")
    REFUSED = "ditolak_ppk", _("PPK tidak menjatuhkan sanksi")
    TRANSFERRED = "dialihkan", _("Dialihkan ke lembaga penerus")
    WITHDRAWN = "dibatalkan", _("Draf dibatalkan")
    CONVICTED = "putusan_bersalah", _("Putusan pengadilan: terbukti bersalah")
    ACQUITTED = "putusan_bebas", _("Putusan pengadilan: tidak terbukti")
    DISCONTINUED = "dihentikan", _("Dihentikan oleh Gakkumdu")


class ReferralConflict(models.TextChoices):
    PPK_CANDIDATE = "ppk_calon", _("PPK adalah calon dalam pemilihan ini")
    CAMPAIGN = "tim_kampanye", _("Terlapor anggota tim kampanye calon PPK")


class Referral(models.Model):
    """One subject of a decided case forwarded to one institution, followed until the sanction is carried out."""

    class Channel(models.TextChoices):
        LETTER = "surat", _("Surat")
        EMAIL = "email", _("E-mail")
        SIAPNET = "siapnet", _("SIAPNET")
        OTHER_SYSTEM = "sistem_lain", _("Sistem lain")

    ClosedAs = ReferralClosedAs
    Conflict = ReferralConflict

    code = models.UUIDField(_("kode"), default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    subject = models.ForeignKey(
        CaseSubject, verbose_name=_("terlapor"), on_delete=models.PROTECT, related_name="referrals"
    )
    institution = models.ForeignKey(
        "reference.Institution", verbose_name=_("lembaga tujuan"), on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(_("tahap"), max_length=14, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    channel = models.CharField(_("saluran"), max_length=12, choices=Channel.choices, default=Channel.LETTER)
    letter_number = models.CharField(_("nomor surat"), max_length=120, blank=True)
    letter_date = models.DateField(_("tanggal surat"), null=True, blank=True)
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("diterima lembaga"), null=True, blank=True)
    response_due = models.DateField(_("batas rekomendasi"), null=True, blank=True)
    recommended_on = models.DateField(_("tanggal rekomendasi"), null=True, blank=True)
    ppk_due = models.DateField(_("batas tindak lanjut PPK"), null=True, blank=True)
    # the PPK imposed a lighter sanction than the one recommended (``lighter_than``), set with its decision
    sanction_lighter = models.BooleanField(
        _("sanksi lebih ringan dari rekomendasi"), default=False, db_default=False, editable=False
    )
    # The day staff were last reminded that this referral is past its clock (the weekly reminder sweep).
    reminded_on = models.DateField(_("terakhir diingatkan"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    closed_as = models.CharField(_("selesai karena"), max_length=16, choices=ClosedAs.choices, blank=True)
    transferred_on = models.DateField(_("dialihkan pada"), null=True, blank=True)
    transferred_from = models.OneToOneField(
        "self",
        verbose_name=_("dialihkan dari"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_to",
    )
    # moved to this body by a declared succession (``Succession``), not by a transfer of its own
    succession = models.ForeignKey(
        "Succession", verbose_name=_("suksesi"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The PPK who must act is an interested party (``Referral.Conflict``), set when the referral is sent and
    # when the candidates of its election change: the escalation ladder starts above the PPK.
    conflict = models.CharField(
        _("benturan kepentingan"), max_length=12, choices=ReferralConflict.choices, blank=True, db_default=""
    )
    note = models.TextField(_("catatan"), blank=True)

    letter_pdf = models.FileField(_("surat penerusan (PDF)"), upload_to="letters/%Y/", blank=True, max_length=200)
    letter_sha256 = models.CharField(_("SHA-256 surat"), max_length=64, blank=True)
    dossier_pdf = models.FileField(_("berkas perkara (PDF)"), upload_to="letters/%Y/", blank=True, max_length=200)
    dossier_sha256 = models.CharField(_("SHA-256 berkas"), max_length=64, blank=True)

    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("disiapkan oleh"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("penerusan")
        verbose_name_plural = _("penerusan")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="referral_sent_has_letter",
                condition=Q(status=ReferralStatus.DRAFT)
                | Q(closed_as=ReferralClosedAs.WITHDRAWN)
                | (~Q(letter_number="") & Q(letter_date__isnull=False) & Q(sent_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="referral_closed_has_reason",
                condition=~Q(status__in=[ReferralStatus.CLOSED, ReferralStatus.TRANSFERRED])
                | (~Q(closed_as="") & Q(closed_at__isnull=False)),
            ),
            models.UniqueConstraint(
                fields=["subject", "institution"],
                condition=Q(
                    status__in=["draft", "sent", "awaiting_ppk", "sanctioned", "gakkumdu", "penyidikan", "penuntutan"]
                ),
                name="referral_one_open_per_subject_institution",
            ),
        ]
        indexes = [
            # the board and reminder sweeps: open referrals by their clock
            models.Index(fields=["response_due"], condition=Q(status="sent"), name="referral_awaiting_rec_idx"),
            models.Index(fields=["ppk_due"], condition=Q(status="awaiting_ppk"), name="referral_awaiting_ppk_idx"),
            # the API's sync: an institution's sent referrals in (updated_at, id) order, read page by page
            models.Index(
                fields=["institution", "updated_at", "id"],
                condition=Q(sent_at__isnull=False),
                name="referral_api_sync_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.institution}"

    def get_absolute_url(self) -> str:
        return reverse("cases:referral", kwargs={"code": self.code})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES

    @property
    def is_crime(self) -> bool:
        """An election crime at Sentra Gakkumdu: its own stages, never the PPK's or the ASN sanctions."""
        return self.institution.kind == Institution.Kind.GAKKUMDU

    # The one rule of a late referral: the stage that waits on someone has a due date, and that date has
    # passed. The institution's recommendation is due by ``response_due`` while the referral is sent; the
    # regent's (PPK) decision by ``ppk_due`` while it awaits the PPK. The board, the clocks on every page, the
    # reminder sweep and the dashboard all read it through ``overdue_q`` (in SQL) or ``is_overdue`` (a row
    # already loaded), both made from this table.
    STAGE_DUE = {ReferralStatus.SENT: "response_due", ReferralStatus.AWAITING_PPK: "ppk_due"}

    @classmethod
    def overdue_q(cls, today: date, prefix: str = "") -> Q:
        """Referrals (or, with ``prefix`` such as ``"referrals__"``, rows related to them) past their clock."""
        late = Q(pk__in=[])
        for status, due in cls.STAGE_DUE.items():
            late |= Q(**{f"{prefix}status": status, f"{prefix}{due}__lt": today})
        return late

    @classmethod
    def due_expression(cls, prefix: str = "") -> models.Case:
        """The waiting stage's due date in SQL (NULL when no stage waits), to sort by."""
        whens = [
            models.When(**{f"{prefix}status": status}, then=F(f"{prefix}{due}"))
            for status, due in cls.STAGE_DUE.items()
        ]
        return models.Case(*whens, default=None, output_field=models.DateField())

    @property
    def due(self) -> date | None:
        """The date the stage now waiting must end by (None when no stage waits)."""
        field = self.STAGE_DUE.get(self.status)
        return getattr(self, field) if field else None

    def days_overdue(self, today: date) -> int:
        """How many days the waiting stage is past its due date (0 when it is not)."""
        due = self.due
        return (today - due).days if due is not None and today > due else 0

    def is_overdue(self, today: date) -> bool:
        return self.days_overdue(today) > 0


class ReferralEscalation(models.Model):
    """A rung of the escalation ladder climbed for a referral whose PPK has not acted: its letter (number,
    date, generated PDF signed by the koordinator), then the answer; for a blocking request, BKN's blocking and
    unblocking of the person's personnel data, each a dated step."""

    code = models.UUIDField(_("kode"), default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="escalations")
    rung = models.ForeignKey(
        "reference.EscalationRung", verbose_name=_("langkah"), on_delete=models.PROTECT, related_name="+"
    )
    addressee = models.CharField(_("tujuan surat"), max_length=250)
    letter_number = models.CharField(_("nomor surat"), max_length=120)
    letter_date = models.DateField(_("tanggal surat"))
    letter_pdf = models.FileField(_("surat (PDF)"), upload_to="letters/%Y/", blank=True, max_length=200)
    letter_sha256 = models.CharField(_("SHA-256 surat"), max_length=64, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer_number = models.CharField(_("nomor jawaban"), max_length=120, blank=True)
    answer_date = models.DateField(_("tanggal jawaban"), null=True, blank=True)
    answer_note = models.TextField(_("isi jawaban"), blank=True)
    blocked_on = models.DateField(_("data kepegawaian diblokir"), null=True, blank=True)
    unblocked_on = models.DateField(_("blokir dibuka"), null=True, blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("eskalasi")
        verbose_name_plural = _("eskalasi")
        ordering = ["referral", "letter_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "rung"], name="referralescalation_one_per_rung"),
            models.CheckConstraint(
                name="referralescalation_unblocked_after_blocked",
                condition=Q(unblocked_on__isnull=True) | Q(blocked_on__isnull=False, unblocked_on__gte=F("blocked_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rung} · {self.letter_number}"

    @property
    def is_blocked(self) -> bool:
        return self.blocked_on is not None and self.unblocked_on is None


class Succession(models.Model):
    """A receiving body replaced by another from a date (KASN by BKN on 24 Aug 2024, by law): declared once,
    it moves every open referral addressed to the old body to the new one in one step, history kept."""

    class Clock(models.TextChoices):
        RESTART = "ulang", _("Batas rekomendasi dihitung ulang sejak tanggal suksesi")
        CONTINUE = "lanjut", _("Batas rekomendasi tetap (dilanjutkan)")

    code = models.UUIDField(_("kode"), default=uuid.uuid4, unique=True, editable=False)
    predecessor = models.OneToOneField(
        "reference.Institution", verbose_name=_("lembaga lama"), on_delete=models.PROTECT, related_name="succession"
    )
    successor = models.ForeignKey(
        "reference.Institution", verbose_name=_("lembaga penerus"), on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField(_("berlaku sejak"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=300)
    clock = models.CharField(_("batas waktu"), max_length=6, choices=Clock.choices, default=Clock.RESTART)
    moved = models.PositiveIntegerField(_("penerusan dialihkan"), default=0)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(_("dinyatakan"), auto_now_add=True)

    class Meta:
        verbose_name = _("suksesi lembaga")
        verbose_name_plural = _("suksesi lembaga")
        ordering = ["-effective_on"]
        constraints = [
            models.CheckConstraint(name="succession_not_to_itself", condition=~Q(successor=F("predecessor")))
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d-%m-%Y})"


class ResponseKind(models.TextChoices):
    ACKNOWLEDGED = "diterima", _("Tanda terima")
    RECOMMENDATION = "rekomendasi", _("Rekomendasi")
    PPK_DECISION = "keputusan_ppk", _("Keputusan PPK")
    EXECUTION = "pelaksanaan", _("Pelaksanaan sanksi")
    # an election crime at Sentra Gakkumdu: the investigation opened, the case handed to the prosecutor, the
    # court's verdict (``proven``: guilty), or the matter stopped at any stage
    INVESTIGATION = "penyidikan", _("Penyidikan dimulai")
    PROSECUTION = "penuntutan", _("Dilimpahkan ke penuntut umum")
    VERDICT = "putusan", _("Putusan pengadilan")
    DISCONTINUED = "dihentikan", _("Dihentikan")
    NOTE = "catatan", _("Catatan")


class ReferralResponse(models.Model):
    """What came back, as rows that are never overwritten: a correction is a new row. Like ``CaseEvent``, the
    database refuses to update or delete one (``AppendOnly``)."""

    Kind = ResponseKind

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="responses")
    kind = models.CharField(_("jenis"), max_length=14, choices=Kind.choices)
    number = models.CharField(_("nomor"), max_length=120, blank=True)
    date = models.DateField(_("tanggal"))
    proven = models.BooleanField(_("terbukti"), null=True, blank=True)
    sanction = models.CharField(_("sanksi"), max_length=24, choices=Sanction.choices, blank=True)
    refused = models.BooleanField(_("PPK tidak menjatuhkan sanksi"), default=False)
    executed = models.BooleanField(_("sanksi dilaksanakan"), null=True, blank=True)
    note = models.TextField(_("keterangan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_via = models.CharField(_("dicatat melalui"), max_length=20, default="web")
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("tanggapan penerusan")
        verbose_name_plural = _("tanggapan penerusan")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="response_recommendation_says_proven",
                condition=~Q(kind__in=[ResponseKind.RECOMMENDATION, ResponseKind.VERDICT]) | Q(proven__isnull=False),
            ),
            models.CheckConstraint(
                name="response_ppk_sanction_or_refusal",
                condition=~Q(kind=ResponseKind.PPK_DECISION)
                | (Q(refused=True, sanction="") | (Q(refused=False) & ~Q(sanction=""))),
            ),
        ]
        triggers = [AppendOnly()]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    @classmethod
    def recommendations(cls, referral, transferred_from) -> models.QuerySet:
        """The recommendations of a referral, the latest first, with those recorded on the referral it was
        transferred from (KASN's for BKN). Ids, or ``OuterRef`` to a referral's: the one reading for the PPK
        list (a subquery) and for comparing the PPK's sanction (a row)."""
        chain = Q(referral_id=referral)
        if transferred_from is not None:
            chain |= Q(referral_id=transferred_from)
        return cls.objects.filter(chain, kind=ResponseKind.RECOMMENDATION).order_by("-date", "-recorded_at", "-pk")


class DocumentKind(models.TextChoices):
    CLARIFICATION_MINUTES = "ba_klarifikasi", _("Berita acara klarifikasi")
    PLENARY_MINUTES = "ba_pleno", _("Berita acara rapat pleno")
    RECOMMENDATION = "rekomendasi", _("Surat rekomendasi")
    PPK_DECREE = "sk_ppk", _("Keputusan PPK (SK sanksi)")
    EXECUTION = "bukti_pelaksanaan", _("Bukti sanksi dilaksanakan")
    CRIME = "dokumen_pidana", _("Dokumen Gakkumdu / putusan pengadilan")
    OTHER = "lainnya", _("Dokumen lain")


class StepDocument(models.Model):
    """A signed document a step produced: the minutes of a clarification or of the plenary (on the case), the
    recommendation letter, the PPK's decree, the proof that the sanction was carried out, a Gakkumdu document
    or a court verdict (on the referral). Stored and hashed like evidence (under its SHA-256, never modified),
    and, like the timeline, never updated or deleted (``AppendOnly``): a wrong upload is followed by the right one.
    """

    Kind = DocumentKind
    # which kinds belong to the case itself, which to a referral on the ASN route, which to an election crime's
    CASE_KINDS = (Kind.CLARIFICATION_MINUTES, Kind.PLENARY_MINUTES, Kind.OTHER)
    REFERRAL_KINDS = (Kind.RECOMMENDATION, Kind.PPK_DECREE, Kind.EXECUTION, Kind.OTHER)
    CRIME_KINDS = (Kind.CRIME, Kind.OTHER)

    code = models.UUIDField(_("kode"), default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    referral = models.ForeignKey("Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("nomor"), max_length=120, blank=True)
    dated = models.DateField(_("tanggal dokumen"))
    file = models.FileField(_("berkas"), upload_to=evidence_upload_path, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    mime_type = models.CharField(_("jenis berkas"), max_length=100)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("dokumen langkah")
        verbose_name_plural = _("dokumen langkah")
        ordering = ["dated", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(name="stepdocument_sha256_hex", condition=Q(sha256__regex=r"^[0-9a-f]{64}$")),
        ]
        triggers = [AppendOnly()]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    @classmethod
    def kinds_for(cls, referral: Referral | None) -> tuple[str, ...]:
        """The kinds of document a step of the case (no referral) or of ``referral`` produces: the one rule for
        the form and the service."""
        if referral is None:
            return cls.CASE_KINDS
        return cls.CRIME_KINDS if referral.is_crime else cls.REFERRAL_KINDS


class PublicReport(ReporterIdentity):
    """A report filed by a member of the public on the public page (no account). The first report of an act
    makes a case (a laporan awaiting its initial review); a later report of the same post, while that case is
    open, is linked to it instead of making another. The reporter's identity here is protected as in
    ``Reporter``: office staff only, never pemkab, never the API, never the public status page."""

    tracking_code = models.CharField(_("kode pelacakan"), max_length=14, unique=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="public_reports")
    linked = models.BooleanField(
        _("digabungkan ke perkara yang ada"), default=False, help_text=_("Tautan yang sama sudah dilaporkan.")
    )
    consent_contact = models.BooleanField(_("bersedia dihubungi"), default=False)
    reported_name = models.CharField(_("nama terlapor"), max_length=150)
    reported_position = models.CharField(_("jabatan / instansi terlapor"), max_length=200, blank=True)
    reported_address = models.CharField(_("alamat terlapor"), max_length=255, blank=True)
    reported_phone = models.CharField(_("telepon terlapor"), max_length=40, blank=True)
    witnesses = models.TextField(_("saksi"), blank=True)
    # What this reporter wrote: the case's own fields hold the first report's; a linked report keeps its own.
    title = models.CharField(_("yang terjadi"), max_length=200, blank=True)
    chronology = models.TextField(_("kronologi"), blank=True)
    place = models.CharField(_("tempat kejadian"), max_length=255, blank=True)
    occurred_on = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    known_on = models.DateField(_("tanggal diketahui"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("dikirim"), auto_now_add=True)
    # HMAC of the sender's address: enough to slow a flood from one address, not enough to know who it was.
    client_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("laporan daring")
        verbose_name_plural = _("laporan daring")
        ordering = ["submitted_at", "pk"]
        indexes = [
            # used by the rate limit: the reports from one address in the last hour
            models.Index(fields=["client_hash", "submitted_at"], name="publicreport_rate_limit_idx"),
        ]

    def __str__(self) -> str:
        return self.tracking_code


class ExportJob(models.Model):
    """A large XLSX export a staff member asked for in the browser, built by a worker; the page polls its
    progress and offers the file when it is ready."""

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu")
        RUNNING = "berjalan", _("Sedang dibuat")
        DONE = "selesai", _("Selesai")
        FAILED = "gagal", _("Gagal")

    code = models.UUIDField(_("kode"), default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("jumlah baris"), default=0)
    done = models.PositiveIntegerField(_("baris selesai"), default=0)
    file = models.FileField(_("berkas"), upload_to="exports/%Y/%m/", blank=True, max_length=200)
    error = models.TextField(_("galat"), blank=True)
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("unduhan penerusan")
        verbose_name_plural = _("unduhan penerusan")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
