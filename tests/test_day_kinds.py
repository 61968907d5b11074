"""Each step's limit in the kind of day its election's law counts: Pemilu in working days (Perbawaslu 7/2022),
Pilkada in calendar days (UU 10/2016 Pasal 134), over weekends and holidays."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cases.workflow import deadlines
from netralitas.reference.models import DayKind, Election
from tests.factories import ElectionFactory, NonWorkingDayFactory

pytestmark = pytest.mark.django_db

FRIDAY = date(2024, 2, 2)
WIB = ZoneInfo("Asia/Jakarta")
FRIDAY_MORNING = datetime(2024, 2, 2, 10, tzinfo=WIB)


def test_every_pemilu_step_counts_working_days():
    rules = Election.default_rules(Election.Kind.PEMILU)
    kinds = {rules[f"{step}_day_kind"] for step in ("report", "finding", "review", "decision")}
    assert kinds == {DayKind.WORKING}
    assert {Election.default_rules(Election.Kind.PILKADA)[f"{s}_day_kind"] for s in ("report", "review")} == {
        DayKind.CALENDAR
    }


def test_a_review_over_a_weekend_and_a_holiday(regions):
    pemilu = ElectionFactory(kind=Election.Kind.PEMILU, year=2024, region=None, name="Pemilu 2024")
    pilkada = ElectionFactory(kind=Election.Kind.PILKADA, year=2024, region=regions.gunung_mas)
    NonWorkingDayFactory(date=date(2024, 2, 5), region=None)  # a Monday off
    # received on a Friday: two working days are Tuesday 6 and Wednesday 7 February; two calendar days, Sunday
    assert deadlines.review_due(pemilu, FRIDAY_MORNING, regions.gunung_mas) == date(2024, 2, 7)
    assert deadlines.review_due(pilkada, FRIDAY_MORNING, regions.gunung_mas) == date(2024, 2, 4)
    # a finding: seven working days against seven calendar days
    assert deadlines.report_due(pemilu, "temuan", FRIDAY, regions.gunung_mas) > deadlines.report_due(
        pilkada, "temuan", FRIDAY, regions.gunung_mas
    )


def test_elections_stored_with_the_old_pemilu_defaults_move_to_working_days(regions):
    from importlib import import_module

    from django.apps import apps

    election = ElectionFactory(kind=Election.Kind.PEMILU, year=2029, region=None, name="Pemilu 2029")
    Election.objects.filter(pk=election.pk).update(finding_day_kind=DayKind.CALENDAR, review_day_kind=DayKind.CALENDAR)
    edited = ElectionFactory(kind=Election.Kind.PILKADA, year=2029, region=regions.gunung_mas)
    migration = import_module("netralitas.reference.migrations.0004_pemilu_working_days")
    migration.to_working_days(apps, None)
    election.refresh_from_db()
    edited.refresh_from_db()
    assert (election.finding_day_kind, election.review_day_kind) == (DayKind.WORKING, DayKind.WORKING)
    assert edited.review_day_kind == DayKind.CALENDAR  # Pilkada untouched


def test_a_pilkada_report_after_16_counts_from_the_next_day(regions):
    pilkada = ElectionFactory(kind=Election.Kind.PILKADA, year=2024, region=regions.gunung_mas)
    pemilu = ElectionFactory(kind=Election.Kind.PEMILU, year=2024, region=None, name="Pemilu 2024")
    assert pilkada.reports_close_at is not None and pemilu.reports_close_at is None
    before, after = datetime(2024, 2, 2, 15, 59, tzinfo=WIB), datetime(2024, 2, 2, 16, 0, tzinfo=WIB)
    assert deadlines.counted_from(pilkada, before, regions.gunung_mas) == FRIDAY
    assert deadlines.counted_from(pilkada, after, regions.gunung_mas) == date(2024, 2, 3)  # calendar days
    assert deadlines.review_due(pilkada, after, regions.gunung_mas) == date(2024, 2, 5)
    assert deadlines.counted_from(pemilu, after, regions.gunung_mas) == FRIDAY  # no hour set for Pemilu
