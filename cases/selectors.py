"""Reads of the case register, always from the caller's scope. Lists and detail pages use the same
selector, so a list never shows a case its page would then refuse."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    CaseSubject,
    Evidence,
    Person,
    Referral,
)
from netralitas.accounts.models import STAFF_ROLES, Role, User
from netralitas.accounts.scope import region_filter
from netralitas.db import InArray  # noqa: F401 - registers the in_array lookup
from netralitas.reference.models import Office

DELETER_ROLES = frozenset({Role.KOORDINATOR, Role.ADMIN})


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Cases of the offices in the user's scope (Bawaslu staff only; pemkab officials read aggregates
    elsewhere), plus cases handed over to one of those offices. Deleted cases are left out (``Case.objects``
    leaves them out everywhere; see ``deleted_cases``)."""
    return Case.objects.filter(in_case_scope(user))


def in_case_scope(user: User, path: str = "") -> Q:
    """The condition "the case (at ``path``, e.g. ``case__``) is in the user's scope and not deleted": its
    office, or the office it was handed over to, is one of the user's. The offices are a subquery on the small
    office table, so the case table is read through its office indexes (see netralitas/db.py), never whole."""
    offices = Office.objects.filter(region_filter(user, "region__code", roles=STAFF_ROLES)).values("pk")
    return (Q(**{f"{path}office_id__in_array": offices}) | Q(**{f"{path}handed_over_to_id__in_array": offices})) & Q(
        **{f"{path}deleted_at__isnull": True}
    )


def deleted_cases(user: User) -> QuerySet[Case]:
    """Deleted cases of the offices where the user is a coordinator or the administrator, the most recently
    deleted first (the "Perkara terhapus" list)."""
    offices = Office.objects.filter(region_filter(user, "region__code", roles=DELETER_ROLES)).values("pk")
    return (
        Case.all_objects.filter(deleted_at__isnull=False, office_id__in_array=offices)
        .select_related("office", "election", "deleted_by")
        .order_by("-deleted_at", "-pk")
    )


def deleted_case_detail(user: User, code) -> Case:
    queryset = (
        deleted_cases(user)
        .select_related("office__region", "election__region")
        .prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("created_at", "pk")),
            Prefetch("subjects", queryset=CaseSubject.objects.select_related("person").order_by("added_at", "pk")),
        )
    )
    return get_object_or_404(queryset, code=code)


def case_list(user: User) -> QuerySet[Case]:
    """The case list: one query for the page, whatever the number of cases; subjects' names come in one
    more (prefetch)."""
    return (
        cases_visible_to(user)
        .select_related("office", "election", "district", "assignee")
        .prefetch_related(
            Prefetch("subjects", queryset=CaseSubject.objects.select_related("person").order_by("added_at", "pk")),
            Prefetch(
                "referrals",
                queryset=Referral.objects.filter(status__in=["sent", "awaiting_ppk"]).select_related("institution"),
                to_attr="waiting_referrals",
            ),
        )
        .order_by("-received_at", "-pk")
    )


def overdue_filter(today: date) -> Q:
    return Q(status=CaseStatus.RECEIVED, review_due__lt=today) | Q(
        status__in=[CaseStatus.REGISTERED, CaseStatus.UNDER_REVIEW], decision_due__lt=today
    )


def due_soon_filter(today: date, days: int = 2) -> Q:
    until = today + timedelta(days=days)
    return Q(status=CaseStatus.RECEIVED, review_due__range=(today, until)) | Q(
        status__in=[CaseStatus.REGISTERED, CaseStatus.UNDER_REVIEW], decision_due__range=(today, until)
    )


def case_detail(user: User, code) -> Case:
    """One case with everything its page shows, in a fixed number of queries; 404 outside the scope."""
    queryset = (
        cases_visible_to(user)
        .select_related(
            "office__region", "election__region", "district", "assignee", "handed_over_to", "created_by", "reporter"
        )
        .prefetch_related(
            Prefetch(
                "subjects",
                queryset=CaseSubject.objects.select_related("person__agency")
                .prefetch_related("violation_types")
                # a repeat offender's other cases, counted only where the user may see them
                .annotate(
                    person_case_count=Count(
                        "person__case_subjects",
                        filter=region_filter(
                            user, "person__case_subjects__case__office__region__code", roles=STAFF_ROLES
                        )
                        & Q(person__case_subjects__case__deleted_at__isnull=True),
                    )
                )
                .order_by("added_at", "pk"),
            ),
            Prefetch(
                "evidence", queryset=Evidence.objects.select_related("subject__person", "candidate_pair", "uploaded_by")
            ),
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("created_at", "pk")),
            "meetings",
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("institution", "subject__person").order_by("created_at", "pk"),
            ),
        )
    )
    return get_object_or_404(queryset, code=code)


