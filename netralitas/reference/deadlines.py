"""Statutory time limits by an election's rules, over the working-day calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from netralitas.reference.calendar import SkippedDay, WorkingCalendar
from netralitas.reference.models import DayKind, Election, Region


@dataclass(frozen=True)
class Deadline:
    start: date
    due: date
    days: int
    day_kind: str
    skipped: list[SkippedDay] = field(default_factory=list)

    @property
    def day_kind_label(self) -> str:
        return DayKind(self.day_kind).label


def compute_deadline(
    election: Election,
    *,
    start: date,
    days_field: str,
    kind_field: str,
    with_extension: bool = False,
    region: Region | None = None,
) -> Deadline:
    """The due date by ``election``'s rule, counting the non-working days declared for ``region`` (the
    office handling the case: a national election's rules still skip a regency's own holidays)."""
    days = getattr(election, days_field) + (election.extension_days if with_extension else 0)
    kind = getattr(election, kind_field)
    if kind == DayKind.WORKING:
        due, skipped = WorkingCalendar(region or election.region).add_working_days(start, days)
    else:
        due, skipped = WorkingCalendar.add_calendar_days(start, days), []
    return Deadline(start=start, due=due, days=days, day_kind=kind, skipped=skipped)
