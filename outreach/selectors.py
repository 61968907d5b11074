"""Reads of the outreach register, scoped to the caller; and coverage figures for the dashboard."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from netralitas.accounts.models import User
from netralitas.accounts.roles import ORGANISERS
from netralitas.accounts.scope import offices_visible_to, region_filter, regions_visible_to
from netralitas.reference.models import Agency, Office, Region
from outreach.models import (
    CalendarToken,
    FollowUpAction,
    Material,
    OutreachEvent,
    OutreachSession,
    Series,
    SessionKind,
    SessionStatus,
)

HISTORY_ROWS = 10  # the history shown on a session's page: the latest changes


def sessions_visible_to(user: User) -> QuerySet[OutreachSession]:
    """Sessions of the offices in the user's scope (pemkab officials included: they read the calendar)."""
    return OutreachSession.objects.filter(region_filter(user, "office__region__code"))


def agencies_visible_to(user: User) -> QuerySet[Agency]:
    """The active agencies (OPD) of the regencies in the user's scope: what may be invited, or filtered on."""
    regencies = regions_visible_to(user).filter(level=Region.Level.REGENCY)
    return Agency.objects.filter(regency__in=regencies, is_active=True).order_by("name")


def agency_visible_to(user: User, pk) -> Agency:
    return get_object_or_404(agencies_visible_to(user), pk=pk)


def own_office(user: User) -> Office | None:
    """The office a user organises sessions for: the first where they are a supervisor or coordinator."""
    return (
        offices_visible_to(user, roles=ORGANISERS)
        .filter(memberships__user=user, memberships__role__in=ORGANISERS)
        .distinct()
        .first()
    )


def calendar_sessions(user: User, *, kind: str = "", agency_id: int | None = None) -> QuerySet[OutreachSession]:
    """The calendar's sessions: the user's scope, optionally of one kind or with one agency invited."""
    sessions = sessions_visible_to(user)
    if kind in SessionKind.values:
        sessions = sessions.filter(kind=kind)
    if agency_id is not None:
        sessions = sessions.filter(invitations__agency_id=agency_id).distinct()
    return sessions


def series_summary(series: Series) -> tuple[int, datetime | None]:
    """How many sessions a series holds and when the first starts (one query)."""
    figures = series.sessions.aggregate(count=Count("pk"), first=Min("start"))
    return figures["count"], figures["first"]


def session_detail(user: User, code) -> OutreachSession:
    """A session of the user's scope with what its page shows (404 otherwise)."""
    return get_object_or_404(
        sessions_visible_to(user)
        .select_related("office__region", "series", "organiser")
        .prefetch_related("invitations__agency", "attendance__agency", "materials", "follow_ups"),
        code=code,
    )


def session_history(session: OutreachSession, *, limit: int = HISTORY_ROWS) -> list[OutreachEvent]:
    """The latest changes of a session, newest first (one query)."""
    return list(session.events.select_related("actor").order_by("-created_at", "-pk")[:limit])


def follow_up_of(session: OutreachSession, pk: str) -> FollowUpAction:
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(FollowUpAction.objects.filter(session=session), pk=pk)


def material_for(user: User, code, material_id) -> Material:
    """A material of a session the user may see (404 otherwise)."""
    return get_object_or_404(
        Material.objects.filter(session__in=sessions_visible_to(user), session__code=code), pk=material_id
    )


def feed_tokens(user: User, *, with_agencies: bool) -> tuple[QuerySet[CalendarToken], QuerySet[CalendarToken]]:
    """The user's own feed addresses, and (for organisers) those of the agencies in their scope."""
    own = CalendarToken.objects.filter(user=user).order_by("-created_at")
    agencies = (
        CalendarToken.objects.filter(agency__in=agencies_visible_to(user))
        .select_related("agency")
        .order_by("-created_at")
        if with_agencies
        else CalendarToken.objects.none()
    )
    return own, agencies


def revocable_token(user: User, pk, *, with_agencies: bool) -> CalendarToken:
    """A feed address the user may revoke: their own, or (organisers) an agency's of their scope."""
    tokens = CalendarToken.objects.filter(user=user)
    if with_agencies:
        tokens = tokens | CalendarToken.objects.filter(agency__in=agencies_visible_to(user))
    return get_object_or_404(tokens, pk=pk)


def active_token(token_hash: str) -> CalendarToken | None:
    """The live token behind a feed address (none when revoked, or when its user was deactivated)."""
    record = (
        CalendarToken.objects.filter(token_hash=token_hash, revoked_at__isnull=True)
        .select_related("user", "agency")
        .first()
    )
    if record is None or (record.user_id and not record.user.is_active):
        return None
    return record


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
