"""Reads of reference data, scoped to the caller."""

from __future__ import annotations

from datetime import date, timedelta

from netralitas.reference.calendar import WorkingCalendar, national_holidays
from netralitas.reference.models import Agency, Election, Institution, NonWorkingDay, Region


def upcoming_non_working_days(region: Region | None, *, start: date, days: int = 60) -> list[tuple[date, str]]:
    """National holidays and declared days (national and for ``region`` and above) in the next ``days``,
    weekends left out: what a supervisor plans around."""
    end = start + timedelta(days=days)
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        found.update({d: n for d, n in national_holidays(year).items() if start <= d <= end})
    declared = NonWorkingDay.objects.filter(
        WorkingCalendar(region).declared_days_filter(), date__range=(start, end)
    ).values_list("date", "name")
    for day, name in declared:
        found.setdefault(day, name)
    return sorted(found.items())


def reference_counts() -> dict[str, int]:
    """How many rows of each kind of reference data there are (the office admin's page)."""
    return {
        "regions": Region.objects.count(),
        "agencies": Agency.objects.count(),
        "elections": Election.objects.count(),
        "institutions": Institution.objects.count(),
        "non_working_days": NonWorkingDay.objects.count(),
    }


def public_elections():
    """The elections whose figures anyone may read (every election: their follow-up is public)."""
    return Election.objects.select_related("region")
