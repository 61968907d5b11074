"""Reminder sweeps: who is told, when (local WIB day, from REMINDER_HOUR, across weekends and holidays),
never twice, and at a fixed number of queries whatever the number of cases, referrals or sessions."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases import reminders
from cases.models import Case, CaseStatus, Referral, ReferralStatus
from cases.workflow import services
from netralitas.accounts.models import Role
from netralitas.notify.models import Channel, Notification, OptOut
from netralitas.notify.services import render
from outreach import reminders as outreach_reminders
from outreach.models import Invitation, OutreachSession, SessionKind, SessionStatus
from tests.factories import AgencyFactory, MembershipFactory, NonWorkingDayFactory, UserFactory, make_case

WIB = ZoneInfo("Asia/Jakarta")


def at(*args):
    """A moment given in WIB, as the clock hands it to the sweeps: in UTC (timezone.now())."""
    return datetime(*args, tzinfo=WIB).astimezone(UTC)


def keys(template=None):
    rows = Notification.objects.all()
    if template:
        rows = rows.filter(template=template)
    return sorted(rows.values_list("dedupe_key", flat=True))


def whens(template="case_deadline"):
    return sorted({n.context["when"] for n in Notification.objects.filter(template=template)})


@pytest.fixture
def case(offices, pengawas, koordinator):
    """A laporan in Gunung Mas with its initial review due on Thursday 17 October 2024."""
    case = make_case(office=offices.gunung_mas, actor=pengawas, assignee=pengawas)
    Case.objects.filter(pk=case.pk).update(review_due=date(2024, 10, 17))
    Notification.objects.all().delete()  # the assignment message of the intake is not what is tested here
    return case


def test_review_deadline_is_reminded_the_day_before_on_the_day_and_each_working_day_after(
    case, pengawas, koordinator, outsider
):
    reminders.sweep_case_deadlines(now=at(2024, 10, 15, 8))
    assert Notification.objects.count() == 0  # two days before: nothing yet

    result = reminders.sweep_case_deadlines(now=at(2024, 10, 16, 8))
    assert whens() == ["h1"]
    # the assignee and the coordinator, in the inbox and by e-mail; nobody of another regency
    assert sorted(Notification.objects.values_list("recipient__username", "channel")) == [
        ("koordinator", "email"),
        ("koordinator", "inbox"),
        ("pengawas", "email"),
        ("pengawas", "inbox"),
    ]
    assert result == {"candidates": 1, "messages": 1, "rows": 4}

    reminders.sweep_case_deadlines(now=at(2024, 10, 17, 8))
    reminders.sweep_case_deadlines(now=at(2024, 10, 18, 8))
    reminders.sweep_case_deadlines(now=at(2024, 10, 19, 8))  # Saturday: no overdue reminder
    reminders.sweep_case_deadlines(now=at(2024, 10, 21, 8))
    overdue_days = sorted(
        {n.dedupe_key.split(":overdue:")[1][:10] for n in Notification.objects.filter(dedupe_key__contains="overdue")}
    )
    assert whens() == ["h1", "overdue", "today"]
    assert overdue_days == ["2024-10-18", "2024-10-21"]
    inbox = Notification.objects.get(recipient=pengawas, channel=Channel.INBOX, context__when="today")
    assert inbox.url == f"/perkara/{case.code}/"


def test_a_sweep_run_twice_writes_each_reminder_once(case):
    first = reminders.sweep_case_deadlines(now=at(2024, 10, 16, 8))
    again = reminders.sweep_case_deadlines(now=at(2024, 10, 16, 8, 10))
    assert first["rows"] == 4
    assert Notification.objects.count() == 4
    assert again["messages"] == 1  # looked at again, written nothing
    assert len(set(keys())) == 4


def test_day_reminders_wait_for_the_reminder_hour_in_wib(case, settings):
    settings.REMINDER_HOUR = 7
    reminders.sweep_case_deadlines(now=at(2024, 10, 17, 6, 59))  # 23:59 UTC on the 16th
    assert whens() == []  # not at night, and not yesterday's H-1 either: the local day is the 17th
    reminders.sweep_case_deadlines(now=at(2024, 10, 17, 7, 0))
    assert whens() == ["today"]


def test_the_day_turns_at_midnight_wib_not_utc(case, settings):
    settings.REMINDER_HOUR = 0
    reminders.sweep_case_deadlines(now=at(2024, 10, 16, 23, 59))  # 16:59 UTC
    assert whens() == ["h1"]
    reminders.sweep_case_deadlines(now=at(2024, 10, 17, 0, 0))  # 17:00 UTC on the 16th: already the 17th in WIB
    assert whens() == ["h1", "today"]


def test_h1_lands_on_the_last_working_day_before_a_weekend_and_a_holiday(case, regions):
    # Deadline Tuesday 22 October; Monday 21 declared a holiday in Gunung Mas: H-1 is Friday the 18th.
    Case.objects.filter(pk=case.pk).update(review_due=date(2024, 10, 22))
    NonWorkingDayFactory(date=date(2024, 10, 21), region=regions.gunung_mas, name="Cuti bersama daerah")
    reminders.sweep_case_deadlines(now=at(2024, 10, 17, 8))
    assert whens() == []
    reminders.sweep_case_deadlines(now=at(2024, 10, 18, 8))
    assert whens() == ["h1"]
    # the holiday of another regency changes nothing here
    Notification.objects.all().delete()
    NonWorkingDayFactory(date=date(2024, 11, 4), region=regions.palangka_raya)
    Case.objects.filter(pk=case.pk).update(review_due=date(2024, 11, 5))
    reminders.sweep_case_deadlines(now=at(2024, 11, 1, 8))
    assert whens() == []
    reminders.sweep_case_deadlines(now=at(2024, 11, 4, 8))
    assert whens() == ["h1"]


def test_no_overdue_reminder_on_a_national_holiday(case):
    # 25 December 2024 (Christmas) is a national holiday: no overdue reminder that day.
    Case.objects.filter(pk=case.pk).update(review_due=date(2024, 12, 20))
    reminders.sweep_case_deadlines(now=at(2024, 12, 25, 8))
    assert whens() == []
    reminders.sweep_case_deadlines(now=at(2024, 12, 27, 8))
    assert whens() == ["overdue"]


def test_decision_deadline_after_registration_and_extension_is_reminded_anew(case, koordinator):
    case.refresh_from_db()
    Case.objects.filter(pk=case.pk).update(**dict.fromkeys(Case.FORMAL_REQUIREMENTS + Case.MATERIAL_REQUIREMENTS, True))
    case = services.case_transition(
        case=case, actor=koordinator, name="register", expected_version=None, at=at(2024, 10, 16, 10)
    )
    Notification.objects.all().delete()
    due = case.decision_due
    reminders.sweep_case_deadlines(now=datetime.combine(due, datetime.min.time(), WIB) + timedelta(hours=8))
    assert {n.context["stage"] for n in Notification.objects.all()} == {"decision"}
    case = services.case_extend(case=case, actor=koordinator, expected_version=None, reason="Perlu keterangan ahli")
    reminders.sweep_case_deadlines(
        now=datetime.combine(case.decision_due, datetime.min.time(), WIB) + timedelta(hours=8)
    )
    assert {n.context["due"] for n in Notification.objects.filter(context__when="today")} == {
        due.isoformat(),
        case.decision_due.isoformat(),
    }


def test_closed_cases_are_not_reminded(case, koordinator):
    services.case_transition(
        case=case, actor=koordinator, name="not_register", expected_version=None, reason="Di luar batas waktu"
    )
    reminders.sweep_case_deadlines(now=at(2024, 10, 18, 8))
    assert Notification.objects.count() == 0


def test_users_choose_per_channel(case, pengawas):
    OptOut.objects.create(user=pengawas, category="tenggat_perkara", channel=Channel.EMAIL)
    reminders.sweep_case_deadlines(now=at(2024, 10, 16, 8))
    assert sorted(Notification.objects.filter(recipient=pengawas).values_list("channel", flat=True)) == ["inbox"]


def test_inactive_users_and_users_without_email_get_no_email(case, koordinator):
    koordinator.email = ""
    koordinator.save()
    reminders.sweep_case_deadlines(now=at(2024, 10, 16, 8))
    assert list(Notification.objects.filter(recipient=koordinator).values_list("channel", flat=True)) == ["inbox"]


def _many_cases(offices, pengawas, n):
    for _ in range(n):
        make_case(office=offices.gunung_mas, actor=pengawas, assignee=pengawas)
    Case.objects.update(review_due=date(2024, 10, 17))
    Notification.objects.all().delete()


@pytest.mark.parametrize("n", [2, 20])
def test_case_sweep_costs_the_same_queries_for_2_or_20_cases(
    n, offices, pengawas, koordinator, django_assert_num_queries
):
    _many_cases(offices, pengawas, n)
    # cases, declared days, staff, users, opt-outs, the insert (naming the new e-mail rows)
    with django_assert_num_queries(6):
        result = reminders.sweep_case_deadlines(now=at(2024, 10, 16, 8))
    assert result["messages"] == n


# --- Referrals ----------------------------------------------------------------------------------------


@pytest.fixture
def referral(offices, pengawas, koordinator, regions, institutions, settings, tmp_path):
    from tests.factories import decided_case

    settings.MEDIA_ROOT = tmp_path
    sent = send_to_bkn(decided_case(offices, pengawas, koordinator, regions), pengawas, koordinator, institutions)
    Notification.objects.all().delete()
    return sent


def send_to_bkn(case, pengawas, koordinator, institutions, *, number="001/PP/2024", day=date(2024, 10, 21), hour=9):
    """The case's subject referred to BKN by letter, sent at ``hour`` (09:00) WIB on ``day``."""
    from cases.referrals import services as referrals

    [draft] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    return referrals.referral_send(
        referral=draft,
        actor=koordinator,
        expected_version=None,
        letter_number=number,
        letter_date=day,
        channel="surat",
        sent_at=at(day.year, day.month, day.day, hour),
        make_letters=False,
    )


