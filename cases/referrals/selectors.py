"""Reads of referrals, always from the caller's scope: the board, the detail page, and the referrals
awaiting the regent's decision (the dashboard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case as Choose
from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404

from cases.models import (
    OPEN_REFERRAL_STATUSES,
    Case,
    Referral,
    ReferralStatus,
)
from cases.workflow.selectors import in_case_scope
from netralitas.accounts.models import User
from netralitas.reference.models import Institution


def referrals_visible_to(user: User):
    return Referral.objects.filter(in_case_scope(user, "case__"))


BOARD_CLOSED_LIMIT = 30


@dataclass
class BoardColumns:
    rows: dict  # status -> the cards shown, the most overdue first
    totals: dict  # status -> how many there are
    overdue: int
    institutions: QuerySet  # the institutions the scope's referrals went to, for the filter


def referral_board(
    user: User, *, today: date, institution: str = "", overdue_only: bool = False, whole: str = "", limit: int = 40
) -> BoardColumns:
    """The board's columns, sorted and cut in SQL: per open stage its ``limit`` most overdue cards (all of
    them for the stage named ``whole``), the most recently closed, and the counts. Four queries whatever the
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
        "code", "status", "closed_as", "closed_at", "sent_at", "transferred_on", "response_due", "recommended_on",
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
    shown = Q(rank__lte=limit) | Q(status=whole) if whole in OPEN_REFERRAL_STATUSES else Q(rank__lte=limit)
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
            "sent_by",
            "prepared_by",
        )
        .prefetch_related(Prefetch("responses", queryset=ReferralResponse.objects.select_related("recorded_by")))
    )
    return get_object_or_404(queryset, code=code)


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
