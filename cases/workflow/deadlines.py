"""The clocks the pages show: a case's statutory deadlines (from its election's rules and the working-day
calendar) and how long a referral has waited, or how late it is (``Referral.STAGE_DUE``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case, CaseSource, Referral, ReferralStatus
from netralitas.reference.calendar import WorkingCalendar
from netralitas.reference.models import DayKind, Election, Region


def _add(start: date, days: int, kind: str, region: Region | None) -> date:
    if kind == DayKind.WORKING:
        return WorkingCalendar(region).add_working_days(start, days)[0]
    return WorkingCalendar.add_calendar_days(start, days)


def report_due(election: Election, source: str, known_on: date, region: Region | None) -> date:
    """Last day to file a laporan (or record a temuan) after the act became known or was found."""
    if source == CaseSource.REPORT:
        return _add(known_on, election.report_days, election.report_day_kind, region)
    return _add(known_on, election.finding_days, election.finding_day_kind, region)


def counted_from(election: Election, received_at: datetime, region: Region | None) -> date:
    """The day a report's handling counts from: the day it was received, or the next day of service when it
    came after the hour reports are received until (``Election.reports_close_at``: Pilkada 16.00)."""
    local = timezone.localtime(received_at)
    if election.reports_close_at is not None and local.time() >= election.reports_close_at:
        return _add(local.date(), 1, election.review_day_kind, region)
    return local.date()


def review_due(election: Election, received_at: datetime, region: Region | None) -> date:
    return _add(counted_from(election, received_at, region), election.review_days, election.review_day_kind, region)


def decision_due(election: Election, registered_on: date, region: Region | None, *, extended: bool) -> date:
    days = election.decision_days + (election.extension_days if extended else 0)
    return _add(registered_on, days, election.decision_day_kind, region)


@dataclass(frozen=True)
class DueState:
    due: date
    days_left: int  # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def soon(self) -> bool:
        return 0 <= self.days_left <= 2  # the same two days as the "Segera jatuh tempo" list

    @property
    def label(self) -> str:
        if self.days_left < 0:
            n = -self.days_left
            return ngettext("terlambat %(n)d hari", "terlambat %(n)d hari", n) % {"n": n}
        if self.days_left == 0:
            return _("jatuh tempo hari ini")
        return ngettext("%(n)d hari lagi", "%(n)d hari lagi", self.days_left) % {"n": self.days_left}

    @property
    def css(self) -> str:
        return "danger" if self.overdue else ("warning" if self.soon else "secondary")


def due_state(case: Case, today: date | None = None) -> DueState | None:
    due = case.active_due
    if due is None:
        return None
    today = today or timezone.localdate()
    return DueState(due=due, days_left=(due - today).days)


@dataclass(frozen=True)
class Clock:
    label: str
    overdue: bool
    css: str


def referral_clock(referral: Referral, today: date | None = None) -> Clock | None:
    """ "menunggu BKN 12 hari", "PPK terlambat 5 hari", shown on every list."""
    today = today or timezone.localdate()
    inst = referral.institution.short_name or referral.institution.name
    if referral.status == ReferralStatus.SENT and referral.sent_at:
        started = referral.transferred_on or timezone.localdate(referral.sent_at)
        waited, n = (today - started).days, referral.days_overdue(today)
        if n:
            return Clock(
                ngettext("%(inst)s terlambat %(n)d hari", "%(inst)s terlambat %(n)d hari", n) % {"inst": inst, "n": n},
                True,
                "danger",
            )
        return Clock(_("menunggu %(inst)s %(n)d hari") % {"inst": inst, "n": waited}, False, "secondary")
    if referral.status == ReferralStatus.AWAITING_PPK and referral.recommended_on:
        waited, n = (today - referral.recommended_on).days, referral.days_overdue(today)
        if n:
            return Clock(ngettext("PPK terlambat %(n)d hari", "PPK terlambat %(n)d hari", n) % {"n": n}, True, "danger")
        return Clock(_("menunggu PPK %(n)d hari") % {"n": waited}, False, "warning")
    if referral.status == ReferralStatus.SANCTIONED:
        return Clock(_("menunggu pelaksanaan sanksi"), False, "info")
    return None
