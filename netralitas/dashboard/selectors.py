"""The dashboard's figures: aggregates over the cases and outreach of the caller's scope.

Every figure is one aggregate query (``values().annotate(Count)`` or conditional ``Count(filter=...)``), so
the page costs the same number of queries for ten cases or ten thousand. Rows of cases are never read here,
except the PPK follow-up list: the subjects the regent must act on, the one place names are shown to a
pemkab official. Portable to SQLite (``TruncMonth`` works on both databases).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import (
    OPEN_STATUSES,
    CaseStatus,
    CaseSubject,
    EmploymentType,
    Referral,
    ReferralStatus,
    Sanction,
    SubjectOutcome,
)
from cases.referrals import referral_clock
from cases.selectors import cases_for_figures, overdue_filter, referrals_awaiting_ppk
from netralitas.accounts.models import Role, User
from netralitas.accounts.scope import regions_visible_to
from netralitas.reference.models import Election, Region
from outreach.selectors import coverage_by_agency

# Who sees the dashboard, and the memberships that decide what it covers.
DASHBOARD_ROLES = (Role.PENGAWAS, Role.KOORDINATOR, Role.PEMKAB)


@dataclass(frozen=True)
class Period:
    """The filter: an election and/or received dates (inclusive, in Asia/Jakarta)."""

    election: Election | None = None
    start: date | None = None
    end: date | None = None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        tz = timezone.get_current_timezone()
        start = datetime.combine(self.start, time.min, tz) if self.start else None
        end = datetime.combine(self.end + timedelta(days=1), time.min, tz) if self.end else None
        return start, end


@dataclass
class Row:
    label: str
    value: int
    extra: dict = field(default_factory=dict)


@dataclass
class Figures:
    regencies: list[Region]
    total_cases: int
    open_cases: int
    overdue_cases: int
    by_status: list[Row]
    by_type: list[Row]
    by_agency: list[Row]
    by_employment: list[Row]
    by_month: list[Row]
    total_subjects: int
    proven_subjects: int
    pipeline: list[Row]
    overdue_referrals: list[Row]
    prevention: list[dict]
    per_regency: list[dict]
    ppk_list: list[dict]

    def charts(self) -> dict:
        """What the charts draw (the same numbers as the tables beside them), for ``json_script``: per chart
        the labels and one or more datasets."""

        def series(rows, label):
            return {
                "labels": [r.label for r in rows],
                "datasets": [{"label": label, "values": [r.value for r in rows]}],
            }

        return {
            "status": series(self.by_status, _("Perkara")),
            "type": series(self.by_type, _("Terlapor")),
            "agency": series(self.by_agency, _("Terlapor")),
            "employment": series(self.by_employment, _("Terlapor")),
            "month": series(self.by_month, _("Perkara")),
            "pipeline": series(self.pipeline, _("Penerusan")),
            "prevention": {
                "labels": [p["label"] for p in self.prevention],
                "datasets": [
                    {"label": _("Terlapor"), "values": [p["subjects"] for p in self.prevention]},
                    {"label": _("Sosialisasi diikuti"), "values": [p["sessions_held"] for p in self.prevention]},
                ],
            },
        }


def dashboard_regencies(user: User) -> QuerySet[Region]:
    return regions_visible_to(user, roles=DASHBOARD_ROLES).filter(level=Region.Level.REGENCY).order_by("code")


def dashboard_cases(user: User, period: Period):
    cases = cases_for_figures(user, roles=DASHBOARD_ROLES)
    if period.election is not None:
        cases = cases.filter(election=period.election)
    start, end = period.bounds()
    if start is not None:
        cases = cases.filter(received_at__gte=start)
    if end is not None:
        cases = cases.filter(received_at__lt=end)
    return cases


def _month_label(month: date) -> str:
    return date_format(month, "F Y")


def dashboard_figures(user: User, period: Period, *, today: date | None = None, with_names: bool = True) -> Figures:
    """Every figure of the dashboard in a fixed number of queries (one per figure). ``with_names=False`` leaves
    out the PPK follow-up list (the XLSX download carries figures only)."""
    today = today or timezone.localdate()
    cases = dashboard_cases(user, period)
    regencies_qs = dashboard_regencies(user)
    regencies = list(regencies_qs)

    # Cases by status, open and overdue: one conditional aggregate.
    counts = cases.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_filter(today)),
        **{f"s_{status}": Count("pk", filter=Q(status=status)) for status in CaseStatus.values},
    )
    by_status = [Row(str(label), counts[f"s_{value}"]) for value, label in CaseStatus.choices]

    subjects = CaseSubject.objects.filter(case__in=cases)
    subject_counts = subjects.aggregate(total=Count("pk"), proven=Count("pk", filter=Q(outcome=SubjectOutcome.PROVEN)))

    # People reported per violation type (a subject found on two acts counts under both).
    # Counted from the cases in scope outward (their subjects, then the subjects' acts), so the work follows
    # the size of the scope, not of the whole register.
    acts = CaseSubject.violation_types.through.objects.filter(casesubject__case__in=cases)
    by_type = [
        Row(r["violationtype__name"], r["n"], {"code": r["violationtype__code"], "proven": r["proven"]})
        for r in acts.values("violationtype__name", "violationtype__code", "violationtype__sort_order")
        .annotate(n=Count("pk"), proven=Count("pk", filter=Q(casesubject__outcome=SubjectOutcome.PROVEN)))
        .order_by("violationtype__sort_order", "violationtype__code")
    ]

    agency_rows = list(
        subjects.values("person__agency_id", "person__agency__name")
        .annotate(n=Count("pk"), proven=Count("pk", filter=Q(outcome=SubjectOutcome.PROVEN)))
        .order_by("-n", "person__agency__name")
    )
    by_agency = [
        Row(r["person__agency__name"] or _("Tanpa OPD / instansi lain"), r["n"], {"proven": r["proven"]})
        for r in agency_rows
    ]

    employment_labels = dict(EmploymentType.choices)
    employment_counts = {
        r["person__employment_type"]: r
        for r in subjects.values("person__employment_type").annotate(
            n=Count("pk"), proven=Count("pk", filter=Q(outcome=SubjectOutcome.PROVEN))
        )
    }
    by_employment = [
        Row(
            str(employment_labels[value]), employment_counts[value]["n"], {"proven": employment_counts[value]["proven"]}
        )
        for value in EmploymentType.values
        if value in employment_counts
    ]

    by_month = [
        Row(_month_label(r["month"]), r["n"], {"month": r["month"]})
        for r in cases.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    ]

    # The referral pipeline and the referrals past their clock: one conditional aggregate. Transferred
    # rows are history (their successor row carries on) and drafts were never sent.
    referrals = Referral.objects.filter(case__in=cases)
    closed = Q(status=ReferralStatus.CLOSED)
    stages = referrals.aggregate(
        sent=Count("pk", filter=Q(status=ReferralStatus.SENT)),
        awaiting_ppk=Count("pk", filter=Q(status=ReferralStatus.AWAITING_PPK)),
        sanctioned=Count("pk", filter=Q(status=ReferralStatus.SANCTIONED)),
        executed=Count("pk", filter=closed & Q(closed_as=Referral.ClosedAs.EXECUTED)),
        refused=Count("pk", filter=closed & Q(closed_as=Referral.ClosedAs.REFUSED)),
        not_proven=Count("pk", filter=closed & Q(closed_as=Referral.ClosedAs.NOT_PROVEN)),
        sent_late=Count("pk", filter=Q(status=ReferralStatus.SENT, response_due__lt=today)),
        ppk_late=Count("pk", filter=Q(status=ReferralStatus.AWAITING_PPK, ppk_due__lt=today)),
    )
    pipeline = [
        Row(_("Menunggu rekomendasi lembaga"), stages["sent"], {"key": "sent"}),
        Row(_("Menunggu keputusan PPK"), stages["awaiting_ppk"], {"key": "awaiting_ppk"}),
        Row(_("Sanksi dijatuhkan, belum dilaksanakan"), stages["sanctioned"], {"key": "sanctioned"}),
        Row(_("Sanksi dilaksanakan"), stages["executed"], {"key": "executed"}),
        Row(_("Tidak ditindaklanjuti PPK"), stages["refused"], {"key": "refused"}),
        Row(_("Rekomendasi: tidak terbukti"), stages["not_proven"], {"key": "not_proven"}),
    ]
    overdue_referrals = [
        Row(_("Rekomendasi lembaga melewati batas"), stages["sent_late"], {"key": "sent_late"}),
        Row(_("Keputusan PPK melewati batas"), stages["ppk_late"], {"key": "ppk_late"}),
    ]

    # Prevention beside violations, per agency of the regencies in scope.
    start, end = period.bounds()
    violations = {r["person__agency_id"]: r for r in agency_rows}
    prevention = [
        {
            "label": str(agency),
            "name": agency.name,
            "regency_id": agency.regency_id,
            "sessions_held": agency.sessions_held,
            "people_reached": agency.people_reached,
            "asn_reached": agency.asn_reached,
            "subjects": violations.get(agency.pk, {}).get("n", 0),
            "proven": violations.get(agency.pk, {}).get("proven", 0),
        }
        for agency in coverage_by_agency(regencies_qs, start=start, end=end)
        if agency.is_active or agency.sessions_held or agency.pk in violations
    ]
    prevention.sort(key=lambda p: (-p["subjects"], -p["sessions_held"], p["name"]))

    # Per regency (a province office sees all of its regencies): one aggregate grouped by the office's region,
    # then every regency in scope listed, those without cases with zeros.
    counted = {
        r["office__region__code"]: r
        for r in cases.values("office__region__code", "office__region__name").annotate(
            cases=Count("pk", distinct=True),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES), distinct=True),
            overdue=Count("pk", filter=overdue_filter(today), distinct=True),
            awaiting_ppk=Count("referrals", filter=Q(referrals__status=ReferralStatus.AWAITING_PPK), distinct=True),
        )
    }
    zero = {"cases": 0, "open": 0, "overdue": 0, "awaiting_ppk": 0}
    for regency in regencies:
        counted.setdefault(
            regency.code, {"office__region__code": regency.code, "office__region__name": regency.name, **zero}
        )
    per_regency = [counted[code] for code in sorted(counted)]

    sanctions = dict(Sanction.choices)
    ppk_list = []
    for referral in referrals_awaiting_ppk(cases) if with_names else []:
        person = referral.subject.person
        late = (today - referral.ppk_due).days if referral.ppk_due and today > referral.ppk_due else 0
        ppk_list.append(
            {
                "name": person.name,
                "nip": person.nip,
                "employment": person.get_employment_type_display(),
                "position": person.position,
                "agency": person.agency.name if person.agency else person.employer_note,
                "sanction": sanctions.get(referral.recommended_sanction, ""),
                "institution": str(referral.institution),
                "recommended_on": referral.recommended_on,
                "ppk_due": referral.ppk_due,
                "days_overdue": late,
                "clock": referral_clock(referral, today),
            }
        )

    return Figures(
        regencies=regencies,
        total_cases=counts["total"],
        open_cases=counts["open"],
        overdue_cases=counts["overdue"],
        by_status=by_status,
        by_type=by_type,
        by_agency=by_agency,
        by_employment=by_employment,
        by_month=by_month,
        total_subjects=subject_counts["total"],
        proven_subjects=subject_counts["proven"],
        pipeline=pipeline,
        overdue_referrals=overdue_referrals,
        prevention=prevention,
        per_regency=per_regency,
        ppk_list=ppk_list,
    )
