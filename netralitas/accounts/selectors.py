"""Reads about people and their roles that other apps need (reminder sweeps: who to tell)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from netralitas.accounts.models import Membership


def members_by_office(office_ids: Iterable[int], roles: Iterable[str]) -> dict[int, dict[str, list[int]]]:
    """{office id: {role: [user ids]}} of the active members of these offices holding ``roles``, in one
    query; a missing office or role reads as an empty list."""
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    rows = Membership.objects.filter(
        office_id__in=set(office_ids), role__in=list(roles), user__is_active=True
    ).values_list("office_id", "role", "user_id")
    for office_id, role, user_id in rows.order_by("office_id", "role", "user_id"):
        found[office_id][role].append(user_id)
    return found
