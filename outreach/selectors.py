"""Reads of the outreach register, scoped to the caller; and coverage figures for the dashboard."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from netralitas.accounts.models import User
from netralitas.accounts.scope import region_filter
from netralitas.reference.models import Agency
from outreach.models import CalendarToken, OutreachSession, SessionStatus


def sessions_visible_to(user: User) -> QuerySet[OutreachSession]:
    """Sessions of the offices in the user's scope (pemkab officials included: they read the calendar)."""
    return OutreachSession.objects.filter(region_filter(user, "office__region__code"))


def sessions_between(queryset: QuerySet[OutreachSession], start: datetime, end: datetime):
    return (
        queryset.filter(start__lt=end, end__gt=start)
        .select_related("office", "organiser")
        .prefetch_related("invitations__agency")
        .order_by("start", "pk")
    )


def feed_sessions(token: CalendarToken, *, past_days: int = 3 * 365):
    """What a calendar feed shows: for a user's token the sessions in their scope, for an agency's token
    the sessions that agency is invited to; from ``past_days`` ago on (three years: the last election cycle)."""
    since = timezone.now() - timezone.timedelta(days=past_days)
    if token.agency_id:
        sessions = OutreachSession.objects.filter(invitations__agency_id=token.agency_id).distinct()
    else:
        sessions = sessions_visible_to(token.user)
    return (
        sessions.filter(end__gte=since)
        .select_related("office")
        .prefetch_related("invitations__agency")
        .order_by("start")
    )


def coverage_by_agency(regencies, *, start: datetime | None = None, end: datetime | None = None) -> list[Agency]:
    """Per agency of the given regencies: sessions held that it attended, people reached and ASN among them.
    One aggregate query, whatever the number of sessions."""
    held = Q(outreach_attendance__session__status=SessionStatus.HELD)
    if start is not None:
        held &= Q(outreach_attendance__session__start__gte=start)
    if end is not None:
        held &= Q(outreach_attendance__session__start__lt=end)
    return list(
        Agency.objects.filter(regency__in=regencies)
        .annotate(
            sessions_held=Count("outreach_attendance__session", filter=held, distinct=True),
            people_reached=Sum("outreach_attendance__people_reached", filter=held, default=0),
            asn_reached=Sum("outreach_attendance__asn_count", filter=held, default=0),
        )
        .order_by("name")
    )
