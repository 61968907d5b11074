"""What an API client may read: the referrals addressed to its institution, once sent, of cases that have been
decided; never a draft, never a case still under review, never another institution's. A client limited to
an office sees the referrals of that office's region only. Lists, details, evidence files and exports all
start from ``referrals_for_client``, so a list never shows what a detail would refuse."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from cases.models import (
    CaseEvent,
    CaseStatus,
    Evidence,
    Referral,
    ReferralResponse,
    ReferralStatus,
    ViolationType,
)
from netralitas.accounts.models import ApiClient
from netralitas.accounts.scope import under_codes

# Case statuses whose referrals an institution may see: the plenary has decided.
RELEASED_CASE_STATUSES = (CaseStatus.DECIDED, CaseStatus.REFERRED, CaseStatus.CLOSED)
# Timeline entries an institution sees. Clarification meetings are left out: they name the reporter and
# witnesses. Subject, evidence and referral entries are further limited to the referral's own subject.
TIMELINE_PREFIXES = ("case.", "subject.", "evidence.", "referral.")
EXPORT_CHUNK_SIZE = 2000


def released(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    # (a case forwarded cannot be deleted; the deleted-case condition is kept here all the same)
    return queryset.filter(
        sent_at__isnull=False, case__status__in=RELEASED_CASE_STATUSES, case__deleted_at__isnull=True
    ).exclude(status=ReferralStatus.DRAFT)


def referrals_for_client(client: ApiClient) -> QuerySet[Referral]:
    queryset = released(Referral.objects.filter(institution_id=client.institution_id))
    if client.office_id:
        queryset = queryset.filter(under_codes([client.office.region.code], "case__office__region__code"))
    return queryset


@dataclass(frozen=True)
class ReferralFilters:
    updated_since: datetime | None = None
    status: tuple[str, ...] = ()
    election: int | None = None
    region: str | None = None
    sent_from: date | None = None
    sent_to: date | None = None
    institution: int | None = None


def filtered(queryset: QuerySet[Referral], filters: ReferralFilters) -> QuerySet[Referral]:
    if filters.updated_since:
        queryset = queryset.filter(updated_at__gt=filters.updated_since)
    if filters.status:
        queryset = queryset.filter(status__in=filters.status)
    if filters.election:
        queryset = queryset.filter(case__election_id=filters.election)
    if filters.region:
        queryset = queryset.filter(under_codes([filters.region], "case__office__region__code"))
    if filters.sent_from:
        queryset = queryset.filter(letter_date__gte=filters.sent_from)
    if filters.sent_to:
        queryset = queryset.filter(letter_date__lte=filters.sent_to)
    if filters.institution:
        queryset = queryset.filter(institution_id=filters.institution)
    return queryset


def _responses() -> QuerySet[ReferralResponse]:
    return ReferralResponse.objects.order_by("recorded_at", "pk")


def with_summary(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    """What an export row needs: five queries per chunk of rows, whatever the chunk's size. The related lists
    are plain attributes (``to_attr``): prefetched through the managers instead, Django would build a queryset
    for each referral and each list (some 500 per page of 100), which cost more than reading the rows."""
    return queryset.select_related(
        "case__office__region",
        "case__election",
        "case__district",
        "subject__person__agency",
        "institution",
        "transferred_from",
    ).prefetch_related(
        Prefetch("subject__violation_types", queryset=ViolationType.objects.all(), to_attr="api_violation_types"),
        Prefetch("responses", queryset=_responses(), to_attr="api_own_responses"),
        Prefetch("transferred_from__responses", queryset=_responses(), to_attr="api_own_responses"),
        Prefetch(
            "case__evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk"), to_attr="api_case_evidence"
        ),
    )


def with_details(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    """What a list page or a detail shows: the summary and the case's timeline, one more query."""
    return with_summary(queryset).prefetch_related(
        Prefetch(
            "case__events",
            queryset=CaseEvent.objects.filter(timeline_condition()).order_by("created_at", "pk"),
            to_attr="api_case_events",
        )
    )


def referral_for_client(client: ApiClient, code) -> Referral:
    return get_object_or_404(with_details(referrals_for_client(client)), code=code)


