"""Reads of the case register, always from the caller's scope. Lists and detail pages use the same
selector, so a list never shows a case its page would then refuse."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    CaseSubject,
    ClarificationMeeting,
    Evidence,
    Person,
    Referral,
    StepDocument,
)
from netralitas.accounts.models import User
from netralitas.accounts.roles import CASE_WORKERS, DELETERS, STAFF
from netralitas.accounts.scope import office_ids_of, offices_visible_to, region_filter, regions_visible_to
from netralitas.reference.models import Agency, Office, Region


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Cases of the offices in the user's scope (Bawaslu staff only; pemkab officials read aggregates
    elsewhere), plus cases handed over to one of those offices. Deleted cases are left out (``Case.objects``
    leaves them out everywhere; see ``deleted_cases``)."""
    return Case.objects.filter(in_case_scope(user))


def visible_case_count(user: User) -> int:
    """``cases_visible_to(user).count()`` in one query of two index-only counts: the cases of the user's offices,
    and those handed over to them from elsewhere. Counted over the OR of both, a province's 6,000 cases took a
    scan of every live case in the index (15-20 ms); apart, 1.3 ms."""
    offices = office_ids_of(user, STAFF)
    if offices is None:
        return Case.objects.count()
    # unordered: the case's default order has no place in a count
    own = Case.objects.filter(office_id__in=offices).order_by().values("pk")
    handed = Case.objects.filter(handed_over_to_id__in=offices).exclude(office_id__in=offices).order_by().values("pk")
    return own.union(handed, all=True).count()


def in_case_scope(user: User, path: str = "") -> Q:
    """The condition "the case (at ``path``, e.g. ``case__``) is in the user's scope and not deleted": its
    office, or the office it was handed over to, is one of the user's. The offices' ids are read first and
    compared as values (``office_ids_of``), so the case table is read through its office indexes, never whole."""
    live = Q(**{f"{path}deleted_at__isnull": True})
    offices = office_ids_of(user, STAFF)
    if offices is None:
        return live
    return (Q(**{f"{path}office_id__in": offices}) | Q(**{f"{path}handed_over_to_id__in": offices})) & live


def deleted_cases(user: User) -> QuerySet[Case]:
    """Deleted cases of the offices where the user is a coordinator or the administrator, the most recently
    deleted first (the "Perkara terhapus" list)."""
    offices = office_ids_of(user, DELETERS)
    queryset = Case.all_objects.filter(deleted_at__isnull=False)
    if offices is not None:
        queryset = queryset.filter(office_id__in=offices)
    return queryset.select_related("office", "election", "deleted_by").order_by("-deleted_at", "-pk")


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
    more (prefetch, as the plain list ``listed_subjects``: through the related manager Django would build a
    filtered queryset for every case of the page only to hold rows it has already read)."""
    return (
        cases_visible_to(user)
        .select_related("office", "election", "district", "assignee")
        .prefetch_related(
            Prefetch(
                "subjects",
                queryset=CaseSubject.objects.select_related("person").order_by("added_at", "pk"),
                to_attr="listed_subjects",
            ),
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


def cases_counted_in_scope(user: User, subjects: str) -> Count:
    """How many of a person's cases (``subjects``: the path to the person's case subjects) the user may see,
    deleted cases left out: a repeat offender's record, on the case page and in the person search."""
    return Count(
        subjects,
        filter=region_filter(user, f"{subjects}__case__office__region__code", roles=STAFF)
        & Q(**{f"{subjects}__case__deleted_at__isnull": True}),
    )


