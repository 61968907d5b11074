"""Statutory time limits by an election's rules, over the working-day calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from netralitas.reference.calendar import SkippedDay, WorkingCalendar
from netralitas.reference.models import DayKind, Election


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
    election: Election, *, start: date, days_field: str, kind_field: str, with_extension: bool = False
) -> Deadline:
    days = getattr(election, days_field) + (election.extension_days if with_extension else 0)
    kind = getattr(election, kind_field)
    if kind == DayKind.WORKING:
        due, skipped = WorkingCalendar(election.region).add_working_days(start, days)
    else:
        due, skipped = WorkingCalendar.add_calendar_days(start, days), []
    return Deadline(start=start, due=due, days=days, day_kind=kind, skipped=skipped)
