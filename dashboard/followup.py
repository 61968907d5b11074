"""Follow-up rates: what became of the people a receiving body recommended a sanction for, per regency, per
province and per receiving body, with the median working days of each stage.

Every figure is a sum of stages of ``REFERRAL_STAGES`` (``FIGURES`` below), read through the same SQL
conditions as the dashboard's pipeline (``stage_sql``): a crime at Sentra Gakkumdu, a transferred row (its
successor carries on), a draft, a withdrawn referral and a recommendation "not proven" are in none of them.
The regency is the one of the office that handled the case, as on the dashboard.

One SQL statement counts everything, whatever the size of the scope: the scope's referrals read case by case
through their index, the decision and execution dates from their responses, a working-day calendar built in
the statement (weekends, the national holidays of ``netralitas.reference.calendar``, the ``NonWorkingDay``
rows of the nation and of each office's region), and every grouping at once (``GROUPING SETS``), with the
medians as ``percentile_cont`` (docs/performance.md)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cases.models import Case, Referral, ReferralResponse
from dashboard.selectors import STAGE_COLUMNS, Period, _column, _table, dashboard_cases, stage_sql
from netralitas.accounts.models import User
from netralitas.accounts.roles import DASHBOARD_READERS
from netralitas.accounts.scope import office_ids_of
from netralitas.reference.calendar import national_holidays
from netralitas.reference.models import Election, Institution, NonWorkingDay, Region

# The figures: each the stages of REFERRAL_STAGES it adds up, and its label.
FIGURES = (
    ("recommended", ("awaiting_ppk", "sanctioned", "executed", "refused"), gettext_lazy("Direkomendasikan sanksi")),
    ("decided", ("sanctioned", "executed", "refused"), gettext_lazy("Diputus PPK")),
    ("sanctioned", ("sanctioned", "executed"), gettext_lazy("Sanksi dijatuhkan PPK")),
    ("executed", ("executed",), gettext_lazy("Sanksi dilaksanakan")),
    ("refused", ("refused",), gettext_lazy("PPK tidak menjatuhkan sanksi")),
    ("overdue", ("ppk_late",), gettext_lazy("Keputusan PPK melewati batas")),
)
FIGURE_STAGES = {key: stages for key, stages, _label in FIGURES}
FIGURE_LABELS = {key: label for key, _stages, label in FIGURES}

# The stages timed: from which date to which, over the people of which figure.
SPANS = (
    ("recommendation", "letter_date", "recommended_on", "recommended", gettext_lazy("Surat penerusan → rekomendasi")),
    ("decision", "recommended_on", "decided_on", "decided", gettext_lazy("Rekomendasi → keputusan PPK")),
    ("execution", "decided_on", "executed_on", "executed", gettext_lazy("Keputusan PPK → sanksi dilaksanakan")),
)
SPAN_LABELS = {key: label for key, *_dates, label in SPANS}

# The national holidays are passed to the statement for the years from this many years back to next year:
# follow-up older than that is not kept in the system (its records start with the 2020 Pilkada).
HOLIDAY_YEARS_BACK = 10

# On the public page a median of fewer people than this is not shown (the days of one or two people's
# proceedings, which the news may name); their counts are.
PUBLIC_MEDIAN_MIN = 3


@dataclass
class RateRow:
    """One line of a table: a regency, a province, a receiving body, or all of them."""

    key: str
    label: str
    recommended: int = 0
    decided: int = 0
    sanctioned: int = 0
    executed: int = 0
    refused: int = 0
    overdue: int = 0
    medians: dict = field(default_factory=dict)  # span key -> median working days (None: no value, or hidden)
    timed: dict = field(default_factory=dict)  # span key -> how many people the median is taken over

    @property
    def awaiting(self) -> int:
        """Recommended, not yet decided by the PPK."""
        return self.recommended - self.decided

    @property
    def rate(self) -> float | None:
        """The follow-up rate: the PPK imposed the sanction (carried out or not yet) ÷ recommended, in %."""
        return round(100 * self.sanctioned / self.recommended, 1) if self.recommended else None

    @property
    def executed_rate(self) -> float | None:
        """Carried out ÷ recommended, in %."""
        return round(100 * self.executed / self.recommended, 1) if self.recommended else None

    def median_list(self) -> list[dict]:
        """Each timed stage: its key and label, the median and how many people it is taken over."""
        return [
            {"key": key, "label": label, "median": self.medians.get(key), "timed": self.timed.get(key, 0)}
            for key, *_dates, label in SPANS
        ]


@dataclass
class FollowUp:
    total: RateRow
    regencies: list[RateRow]  # ranked by rate
    provinces: list[RateRow]  # ranked by rate
    bodies: list[RateRow]  # most recommended first
    today: date
    median_min: int = 1  # medians of fewer people are left out


def _working_days(start: str, end: str) -> str:
    """Working days after ``start`` up to and including ``end`` (columns of ``w``) at the office's region:
    the national ordinals' difference, less the regional days declared in between."""
    return (
        f"(o.n[w.{end} - o.first_day + 1] - o.n[w.{start} - o.first_day + 1] "
        f"- CASE WHEN w.region_code = ANY(ARRAY(SELECT code FROM local_days)) THEN "
        f"(SELECT COUNT(*) FROM local_days l WHERE l.code = w.region_code AND l.day > w.{start} "
        f"AND l.day <= w.{end}) ELSE 0 END)"
    )


