"""The dashboard's figures: aggregates over the cases and outreach of the caller's scope.

Every figure is one aggregate query (``values().annotate(Count)``, conditional ``Count(filter=...)``, or for
the referral pipeline and the subjects' figures one SQL statement that reads the scope's cases one by one
through an index), so the page costs the same number of queries for ten cases or ten thousand. Rows of cases
are never read here, except the PPK follow-up list: the subjects the regent must act on, the one place names
are shown to a pemkab official.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    CRIME_STATUSES,
    OPEN_STATUSES,
    PROVEN_SUBJECT_OUTCOMES,
    CaseStatus,
    CaseSubject,
    EmploymentType,
    Person,
    Referral,
    ReferralStatus,
    Sanction,
    ViolationType,
)
from cases.referrals.selectors import referrals_awaiting_ppk
from cases.workflow.deadlines import referral_clock
from cases.workflow.selectors import cases_for_figures, overdue_filter
from netralitas.accounts.models import User
from netralitas.accounts.roles import DASHBOARD_READERS
from netralitas.accounts.scope import office_ids_of, regions_visible_to
from netralitas.reference.models import Election, Region
from outreach.selectors import coverage_by_agency

TODAY = object()  # in REFERRAL_STAGES: the day the figures are counted for

# Who sees the dashboard, and the memberships that decide what it covers.


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
    # the lengths of the lists before they were cut for the page (``PAGE_LIMITS``)
    agency_count: int = 0
    prevention_count: int = 0
    ppk_count: int = 0

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
    return regions_visible_to(user, roles=DASHBOARD_READERS).filter(level=Region.Level.REGENCY).order_by("code")


def dashboard_cases(user: User, period: Period):
    cases = cases_for_figures(user, roles=DASHBOARD_READERS)
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


def _regency_row(code: str, name: str) -> dict:
    return {
        "office__region__code": code,
        "office__region__name": name,
        "cases": 0,
        "open": 0,
        "overdue": 0,
        "awaiting_ppk": 0,
    }


# Long lists are cut on the page (the most significant first) and shown whole on request or in the XLSX:
# a province's dashboard would otherwise carry hundreds of agencies and of names awaiting the regents.
PAGE_LIMITS = {"ppk": 50, "opd": 25}


# The referral pipeline's stages: each the conditions on a referral counted in it. Transferred rows are
# history (their successor row carries on) and drafts were never sent: neither is in any stage.
REFERRAL_STAGES = {
    "sent": {"status": ReferralStatus.SENT},
    "awaiting_ppk": {"status": ReferralStatus.AWAITING_PPK},
    "sanctioned": {"status": ReferralStatus.SANCTIONED},
    "executed": {"status": ReferralStatus.CLOSED, "closed_as": Referral.ClosedAs.EXECUTED},
    "refused": {"status": ReferralStatus.CLOSED, "closed_as": Referral.ClosedAs.REFUSED},
    "not_proven": {"status": ReferralStatus.CLOSED, "closed_as": Referral.ClosedAs.NOT_PROVEN},
    # an election crime at Sentra Gakkumdu: its own stages, apart from the ASN figures above
    "crime": {"status__in": [str(s) for s in CRIME_STATUSES]},
    "convicted": {"status": ReferralStatus.CLOSED, "closed_as": Referral.ClosedAs.CONVICTED},
    # the regent imposed less than was recommended (counted beside the stage the referral is in)
    "lighter": {"sanction_lighter": True},
    # past their clock: the one rule of a late referral (Referral.STAGE_DUE), a count per waiting stage
    **{
        late: {"status": status, f"{Referral.STAGE_DUE[status]}__lt": TODAY}
        for status, late in ((ReferralStatus.SENT, "sent_late"), (ReferralStatus.AWAITING_PPK, "ppk_late"))
    },
}


# The pipeline's figures, and the referrals past their clock: keys of REFERRAL_STAGES with their labels.
PIPELINE = (
    ("sent", gettext_lazy("Menunggu rekomendasi lembaga")),
    ("awaiting_ppk", gettext_lazy("Menunggu keputusan PPK")),
    ("sanctioned", gettext_lazy("Sanksi dijatuhkan, belum dilaksanakan")),
    ("executed", gettext_lazy("Sanksi dilaksanakan")),
    ("refused", gettext_lazy("Tidak ditindaklanjuti PPK")),
    ("not_proven", gettext_lazy("Rekomendasi: tidak terbukti")),
    ("lighter", gettext_lazy("Sanksi PPK lebih ringan dari rekomendasi")),
    ("crime", gettext_lazy("Tindak pidana pemilihan: diproses Gakkumdu")),
    ("convicted", gettext_lazy("Tindak pidana pemilihan: putusan bersalah")),
)
PIPELINE_LATE = (
    ("sent_late", gettext_lazy("Rekomendasi lembaga melewati batas")),
    ("ppk_late", gettext_lazy("Keputusan PPK melewati batas")),
)


def _stage_conditions(today: date) -> dict[str, dict]:
    return {
        key: {lookup: today if value is TODAY else value for lookup, value in conditions.items()}
        for key, conditions in REFERRAL_STAGES.items()
    }


# The referral columns the stages' conditions read.
STAGE_COLUMNS = ("status", "closed_as", "sanction_lighter", *Referral.STAGE_DUE.values())


def stage_sql(today: date, alias: str = "r") -> dict[str, tuple[str, list]]:
    """Each stage of ``REFERRAL_STAGES`` as an SQL condition on the referral columns of ``alias`` (those of
    ``STAGE_COLUMNS``, under their column names), with its parameters: the one reading of a stage for the
    queries written in SQL."""
    conditions = {}
    for key, c in _stage_conditions(today).items():
        parts, params = [], []
        for lookup, value in c.items():
            name, _sep, operator = lookup.partition("__")
            compared = {"lt": "< %s", "in": "= ANY(%s)"}.get(operator, "= %s")
            parts.append(f"{alias}.{_column(Referral, name)} {compared}")
            params.append(value)
        conditions[key] = (f"({' AND '.join(parts)})", params)
    return conditions


def _table(model) -> str:
    """A model's table, quoted for the SQL below."""
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name: str) -> str:
    """A field's column, quoted for the SQL below."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


def referral_stages_by_regency(cases: QuerySet, today: date) -> list[dict]:
    """How many referrals of ``cases`` are in each stage of ``REFERRAL_STAGES``, per regency (rows of
    ``region_code`` and a count per stage; regencies without referrals are left out).

    The referrals are read case by case through their index (a LATERAL subquery): a province's 6,000 cases
    have some 3,600 referrals, and the grouped join the planner prefers reads all 120,000 referrals of the
    country to find them (50-75 ms against 15-25 ms, docs/performance.md)."""
    filters, params = [], []
    for key, (condition, values) in stage_sql(today).items():
        filters.append(f"COUNT(*) FILTER (WHERE {condition}) AS {connection.ops.quote_name(key)}")
        params.extend(values)
    columns = ", ".join(_column(Referral, name) for name in STAGE_COLUMNS)
    case_sql, case_params = cases.order_by().values_list("pk", "office__region__code").query.sql_with_params()
    # OFFSET 0 keeps the subquery as written (PostgreSQL would otherwise turn it back into the join).
    sql = (
        f"SELECT c.region_code, {', '.join(filters)} FROM ({case_sql}) AS c (id, region_code) "
        f"CROSS JOIN LATERAL (SELECT {columns} FROM {_table(Referral)} "
        f"WHERE {_column(Referral, 'case')} = c.id OFFSET 0) AS r GROUP BY c.region_code"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *case_params])
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def subject_figures(cases: QuerySet) -> tuple[list[dict], list[dict]]:
    """The subjects of ``cases`` counted by agency and employment type (rows of ``person__agency_id``,
    ``person__agency__name``, ``person__employment_type``, ``n`` and ``proven``), and their acts by violation
    type (rows of ``violationtype__name``, ``__code``, ``__sort_order``, ``n`` and ``proven``, in the types'
    order; a subject found on two acts counts under both).

    One query reads the subjects case by case through their covering index (``casesubject_figures_idx``),
    each person once, and counts both from the same rows: a province's 6,000 cases have some 9,000 subjects,
    and two grouped joins each scanned all 300,000 subjects of the country to find them (2 x 33 ms against
    20-25 ms, docs/performance.md)."""
    act = CaseSubject.violation_types.through
    agency_model = Person._meta.get_field("agency").related_model
    case_sql, case_params = cases.order_by().values_list("pk").query.sql_with_params()
    # OFFSET 0 keeps the subquery as written (PostgreSQL would otherwise turn it back into the join).
    sql = f"""
        WITH s AS MATERIALIZED (
            SELECT cs.id, cs.outcome, p.{_column(Person, "agency")} AS agency_id,
                   p.{_column(Person, "employment_type")} AS employment_type
            FROM ({case_sql}) AS c (id)
            CROSS JOIN LATERAL (
                SELECT {_column(CaseSubject, "id")} AS id, {_column(CaseSubject, "outcome")} AS outcome,
                       {_column(CaseSubject, "person")} AS person_id
                FROM {_table(CaseSubject)} WHERE {_column(CaseSubject, "case")} = c.id OFFSET 0
            ) AS cs
            JOIN {_table(Person)} AS p ON p.{_column(Person, "id")} = cs.person_id
        ), people AS (
            SELECT agency_id, employment_type, COUNT(*) AS n, COUNT(*) FILTER (WHERE outcome = ANY(%s)) AS proven
            FROM s GROUP BY agency_id, employment_type
        ), kinds AS (
            SELECT a.{_column(act, "violationtype")} AS kind_id, COUNT(*) AS n,
                   COUNT(*) FILTER (WHERE s.outcome = ANY(%s)) AS proven
            FROM s JOIN {_table(act)} AS a ON a.{_column(act, "casesubject")} = s.id
            GROUP BY a.{_column(act, "violationtype")}
        )
        SELECT 0, people.agency_id, g.{_column(agency_model, "name")}, people.employment_type,
               NULL, NULL, NULL, people.n, people.proven
        FROM people LEFT JOIN {_table(agency_model)} AS g ON g.{_column(agency_model, "id")} = people.agency_id
        UNION ALL
        SELECT 1, NULL, NULL, NULL, k.{_column(ViolationType, "name")}, k.{_column(ViolationType, "code")},
               k.{_column(ViolationType, "sort_order")}, kinds.n, kinds.proven
        FROM kinds JOIN {_table(ViolationType)} AS k ON k.{_column(ViolationType, "id")} = kinds.kind_id
    """
    with connection.cursor() as cursor:
        proven = [str(outcome) for outcome in PROVEN_SUBJECT_OUTCOMES]  # a crime's suspect too: not cleared
        cursor.execute(sql, [*case_params, proven, proven])
        rows = cursor.fetchall()
    subject_rows = [
        {
            "person__agency_id": agency_id,
            "person__agency__name": agency_name,
            "person__employment_type": employment,
            "n": n,
            "proven": proven_n,
        }
        for part, agency_id, agency_name, employment, *_kind, n, proven_n in rows
        if part == 0
    ]
    act_rows = sorted(
        (
            {
                "violationtype__name": name,
                "violationtype__code": code,
                "violationtype__sort_order": order,
                "n": n,
                "proven": proven_n,
            }
            for part, *_person, name, code, order, n, proven_n in rows
            if part == 1
        ),
        key=lambda r: (r["violationtype__sort_order"], r["violationtype__code"]),
    )
    return subject_rows, act_rows


def dashboard_figures(
    user: User, period: Period, *, today: date | None = None, with_names: bool = True, whole=None
) -> Figures:
    """Every figure of the dashboard in a fixed number of queries. ``with_names=False`` leaves out the PPK
    follow-up list (the XLSX download carries figures only). ``whole`` names the lists given in full
    (``PAGE_LIMITS``' keys; ``None``: all of them), the others are cut to their first rows."""
    today = today or timezone.localdate()
    whole = set(PAGE_LIMITS) if whole is None else set(whole)
    cases = dashboard_cases(user, period)
    regencies_qs = dashboard_regencies(user)
    regencies = list(regencies_qs)

    # Cases by regency and status, with the overdue among them: one grouped query, summed here into the
    # totals, the status figure and the per-regency table.
    by_regency_status = list(
        cases.values("office__region__code", "office__region__name", "status").annotate(
            n=Count("pk"), overdue=Count("pk", filter=overdue_filter(today))
        )
    )
    status_counts = dict.fromkeys(CaseStatus.values, 0)
    counted: dict[str, dict] = {}
    for r in by_regency_status:
        status_counts[r["status"]] = status_counts.get(r["status"], 0) + r["n"]
        regency = counted.setdefault(
            r["office__region__code"], _regency_row(r["office__region__code"], r["office__region__name"])
        )
        regency["cases"] += r["n"]
        regency["open"] += r["n"] if r["status"] in OPEN_STATUSES else 0
        regency["overdue"] += r["overdue"]
    by_status = [Row(str(label), status_counts[value]) for value, label in CaseStatus.choices]

    # Subjects by agency and employment type, and their acts by violation type: summed here into the totals,
    # the agency, employment and violation-type figures.
    subject_rows, act_rows = subject_figures(cases)
    agencies: dict = {}
    employment_counts: dict = {}
    for r in subject_rows:
        agency = agencies.setdefault(r["person__agency_id"], {"name": r["person__agency__name"], "n": 0, "proven": 0})
        employment = employment_counts.setdefault(r["person__employment_type"], {"n": 0, "proven": 0})
        for bucket in (agency, employment):
            bucket["n"] += r["n"]
            bucket["proven"] += r["proven"]
    agency_rows = sorted(agencies.items(), key=lambda item: (-item[1]["n"], item[1]["name"] or ""))
    by_agency = [
        Row(a["name"] or _("Tanpa OPD / instansi lain"), a["n"], {"proven": a["proven"]}) for _pk, a in agency_rows
    ]
    employment_labels = dict(EmploymentType.choices)
    by_employment = [
        Row(
            str(employment_labels[value]), employment_counts[value]["n"], {"proven": employment_counts[value]["proven"]}
        )
        for value in EmploymentType.values
        if value in employment_counts
    ]

    # People reported per violation type (a subject found on two acts counts under both).
    by_type = [
        Row(r["violationtype__name"], r["n"], {"code": r["violationtype__code"], "proven": r["proven"]})
        for r in act_rows
    ]

    by_month = [
        Row(_month_label(r["month"]), r["n"], {"month": r["month"]})
        for r in cases.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    ]

    # The referral pipeline and the referrals past their clock, per regency: one grouped query.
    stages = dict.fromkeys(REFERRAL_STAGES, 0)
    for r in referral_stages_by_regency(cases, today):
        for key in REFERRAL_STAGES:
            stages[key] += r[key]
        if r["region_code"] in counted:
            counted[r["region_code"]]["awaiting_ppk"] += r["awaiting_ppk"]
    pipeline = [Row(str(label), stages[key], {"key": key}) for key, label in PIPELINE]
    overdue_referrals = [Row(str(label), stages[key], {"key": key}) for key, label in PIPELINE_LATE]

    # Prevention beside violations, per agency of the regencies in scope.
    start, end = period.bounds()
    prevention = [
        {
            "label": str(agency),
            "name": agency.name,
            "regency_id": agency.regency_id,
            "sessions_held": agency.sessions_held,
            "people_reached": agency.people_reached,
            "asn_reached": agency.asn_reached,
            "subjects": agencies.get(agency.pk, {}).get("n", 0),
            "proven": agencies.get(agency.pk, {}).get("proven", 0),
        }
        for agency in coverage_by_agency(regencies_qs, start=start, end=end)
        if agency.is_active or agency.sessions_held or agency.pk in agencies
    ]
    prevention.sort(key=lambda p: (-p["subjects"], -p["sessions_held"], p["name"]))

    # Every regency in scope is listed, those without cases with zeros.
    for regency in regencies:
        counted.setdefault(regency.code, _regency_row(regency.code, regency.name))
    per_regency = [counted[code] for code in sorted(counted)]

    sanctions = dict(Sanction.choices)
    ppk_list = []
    awaiting = referrals_awaiting_ppk(cases)
    if "ppk" not in whole:
        awaiting = awaiting[: PAGE_LIMITS["ppk"]]
    for referral in awaiting if with_names else []:
        person = referral.subject.person
        ppk_list.append(
            {
                "name": person.name,
                "nip": person.nip,
                "employment": str(employment_labels.get(person.employment_type, person.employment_type)),
                "position": person.position,
                "agency": person.agency.name if person.agency else person.employer_note,
                "sanction": sanctions.get(referral.recommended_sanction, ""),
                "institution": str(referral.institution),
                "recommended_on": referral.recommended_on,
                "ppk_due": referral.ppk_due,
                "days_overdue": referral.days_overdue(today),
                "clock": referral_clock(referral, today),
                "escalations": list(zip(referral.rung_names, referral.rung_dates, strict=True)),
                "blocked_since": referral.blocked_since,
                "conflict": referral.get_conflict_display(),
            }
        )

    prevention_count = len(prevention)
    if "opd" not in whole:
        by_agency, prevention = by_agency[: PAGE_LIMITS["opd"]], prevention[: PAGE_LIMITS["opd"]]
    total_cases = sum(status_counts.values())
    return Figures(
        regencies=regencies,
        total_cases=total_cases,
        open_cases=sum(status_counts[value] for value in OPEN_STATUSES),
        overdue_cases=sum(r["overdue"] for r in by_regency_status),
        by_status=by_status,
        by_type=by_type,
        by_agency=by_agency,
        by_employment=by_employment,
        by_month=by_month,
        total_subjects=sum(a["n"] for a in agencies.values()),
        proven_subjects=sum(a["proven"] for a in agencies.values()),
        agency_count=len(agencies),
        prevention_count=prevention_count,
        ppk_count=stages["awaiting_ppk"],
        pipeline=pipeline,
        overdue_referrals=overdue_referrals,
        prevention=prevention,
        per_regency=per_regency,
        ppk_list=ppk_list,
    )


def dashboard_figures_for_page(user: User, period: Period, *, today: date, whole) -> tuple[Figures, datetime | None]:
    """The page's figures, and when they were counted if they come from the cache (else None).

    A dashboard over several regencies (a province office, the national office) reads thousands of cases
    for each figure. Its figures are kept ``DASHBOARD_CACHE_SECONDS`` (default 60) in the ``figures`` cache
    (shared by the web processes when ``CACHE_URL`` names a Redis server), keyed by the offices in scope and
    the filter, and the page says when they were counted. A single regency's dashboard, the one its pemkab
    and supervisors work from, is always counted afresh. A Redis that fails reads as an empty cache (the
    ``CACHES`` setting): the figures are then counted for the request, never refused."""
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 60)
    offices = office_ids_of(user, DASHBOARD_READERS)
    if seconds <= 0 or (offices is not None and len(offices) <= 1):
        return dashboard_figures(user, period, today=today, whole=whole), None
    identity = repr(
        (offices, period.election.pk if period.election else None, period.start, period.end, sorted(whole), today)
    )
    key = "dasbor:" + hashlib.sha256(identity.encode()).hexdigest()
    cache = caches["figures"]
    hit = cache.get(key)
    if hit is not None:
        return hit
    figures, counted_at = dashboard_figures(user, period, today=today, whole=whole), timezone.now()
    cache.set(key, (figures, counted_at), seconds)
    return figures, counted_at