def case_detail(user: User, code) -> Case:
    """One case with everything its page shows, in a fixed number of queries; 404 outside the scope."""
    case = get_object_or_404(
        cases_visible_to(user).select_related(
            "office__region",
            "election__region",
            "district",
            "assignee",
            "handed_over_to",
            "created_by",
            "reporter",
            "handed_over_from__office",
            "handed_over_as__office",
        ),
        code=code,
    )
    prefetch_related_objects(
        [case],
        Prefetch(
            "subjects",
            queryset=CaseSubject.objects.select_related("person__agency")
            .prefetch_related("violation_types")
            # a repeat offender's other cases, counted only where the user may see them
            .annotate(person_case_count=cases_counted_in_scope(user, "person__case_subjects"))
            .order_by("added_at", "pk"),
        ),
        Prefetch(
            "evidence", queryset=Evidence.objects.select_related("subject__person", "candidate_pair", "uploaded_by")
        ),
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("created_at", "pk")),
        "meetings",
        Prefetch(
            "documents",
            queryset=StepDocument.objects.select_related("referral__institution", "referral__subject__person"),
        ),
        Prefetch(
            "referrals",
            queryset=Referral.objects.select_related("institution", "subject__person").order_by("created_at", "pk"),
        ),
    )
    return case


def people_visible_to(user: User) -> QuerySet[Person]:
    return Person.objects.filter(region_filter(user, "region__code", roles=STAFF))


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
        .annotate(case_count=cases_counted_in_scope(user, "case_subjects"))
        .order_by("name")[:limit]
    )


def today() -> date:
    return timezone.localdate()


# --- Figures (the dashboard) ----------------------------------------------------------------------------


def cases_for_figures(user: User, *, roles) -> QuerySet[Case]:
    """Cases of the offices in the user's scope under ``roles``, for aggregates. Unlike ``cases_visible_to``
    this admits the read-only pemkab role: what is built on it must count, never list case rows."""
    offices = office_ids_of(user, roles)
    return Case.objects.all() if offices is None else Case.objects.filter(office_id__in=offices)


# --- What the case pages need beside the case -----------------------------------------------------------


def office_staff(office: Office) -> QuerySet[User]:
    """Supervisors and coordinators of an office, for the assignee choices."""
    return User.objects.filter(is_active=True, memberships__office=office, memberships__role__in=CASE_WORKERS).order_by(
        "full_name", "username"
    )


def scope_staff(user: User) -> QuerySet[User]:
    """Supervisors and coordinators of the offices in the user's scope (the list's assignee filter)."""
    offices = offices_visible_to(user, roles=STAFF)
    return (
        User.objects.filter(is_active=True, memberships__office__in=offices, memberships__role__in=CASE_WORKERS)
        .distinct()
        .only("pk", "full_name", "first_name", "last_name", "username")  # what display_name reads
        .order_by("full_name", "username")
    )


def regions_in_scope(user: User, level: str) -> QuerySet[Region]:
    """The regencies or the kecamatan of the user's scope (staff roles)."""
    return regions_visible_to(user, roles=STAFF).filter(level=level).order_by("name")


def agencies_in_scope(user: User) -> QuerySet[Agency]:
    """The agencies (OPD) of the regencies in the user's scope (the list's filter)."""
    return Agency.objects.filter(regency__in=regions_in_scope(user, Region.Level.REGENCY)).order_by("name")


def intake_office(user: User) -> Office | None:
    """The office a new case is recorded for: the user's own office (the first where they work cases)."""
    return (
        offices_visible_to(user, roles=CASE_WORKERS)
        .filter(Q(memberships__user=user, memberships__role__in=CASE_WORKERS))
        .distinct()
        .first()
    )


def deletion_counts(case: Case) -> dict[str, int]:
    """What deleting a case hides, for its confirmation page (a count each)."""
    return {
        "subjects": case.subjects.count(),
        "evidence": case.evidence.count(),
        "events": case.events.count(),
        "public_reports": case.public_reports.count(),
    }


def subject_of(case: Case, pk) -> CaseSubject:
    return get_object_or_404(case.subjects.select_related("person", "case"), pk=pk)


def meeting_of(case: Case, pk) -> ClarificationMeeting:
    return get_object_or_404(ClarificationMeeting.objects.filter(case=case), pk=pk)


def person_detail(user: User, code) -> Person:
    """A person in the user's scope (404 otherwise)."""
    return get_object_or_404(people_visible_to(user).select_related("agency", "region"), code=code)


def cases_of_person(user: User, person: Person) -> list[Case]:
    """The cases of a person that the user may see, the latest received first."""
    return list(
        cases_visible_to(user)
        .filter(subjects__person=person)
        .select_related("election", "office")
        .order_by("-received_at")
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
