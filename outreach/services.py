"""Every write of the outreach register: sessions, recurring series and their occurrences, attendance, and
calendar feed tokens. Conflicts (same venue or speaker at overlapping times) are warnings, not refusals."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.rrule import rrulestr
from django.core.files.base import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.accounts.models import User
from netralitas.accounts.roles import ORGANISERS
from netralitas.accounts.scope import holds_role_for
from netralitas.files import RefusedFile, check_upload, generated_name, shown_name
from netralitas.reference.models import Agency, Office
from outreach.models import (
    Attendance,
    CalendarToken,
    FollowUpAction,
    Invitation,
    Material,
    OutreachSession,
    Series,
    SessionStatus,
)

MAX_OCCURRENCES = 400  # a weekly series over about eight years: more is a mistake in the rule


class OutreachError(Exception):
    """A rule refused the change; the message is for the user, in Indonesian."""


def may_organise(user: User, office: Office) -> bool:
    return holds_role_for(user, office, ORGANISERS)


def _require(user: User, office: Office) -> None:
    if not may_organise(user, office):
        raise OutreachError(_("Peran Anda tidak mengizinkan mengatur kegiatan kantor ini."))


def _check_times(start: datetime, end: datetime) -> None:
    if end <= start:
        raise OutreachError(_("Waktu selesai harus sesudah waktu mulai."))


# --- Sessions ------------------------------------------------------------------------------------------

SESSION_FIELDS = ("kind", "title", "topic", "venue", "online_link", "organiser", "speakers", "expected_participants")


@transaction.atomic
def session_create(
    *, office: Office, actor: User, start: datetime, end: datetime, agencies=(), officials=(), **fields
) -> OutreachSession:
    _require(actor, office)
    _check_times(start, end)
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    session = OutreachSession.objects.create(office=office, start=start, end=end, created_by=actor, **fields)
    _invite(session, agencies, officials)
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
    session = OutreachSession.objects.select_for_update().select_related("office__region").get(pk=session.pk)
    _require(actor, session.office)
    _check_times(start, end)
    session.start, session.end = start, end
    session.moved = session.series_id is not None and start != session.occurrence_start
    session.save(update_fields=["start", "end", "moved", "updated_at"])
    return session


@transaction.atomic
def session_set_status(*, session: OutreachSession, actor: User, status: str, reason: str = "", minutes: str = ""):
    session = OutreachSession.objects.select_for_update().select_related("office__region").get(pk=session.pk)
    _require(actor, session.office)
    if status in (SessionStatus.POSTPONED, SessionStatus.CANCELLED) and not reason.strip():
        raise OutreachError(_("Isi alasan penundaan atau pembatalan."))
    if status == SessionStatus.HELD and session.start > timezone.now():
        raise OutreachError(_("Kegiatan yang belum dimulai belum dapat dicatat terlaksana."))
    session.status, session.status_reason = status, reason.strip()
    if minutes:
        session.minutes = minutes
    session.save(update_fields=["status", "status_reason", "minutes", "updated_at"])
    return session


@transaction.atomic
def attendance_record(
    *, session: OutreachSession, actor: User, agency: Agency, people_reached: int, asn_count: int = 0
) -> Attendance:
    session = OutreachSession.objects.select_related("office__region").get(pk=session.pk)
    _require(actor, session.office)
    if session.status != SessionStatus.HELD:
        raise OutreachError(_("Kehadiran dicatat untuk kegiatan yang sudah terlaksana."))
    if asn_count > people_reached:
        raise OutreachError(_("Jumlah ASN tidak boleh melebihi jumlah hadir."))
    attendance, _created = Attendance.objects.update_or_create(
        session=session, agency=agency, defaults={"people_reached": people_reached, "asn_count": asn_count}
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
    until,
    agencies=(),
    **fields,
) -> Series:
    """A recurring session, with each occurrence stored as its own session row."""
    _require(actor, office)
    if duration_minutes <= 0:
        raise OutreachError(_("Durasi harus lebih dari 0 menit."))
    starts = expand(rule, first_start, until)
    if not starts:
        raise OutreachError(_("Aturan ini tidak menghasilkan satu kegiatan pun sebelum tanggal akhirnya."))
    series = Series.objects.create(
        office=office,
        kind=kind,
        title=title,
        rule=rule,
        first_start=first_start,
        duration_minutes=duration_minutes,
        until=until,
        organiser=actor,
        **{k: v for k, v in fields.items() if k in ("topic", "venue", "speakers")},
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
            **{k: v for k, v in fields.items() if k in ("topic", "venue", "speakers")},
        )
        for start in starts
    )
    for session in sessions:
        _invite(session, agencies, ())
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
    CalendarToken.objects.create(
        token_hash=hash_token(token), user=None if agency else actor, agency=agency, label=label
    )
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
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


# --- Invitations, materials, follow-up -----------------------------------------------------------------


@transaction.atomic
def official_invite(*, session: OutreachSession, actor: User, agency: Agency, name: str, email: str) -> Invitation:
    """Invite a named official of an agency (the reminders go to this e-mail)."""
    session = OutreachSession.objects.select_related("office__region").get(pk=session.pk)
    _require(actor, session.office)
    invitation, _created = Invitation.objects.update_or_create(
        session=session, agency=agency, official_email=email.strip().lower(), defaults={"official_name": name.strip()}
    )
    return invitation


@transaction.atomic
def material_add(*, session: OutreachSession, actor: User, upload: File, kind: str, title: str = "") -> Material:
    """A material, photo or scan: type read from the content and limited as evidence files are."""
    session = OutreachSession.objects.select_related("office__region").get(pk=session.pk)
    _require(actor, session.office)
    try:
        mime_type = check_upload(upload)
    except RefusedFile as refused:
        raise OutreachError(str(refused)) from None
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
    return material


@transaction.atomic
def follow_up_add(*, session: OutreachSession, actor: User, description: str, owner: str, due_on) -> FollowUpAction:
    session = OutreachSession.objects.select_related("office__region").get(pk=session.pk)
    _require(actor, session.office)
    return FollowUpAction.objects.create(session=session, description=description, owner=owner, due_on=due_on)


@transaction.atomic
def follow_up_done(*, action: FollowUpAction, actor: User, done_on) -> FollowUpAction:
    _require(actor, OutreachSession.objects.select_related("office__region").get(pk=action.session_id).office)
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    return action
