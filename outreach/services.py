"""Every write of the outreach register: sessions, recurring series and their occurrences, attendance, and
calendar feed tokens. Conflicts (same venue or speaker at overlapping times) are warnings, not refusals.

Each service checks the role, validates its own input (the forms show the same rules beside their fields),
and writes an ``OutreachEvent`` in the same transaction: the session's history and the register's audit."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.accounts.models import User
from netralitas.accounts.roles import ORGANISERS
from netralitas.accounts.scope import holds_role_for
from netralitas.errors import ServiceError
from netralitas.files import RefusedFile, check_upload, generated_name, shown_name
from netralitas.reference.models import Agency, Office
from outreach.models import (
    Attendance,
    CalendarToken,
    FollowUpAction,
    Invitation,
    Material,
    OutreachEvent,
    OutreachSession,
    Series,
    SessionKind,
    SessionStatus,
)

MAX_OCCURRENCES = 400  # a weekly series over about eight years: more is a mistake in the rule
MIN_DURATION_MINUTES, MAX_DURATION_MINUTES = 5, 600  # a series' occurrences: five minutes to ten hours


class OutreachError(ServiceError):
    """A rule refused the change; the message is for the user, in Indonesian."""


class MaterialRefused(OutreachError):
    field = "upload"


def may_organise(user: User, office: Office) -> bool:
    return holds_role_for(user, office, ORGANISERS)


def _require(user: User, office: Office) -> None:
    if not may_organise(user, office):
        raise OutreachError(_("Peran Anda tidak mengizinkan mengatur kegiatan kantor ini."))


def _check_times(start: datetime, end: datetime) -> None:
    if end <= start:
        raise OutreachError(_("Waktu selesai harus sesudah waktu mulai."))


def _check_kind(kind: str) -> None:
    if kind not in SessionKind.values:
        raise OutreachError(_("Pilih jenis kegiatan dari daftar."))


def _check_title(title: str) -> None:
    if not title.strip():
        raise OutreachError(_("Isi judul kegiatan."))


def _check_agencies(office: Office, agencies) -> None:
    """Invited or attending agencies are those of the office's regions."""
    code = office.region.code
    for agency in agencies:
        regency = agency.regency.code
        if regency != code and not regency.startswith(f"{code}.") and not code.startswith(f"{regency}."):
            raise OutreachError(_("%(agency)s bukan OPD di wilayah kantor ini.") % {"agency": agency})


def _record(session: OutreachSession | None, actor: User | None, action: str, **data) -> OutreachEvent:
    return OutreachEvent.objects.create(session=session, actor=actor, action=action, data=data)


def _session_for_change(session_id: int, actor: User) -> OutreachSession:
    """The session row, locked for this transaction (changes of one session are taken one after the other),
    once ``actor`` is found to organise for its office."""
    session = (
        OutreachSession.objects.select_for_update(of=("self",)).select_related("office__region").get(pk=session_id)
    )
    _require(actor, session.office)
    return session


# --- Sessions ------------------------------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    office: Office,
    actor: User,
    kind: str,
    title: str,
    start: datetime,
    end: datetime,
    topic: str = "",
    venue: str = "",
    online_link: str = "",
    organiser: User | None = None,
    speakers: str = "",
    expected_participants: int | None = None,
    agencies: Iterable[Agency] = (),
    officials: Iterable[tuple[Agency, str, str]] = (),
) -> OutreachSession:
    _require(actor, office)
    _check_kind(kind)
    _check_title(title)
    _check_times(start, end)
    if expected_participants is not None and expected_participants < 0:
        raise OutreachError(_("Perkiraan peserta tidak boleh kurang dari 0."))
    agencies, officials = list(agencies), list(officials)
    _check_agencies(office, [*agencies, *(agency for agency, _name, _email in officials)])
    session = OutreachSession.objects.create(
        office=office,
        created_by=actor,
        kind=kind,
        title=title,
        start=start,
        end=end,
        topic=topic,
        venue=venue,
        online_link=online_link,
        organiser=organiser,
        speakers=speakers,
        expected_participants=expected_participants,
    )
    _invite(session, agencies, officials)
    _record(
        session,
        actor,
        "session.created",
        kind=kind,
        title=title,
        start=start.isoformat(),
        end=end.isoformat(),
        agencies=[a.pk for a in agencies],
    )
    return session


