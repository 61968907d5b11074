"""The working-day calendar: deadlines counted in calendar days or in working days.

A working day is a weekday that is neither an Indonesian national holiday (the `holidays` package, with
the categories of ``settings.HOLIDAY_CATEGORIES``: public holidays and collective leave) nor a day an
admin declared non-working (``NonWorkingDay``) nationally or for the region or any region above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from netralitas.reference.models import DayKind, NonWorkingDay, Region

SATURDAY = 5


@lru_cache(maxsize=64)
def _national_holidays(year: int, categories: tuple[str, ...]) -> dict[date, str]:
    return dict(holidays.country_holidays("ID", years=year, categories=categories, language="id"))


def national_holidays(year: int) -> dict[date, str]:
    return _national_holidays(year, tuple(settings.HOLIDAY_CATEGORIES))


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str


class WorkingCalendar:
    """Answers "is this a working day?" for one region, loading declared days a window at a time (one
    query per window, whatever the span)."""

    WINDOW_DAYS = 120

    def __init__(self, region: Region | None = None):
        self.region = region
        self._declared: dict[date, str] = {}
        self._loaded_until: date | None = None
        self._loaded_from: date | None = None

    def declared_days_filter(self) -> Q:
        national = Q(region__isnull=True)
        if self.region is None:
            return national
        return national | Q(region__code__in=self.region.ancestor_codes)

    def _ensure_loaded(self, day: date) -> None:
        if self._loaded_from is not None and self._loaded_from <= day <= self._loaded_until:
            return
        start, end = day, day + timedelta(days=self.WINDOW_DAYS)
        rows = NonWorkingDay.objects.filter(self.declared_days_filter(), date__range=(start, end)).values_list(
            "date", "name"
        )
        self._declared = dict(rows)
        self._loaded_from, self._loaded_until = start, end

    def reason_closed(self, day: date) -> str | None:
        """Why ``day`` is not a working day, or None when it is one."""
        if day.weekday() >= SATURDAY:
            return _("Sabtu") if day.weekday() == SATURDAY else _("Minggu")
        holiday = national_holidays(day.year).get(day)
        if holiday:
            return holiday
        self._ensure_loaded(day)
        return self._declared.get(day)

    def is_working_day(self, day: date) -> bool:
        return self.reason_closed(day) is None

    @staticmethod
    def add_calendar_days(start: date, days: int) -> date:
        if days < 0:
            raise ValueError("days must not be negative")
        return start + timedelta(days=days)

    def add_working_days(self, start: date, days: int) -> tuple[date, list[SkippedDay]]:
        """The ``days``-th working day after ``start`` (``start`` itself is not counted), and the days
        passed over on the way with the reason for each."""
        if days < 0:
            raise ValueError("days must not be negative")
        current, remaining, skipped = start, days, []
        while remaining:
            current += timedelta(days=1)
            reason = self.reason_closed(current)
            if reason is None:
                remaining -= 1
            else:
                skipped.append(SkippedDay(current, reason))
        return current, skipped


def add_days(start: date, days: int, *, working: bool = False, region: Region | None = None) -> date:
    """``start`` plus ``days`` calendar days, or plus ``days`` working days when ``working``."""
    if not working:
        return WorkingCalendar.add_calendar_days(start, days)
    return WorkingCalendar(region).add_working_days(start, days)[0]


def add_days_of_kind(start: date, days: int, kind: str, *, region: Region | None = None) -> date:
    """The same, with the kind of day as an election's rules store it (``DayKind``)."""
    return add_days(start, days, working=DayKind(kind) == DayKind.WORKING, region=region)


def is_working_day(day: date, *, region: Region | None = None) -> bool:
    return WorkingCalendar(region).is_working_day(day)


class ManyRegionsCalendar:
    """Working days for many regions at once over a span of dates, from one query: for reminder sweeps,
    which look at cases of every region and must not cost a query per region."""

    def __init__(self, start: date, end: date):
        self.start, self.end = start, end
        self._declared: dict[date, list[str | None]] = {}
        for day, code in NonWorkingDay.objects.filter(date__range=(start, end)).values_list("date", "region__code"):
            self._declared.setdefault(day, []).append(code)

    def is_working_day(self, day: date, region_code: str) -> bool:
        if day.weekday() >= SATURDAY or day in national_holidays(day.year):
            return False
        if not self.start <= day <= self.end:
            raise ValueError(f"{day} is outside the loaded span {self.start}..{self.end}")
        return not any(
            code is None or region_code == code or region_code.startswith(code + ".")
            for code in self._declared.get(day, ())
        )

    def add_working_days(self, start: date, days: int, region_code: str) -> date:
        """The ``days``-th working day after ``start`` in the region (``start`` itself is not counted), as
        ``WorkingCalendar.add_working_days`` counts it."""
        current, remaining = start, days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current, region_code):
                remaining -= 1
        return current

    def working_day_between(self, after: date, before: date, region_code: str) -> bool:
        """Whether any working day lies strictly between ``after`` and ``before``."""
        day = after + timedelta(days=1)
        while day < before:
            if self.is_working_day(day, region_code):
                return True
            day += timedelta(days=1)
        return False
