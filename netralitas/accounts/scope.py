"""Which offices and regions a user may see.

Every queryset of the project starts here. A membership of a regency office sees that regency and its
kecamatan; a membership of a province office sees the province and every regency and kecamatan in it.
Region codes are hierarchical, so "under a region" is a prefix test on the code, one query whatever the
number of memberships. Inactive users see nothing; superusers (system operators) see everything.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from netralitas.accounts.models import ROLE_PRIORITY, Membership, Role, User
from netralitas.reference.models import Office, Region


def memberships_of(user: User) -> QuerySet[Membership]:
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("office__region")


def _under_codes(codes: Iterable[str], field: str = "code") -> Q:
    condition = Q(pk__in=[])
    for code in set(codes):
        condition |= Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}."})
    return condition


def scope_codes(user: User, roles: Iterable[str] | None) -> list[str] | None:
    """The region codes the user's memberships (of the given roles) cover; None means everything."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return None
    memberships = memberships_of(user)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return list(memberships.values_list("office__region__code", flat=True))


def regions_visible_to(user: User, *, roles: Iterable[str] | None = None) -> QuerySet[Region]:
    codes = scope_codes(user, roles)
    if codes is None:
        return Region.objects.all()
    return Region.objects.filter(_under_codes(codes))


def offices_visible_to(user: User, *, roles: Iterable[str] | None = None) -> QuerySet[Office]:
    codes = scope_codes(user, roles)
    if codes is None:
        return Office.objects.select_related("region")
    return Office.objects.filter(_under_codes(codes, "region__code")).select_related("region")


def region_filter(user: User, field: str, *, roles: Iterable[str] | None = None) -> Q:
    """A ``Q`` that keeps rows whose ``field`` (a path to a region code, e.g. ``"office__region__code"``)
    lies in the user's scope, for querysets of other models."""
    codes = scope_codes(user, roles)
    if codes is None:
        return Q()
    return _under_codes(codes, field)


def roles_of(user: User) -> set[str]:
    return set(memberships_of(user).values_list("role", flat=True))


def primary_role(user: User) -> str | None:
    roles = roles_of(user)
    return next((role for role in ROLE_PRIORITY if role in roles), None)


def has_role(user: User, *roles: str) -> bool:
    return memberships_of(user).filter(role__in=roles).exists()


__all__ = [
    "Role",
    "has_role",
    "memberships_of",
    "offices_visible_to",
    "primary_role",
    "region_filter",
    "regions_visible_to",
    "roles_of",
    "scope_codes",
]