def followup_rows(cases: QuerySet, today: date, *, whole: bool = False) -> list[dict]:
    """The figures of ``cases``' referrals per regency, per province, per receiving body and in all (rows with
    ``level``: "regency", "province", "body" or "total"), in one statement. ``whole``: the cases are those of
    the whole country (or of a national election), read as such."""
    quote = connection.ops.quote_name
    stages = stage_sql(today, "x")
    flag_keys = sorted({stage for _key, keys, _label in FIGURES for stage in keys})
    flags = ", ".join(f"{stages[key][0]} AS {quote(key)}" for key in flag_keys)
    flag_params = [value for key in flag_keys for value in stages[key][1]]

    def any_of(figure: str, alias: str) -> str:
        return "(" + " OR ".join(f"{alias}.{quote(stage)}" for stage in FIGURE_STAGES[figure]) + ")"

    read = ("id", "institution", "letter_date", "recommended_on", *STAGE_COLUMNS)
    columns = ", ".join(_column(Referral, name) for name in read)
    case_sql, case_params = cases.order_by().values_list("pk", "office__region__code").query.sql_with_params()
    response, nwd, region, institution = (_table(m) for m in (ReferralResponse, NonWorkingDay, Region, Institution))
    rc = {name: _column(ReferralResponse, name) for name in ("referral", "kind", "date")}
    nc = {name: _column(NonWorkingDay, name) for name in ("date", "region", "id")}
    gc = {name: _column(Region, name) for name in ("id", "code", "name")}
    ic = {name: _column(Institution, name) for name in ("id", "name", "short_name")}
    spans = ", ".join(
        f"CASE WHEN {any_of(figure, 'w')} THEN {_working_days(start, end)} END AS {key}_days"
        for key, start, end, figure, _label in SPANS
    )
    figures = ", ".join(
        f"COUNT(*) FILTER (WHERE {any_of(key, 'w')}) AS {quote(key)}" for key, _stages, _label in FIGURES
    )
    medians = ", ".join(
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {key}_days) AS {key}_median, COUNT({key}_days) AS {key}_timed"
        for key, *_rest in SPANS
    )
    years = range(today.year - HOLIDAY_YEARS_BACK, today.year + 2)
    holidays = sorted(day for year in years for day in national_holidays(year))
    decided, executed = ReferralResponse.Kind.PPK_DECISION.value, ReferralResponse.Kind.EXECUTION.value
    dated = (
        f"MAX({rc['date']}) FILTER (WHERE {rc['kind']} = %s) AS decided_on, "
        f"MAX({rc['date']}) FILTER (WHERE {rc['kind']} = %s) AS executed_on"
    )
    if whole:
        # Most of the country: its referrals and their responses read whole, joined by hash (reading them case
        # by case would be 200,000 index lookups).
        referrals = f"JOIN {_table(Referral)} AS x ON x.{_column(Referral, 'case')} = c.id"
        responses = (
            f"LEFT JOIN (SELECT {rc['referral']} AS referral_id, {dated} FROM {response} "
            f"WHERE {rc['kind']} IN (%s, %s) GROUP BY {rc['referral']}) AS d "
            f"ON d.referral_id = x.referral_id AND {any_of('decided', 'x')}"
        )
        response_params = [decided, executed, decided, executed]
    else:
        # A regency or a province: the referrals read case by case through their index (OFFSET 0 keeps the
        # subquery as written), the responses only for the referrals the PPK decided.
        referrals = (
            f"CROSS JOIN LATERAL (SELECT {columns} FROM {_table(Referral)} "
            f"WHERE {_column(Referral, 'case')} = c.id OFFSET 0) AS x"
        )
        responses = (
            f"LEFT JOIN LATERAL (SELECT {dated} FROM {response} WHERE {rc['referral']} = x.referral_id "
            f"AND {any_of('decided', 'x')}) AS d ON TRUE"
        )
        response_params = [decided, executed]
    sql = f"""
        WITH r AS MATERIALIZED (
            SELECT x.*, d.decided_on, d.executed_on FROM (
                SELECT c.region_code, x.{_column(Referral, "institution")} AS institution_id,
                       x.{_column(Referral, "id")} AS referral_id, x.{_column(Referral, "letter_date")} AS letter_date,
                       x.{_column(Referral, "recommended_on")} AS recommended_on, {flags}
                FROM ({case_sql}) AS c (id, region_code) {referrals}
            ) AS x
            {responses}
            WHERE {any_of("recommended", "x")}
        ), bounds AS (
            SELECT MIN(letter_date) AS first_day,
                   GREATEST(MAX(recommended_on), MAX(decided_on), MAX(executed_on)) AS last_day
            FROM r
        ), cal AS MATERIALIZED (
            SELECT day, working, SUM(working) OVER (ORDER BY day) AS n FROM (
                SELECT g.day::date AS day,
                       (EXTRACT(ISODOW FROM g.day) < 6 AND NOT g.day::date = ANY(%s::date[])
                        AND w.{nc["id"]} IS NULL)::int AS working
                FROM bounds CROSS JOIN generate_series(bounds.first_day, bounds.last_day, interval '1 day') AS g (day)
                LEFT JOIN {nwd} AS w ON w.{nc["date"]} = g.day::date AND w.{nc["region"]} IS NULL
            ) AS days
        ), local_days AS MATERIALIZED (
            SELECT DISTINCT codes.code, cal.day
            FROM (SELECT DISTINCT region_code AS code FROM r) AS codes
            JOIN {region} AS g ON codes.code = g.{gc["code"]} OR codes.code LIKE g.{gc["code"]} || '.%%'
            JOIN {nwd} AS nw ON nw.{nc["region"]} = g.{gc["id"]}
            JOIN cal ON cal.day = nw.{nc["date"]} AND cal.working = 1
        ), ordinals AS (
            SELECT MIN(day) AS first_day, array_agg(n ORDER BY day) AS n FROM cal
        ), timed AS (
            SELECT w.*, split_part(w.region_code, '.', 1) AS province_code, {spans}
            FROM r AS w CROSS JOIN ordinals AS o
        ), grouped AS (
            SELECT GROUPING(region_code) AS by_region, GROUPING(province_code) AS by_province,
                   GROUPING(institution_id) AS by_body, region_code, province_code, institution_id,
                   {figures}, {medians}
            FROM timed AS w
            GROUP BY GROUPING SETS ((region_code, province_code), (province_code), (institution_id), ())
        )
        SELECT grouped.*, reg.{gc["name"]} AS region_name, prov.{gc["name"]} AS province_name,
               inst.{ic["name"]} AS body_name, inst.{ic["short_name"]} AS body_short_name
        FROM grouped
        LEFT JOIN {region} AS reg ON reg.{gc["code"]} = grouped.region_code
        LEFT JOIN {region} AS prov ON prov.{gc["code"]} = grouped.province_code
        LEFT JOIN {institution} AS inst ON inst.{ic["id"]} = grouped.institution_id
    """
    params = [*flag_params, *case_params, *response_params, holidays]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["level"] = (
            "total"
            if row["by_body"] and row["by_province"]
            else "body"
            if row["by_province"]
            else "province"
            if row["by_region"]
            else "regency"
        )
    return rows


