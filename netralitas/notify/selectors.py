"""Reads of the outbox: a user's inbox, and the outbox an admin may see (scoped by region)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from netralitas.accounts.models import User
from netralitas.accounts.roles import OFFICE_ADMINS
from netralitas.accounts.scope import has_role, region_filter
from netralitas.notify.models import Channel, Notification, OptOut


def inbox_for(user: User) -> QuerySet[Notification]:
    # used by: notification_inbox_idx
    return Notification.objects.filter(recipient=user, channel=Channel.INBOX).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


def may_see_outbox(user: User) -> bool:
    return user.is_superuser or has_role(user, OFFICE_ADMINS)


def outbox_visible_to(user: User) -> QuerySet[Notification]:
    """An office admin sees the messages about the offices of their region; a system operator sees all."""
    rows = Notification.objects.all()
    if not user.is_superuser:
        rows = rows.filter(region_filter(user, "office__region__code", roles=OFFICE_ADMINS))
    return rows


def status_counts(rows: QuerySet[Notification]) -> dict[str, int]:
    return dict(rows.order_by().values_list("status").annotate(n=Count("pk")))


def opted_out(user: User) -> set[tuple[str, str]]:
    return set(OptOut.objects.filter(user=user).values_list("category", "channel"))