def _invite(session: OutreachSession, agencies, officials) -> None:
    """Invite agencies (OPD); ``officials`` are (agency, name, e-mail) for named officials."""
    rows = {(a.pk, ""): Invitation(session=session, agency=a) for a in agencies}
    for agency, name, email in officials:
        rows[(agency.pk, email)] = Invitation(session=session, agency=agency, official_name=name, official_email=email)
    Invitation.objects.bulk_create(rows.values(), ignore_conflicts=True)


@transaction.atomic
def session_reschedule(*, session: OutreachSession, actor: User, start: datetime, end: datetime) -> OutreachSession:
    """Move a session (one occurrence of a series moves alone; the series is untouched)."""
    session = _session_for_change(session.pk, actor)
    _check_times(start, end)
    before = [session.start.isoformat(), session.end.isoformat()]
    session.start, session.end = start, end
    session.moved = session.series_id is not None and start != session.occurrence_start
    session.save(update_fields=["start", "end", "moved", "updated_at"])
    _record(session, actor, "session.rescheduled", before=before, after=[start.isoformat(), end.isoformat()])
    return session


@transaction.atomic
def session_set_status(
    *, session: OutreachSession, actor: User, status: str, reason: str = "", minutes: str = ""
) -> OutreachSession:
    session = _session_for_change(session.pk, actor)
    if status not in SessionStatus.values:
        raise OutreachError(_("Pilih status dari daftar."))
    if status in (SessionStatus.POSTPONED, SessionStatus.CANCELLED) and not reason.strip():
        raise OutreachError(_("Isi alasan penundaan atau pembatalan."))
    if status == SessionStatus.HELD and session.start > timezone.now():
        raise OutreachError(_("Kegiatan yang belum dimulai belum dapat dicatat terlaksana."))
    from_status = session.status
    session.status, session.status_reason = status, reason.strip()
    if minutes:
        session.minutes = minutes
    session.save(update_fields=["status", "status_reason", "minutes", "updated_at"])
    _record(
        session,
        actor,
        "session.status",
        from_status=from_status,
        to_status=status,
        reason=session.status_reason,
        minutes=bool(minutes),
    )
    return session


@transaction.atomic
def attendance_record(
    *, session: OutreachSession, actor: User, agency: Agency, people_reached: int, asn_count: int = 0
) -> Attendance:
    session = _session_for_change(session.pk, actor)
    if session.status != SessionStatus.HELD:
        raise OutreachError(_("Kehadiran dicatat untuk kegiatan yang sudah terlaksana."))
    if people_reached < 0 or asn_count < 0:
        raise OutreachError(_("Jumlah hadir dan jumlah ASN tidak boleh kurang dari 0."))
    if asn_count > people_reached:
        raise OutreachError(_("Jumlah ASN tidak boleh melebihi jumlah hadir."))
    _check_agencies(session.office, [agency])
    attendance, _created = Attendance.objects.update_or_create(
        session=session, agency=agency, defaults={"people_reached": people_reached, "asn_count": asn_count}
    )
    _record(
        session, actor, "attendance.recorded", agency=agency.name, people_reached=people_reached, asn_count=asn_count
    )
    return attendance


# --- Series --------------------------------------------------------------------------------------------