def test_a_late_recommendation_is_reminded_the_first_working_day_then_weekly(referral, koordinator):
    assert referral.response_due == date(2024, 11, 8)  # a Friday
    reminders.sweep_referral_clocks(now=at(2024, 11, 8, 8))
    assert Notification.objects.count() == 0
    for day in range(9, 26):  # 9 .. 25 November, every day
        reminders.sweep_referral_clocks(now=at(2024, 11, day, 8))
    sent_on = sorted(
        {(n.dedupe_key.split(":")[4], timezone.localtime(n.created_at).date()) for n in Notification.objects.all()}
    )
    # late from Saturday the 9th; told on the Mondays 11, 18 and 25 November, once a week
    assert [week for week, _day in sent_on] == ["w0", "w1", "w2"]
    message = Notification.objects.filter(recipient=koordinator, channel=Channel.INBOX).first()
    assert message.context["stage"] == "recommendation"
    assert message.url == f"/penerusan/{referral.code}/"


def test_a_regent_who_has_not_acted_is_reminded(referral, pengawas):
    from cases.referrals import services as referrals

    referrals.referral_record_recommendation(
        referral=referral,
        actor=pengawas,
        number="R-1",
        date=date(2024, 11, 1),
        proven=True,
        sanction="teguran_tertulis",
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_PPK
    reminders.sweep_referral_clocks(now=at(2024, 11, 25, 8))
    assert {n.context["stage"] for n in Notification.objects.all()} == {"ppk"}
    assert Referral.objects.get(pk=referral.pk).ppk_due < date(2024, 11, 25)
    # the reminder names the escalation's next rung, the one the referral page offers
    told = Notification.objects.filter(channel=Channel.EMAIL).first()
    assert told.context["next_step"] == "Surat pengingat kepada PPK"
    assert "Langkah eskalasi berikutnya: Surat pengingat kepada PPK" in render(told)[1]


def test_referral_sweep_query_count_is_fixed(referral, django_assert_num_queries):
    # referrals, the escalation rungs and the rungs climbed, staff, declared days, users, opt-outs, the insert
    # (naming the new e-mail rows), the referrals marked reminded; the savepoint and its release (the sweep's
    # transaction inside the test's)
    with django_assert_num_queries(11):
        reminders.sweep_referral_clocks(now=at(2024, 11, 20, 8))


# --- Outreach -----------------------------------------------------------------------------------------


@pytest.fixture
def session(offices, pengawas):
    agency = AgencyFactory(regency=offices.gunung_mas.region)
    session = OutreachSession.objects.create(
        office=offices.gunung_mas,
        kind=SessionKind.OUTREACH,
        title="Sosialisasi netralitas ASN",
        topic="Larangan menyukai unggahan calon",
        start=at(2024, 11, 20, 9),
        end=at(2024, 11, 20, 12),
        venue="Aula Setda",
        organiser=pengawas,
        created_by=pengawas,
    )
    OutreachSession.objects.filter(pk=session.pk).update(created_at=at(2024, 11, 1, 9))
    Invitation.objects.create(session=session, agency=agency, official_name="Kabid", official_email="kabid@pemkab.test")
    Invitation.objects.create(session=session, agency=agency)  # an agency without a named official
    session.refresh_from_db()
    return session


def test_session_reminders_at_h7_h1_and_two_hours_before(session, pengawas):
    for moment in [at(2024, 11, 12, 8), at(2024, 11, 13, 8), at(2024, 11, 14, 8), at(2024, 11, 19, 8)]:
        outreach_reminders.sweep_upcoming(now=moment)
    outreach_reminders.sweep_upcoming(now=at(2024, 11, 20, 6, 30))  # too early for "two hours"
    outreach_reminders.sweep_upcoming(now=at(2024, 11, 20, 7, 5))
    outreach_reminders.sweep_upcoming(now=at(2024, 11, 20, 7, 10))
    rows = Notification.objects.filter(template="outreach_upcoming")
    assert sorted({(n.context["when"]) for n in rows}) == ["h1", "h2h", "h7"]
    for when in ("h7", "h1", "h2h"):
        told = sorted(
            (n.recipient.username if n.recipient else n.email, n.channel) for n in rows if n.context["when"] == when
        )
        assert told == [("kabid@pemkab.test", "email"), ("pengawas", "email"), ("pengawas", "inbox")]


def test_a_moved_session_is_reminded_for_its_new_time_and_a_cancelled_one_not_at_all(session, pengawas):
    outreach_reminders.sweep_upcoming(now=at(2024, 11, 19, 8))
    OutreachSession.objects.filter(pk=session.pk).update(start=at(2024, 11, 22, 9), end=at(2024, 11, 22, 11))
    outreach_reminders.sweep_upcoming(now=at(2024, 11, 21, 8))
    starts = sorted({n.context["start"][:10] for n in Notification.objects.filter(context__when="h1")})
    assert starts == ["2024-11-20", "2024-11-22"]
    OutreachSession.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED, status_reason="Banjir")
    Notification.objects.all().delete()
    outreach_reminders.sweep_upcoming(now=at(2024, 11, 22, 7, 30))
    assert Notification.objects.count() == 0


