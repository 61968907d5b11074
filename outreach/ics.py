"""The iCalendar (RFC 5545) feed of outreach sessions, with the icalendar package."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from outreach.models import SessionStatus


def feed(sessions, *, name: str, domain: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Netralitas//Sosialisasi//ID")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for session in sessions:
        event = Event()
        event.add("uid", f"{session.code}@{domain}")
        event.add("dtstamp", session.updated_at)
        event.add("dtstart", timezone.localtime(session.start))
        event.add("dtend", timezone.localtime(session.end))
        event.add("summary", session.title)
        location = session.venue or session.online_link
        if location:
            event.add("location", location)
        lines = [session.topic] if session.topic else []
        invited = [str(invitation.agency) for invitation in session.invitations.all()]
        if invited:
            lines.append("Undangan: " + ", ".join(sorted(set(invited))))
        if session.online_link:
            lines.append(session.online_link)
        if lines:
            event.add("description", "\n".join(lines))
        event.add(
            "status",
            "CANCELLED"
            if session.status == SessionStatus.CANCELLED
            else ("CONFIRMED" if session.status in (SessionStatus.CONFIRMED, SessionStatus.HELD) else "TENTATIVE"),
        )
        if session.series_id and session.occurrence_start:
            event.add("recurrence-id", timezone.localtime(session.occurrence_start))
        calendar.add_component(event)
    return calendar.to_ical()
