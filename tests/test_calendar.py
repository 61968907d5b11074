"""The working-day calendar: weekends, national holidays, collective leave and declared days."""

from datetime import date

import pytest

from netralitas.reference.calendar import WorkingCalendar, add_days, add_days_of_kind, is_working_day
from netralitas.reference.deadlines import compute_deadline
from netralitas.reference.models import DayKind, NonWorkingDay
from tests.factories import ElectionFactory, NonWorkingDayFactory


@pytest.fixture
def declared_christmas_eve(regions):
    """24 Dec 2024, declared non-working for Gunung Mas only (a regional day)."""
    return NonWorkingDayFactory(
        date=date(2024, 12, 24), name="Libur daerah uji", kind=NonWorkingDay.Kind.REGIONAL, region=regions.gunung_mas
    )


def test_calendar_days_ignore_weekends_and_holidays(db):
    assert add_days(date(2024, 12, 20), 3) == date(2024, 12, 23)
    assert add_days(date(2024, 12, 24), 2, working=False) == date(2024, 12, 26)


def test_working_days_skip_a_weekend(db):
    # Friday 6 Dec 2024 + 1 working day = Monday 9 Dec
    assert add_days(date(2024, 12, 6), 1, working=True) == date(2024, 12, 9)


def test_working_days_skip_a_national_holiday_and_collective_leave(db):
    # Mon 23 Dec (1); Wed 25 Christmas and Thu 26 cuti bersama skipped; Tue 24 is a working day nationally
    assert add_days(date(2024, 12, 20), 3, working=True) == date(2024, 12, 27)


def test_a_span_over_weekend_national_holiday_and_declared_day(regions, declared_christmas_eve):
    calendar = WorkingCalendar(regions.gunung_mas)
    due, skipped = calendar.add_working_days(date(2024, 12, 20), 3)
    # Mon 23 (1), Tue 24 declared, Wed 25 Christmas, Thu 26 collective leave, Fri 27 (2), weekend, Mon 30 (3)
    assert due == date(2024, 12, 30)
    reasons = {s.day: s.reason for s in skipped}
    assert reasons[date(2024, 12, 21)] == "Sabtu"
    assert reasons[date(2024, 12, 22)] == "Minggu"
    assert reasons[date(2024, 12, 24)] == "Libur daerah uji"
    assert reasons[date(2024, 12, 25)] == "Hari Raya Natal"
    assert "Cuti Bersama" in reasons[date(2024, 12, 26)]
    assert date(2024, 12, 23) not in reasons and date(2024, 12, 27) not in reasons


def test_a_regional_day_applies_below_the_region_and_not_elsewhere(regions, declared_christmas_eve):
    assert not is_working_day(date(2024, 12, 24), region=regions.gunung_mas)
    assert not is_working_day(date(2024, 12, 24), region=regions.kurun)  # a kecamatan of Gunung Mas
    assert is_working_day(date(2024, 12, 24), region=regions.palangka_raya)
    assert is_working_day(date(2024, 12, 24), region=None)


def test_a_national_declared_day_applies_everywhere(regions):
    NonWorkingDayFactory(date=date(2025, 3, 4), name="Libur nasional uji")
    assert not is_working_day(date(2025, 3, 4), region=regions.pahandut)
    assert not is_working_day(date(2025, 3, 4))


def test_zero_days_is_the_start_and_negative_is_refused(db):
    assert add_days(date(2024, 12, 21), 0, working=True) == date(2024, 12, 21)
    with pytest.raises(ValueError):
        add_days(date(2024, 12, 21), -1, working=True)


def test_a_long_span_loads_declared_days_a_window_at_a_time(regions, django_assert_num_queries):
    calendar = WorkingCalendar(regions.gunung_mas)
    with django_assert_num_queries(1):
        calendar.add_working_days(date(2025, 1, 2), 60)  # about 90 calendar days: one window


def test_day_kind_helper_follows_the_rule(db):
    assert add_days_of_kind(date(2024, 12, 20), 3, DayKind.CALENDAR) == date(2024, 12, 23)
    assert add_days_of_kind(date(2024, 12, 20), 3, DayKind.WORKING) == date(2024, 12, 27)


def test_election_deadline_with_extension(regions):
    pemilu = ElectionFactory(kind="pemilu", region=None, year=2029, voting_day=date(2029, 2, 14))
    # Pemilu: decision 7 working days after registration, +7 with the extension (14 working days in all)
    deadline = compute_deadline(
        pemilu, start=date(2024, 12, 2), days_field="decision_days", kind_field="decision_day_kind", with_extension=True
    )
    assert (deadline.days, deadline.due) == (14, date(2024, 12, 20))
    # Pemilu reports: 7 working days from when it became known
    report = compute_deadline(pemilu, start=date(2024, 12, 20), days_field="report_days", kind_field="report_day_kind")
    # 23, 24, 27, 30, 31 Dec, 2 and 3 Jan: skips 21-22, 25, 26, 28-29 Dec and 1 Jan
    assert report.due == date(2025, 1, 3)


def test_a_national_election_counts_the_days_declared_for_the_office_region(regions, declared_christmas_eve):
    pemilu = ElectionFactory(kind="pemilu", region=None, year=2029, voting_day=date(2029, 2, 14))
    args = {"start": date(2024, 12, 23), "days_field": "report_days", "kind_field": "report_day_kind"}
    nationally = compute_deadline(pemilu, **args)
    in_gunung_mas = compute_deadline(pemilu, region=regions.gunung_mas, **args)
    assert in_gunung_mas.due > nationally.due