def test_a_session_planned_late_gets_no_h7(session):
    OutreachSession.objects.filter(pk=session.pk).update(created_at=at(2024, 11, 17, 9))
    outreach_reminders.sweep_upcoming(now=at(2024, 11, 17, 10))
    assert Notification.objects.count() == 0


def test_ceremony_talking_points_go_to_the_pemkab_contact_the_day_before(offices, pengawas, pemkab):
    agency = AgencyFactory(regency=offices.gunung_mas.region)
    ceremony = OutreachSession.objects.create(
        office=offices.gunung_mas,
        kind=SessionKind.CEREMONY,
        title="Apel Senin",
        topic="ASN dilarang berfoto dengan gestur jari nomor urut calon.",
        start=at(2024, 11, 25, 7, 30),
        end=at(2024, 11, 25, 8, 30),
        organiser=pengawas,
    )
    Invitation.objects.create(
        session=ceremony, agency=agency, official_name="Sekda", official_email="sekda@pemkab.test"
    )
    outreach_reminders.sweep_upcoming(now=at(2024, 11, 18, 8))  # a week before: no H-7 for a weekly ceremony
    outreach_reminders.sweep_upcoming(now=at(2024, 11, 21, 8))  # Thursday: Friday is still a working day
    assert Notification.objects.count() == 0
    outreach_reminders.sweep_upcoming(now=at(2024, 11, 22, 8))  # Friday, the last working day before Monday
    outreach_reminders.sweep_upcoming(now=at(2024, 11, 24, 8))  # Sunday: nothing twice
    talking = Notification.objects.filter(template="ceremony_talking_points")
    assert sorted((n.recipient.username if n.recipient else n.email, n.channel) for n in talking) == [
        ("pemkab", "email"),
        ("pemkab", "inbox"),
        ("sekda@pemkab.test", "email"),
    ]
    assert talking.first().context["topic"].startswith("ASN dilarang berfoto")
    from netralitas.notify.services import render

    subject, text, html = render(talking.get(recipient__username="pemkab", channel=Channel.EMAIL))
    assert subject == "Pesan netralitas ASN untuk apel Senin, 25 November"
    assert "Apel/upacara berikutnya: Senin, 25 November." in text
    assert "ASN dilarang berfoto dengan gestur jari" in html
    # the organiser gets the ordinary reminder, the officials do not get it twice
    assert sorted(
        n.recipient.username if n.recipient else n.email
        for n in Notification.objects.filter(template="outreach_upcoming")
    ) == ["pengawas", "pengawas"]


