"""Reminder sweeps of the outreach calendar, run by Celery beat.

- Sessions at H-7, H-1 (from ``REMINDER_HOUR``, local day) and two hours before the start: to the organiser
  and the invited officials. A moved session is reminded again for its new time (the time is in the key).
- Ceremonies (apel): the day before, the talking points to the regency government's contacts (the office's
  ``pemkab`` members) and the invited officials, instead of the general reminders.
- Minutes not uploaded two days after a session ended: to the organiser.

Each sweep costs a fixed number of queries whatever the number of sessions. Never imports ``cases``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from netralitas.accounts.models import Membership, Role
from netralitas.notify.services import Message, run_sweep
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


def _members(office_ids, roles) -> dict[int, dict[str, list[int]]]:
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    rows = Membership.objects.filter(office_id__in=set(office_ids), role__in=roles, user__is_active=True).values_list(
        "office_id", "role", "user_id"
    )
    for office_id, role, user_id in rows:
        found[office_id][role].append(user_id)
    return found


def upcoming_messages(now: datetime | None = None) -> tuple[int, list[Message]]:
    now = now or timezone.now()
    local = timezone.localtime(now)
    today, after_hour = local.date(), local.hour >= settings.REMINDER_HOUR
    # used by: outreach_calendar_idx is per office; this window over all offices reads start directly
    sessions = list(
        OutreachSession.objects.filter(status__in=ACTIVE, start__gt=now, start__lte=now + timedelta(days=8))
        .select_related("office")
        .prefetch_related(Prefetch("invitations", queryset=Invitation.objects.exclude(official_email="")))
    )
    if not sessions:
        return 0, []
    members = _members((s.office_id for s in sessions), [Role.PEMKAB, Role.KOORDINATOR])
    messages = []
    for session in sessions:
        start_day = timezone.localtime(session.start).date()
        days_until = (start_day - today).days
        officials = [i.official_email for i in session.invitations.all()]
        organiser = [session.organiser_id] if session.organiser_id else members[session.office_id][Role.KOORDINATOR]
        base = f"outreach:{session.pk}:{session.start.isoformat()}"
        url = reverse("outreach:session", args=[session.code])
        context = _context(session)
        is_ceremony = session.kind == SessionKind.CEREMONY

        def add(when, template, users, emails, _base=base, _url=url, _context=context, _session=session):
            messages.append(
                Message(
                    template=template,
                    key=f"{_base}:{when}",
                    context={**_context, "when": when},
                    users=users,
                    emails=emails,
                    url=_url,
                    office_id=_session.office_id,
                )
            )

        if session.start - now <= SOON:
            add("h2h", "outreach_upcoming", organiser, [] if is_ceremony else officials)
        elif after_hour and days_until == 1:
            add("h1", "outreach_upcoming", organiser, [] if is_ceremony else officials)
            if is_ceremony:
                add("apel", "ceremony_talking_points", members[session.office_id][Role.PEMKAB], officials)
        elif (
            after_hour
            and not is_ceremony
            and 2 <= days_until <= 7
            and timezone.localtime(session.created_at).date() <= start_day - timedelta(days=7)
        ):
            # H-7 only for sessions planned at least a week ahead: one planned for the day after tomorrow
            # gets its H-1 reminder, not a late "in a week".
            add("h7", "outreach_upcoming", organiser, officials)
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
    members = _members((s.office_id for s in sessions), [Role.KOORDINATOR])
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