def evidence_for_client(client: ApiClient, code, evidence_code) -> Evidence:
    referral = get_object_or_404(referrals_for_client(client).select_related("case"), code=code)
    return get_object_or_404(
        Evidence.objects.filter(
            Q(subject_id=referral.subject_id) | Q(subject__isnull=True), case_id=referral.case_id
        ).exclude(file=""),
        code=evidence_code,
    )


# --- Derived from a referral loaded with ``with_summary`` / ``with_details`` (no queries) -------------------


def evidence_of(referral: Referral) -> list[Evidence]:
    """The evidence an institution receives with a referral: what concerns its subject, and what concerns the
    case as a whole (not another subject's)."""
    return [e for e in referral.case.api_case_evidence if e.subject_id in (None, referral.subject_id)]


def responses_of(referral: Referral) -> list[ReferralResponse]:
    """The responses recorded so far, including those recorded before a transfer (KASN to BKN)."""
    earlier = referral.transferred_from.api_own_responses if referral.transferred_from_id else []
    return [*earlier, *referral.api_own_responses]


def chain_codes(referral: Referral) -> set[str]:
    codes = {str(referral.code)}
    if referral.transferred_from_id:
        codes.add(str(referral.transferred_from.code))
    return codes


def timeline_condition() -> Q:
    """The timeline entries an institution may see of any case (the groups of ``TIMELINE_PREFIXES``)."""
    condition = Q()
    for prefix in TIMELINE_PREFIXES:
        condition |= Q(action__startswith=prefix)
    return condition


def timeline_filter(
    *, person_code: str, person_name: str, evidence_codes: set[str], referral_codes: set[str]
) -> Callable[[str, dict | None], bool]:
    """Whether an entry (its action and data) of the case's timeline is shown with one referral: the case's
    own steps, and the entries about the referral's subject, its evidence and the referral itself (never
    another subject's, never a meeting)."""

    def shows(action: str, data: dict | None) -> bool:
        group = action.split(".", 1)[0] + "."
        data = data or {}
        if group not in TIMELINE_PREFIXES:
            return False
        if group == "subject.":
            if "person_code" in data:
                return data["person_code"] == person_code
            return data.get("person") == person_name
        if group == "evidence.":
            return data.get("evidence") in evidence_codes
        if group == "referral.":
            return data.get("referral") in referral_codes
        return True

    return shows


def timeline_of(referral: Referral) -> list[CaseEvent]:
    """The case's timeline as an institution may see it with this referral (``timeline_filter``)."""
    person = referral.subject.person
    shows = timeline_filter(
        person_code=str(person.code),
        person_name=person.name,
        evidence_codes={str(e.code) for e in evidence_of(referral)},
        referral_codes=chain_codes(referral),
    )
    return [event for event in referral.case.api_case_events if shows(event.action, event.data)]


SAFE_EVENT_KEYS = frozenset(
    {
        "source",
        "report_due",
        "review_due",
        "decision_due",
        "filed_late",
        "outcome",
        "number",
        "violation_types",
        "person",
        "kind",
        "sha256",
        "url",
        "referral",
        "institution",
        "letter_number",
        "response_due",
        "letter_sha256",
        "date",
        "proven",
        "sanction",
        "ppk_due",
        "refused",
        "closed_as",
        "from_institution",
        "to_institution",
        "consequence_of",
    }
)


def safe_data(data: dict | None) -> dict:
    """An event's data with only the keys listed above: nothing about the reporter (``case.updated`` records
    which reporter fields changed) or anyone else's identity passes, whatever a later service writes."""
    return {k: v for k, v in (data or {}).items() if k in SAFE_EVENT_KEYS}


def export_rows(queryset: QuerySet[Referral], chunk_size: int | None = None) -> Iterator[Referral]:
    """Every referral of ``queryset`` with what an export row needs, fetched ``chunk_size`` at a time (the
    related rows too), so memory stays flat whatever the number of rows."""
    return with_summary(queryset).order_by("updated_at", "pk").iterator(chunk_size=chunk_size or EXPORT_CHUNK_SIZE)
