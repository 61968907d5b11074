"""Reminder sweeps of the case register, run by Celery beat: deadlines of open cases and the clocks of
referrals. Each sweep reads its candidates, the people to tell and the calendar in a fixed number of
queries, whatever the size of the register, and writes the outbox through ``netralitas.notify``. A sweep
that runs twice writes nothing the second time: each reminder has a key, and the outbox keeps one row per
key, channel and recipient.

Day-based reminders go out from ``REMINDER_HOUR`` (Asia/Jakarta); the day is always the local day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cases.models import Case, CaseStatus, Referral, ReferralEscalation, ReferralStatus
from cases.referrals import services as referrals
from cases.referrals.escalation import active_rungs, rung_after
from netralitas.accounts.models import Role
from netralitas.accounts.selectors import members_by_office
from netralitas.links import path_template
from netralitas.notify.services import Message, run_sweep
from netralitas.reference.calendar import ManyRegionsCalendar

# How far ahead a deadline is looked at for its H-1 reminder: the previous working day may lie more than a
# week before it (Lebaran and its collective leave).
LOOKAHEAD_DAYS = 16
REFERRAL_REPEAT_DAYS = 7
# Referrals reminded in one run at most: a run stays within seconds (and its transaction short) whatever the
# backlog, e.g. after an import of old referrals; the sweep runs every 10 minutes and takes the rest then.
REFERRAL_SWEEP_LIMIT = 10_000


def _local_day(now: datetime | None) -> tuple[datetime, date, bool]:
    now = now or timezone.now()
    local = timezone.localtime(now)
    return now, local.date(), local.hour >= settings.REMINDER_HOUR


def _staff_by_office(office_ids) -> dict[int, dict[str, list[int]]]:
    return members_by_office(office_ids, [Role.KOORDINATOR, Role.PENGAWAS])


def _people(staff, office_id: int, *named: int | None) -> list[int]:
    """The named people and the office's coordinators; the supervisors when nobody else would be told."""
    people = [uid for uid in named if uid] + staff[office_id][Role.KOORDINATOR]
    return list(dict.fromkeys(people or staff[office_id][Role.PENGAWAS]))


def case_deadline_messages(now: datetime | None = None) -> tuple[int, list[Message]]:
    now, today, after_hour = _local_day(now)
    if not after_hour:
        return 0, []
    horizon = today + timedelta(days=LOOKAHEAD_DAYS)
    # used by: case_open_review_due_idx and case_open_decision_due_idx (partial indexes on open cases)
    rows = list(
        Case.objects.filter(
            Q(status=CaseStatus.RECEIVED, review_due__lte=horizon)
            | Q(status__in=[CaseStatus.REGISTERED, CaseStatus.UNDER_REVIEW], decision_due__lte=horizon)
        ).values(
            "pk",
            "code",
            "number",
            "title",
            "status",
            "review_due",
            "decision_due",
            "office_id",
            "office__region__code",
            "office__name",
            "assignee_id",
        )
    )
    if not rows:
        return 0, []
    calendar = ManyRegionsCalendar(today, horizon)
    staff = _staff_by_office(r["office_id"] for r in rows)
    case_path = path_template("cases:detail")
    messages = []
    for row in rows:
        stage = "review" if row["status"] == CaseStatus.RECEIVED else "decision"
        due = row["review_due"] if stage == "review" else row["decision_due"]
        region = row["office__region__code"]
        if due > today:
            # H-1: the last working day before the deadline (Friday for a Monday deadline, the day before a
            # holiday for the day after it). A sweep that missed that day sends it on the next run.
            if calendar.working_day_between(today, due, region):
                continue
            when, key = "h1", "h1"
        elif due == today:
            when, key = "today", "today"
        else:
            if not calendar.is_working_day(today, region):
                continue
            when, key = "overdue", f"overdue:{today.isoformat()}"  # one a working day
        messages.append(
            Message(
                template="case_deadline",
                key=f"case:{row['pk']}:{stage}:{due.isoformat()}:{key}",
                context={
                    "stage": stage,
                    "when": when,
                    "days_until": (due - today).days,
                    "due": due.isoformat(),
                    "days_late": max((today - due).days, 0),
                    "number": row["number"],
                    "title": row["title"],
                    "office": row["office__name"],
                },
                users=_people(staff, row["office_id"], row["assignee_id"]),
                url=case_path(row["code"]),
                office_id=row["office_id"],
            )
        )
    return len(rows), messages


