"""Reads of referrals, always from the caller's scope: the board, the detail page, and the referrals
awaiting the regent's decision (the dashboard)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Case as Choose
from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import (
    FORWARDED_SUBJECT_OUTCOMES,
    OPEN_REFERRAL_STATUSES,
    Case,
    CaseStatus,
    CaseSubject,
    EmploymentType,
    Referral,
    ReferralClosedAs,
    ReferralEscalation,
    ReferralStatus,
    SubjectOutcome,
)
from cases.referrals.escalation import Proposal, next_rung
from cases.workflow.selectors import in_case_scope
from netralitas.accounts.models import ApiClient, User
from netralitas.accounts.scope import under_codes
from netralitas.reference.models import Institution


def referrals_visible_to(user: User):
    return Referral.objects.filter(in_case_scope(user, "case__"))


# --- What an institution's system may see (the API reads it, and the webhooks send nothing else) ---------

# Case statuses whose referrals an institution may see: the plenary has decided.
RELEASED_CASE_STATUSES = (CaseStatus.DECIDED, CaseStatus.REFERRED, CaseStatus.CLOSED)


def released(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    # (a case forwarded cannot be deleted; the deleted-case condition is kept here all the same)
    return queryset.filter(
        sent_at__isnull=False, case__status__in=RELEASED_CASE_STATUSES, case__deleted_at__isnull=True
    ).exclude(status=ReferralStatus.DRAFT)


def referrals_for_client(client: ApiClient) -> QuerySet[Referral]:
    """THE rule of what an API client may see: the referrals addressed to its institution, once sent, of cases
    that have been decided; never a draft, never another institution's; a client limited to an office sees
    that office's region only. The API's lists, details, files and exports and the webhooks all start here."""
    queryset = released(Referral.objects.filter(institution_id=client.institution_id))
    if client.office_id:
        queryset = queryset.filter(under_codes([client.office.region.code], "case__office__region__code"))
    return queryset


BOARD_CLOSED_LIMIT = 30


@dataclass
class BoardColumns:
    rows: dict  # status -> the cards shown, the most overdue first
    totals: dict  # status -> how many there are
    overdue: int
    institutions: QuerySet  # the institutions the scope's referrals went to, for the filter


def referral_board(
    user: User,
    *,
    today: date,
    institution: str = "",
    overdue_only: bool = False,
    whole: Sequence[str] = (),
    limit: int = 40,
) -> BoardColumns:
    """The board's columns, sorted and cut in SQL: per open stage its ``limit`` most overdue cards (all of
    them for the stages named in ``whole``), the most recently closed, and the counts. Four queries whatever the
    number of referrals: a province's board holds thousands, of which a page shows a few dozen."""
    scope = referrals_visible_to(user)
    rows = scope
    if institution:
        rows = rows.filter(institution_id=institution) if institution.isdigit() else rows.none()
    late = Referral.overdue_q(today)
    if overdue_only:
        rows = rows.filter(late)
    counts = rows.aggregate(
        overdue=Count("pk", filter=late), **{s: Count("pk", filter=Q(status=s)) for s in OPEN_REFERRAL_STATUSES}
    )
    related = ("case", "subject__person__agency", "institution")
    # A card shows the person, the agency, the institution, the register number and the clock: only those
    # columns are read (a case row with its chronology is most of the rest, on each of some 80 cards).
    card = (
        "code", "status", "closed_as", "closed_at", "sent_at", "sanction_lighter", "transferred_on", "response_due", "recommended_on",
        "ppk_due", "case", "case__number", "subject", "subject__person", "subject__person__name",
        "subject__person__agency", "subject__person__agency__name", "subject__person__agency__short_name",
        "institution", "institution__name", "institution__short_name",
    )  # fmt: skip
    ranked = (
        rows.filter(status__in=OPEN_REFERRAL_STATUSES)
        .select_related(*related)
        .only(*card)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by="status",
                order_by=[
                    Choose(When(late, then=Value(0)), default=Value(1), output_field=IntegerField()).asc(),
                    Coalesce(Referral.due_expression(), Value(today)).asc(),
                    "pk",
                ],
            )
        )
    )
    shown = Q(rank__lte=limit) | Q(status__in=whole)
    columns = {s: [] for s in (*OPEN_REFERRAL_STATUSES, ReferralStatus.CLOSED)}
    for referral in ranked.filter(shown).order_by("status", "rank"):
        columns[referral.status].append(referral)
    if not overdue_only:
        # a withdrawn draft was never sent: it ended nothing, and is not "Selesai" (the case page lists it)
        ended = rows.filter(status=ReferralStatus.CLOSED).exclude(closed_as=Referral.ClosedAs.WITHDRAWN)
        closed = ended.select_related(*related).only(*card)
        columns[ReferralStatus.CLOSED] = list(closed.order_by("-closed_at", "-pk")[:BOARD_CLOSED_LIMIT])
    institutions = Institution.objects.filter(pk__in=scope.values("institution_id")).order_by("name")
    totals = {s: counts[s] for s in OPEN_REFERRAL_STATUSES}
    totals[ReferralStatus.CLOSED] = len(columns[ReferralStatus.CLOSED])
    return BoardColumns(rows=columns, totals=totals, overdue=counts["overdue"], institutions=institutions)


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
            "succession__predecessor",
            "succession__successor",
            "sent_by",
            "prepared_by",
        )
        .prefetch_related(
            Prefetch("responses", queryset=ReferralResponse.objects.select_related("recorded_by")),
            "documents",
            Prefetch("escalations", queryset=ReferralEscalation.objects.select_related("rung", "sent_by")),
        )
    )
    return get_object_or_404(queryset, code=code)


