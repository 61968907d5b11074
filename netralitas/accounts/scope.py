"""Which offices and regions a user may see.

Every queryset of the project starts here. A membership of a regency office sees that regency and its
kecamatan; a membership of a province office sees the province and every regency and kecamatan in it.
Region codes are hierarchical, so "under a region" is a prefix test on the code. Inactive users see
nothing; superusers (system operators) see everything.

A user's memberships are read once (one query) and kept on the user object, so a page that asks for the
role, the offices and the regions costs that one query, not one per question. The object lives for one
request; code that changes memberships and asks again on the same object calls ``forget_scope``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from netralitas.accounts.models import Membership, User
from netralitas.accounts.roles import HOME_ORDER
from netralitas.reference.models import Office, Region

_CACHE_ATTRIBUTE = "_netralitas_scope"


@dataclass(frozen=True)
class Scope:
    memberships: tuple[Membership, ...]
    everything: bool = False
    # office ids per set of roles, read on first use (see ``office_ids_of``)
    office_ids: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships}

    @property
    def primary_role(self) -> str | None:
        roles = self.roles
        return next((role for role in HOME_ORDER if role in roles), None)

    def codes(self, roles: Iterable[str] | None = None) -> list[str] | None:
        """The region codes covered by the memberships (of ``roles``); None means everything."""
        if self.everything:
            return None
        wanted = None if roles is None else set(roles)
        return sorted({m.office.region.code for m in self.memberships if wanted is None or m.role in wanted})


def scope_of(user: User) -> Scope:
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        scope = Scope(memberships=())
    else:
        memberships = tuple(Membership.objects.filter(user=user).select_related("office__region"))
        scope = Scope(memberships=memberships, everything=user.is_superuser)
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_scope(user: User) -> None:
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def under_codes(codes: Iterable[str], field: str = "code") -> Q:
    """Rows whose ``field`` is one of ``codes`` or a code below one of them."""
    condition = Q(pk__in=[])
    for code in sorted(set(codes)):
        condition |= Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}."})
    return condition


def scope_codes(user: User, roles: Iterable[str] | None = None) -> list[str] | None:
    return scope_of(user).codes(roles)


def memberships_of(user: User) -> tuple[Membership, ...]:
    return scope_of(user).memberships


def regions_visible_to(user: User, *, roles: Iterable[str] | None = None) -> QuerySet[Region]:
    return Region.objects.filter(region_filter(user, "code", roles=roles))


def offices_visible_to(user: User, *, roles: Iterable[str] | None = None) -> QuerySet[Office]:
    return Office.objects.filter(region_filter(user, "region__code", roles=roles)).select_related("region")


def office_ids_of(user: User, roles: Iterable[str] | None = None) -> list[int] | None:
    """The ids of the offices in the user's scope (under ``roles``); None means every office.

    One query on the small office table, once per request and set of roles. Large tables are then filtered
    with the ids as literal values (``office_id IN (1, 35, ...)``), so PostgreSQL reads them through their
    office indexes and estimates the rows from its statistics of those very offices. (With a subquery in
    their place the planner guessed a few thousand cases for any scope and chose to scan the subjects,
    events and referrals whole: 100 ms a query instead of 2.)"""
    scope = scope_of(user)
    if scope.everything:
        return None
    key = None if roles is None else frozenset(roles)
    if key not in scope.office_ids:
        codes = scope.codes(roles)
        scope.office_ids[key] = (
            list(Office.objects.filter(under_codes(codes, "region__code")).order_by("pk").values_list("pk", flat=True))
            if codes
            else []
        )
    return scope.office_ids[key]


def region_filter(user: User, field: str, *, roles: Iterable[str] | None = None) -> Q:
    """A ``Q`` that keeps rows whose ``field`` (a path to a region code, e.g. ``"office__region__code"``)
    lies in the user's scope, for querysets of any model."""
    codes = scope_codes(user, roles)
    if codes is None:
        return Q()
    return under_codes(codes, field)


def roles_of(user: User) -> set[str]:
    return scope_of(user).roles


def primary_role(user: User) -> str | None:
    return scope_of(user).primary_role


def has_role(user: User, roles: Iterable[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` (a set of ``accounts.roles``) in some office."""
    return bool(scope_of(user).roles & set(roles))


def holds_role_for(user: User, office: Office, roles: Iterable[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` in ``office`` or in an office above it (a province)."""
    if user.is_superuser:
        return True
    code = office.region.code
    wanted = set(roles)
    return any(
        m.role in wanted and (code == m.office.region.code or code.startswith(m.office.region.code + "."))
        for m in scope_of(user).memberships
    )
