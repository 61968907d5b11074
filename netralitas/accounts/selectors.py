"""Reads about people, their roles and their scope that other apps need (reminder sweeps: who to tell; the
elections a user follows)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from netralitas.accounts.models import Membership, User
from netralitas.accounts.roles import OFFICE_ADMINS
from netralitas.accounts.scope import offices_visible_to, scope_codes
from netralitas.reference.models import Election, ancestor_codes


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


def offices_administered(user: User) -> QuerySet:
    """The offices where the user is the administrator, with their number of members."""
    return offices_visible_to(user, roles=OFFICE_ADMINS).annotate(member_count=Count("memberships"))


def memberships_of_offices(offices) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(office__in=offices)
        .select_related("user", "office")
        .order_by("office__region__code", "role", "user__username")
    )


def elections_visible_to(user: User) -> QuerySet[Election]:
    """Elections held in, above or below the user's regions, and national ones: a regency office follows
    its own Pilkada, the governor's election of its province and the Pemilu."""
    codes = scope_codes(user, roles=None)
    elections = Election.objects.select_related("region")
    if codes is None:
        return elections
    if not codes:
        return elections.none()
    condition = Q(region__isnull=True) | Q(region__code__in={a for c in codes for a in ancestor_codes(c)})
    for code in set(codes):
        condition |= Q(region__code__startswith=f"{code}.")
    return elections.filter(condition)