def expand(rule: str, first_start: datetime, until_day) -> list[datetime]:
    """The start of every occurrence of an RFC 5545 rule from ``first_start`` up to the end of ``until_day``,
    in the first start's time zone (Asia/Jakarta)."""
    tz = first_start.tzinfo
    local_first = timezone.localtime(first_start)
    try:
        recurrence = rrulestr(rule, dtstart=local_first.replace(tzinfo=None))
    except (ValueError, TypeError) as exc:
        raise OutreachError(_("Aturan pengulangan tidak dikenali (%(error)s).") % {"error": exc}) from None
    limit = datetime.combine(until_day, datetime.max.time())
    starts = []
    for naive in recurrence:
        if naive > limit:
            break
        starts.append(timezone.make_aware(naive, timezone.get_current_timezone()) if tz else naive)
        if len(starts) > MAX_OCCURRENCES:
            raise OutreachError(_("Aturan ini menghasilkan terlalu banyak kegiatan; periksa tanggal akhirnya."))
    return starts


@transaction.atomic
def series_create(
    *,
    office: Office,
    actor: User,
    kind: str,
    title: str,
    rule: str,
    first_start: datetime,
    duration_minutes: int,
    until: date,
    topic: str = "",
    venue: str = "",
    speakers: str = "",
    agencies: Iterable[Agency] = (),
) -> Series:
    """A recurring session, with each occurrence stored as its own session row."""
    _require(actor, office)
    _check_kind(kind)
    _check_title(title)
    if not MIN_DURATION_MINUTES <= duration_minutes <= MAX_DURATION_MINUTES:
        raise OutreachError(
            _("Durasi harus antara %(min)d dan %(max)d menit.")
            % {"min": MIN_DURATION_MINUTES, "max": MAX_DURATION_MINUTES}
        )
    if until < timezone.localdate(first_start):
        raise OutreachError(_("Tanggal akhir harus sesudah mulai pertama."))
    agencies = list(agencies)
    _check_agencies(office, agencies)
    starts = expand(rule, first_start, until)
    if not starts:
        raise OutreachError(_("Aturan ini tidak menghasilkan satu kegiatan pun sebelum tanggal akhirnya."))
    described = {"topic": topic, "venue": venue, "speakers": speakers}
    series = Series.objects.create(
        office=office,
        kind=kind,
        title=title,
        rule=rule,
        first_start=first_start,
        duration_minutes=duration_minutes,
        until=until,
        organiser=actor,
        **described,
    )
    duration = timedelta(minutes=duration_minutes)
    sessions = OutreachSession.objects.bulk_create(
        OutreachSession(
            office=office,
            series=series,
            occurrence_start=start,
            kind=kind,
            title=title,
            start=start,
            end=start + duration,
            created_by=actor,
            organiser=actor,
            **described,
        )
        for start in starts
    )
    for session in sessions:
        _invite(session, agencies, ())
    OutreachEvent.objects.bulk_create(
        OutreachEvent(
            session=session,
            actor=actor,
            action="session.created",
            data={
                "kind": kind,
                "title": title,
                "start": session.start.isoformat(),
                "end": session.end.isoformat(),
                "agencies": [a.pk for a in agencies],
                "series": series.pk,
                "rule": rule,
            },
        )
        for session in sessions
    )
    return series


# --- Conflicts -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    session: OutreachSession
    reason: str


def conflicts_for(*, office: Office, start: datetime, end: datetime, venue: str, speakers: list[str], exclude=None):
    """Other sessions at overlapping times in the same venue or with a shared speaker (one query)."""
    overlapping = OutreachSession.objects.filter(start__lt=end, end__gt=start).exclude(status=SessionStatus.CANCELLED)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    condition = Q(pk__in=[])
    if venue.strip():
        condition |= Q(venue__iexact=venue.strip())
    for name in speakers:
        condition |= Q(speakers__icontains=name)
    found = []
    wanted = {s.lower() for s in speakers}
    for other in overlapping.filter(condition).select_related("office"):
        if venue.strip() and other.venue.strip().lower() == venue.strip().lower():
            found.append(Conflict(other, _("tempat yang sama: %(venue)s") % {"venue": other.venue}))
        shared = wanted & {s.lower() for s in other.speaker_names}
        if shared:
            found.append(Conflict(other, _("narasumber yang sama: %(names)s") % {"names": ", ".join(sorted(shared))}))
    return found