def _rate_row(row: dict, key: str, label: str, median_min: int) -> RateRow:
    medians, timed = {}, {}
    for span, *_rest in SPANS:
        timed[span] = row[f"{span}_timed"]
        median = row[f"{span}_median"]
        medians[span] = round(median, 1) if median is not None and timed[span] >= median_min else None
    return RateRow(
        key=key, label=label, medians=medians, timed=timed, **{figure: row[figure] for figure, *_rest in FIGURES}
    )


def _ranked(rows: list[RateRow]) -> list[RateRow]:
    return sorted(rows, key=lambda r: (r.rate is None, -(r.rate or 0), -r.recommended, r.label))


def followup_figures(cases: QuerySet, today: date, *, median_min: int = 1, whole: bool = False) -> FollowUp:
    """The follow-up figures of ``cases`` (a scoped queryset): one query."""
    regencies, provinces, bodies = [], [], []
    total = RateRow(key="", label=str(gettext_lazy("Semua")), medians=dict.fromkeys(SPAN_LABELS))
    for row in followup_rows(cases, today, whole=whole):
        level = row["level"]
        if level == "total":
            total = _rate_row(row, "", str(gettext_lazy("Semua")), median_min)
        elif level == "regency":
            regencies.append(_rate_row(row, row["region_code"], row["region_name"] or row["region_code"], median_min))
        elif level == "province":
            label = row["province_name"] or row["province_code"]
            provinces.append(_rate_row(row, row["province_code"], label, median_min))
        else:
            label = row["body_short_name"] or row["body_name"] or ""
            bodies.append(_rate_row(row, str(row["institution_id"]), label, median_min))
    bodies.sort(key=lambda r: (-r.recommended, r.label))
    return FollowUp(
        total=total,
        regencies=_ranked(regencies),
        provinces=_ranked(provinces),
        bodies=bodies,
        today=today,
        median_min=median_min,
    )