def referral_clock_messages(now: datetime | None = None) -> tuple[int, list[Message]]:
    """Referrals past their clock: the recommendation not come, or the regent (PPK) not acted. Told on the
    first working day past the clock, then every week while it stays overdue. One run takes the
    ``REFERRAL_SWEEP_LIMIT`` most overdue; the next runs take the rest."""
    now, today, after_hour = _local_day(now)
    if not after_hour:
        return 0, []
    # used by: referral_awaiting_rec_idx and referral_awaiting_ppk_idx
    rows = list(
        Referral.objects.filter(Referral.overdue_q(today))
        # not reminded in the last week: the sweep does not rebuild what it already sent
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lte=today - timedelta(days=REFERRAL_REPEAT_DAYS)))
        .filter(case__deleted_at__isnull=True)  # (a forwarded case cannot be deleted: kept all the same)
        # the most overdue first; a backlog larger than one run's share is taken by the next runs
        .annotate(due=Referral.due_expression())
        .order_by("due", "pk")
        .values(
            "pk",
            "code",
            "status",
            "due",
            "sent_by_id",
            "case__code",
            "case__number",
            "case__office_id",
            "case__office__region__code",
            "case__assignee_id",
            "subject__person__name",
            "institution__name",
            "institution__short_name",
            "conflict",
        )[:REFERRAL_SWEEP_LIMIT]
    )
    if not rows:
        return 0, []
    # the PPK late: the reminder names the escalation's next rung (``rung_after``, the page's rule)
    rungs = active_rungs()
    climbed: dict[int, list] = {}
    for step in ReferralEscalation.objects.filter(referral_id__in=[r["pk"] for r in rows]).select_related("rung"):
        climbed.setdefault(step.referral_id, []).append(step)
    staff = _staff_by_office(r["case__office_id"] for r in rows)
    calendar = ManyRegionsCalendar(today, today)
    referral_path = path_template("cases:referral")
    messages = []
    for row in rows:
        if not calendar.is_working_day(today, row["case__office__region__code"]):
            continue  # told on the next working day, within the same week
        stage = "recommendation" if row["status"] == ReferralStatus.SENT else "ppk"
        due = row["due"]
        late = (today - due).days
        week = (late - 1) // REFERRAL_REPEAT_DAYS
        messages.append(
            Message(
                template="referral_overdue",
                key=f"referral:{row['pk']}:{stage}:{due.isoformat()}:w{week}",
                context={
                    "referral_id": row["pk"],
                    "stage": stage,
                    "due": due.isoformat(),
                    "days_late": late,
                    "person": row["subject__person__name"],
                    "institution": row["institution__short_name"] or row["institution__name"],
                    "case_number": row["case__number"],
                    "next_step": (
                        getattr(rung_after(row["conflict"], climbed.get(row["pk"], []), rungs), "name", "")
                        if stage == "ppk"
                        else ""
                    ),
                },
                users=_people(staff, row["case__office_id"], row["case__assignee_id"], row["sent_by_id"]),
                url=referral_path(row["code"]),
                office_id=row["case__office_id"],
            )
        )
    return len(rows), messages


def sweep_case_deadlines(*, now: datetime | None = None) -> dict:
    return run_sweep(case_deadline_messages, now)


def sweep_referral_clocks(*, now: datetime | None = None) -> dict:
    candidates, messages = referral_clock_messages(now)
    rows = 0
    if messages:
        # queued, and remembered on the referrals so that the week's later runs look only at the others
        rows = referrals.referral_reminders_record(messages=messages, on=_local_day(now)[1], now=now)
    return {"candidates": candidates, "messages": len(messages), "rows": rows}
