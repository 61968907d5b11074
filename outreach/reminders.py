"""Reminder sweeps of the outreach calendar, run by Celery beat.

- Sessions at H-7, H-1 (the last working day before; from ``REMINDER_HOUR``, local day) and two hours before
  the start: to the organiser and the invited officials. A session moved to another day is reminded again for
  its new day, and one moved to another hour gets its two-hours reminder for the new hour.
- Ceremonies (apel): on the last working day before, the talking points to the regency government's contacts
  (the office's ``pemkab`` members) and the invited officials, instead of the general reminders.
- Minutes not uploaded two days after a session ended: to the organiser.

Each sweep costs a fixed number of queries whatever the number of sessions. Never imports ``cases``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from netralitas.accounts.models import Role
from netralitas.accounts.selectors import members_by_office
from netralitas.notify.services import Message, run_sweep
from netralitas.reference.calendar import ManyRegionsCalendar
from outreach.models import Invitation, OutreachSession, SessionKind, SessionStatus

ACTIVE = (SessionStatus.PLANNED, SessionStatus.CONFIRMED)
MINUTES_AFTER = timedelta(days=2)
MINUTES_LOOKBACK = timedelta(days=30)  # older sessions without minutes are the office's business, not a reminder's
SOON = timedelta(hours=2)


def _context(session: OutreachSession) -> dict:
    start, end = timezone.localtime(session.start), timezone.localtime(session.end)
    return {
        "title": session.title,
        "kind": session.get_kind_display(),
        "topic": session.topic,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "venue": session.venue,
        "online_link": session.online_link,
        "office": session.office.name,
    }


def upcoming_messages(now: datetime | None = None) -> tuple[int, list[Message]]:
    now = now or timezone.now()
    local = timezone.localtime(now)
    today, after_hour = local.date(), local.hour >= settings.REMINDER_HOUR
    sessions = list(
        OutreachSession.objects.filter(status__in=ACTIVE, start__gt=now, start__lte=now + timedelta(days=8))
        .select_related("office__region")
        .prefetch_related(Prefetch("invitations", queryset=Invitation.objects.exclude(official_email="")))
    )
    if not sessions:
        return 0, []
    members = members_by_office((s.office_id for s in sessions), [Role.PEMKAB, Role.KOORDINATOR])
    calendar = ManyRegionsCalendar(today, today + timedelta(days=8))
    messages = []
    for session in sessions:
        start_day = timezone.localtime(session.start).date()
        days_until = (start_day - today).days
        officials = [i.official_email for i in session.invitations.all()]
        organiser = [session.organiser_id] if session.organiser_id else members[session.office_id][Role.KOORDINATOR]
        is_ceremony = session.kind == SessionKind.CEREMONY
        context = {**_context(session), "days_until": days_until}

        def message(when, template, users, emails, moment, session=session, context=context):
            # Day reminders are keyed by the session's day (moved within the day: not again), the last one
            # by its exact start (moved by an hour: told again).
            return Message(
                template=template,
                key=f"outreach:{session.pk}:{moment}:{when}",
                context={**context, "when": when},
                users=users,
                emails=emails,
                url=reverse("outreach:session", args=[session.code]),
                office_id=session.office_id,
            )

        if session.start - now <= SOON:
            messages.append(
                message(
                    "h2h", "outreach_upcoming", organiser, [] if is_ceremony else officials, session.start.isoformat()
                )
            )
        elif (
            after_hour
            and days_until >= 1
            and not calendar.working_day_between(today, start_day, session.office.region.code)
        ):
            # H-1: the last working day before the session (Friday for a Monday ceremony).
            day = start_day.isoformat()
            messages.append(message("h1", "outreach_upcoming", organiser, [] if is_ceremony else officials, day))
            if is_ceremony:
                pemkab = members[session.office_id][Role.PEMKAB]
                messages.append(message("apel", "ceremony_talking_points", pemkab, officials, day))
        elif after_hour and days_until == 7 and not is_ceremony:
            # H-7, for sessions planned at least a week ahead (a weekly ceremony gets its H-1 only).
            messages.append(message("h7", "outreach_upcoming", organiser, officials, start_day.isoformat()))
    return len(sessions), messages


def minutes_messages(now: datetime | None = None) -> tuple[int, list[Message]]:
    now = now or timezone.now()
    if timezone.localtime(now).hour < settings.REMINDER_HOUR:
        return 0, []
    sessions = list(
        OutreachSession.objects.filter(
            status__in=(*ACTIVE, SessionStatus.HELD),
            minutes="",
            end__lte=now - MINUTES_AFTER,
            end__gt=now - MINUTES_LOOKBACK,
        ).select_related("office")
    )
    if not sessions:
        return 0, []
    members = members_by_office((s.office_id for s in sessions), [Role.KOORDINATOR])
    messages = [
        Message(
            template="outreach_minutes_missing",
            key=f"outreach:{s.pk}:minutes",
            context=_context(s),
            users=[s.organiser_id] if s.organiser_id else members[s.office_id][Role.KOORDINATOR],
            url=reverse("outreach:session", args=[s.code]),
            office_id=s.office_id,
        )
        for s in sessions
    ]
    return len(sessions), messages


def sweep_upcoming(*, now: datetime | None = None) -> dict:
    return run_sweep(upcoming_messages, now)


def sweep_minutes(*, now: datetime | None = None) -> dict:
    return run_sweep(minutes_messages, now)
