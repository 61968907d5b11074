"""Reads of the outbox: a user's inbox, and the outbox an admin may see (scoped by region)."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from netralitas.accounts.models import User
from netralitas.accounts.roles import OFFICE_ADMINS
from netralitas.accounts.scope import has_role, region_filter
from netralitas.notify.models import Channel, Notification, OptOut


def inbox_for(user: User) -> QuerySet[Notification]:
    # used by: notification_inbox_idx
    return Notification.objects.filter(recipient=user, channel=Channel.INBOX).order_by("-created_at", "-pk")


def inbox_page_rows(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    rows = inbox_for(user)
    return rows.filter(read_at__isnull=True) if unread_only else rows


def inbox_item(user: User, code) -> Notification:
    """One message of the user's inbox (404 for anyone else's)."""
    return get_object_or_404(inbox_for(user), code=code)


def unread_count(user: User) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


def may_see_outbox(user: User) -> bool:
    return user.is_superuser or has_role(user, OFFICE_ADMINS)


def outbox_visible_to(user: User) -> QuerySet[Notification]:
    """An office admin sees the messages about the offices of their region; a system operator sees all,
    among them the webhook events (they name no office: the API clients are national, managed by the system
    operators)."""
    rows = Notification.objects.all()
    if not user.is_superuser:
        rows = rows.filter(region_filter(user, "office__region__code", roles=OFFICE_ADMINS))
    return rows


def outbox_of(rows: QuerySet[Notification], *, channel: str = "", client_id: int | None = None):
    """The outbox narrowed to one channel (e.g. the webhook events: the delivery log of the API clients) and
    to one API client's events."""
    if channel:
        rows = rows.filter(channel=channel)
    if client_id:
        rows = rows.filter(api_client_id=client_id)
    return rows


def outbox_listed(rows: QuerySet[Notification], status: str = "") -> QuerySet[Notification]:
    """The outbox page's rows: those of one status when given, the newest first."""
    listed = rows.filter(status=status) if status else rows
    return listed.select_related("recipient", "office", "api_client").order_by("-created_at", "-pk")


def outbox_with_codes(rows: QuerySet[Notification], codes: list[str]) -> QuerySet[Notification]:
    return rows.filter(code__in=codes)


def status_counts(rows: QuerySet[Notification]) -> dict[str, int]:
    return dict(rows.order_by().values_list("status").annotate(n=Count("pk")))


def opted_out(user: User) -> set[tuple[str, str]]:
    return set(OptOut.objects.filter(user=user).values_list("category", "channel"))