def test_missing_minutes_are_asked_for_two_days_after(session, pengawas):
    outreach_reminders.sweep_minutes(now=at(2024, 11, 22, 11))
    assert Notification.objects.count() == 0
    outreach_reminders.sweep_minutes(now=at(2024, 11, 22, 13))
    outreach_reminders.sweep_minutes(now=at(2024, 11, 23, 13))
    assert sorted(Notification.objects.values_list("recipient__username", "channel")) == [
        ("pengawas", "email"),
        ("pengawas", "inbox"),
    ]
    OutreachSession.objects.filter(pk=session.pk).update(minutes="Dihadiri 40 orang.", status=SessionStatus.HELD)
    Notification.objects.all().delete()
    outreach_reminders.sweep_minutes(now=at(2024, 11, 24, 13))
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("n", [1, 12])
def test_outreach_sweep_query_count_is_fixed(n, offices, pengawas, pemkab, django_assert_num_queries):
    agency = AgencyFactory(regency=offices.gunung_mas.region)
    for i in range(n):
        s = OutreachSession.objects.create(
            office=offices.gunung_mas,
            kind=SessionKind.CEREMONY if i % 2 else SessionKind.OUTREACH,
            title=f"Kegiatan {i}",
            start=at(2024, 11, 20, 9) + timedelta(minutes=i),
            end=at(2024, 11, 20, 11),
            organiser=pengawas,
        )
        Invitation.objects.create(session=s, agency=agency, official_email=f"pejabat{i}@pemkab.test")
    # sessions, invitations, members, declared days, users, opt-outs, the insert (naming the new e-mail rows)
    with django_assert_num_queries(7):
        result = outreach_reminders.sweep_upcoming(now=at(2024, 11, 19, 8))
    assert result["candidates"] == n


