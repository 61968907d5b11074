"""Prevention outreach with the regency government: sessions (single or in a recurring series), who was
invited, who came, materials, follow-up actions, and calendar feed tokens. Never imports ``cases``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from netralitas.reference.models import Agency, Office
from netralitas.triggers import AppendOnly


class SessionKind(models.TextChoices):
    OUTREACH = "sosialisasi", _("Sosialisasi")
    COORDINATION = "rakor", _("Rapat koordinasi")
    CEREMONY = "apel", _("Pesan pada apel/upacara")
    FGD = "fgd", _("Diskusi kelompok terpumpun (FGD)")
    MEDIA = "media", _("Temu media")


class SessionStatus(models.TextChoices):
    PLANNED = "rencana", _("Direncanakan")
    CONFIRMED = "pasti", _("Dipastikan")
    HELD = "terlaksana", _("Terlaksana")
    POSTPONED = "ditunda", _("Ditunda")
    CANCELLED = "batal", _("Dibatalkan")


class Series(models.Model):
    """A recurring session by an RFC 5545 rule (e.g. every Monday morning ceremony until voting day). Its
    occurrences are stored as sessions, so one can be moved or cancelled without touching the others."""

    office = models.ForeignKey(Office, verbose_name=_("kantor"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=12, choices=SessionKind.choices)
    title = models.CharField(_("judul"), max_length=200)
    topic = models.TextField(_("pokok bahasan / pesan"), blank=True)
    rule = models.CharField(_("aturan pengulangan (RRULE)"), max_length=300)
    first_start = models.DateTimeField(_("mulai pertama"))
    duration_minutes = models.PositiveIntegerField(_("durasi (menit)"))
    until = models.DateField(_("berulang sampai"))
    venue = models.CharField(_("tempat"), max_length=255, blank=True)
    speakers = models.TextField(_("narasumber"), blank=True, help_text=_("Satu nama per baris."))
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penyelenggara"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rangkaian sosialisasi")
        verbose_name_plural = _("rangkaian sosialisasi")
        constraints = [
            models.CheckConstraint(name="series_duration_positive", condition=Q(duration_minutes__gt=0)),
        ]

    def __str__(self) -> str:
        return self.title


class OutreachSession(models.Model):
    code = models.UUIDField(_("kode"), default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(Office, verbose_name=_("kantor"), on_delete=models.PROTECT, related_name="outreach")
    series = models.ForeignKey(
        Series, verbose_name=_("rangkaian"), null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    occurrence_start = models.DateTimeField(
        _("jadwal asli dalam rangkaian"), null=True, blank=True, help_text=_("RECURRENCE-ID: tetap bila dipindah.")
    )
    moved = models.BooleanField(_("dipindah dari jadwal rangkaian"), default=False)
    kind = models.CharField(_("jenis"), max_length=12, choices=SessionKind.choices)
    title = models.CharField(_("judul"), max_length=200)
    topic = models.TextField(_("pokok bahasan / pesan"), blank=True)
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    venue = models.CharField(_("tempat"), max_length=255, blank=True)
    online_link = models.URLField(_("tautan daring"), blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penyelenggara"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    speakers = models.TextField(_("narasumber"), blank=True, help_text=_("Satu nama per baris."))
    expected_participants = models.PositiveIntegerField(_("perkiraan peserta"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    status_reason = models.CharField(_("alasan status"), max_length=255, blank=True)
    minutes = models.TextField(_("notulen"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kegiatan sosialisasi")
        verbose_name_plural = _("kegiatan sosialisasi")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                name="outreach_end_after_start",
                condition=Q(end__gt=F("start")),
                violation_error_message=_("Waktu selesai harus sesudah waktu mulai."),
            ),
            models.CheckConstraint(
                name="outreach_reason_when_postponed_or_cancelled",
                condition=~Q(status__in=[SessionStatus.POSTPONED, SessionStatus.CANCELLED]) | ~Q(status_reason=""),
            ),
            models.UniqueConstraint(
                fields=["series", "occurrence_start"],
                condition=Q(series__isnull=False),
                name="outreach_one_row_per_occurrence",
            ),
        ]
        indexes = [
            # calendar and feeds: an office's sessions in a time window
            models.Index(fields=["office", "start"], name="outreach_calendar_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:session", kwargs={"code": self.code})

    @property
    def speaker_names(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]


class Invitation(models.Model):
    session = models.ForeignKey(OutreachSession, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(Agency, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="+")
    official_name = models.CharField(_("pejabat yang diundang"), max_length=150, blank=True)
    official_email = models.EmailField(_("e-mail pejabat"), blank=True)

    class Meta:
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "agency", "official_email"], name="invitation_unique_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.official_name}".strip(": ")


class Attendance(models.Model):
    """People reached per agency at a held session, so coverage can be counted."""

    session = models.ForeignKey(OutreachSession, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(
        Agency, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="outreach_attendance"
    )
    people_reached = models.PositiveIntegerField(_("jumlah hadir"))
    asn_count = models.PositiveIntegerField(_("di antaranya ASN"), default=0)
    sign_in_sheet = models.FileField(_("daftar hadir"), upload_to="outreach/attendance/%Y/", blank=True)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(fields=["session", "agency"], name="attendance_one_row_per_agency"),
            models.CheckConstraint(
                name="attendance_asn_within_reached",
                condition=Q(asn_count__lte=F("people_reached")),
                violation_error_message=_("Jumlah ASN tidak boleh melebihi jumlah hadir."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.people_reached}"


class CalendarToken(models.Model):
    """A secret address for an iCalendar feed (per user or per agency), stored hashed, revocable."""

    token_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("keterangan"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token kalender")
        verbose_name_plural = _("token kalender")
        constraints = [
            models.CheckConstraint(
                name="calendartoken_user_or_agency",
                condition=(Q(user__isnull=False) & Q(agency__isnull=True))
                | (Q(user__isnull=True) & Q(agency__isnull=False)),
            )
        ]

    def __str__(self) -> str:
        return self.label or f"token {self.pk}"


class Material(models.Model):
    """A file of a session: the material presented, the photos, the sign-in sheet scans."""

    class Kind(models.TextChoices):
        MATERIAL = "materi", _("Materi")
        PHOTO = "foto", _("Foto kegiatan")
        OTHER = "lainnya", _("Lainnya")

    session = models.ForeignKey(OutreachSession, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices, default=Kind.MATERIAL)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    file = models.FileField(_("berkas"), upload_to="outreach/materials/%Y/", max_length=200)
    mime_type = models.CharField(_("jenis berkas"), max_length=100)
    size = models.PositiveBigIntegerField(_("ukuran"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("materi kegiatan")
        verbose_name_plural = _("materi kegiatan")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title or self.file.name


class FollowUpAction(models.Model):
    session = models.ForeignKey(OutreachSession, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.CharField(_("tindak lanjut"), max_length=255)
    owner = models.CharField(_("penanggung jawab"), max_length=150)
    due_on = models.DateField(_("batas waktu"))
    done_on = models.DateField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["due_on"], condition=Q(done_on__isnull=True), name="followup_open_due_idx")]

    def __str__(self) -> str:
        return self.description


class OutreachEvent(models.Model):
    """Append-only history and audit row of the outreach register, written by every outreach service in the
    same transaction as the change it records (as ``CaseEvent`` is for cases). The database refuses to
    update or delete a row (``AppendOnly``); a session with history is cancelled, never deleted.
    ``session`` is empty for changes that belong to no session (a calendar feed address)."""

    session = models.ForeignKey(OutreachSession, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("tindakan"), max_length=60)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    LABELS = {
        "session.created": _("Dijadwalkan"),
        "session.rescheduled": _("Jadwal dipindah"),
        "session.status": _("Status diubah"),
        "attendance.recorded": _("Kehadiran dicatat"),
        "official.invited": _("Pejabat diundang"),
        "material.added": _("Berkas diunggah"),
        "follow_up.added": _("Tindak lanjut dicatat"),
        "follow_up.done": _("Tindak lanjut selesai"),
        "token.created": _("Alamat kalender dibuat"),
        "token.revoked": _("Alamat kalender dicabut"),
    }

    class Meta:
        verbose_name = _("riwayat kegiatan")
        verbose_name_plural = _("riwayat kegiatan")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "created_at"], name="outreachevent_history_idx")]
        triggers = [AppendOnly()]

    def __str__(self) -> str:
        return f"{self.action} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        return self.LABELS.get(self.action, self.action)

    @property
    def detail(self) -> str:
        """The short text after the label on the session's history."""
        data = self.data
        if self.action == "session.status":
            status = dict(SessionStatus.choices).get(data.get("to_status"), data.get("to_status", ""))
            return f"{status} ({data['reason']})" if data.get("reason") else str(status)
        return data.get("agency") or data.get("title") or data.get("description") or ""
