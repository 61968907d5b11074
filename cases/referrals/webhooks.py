"""Webhook events of referral changes: every change to a referral is posted to the systems of its institution
that may see it (``referrals_for_client``) and registered a webhook address.

The events are outbox rows (``netralitas.notify``), written in the transaction of the change, one per client
and change, delivered by the workers with the outbox's back-off; the row's code is the event id the receiver
deduplicates by. What a row carries is the change (its type and moment) and which referral; the body is made
as it is sent (``event_body``), with the referral's status then and after checking again that the client may
still see it. The receiver fetches the detail through the API.

``referral_changed`` is called for each change by the referral services; ``referrals_changed`` writes the
events of many changes at once (a set-based step over thousands of referrals) in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from django.db.models import IntegerField, Value
from django.urls import reverse
from django.utils import timezone

from cases.models import Referral
from cases.referrals.selectors import referrals_for_client
from netralitas.accounts.models import ApiClient
from netralitas.notify.models import Notification
from netralitas.notify.services import Message, queue, site_url


class Changed(NamedTuple):
    """A referral changed by a set-based step, as its SQL returned it: what an event needs of it."""

    pk: int
    code: UUID
    version: int
    institution_id: int


TEMPLATE = "referral_webhook"
EVENT_PREFIX = "referral."


def referral_changed(*, referral: Referral, action: str, now: datetime | None = None) -> int:
    """Queue the webhook events of one change (``action``: the referral event's action, e.g. ``sent``,
    ``recommended``, ``transferred``). Returns the rows written. One query when no client of the referral's
    institution has a webhook address, three when some have."""
    return referrals_changed(changes=[(referral, action)], now=now)


def referrals_changed(*, changes: Iterable[tuple[Referral | Changed, str]], now: datetime | None = None) -> int:
    """Queue the webhook events of many changes: each ``(referral, action)`` to every active client of the
    referral's institution that has a webhook address and may see the referral, as it is now in this
    transaction. Call it inside the transaction of the changes, after them (the referrals as saved: a draft is
    seen by no one). Returns the rows written.

    At most three queries whatever the number of changes: the clients, which of the referrals each may see
    (one query), one insert; one query only when no client has a webhook address. A change is identified by
    its referral, the referral's ``version`` and the action: the same triple queued twice is one event."""
    changes = [(referral, action) for referral, action in changes]
    for referral, action in changes:
        if not isinstance(referral, Referral | Changed) or referral.pk is None:
            raise ValueError("referrals_changed takes saved referrals")
        if not action or not isinstance(action, str):
            raise ValueError("referrals_changed needs the action of each change")
    if not changes:
        return 0
    clients = list(
        ApiClient.objects.filter(is_active=True, institution_id__in={r.institution_id for r, _ in changes})
        .exclude(webhook_url="")
        .select_related("office__region")
        .order_by("pk")
    )
    if not clients:
        return 0
    audience = _audience(clients, {referral.pk for referral, _ in changes})
    moment = (now or timezone.now()).isoformat()
    messages = [
        Message(
            template=TEMPLATE,
            key=f"webhook:referral:{referral.pk}:v{referral.version}:{action}",
            context={
                "type": f"{EVENT_PREFIX}{action}",
                "recorded_at": moment,
                "referral_id": referral.pk,
                "referral": {"code": str(referral.code)},
            },
            clients=audience[referral.pk],
            url=site_url(reverse("api:referral-detail", kwargs={"code": referral.code})),
        )
        for referral, action in changes
        if audience[referral.pk]
    ]
    return queue(messages, now=now).created if messages else 0


def _audience(clients: list[ApiClient], referral_ids: set[int]) -> dict[int, list[int]]:
    """referral id -> the ids of the clients that may see it, by each client's ``referrals_for_client``, the
    clients' reads joined into one query."""
    reads = [
        referrals_for_client(client)
        .filter(pk__in=referral_ids)
        .order_by()
        .annotate(client_id=Value(client.pk, output_field=IntegerField()))
        .values_list("pk", "client_id")
        for client in clients
    ]
    audience: dict[int, list[int]] = defaultdict(list)
    for referral_id, client_id in reads[0].union(*reads[1:], all=True):
        audience[referral_id].append(client_id)
    return audience


def event_body(notification: Notification) -> dict | None:
    """The JSON body of one event as it is sent: the event's id (the row's code, the same on every attempt),
    type and the moment it was recorded, and the referral as the client may see it now: its code, status, institution and API
    address. None when the client may no longer see it (nothing is sent). One query."""
    context = notification.context
    row = (
        referrals_for_client(notification.api_client)
        .filter(pk=context["referral_id"])
        .values("code", "status", "institution__code")
        .first()
    )
    if row is None:
        return None
    return {
        "id": str(notification.code),
        "type": context["type"],
        "recorded_at": context["recorded_at"],
        "referral": {
            "code": str(row["code"]),
            "status": row["status"],
            "institution": row["institution__code"],
            "url": notification.url,
        },
    }