def test_an_assigned_case_tells_the_new_person_in_charge(case, pengawas, koordinator):
    case.refresh_from_db()
    services.case_assign(case=case, actor=pengawas, assignee=koordinator, expected_version=None)
    message = Notification.objects.get(template="case_assigned", channel=Channel.INBOX)
    assert message.recipient == koordinator
    assert message.context["by"] == pengawas.display_name
    # assigning oneself tells nobody
    services.case_assign(case=case, actor=koordinator, assignee=None, expected_version=None)
    services.case_assign(case=case, actor=koordinator, assignee=koordinator, expected_version=None)
    assert Notification.objects.filter(template="case_assigned").count() == 2


def test_supervisors_are_told_when_an_office_has_no_coordinator(offices, pengawas):
    MembershipFactory(user=UserFactory(username="pengawas-lain"), office=offices.gunung_mas, role=Role.PENGAWAS)
    case = make_case(office=offices.gunung_mas, actor=pengawas)
    Case.objects.filter(pk=case.pk).update(review_due=date(2024, 10, 17), status=CaseStatus.RECEIVED)
    reminders.sweep_case_deadlines(now=at(2024, 10, 17, 8))
    assert sorted(set(Notification.objects.values_list("recipient__username", flat=True))) == [
        "pengawas",
        "pengawas-lain",
    ]