def people_visible_to(user: User) -> QuerySet[Person]:
    return Person.objects.filter(region_filter(user, "region__code", roles=STAFF_ROLES))


def person_search(user: User, query: str, limit: int = 10) -> list[Person]:
    """People matching a name fragment or a NIP (prefix), with their number of cases."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    digits = "".join(ch for ch in query if ch.isdigit())
    condition = Q(name__icontains=query)
    if len(digits) >= 4 and len(digits) == len(query.replace(" ", "")):
        condition = Q(nip__startswith=digits)
    return list(
        people_visible_to(user)
        .filter(condition)
        .select_related("agency")
        .annotate(
            case_count=Count(
                "case_subjects",
                filter=region_filter(user, "case_subjects__case__office__region__code", roles=STAFF_ROLES)
                & Q(case_subjects__case__deleted_at__isnull=True),
            )
        )
        .order_by("name")[:limit]
    )


def duplicates_of(evidence_rows, user: User) -> dict[int, list[Case]]:
    """For each evidence row, the *other* cases (each once) holding the same file hash or the same post URL,
    limited to cases the user may see. One query for the whole gallery."""
    hashes = {e.sha256 for e in evidence_rows if e.sha256}
    urls = {e.url_normalized for e in evidence_rows if e.url_normalized}
    if not hashes and not urls:
        return {}
    case_ids = {e.case_id for e in evidence_rows}
    matches = list(
        Evidence.objects.filter(Q(sha256__in=hashes) | Q(url_normalized__in=urls))
        .exclude(case_id__in=case_ids)
        .filter(case__in=cases_visible_to(user))
        .select_related("case")
    )
    found: dict[int, list[Case]] = {}
    for evidence in evidence_rows:
        cases: dict[int, Case] = {}
        for m in matches:
            if (evidence.sha256 and m.sha256 == evidence.sha256) or (
                evidence.url_normalized and m.url_normalized == evidence.url_normalized
            ):
                cases.setdefault(m.case_id, m.case)
        found[evidence.pk] = list(cases.values())
    return found


def today() -> date:
    return timezone.localdate()


def referrals_visible_to(user: User):
    return Referral.objects.filter(in_case_scope(user, "case__"))


BOARD_CLOSED_LIMIT = 30


def referral_board(user: User) -> list:
    """The referrals the board shows: every open one, and the most recently closed (the closed column is
    history, not work). Two queries whatever the number of referrals."""
    from cases.models import OPEN_REFERRAL_STATUSES, ReferralStatus

    rows = referrals_visible_to(user).select_related(
        "case__election", "case__office", "subject__person__agency", "institution"
    )
    open_rows = list(rows.filter(status__in=OPEN_REFERRAL_STATUSES))
    closed = list(rows.filter(status=ReferralStatus.CLOSED).order_by("-closed_at", "-pk")[:BOARD_CLOSED_LIMIT])
    return open_rows + closed


def referral_detail(user: User, code):
    from cases.models import ReferralResponse

    queryset = (
        referrals_visible_to(user)
        .select_related(
            "case__office__region",
            "case__election",
            "subject__person__agency",
            "institution__successor",
            "transferred_from__institution",
            "sent_by",
            "prepared_by",
        )
        .prefetch_related(Prefetch("responses", queryset=ReferralResponse.objects.select_related("recorded_by")))
    )
    return get_object_or_404(queryset, code=code)


# --- Figures (the dashboard) ----------------------------------------------------------------------------


def cases_for_figures(user: User, *, roles) -> QuerySet[Case]:
    """Cases of the offices in the user's scope under ``roles``, for aggregates. Unlike ``cases_visible_to``
    this admits the read-only pemkab role: what is built on it must count, never list case rows."""
    offices = Office.objects.filter(region_filter(user, "region__code", roles=roles)).values("pk")
    return Case.objects.filter(office_id__in_array=offices)


def referrals_awaiting_ppk(cases: QuerySet[Case]) -> QuerySet[Referral]:
    """Referrals of ``cases`` whose proven recommendation awaits the regent's (PPK) decision, with the
    sanction the recommendation named (``recommended_sanction``), the most overdue first. One query. A referral
    transferred while awaiting the PPK (KASN to BKN) keeps its recommendation on the row it came from."""
    from django.db.models import OuterRef, Subquery

    from cases.models import ReferralResponse, ReferralStatus

    recommendation = ReferralResponse.objects.filter(
        Q(referral=OuterRef("pk")) | Q(referral=OuterRef("transferred_from")), kind=ReferralResponse.Kind.RECOMMENDATION
    ).order_by("-date", "-recorded_at", "-pk")
    return (
        Referral.objects.filter(case__in=cases, status=ReferralStatus.AWAITING_PPK)
        .select_related("subject__person__agency", "institution")
        .annotate(recommended_sanction=Subquery(recommendation.values("sanction")[:1]))
        .order_by("ppk_due", "pk")
    )