# --- Calendar tokens -----------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: User, agency: Agency | None = None, label: str = "") -> str:
    """A new secret feed address; the token itself is returned once and only its hash is kept."""
    token = secrets.token_urlsafe(32)
    record = CalendarToken.objects.create(
        token_hash=hash_token(token), user=None if agency else actor, agency=agency, label=label.strip()[:120]
    )
    _record(None, actor, "token.created", token=record.pk, agency=agency.pk if agency else None, label=record.label)
    return token


@transaction.atomic
def token_revoke(*, token: CalendarToken, actor: User) -> None:
    if token.agency_id is not None:
        office = Office.objects.filter(region=token.agency.regency).select_related("region").first()
        if office is None:
            raise OutreachError(_("Kantor untuk OPD ini tidak ditemukan."))
        _require(actor, office)
    elif token.user_id != actor.pk and not actor.is_superuser:
        raise OutreachError(_("Token ini bukan milik Anda."))
    if token.revoked_at is not None:
        raise OutreachError(_("Alamat kalender ini sudah dicabut."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _record(None, actor, "token.revoked", token=token.pk, agency=token.agency_id, label=token.label)


# --- Invitations, materials, follow-up -----------------------------------------------------------------


@transaction.atomic
def official_invite(*, session: OutreachSession, actor: User, agency: Agency, name: str, email: str) -> Invitation:
    """Invite a named official of an agency (the reminders go to this e-mail)."""
    session = _session_for_change(session.pk, actor)
    _check_agencies(session.office, [agency])
    name, email = name.strip(), email.strip().lower()
    if not name or not email:
        raise OutreachError(_("Isi nama dan e-mail pejabat."))
    try:
        validate_email(email)
    except ValidationError:
        raise OutreachError(_("Alamat e-mail tidak valid.")) from None
    invitation, _created = Invitation.objects.update_or_create(
        session=session, agency=agency, official_email=email, defaults={"official_name": name}
    )
    _record(session, actor, "official.invited", agency=agency.name, name=name, email=email)
    return invitation


@transaction.atomic
def material_add(*, session: OutreachSession, actor: User, upload: File, kind: str, title: str = "") -> Material:
    """A material, photo or scan: type read from the content and limited as evidence files are."""
    session = _session_for_change(session.pk, actor)
    if kind not in Material.Kind.values:
        raise OutreachError(_("Pilih jenis berkas dari daftar."))
    try:
        mime_type = check_upload(upload)
    except RefusedFile as refused:
        raise MaterialRefused(str(refused)) from None
    material = Material(
        session=session,
        kind=kind,
        title=title or shown_name(upload.name, limit=200),
        mime_type=mime_type,
        size=upload.size,
        uploaded_by=actor,
    )
    # stored under a generated name: the client's name is text to show (the title), never a path
    material.file.save(generated_name(mime_type), upload, save=False)
    material.save()
    _record(session, actor, "material.added", kind=kind, title=material.title, mime_type=mime_type, size=material.size)
    return material


@transaction.atomic
def follow_up_add(
    *, session: OutreachSession, actor: User, description: str, owner: str, due_on: date
) -> FollowUpAction:
    session = _session_for_change(session.pk, actor)
    description, owner = description.strip(), owner.strip()
    if not description or not owner:
        raise OutreachError(_("Isi tindak lanjut dan penanggung jawabnya."))
    if due_on < timezone.localdate(session.start):
        raise OutreachError(_("Batas waktu tindak lanjut tidak boleh sebelum kegiatan."))
    action = FollowUpAction.objects.create(session=session, description=description, owner=owner, due_on=due_on)
    _record(session, actor, "follow_up.added", description=description, owner=owner, due_on=due_on.isoformat())
    return action


@transaction.atomic
def follow_up_done(*, action: FollowUpAction, actor: User, done_on: date) -> FollowUpAction:
    session = _session_for_change(action.session_id, actor)
    if done_on > timezone.localdate():
        raise OutreachError(_("Tanggal selesai tidak boleh di masa depan."))
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    _record(session, actor, "follow_up.done", description=action.description, done_on=done_on.isoformat())
    return action