def test_run_reminders_runs_every_sweep_once(case, settings, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("run_reminders", stdout=out)
    text = out.getvalue()
    for name in [
        "cases.sweep_case_deadlines",
        "cases.sweep_referral_clocks",
        "outreach.sweep_upcoming",
        "outreach.sweep_minutes",
    ]:
        assert name in text
    assert "notify.dispatch_pending" in text


def test_h1_on_friday_names_the_day_and_tomorrow_says_tomorrow(case):
    from netralitas.notify.services import render

    Case.objects.filter(pk=case.pk).update(review_due=date(2024, 10, 21))  # a Monday
    reminders.sweep_case_deadlines(now=at(2024, 10, 18, 8))
    friday = Notification.objects.filter(channel=Channel.EMAIL).first()
    assert render(friday)[0] == "Batas kajian awal Senin, 21 Oktober — ASN menyukai unggahan calon"
    Notification.objects.all().delete()
    Case.objects.filter(pk=case.pk).update(review_due=date(2024, 10, 17))
    reminders.sweep_case_deadlines(now=at(2024, 10, 16, 8))
    assert render(Notification.objects.filter(channel=Channel.EMAIL).first())[0].startswith("Besok batas kajian awal")


def test_a_second_sweep_reports_nothing_written(case):
    assert reminders.sweep_case_deadlines(now=at(2024, 10, 16, 8))["rows"] == 4
    assert reminders.sweep_case_deadlines(now=at(2024, 10, 16, 9))["rows"] == 0


def test_a_referral_reminded_this_week_is_not_looked_at_again(referral, django_assert_num_queries):
    assert reminders.sweep_referral_clocks(now=at(2024, 11, 11, 8))["messages"] == 1
    assert Referral.objects.get(pk=referral.pk).reminded_on == date(2024, 11, 11)
    # the rest of the week: no candidate, no message built, one query
    with django_assert_num_queries(1):  # referrals (none): nothing to write, no transaction
        assert reminders.sweep_referral_clocks(now=at(2024, 11, 15, 8)) == {"candidates": 0, "messages": 0, "rows": 0}
    assert reminders.sweep_referral_clocks(now=at(2024, 11, 18, 8))["rows"] > 0


def test_a_backlog_is_taken_most_overdue_first_a_share_per_run(
    referral, offices, pengawas, koordinator, regions, institutions, monkeypatch
):
    from tests.factories import decided_case

    case = decided_case(offices, pengawas, koordinator, regions, people=(("Asn Dua", "pns", "199001012015021002"),))
    # sent on the day of the plenary (18 October, 15:00), after it
    older = send_to_bkn(
        case, pengawas, koordinator, institutions, number="002/PP/2024", day=date(2024, 10, 18), hour=16
    )
    assert older.response_due < referral.response_due
    Notification.objects.all().delete()
    monkeypatch.setattr(reminders, "REFERRAL_SWEEP_LIMIT", 1)
    now = at(2024, 11, 18, 8)
    first = reminders.sweep_referral_clocks(now=now)
    assert first["candidates"] == 1 and first["rows"] > 0
    assert Referral.objects.get(pk=older.pk).reminded_on == date(2024, 11, 18)  # the most overdue first
    assert Referral.objects.get(pk=referral.pk).reminded_on is None
    assert reminders.sweep_referral_clocks(now=now)["rows"] > 0  # the next run takes the rest
    assert Referral.objects.get(pk=referral.pk).reminded_on == date(2024, 11, 18)
    assert reminders.sweep_referral_clocks(now=now) == {"candidates": 0, "messages": 0, "rows": 0}