def escalation_of(referral: Referral, code) -> ReferralEscalation:
    """One rung climbed by a referral already read through ``referral_detail`` (its scope)."""
    return get_object_or_404(
        ReferralEscalation.objects.select_related("rung", "referral"), referral=referral, code=code
    )


def escalation_proposal(referral: Referral) -> Proposal | None:
    """The rung the referral may climb next (``next_rung``), for a referral read through ``referral_detail``."""
    return next_rung(referral, list(referral.escalations.all()))


def referrals_awaiting_ppk(cases: QuerySet[Case]) -> QuerySet[Referral]:
    """Referrals of ``cases`` whose proven recommendation awaits the regent's (PPK) decision, with the
    sanction the recommendation named (``recommended_sanction``) and the escalation so far (``rung_names`` and
    ``rung_dates``, in order; ``blocked_since``), the most overdue first. One query. A referral
    transferred while awaiting the PPK (KASN to BKN) keeps its recommendation on the row it came from."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import OuterRef, Subquery

    from cases.models import ReferralResponse, ReferralStatus

    recommendation = ReferralResponse.recommendations(OuterRef("pk"), OuterRef("transferred_from"))
    climbed = ReferralEscalation.objects.filter(referral=OuterRef("pk")).order_by("letter_date", "pk")
    blocked = climbed.filter(blocked_on__isnull=False, unblocked_on__isnull=True)
    return (
        Referral.objects.filter(case__in=cases, status=ReferralStatus.AWAITING_PPK)
        .select_related("subject__person__agency", "institution")
        .annotate(
            recommended_sanction=Subquery(recommendation.values("sanction")[:1]),
            # the escalation so far: the rungs climbed and their letters' dates, a block of the person's data
            rung_names=ArraySubquery(climbed.values("rung__name")),
            rung_dates=ArraySubquery(climbed.values("letter_date")),
            blocked_since=Subquery(blocked.values("blocked_on")[:1]),
        )
        .order_by("ppk_due", "pk")
    )


# --- Where each person goes ----------------------------------------------------------------------------


def suggested_institutions(subjects: Sequence[CaseSubject], on: date) -> dict[int, Institution | None]:
    """Where each subject is usually forwarded, from their own outcome and employment: an election crime to
    the Sentra Gakkumdu of their regency (else of the case's office); ASN (PNS and PPPK alike) to the national
    oversight body active on that day (KASN until 23 August 2024, BKN after), honorer staff to the employing
    agency, a village head to the regent of their regency through the DPMD (UU 6/2014). One query, whatever
    the number of subjects."""
    kinds = [Institution.Kind.OVERSIGHT, Institution.Kind.EMPLOYER, Institution.Kind.VILLAGE, Institution.Kind.GAKKUMDU]
    regions = {s.person.region_id for s in subjects} | {s.case.office.region_id for s in subjects}
    nearby = Institution.objects.filter(Q(region__isnull=True) | Q(region_id__in=regions), kind__in=kinds)
    bodies = [i for i in nearby if i.is_active_on(on)]
    employer = next((i for i in bodies if i.kind == Institution.Kind.EMPLOYER), None)
    oversight = next((i for i in bodies if i.kind == Institution.Kind.OVERSIGHT), None)
    regents = {i.region_id: i for i in bodies if i.kind == Institution.Kind.VILLAGE}
    gakkumdu = {i.region_id: i for i in bodies if i.kind == Institution.Kind.GAKKUMDU}

    def route(subject):
        person = subject.person
        if subject.outcome == SubjectOutcome.CRIME:
            return gakkumdu.get(person.region_id) or gakkumdu.get(subject.case.office.region_id)
        if person.employment_type == EmploymentType.KEPALA_DESA:  # the regent of their regency, through the DPMD
            return regents.get(person.region_id, employer)
        return employer if person.employment_type == EmploymentType.HONORER else oversight

    return {s.pk: route(s) for s in subjects}


@dataclass
class ForwardPlan:
    rows: list  # (subject, institution or None, already forwarded there)
    proposed: Institution | None  # the body the form proposes
    proposed_subjects: list  # its people not forwarded there yet


def forward_plan(case: Case, chosen: str = "") -> ForwardPlan:
    """The forward page's table: every person of ``case`` to forward, with the body their own outcome and
    employment route them to (on the day of the decision), and the group the form proposes: the one
    ``chosen`` (an institution's id), else the first with someone still to forward."""
    forwarded = [s for s in case.subjects.all() if s.outcome in FORWARDED_SUBJECT_OUTCOMES]
    routes = suggested_institutions(forwarded, timezone.localdate(case.decided_at))
    done = {(r.subject_id, r.institution_id) for r in case.referrals.all() if r.closed_as != ReferralClosedAs.WITHDRAWN}
    rows = [(s, routes[s.pk], routes[s.pk] is not None and (s.pk, routes[s.pk].pk) in done) for s in forwarded]
    rows.sort(key=lambda row: (row[1] is None, row[1] and row[1].name))
    waiting = [body for _s, body, sent in rows if body is not None and not sent]
    proposed = next((body for _s, body, _d in rows if body and str(body.pk) == chosen), next(iter(waiting), None))
    people = [s for s, body, sent in rows if proposed is not None and body == proposed and not sent]
    return ForwardPlan(rows=rows, proposed=proposed, proposed_subjects=people)