def followup_for_user(user: User, period: Period, *, today: date) -> FollowUp:
    """The follow-up figures of the caller's scope (the dashboard's readers) and filter."""
    whole = office_ids_of(user, DASHBOARD_READERS) is None
    return followup_figures(dashboard_cases(user, period), today, whole=whole)


def public_followup(election: Election, *, today: date) -> FollowUp:
    """The follow-up figures of one election, every office, for the public page: live cases only, medians of
    fewer than ``PUBLIC_MEDIAN_MIN`` people left out."""
    cases = Case.objects.filter(election=election)
    return followup_figures(cases, today, median_min=PUBLIC_MEDIAN_MIN, whole=election.region_id is None)


# Cached figures carry the shape of the classes that hold them in their key: a release whose rows differ
# never reads what another stored.
_SHAPE = hashlib.sha256(repr([[f.name for f in fields(c)] for c in (FollowUp, RateRow)]).encode()).hexdigest()[:12]


def _cached(key: str, seconds: int, count) -> tuple[FollowUp, datetime | None]:
    if seconds <= 0:
        return count(), None
    cache = caches["figures"]
    key = f"tindak-lanjut:{_SHAPE}:" + hashlib.sha256(key.encode()).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        return hit
    figures, counted_at = count(), timezone.now()
    cache.set(key, (figures, counted_at), seconds)
    return figures, counted_at


def followup_for_page(user: User, period: Period, *, today: date) -> tuple[FollowUp, datetime | None]:
    """The page's figures and when they were counted if they come from the cache (else None): kept like the
    dashboard's (``DASHBOARD_CACHE_SECONDS``, several regencies only)."""
    offices = office_ids_of(user, DASHBOARD_READERS)
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 60)
    if offices is not None and len(offices) <= 1:
        seconds = 0
    identity = repr((offices, period.election.pk if period.election else None, period.start, period.end, today))
    return _cached(identity, seconds, lambda: followup_for_user(user, period, today=today))


def public_followup_for_page(election: Election, *, today: date) -> tuple[FollowUp, datetime | None]:
    """The public page's figures, counted at most once per ``PUBLIC_FIGURES_CACHE_SECONDS`` per election and
    day, whoever asks."""
    seconds = getattr(settings, "PUBLIC_FIGURES_CACHE_SECONDS", 300)
    return _cached(repr(("publik", election.pk, today)), seconds, lambda: public_followup(election, today=today))
