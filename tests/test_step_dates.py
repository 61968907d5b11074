"""Steps with their own dates: a case entered after the fact keeps the dates on which things happened (the law
counts from them), the order of its steps, its register number and its receiving body; the timeline, the API
and the exports say which steps were entered late."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseEvent, CaseStatus
from cases.referrals import services as referrals
from cases.workflow import services
from tests.factories import ALL_REQUIREMENTS, decided_case, make_case

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def _received_2020(offices, pengawas):
    return make_case(
        office=offices.gunung_mas,
        actor=pengawas,
        known_on=date(2020, 10, 4),
        received_at=datetime(2020, 10, 5, 10, tzinfo=WIB),
        **ALL_REQUIREMENTS,
    )


def test_a_2020_registration_entered_today_takes_its_own_month_and_year(offices, pengawas, koordinator):
    case = _received_2020(offices, pengawas)
    case = services.case_transition(
        case=case, actor=koordinator, name="register", expected_version=None, at=datetime(2020, 10, 6, 9, tzinfo=WIB)
    )
    assert case.number_year == 2020 and case.number_seq == 1
    assert "/X/2020" in case.number
    assert case.registered_at == datetime(2020, 10, 6, 9, tzinfo=WIB)
    event = case.events.get(action="case.register")
    assert event.occurred_at == datetime(2020, 10, 6, 9, tzinfo=WIB)
    assert event.entered_late and timezone.localdate(event.created_at) == timezone.localdate()
    case.refresh_from_db()
    assert case.steps_entered_late


def test_register_numbers_count_per_year_of_registration(offices, pengawas, koordinator):
    first, second = _received_2020(offices, pengawas), _received_2020(offices, pengawas)
    today = make_case(
        office=offices.gunung_mas,
        actor=pengawas,
        received_at=timezone.now(),
        known_on=timezone.localdate(),
        **ALL_REQUIREMENTS,
    )
    today_case = services.case_transition(case=today, actor=koordinator, name="register", expected_version=None)
    first = services.case_transition(
        case=first, actor=koordinator, name="register", expected_version=None, at=datetime(2020, 10, 6, 9, tzinfo=WIB)
    )
    second = services.case_transition(
        case=second, actor=koordinator, name="register", expected_version=None, at=datetime(2020, 11, 2, 9, tzinfo=WIB)
    )
    assert (first.number_year, first.number_seq) == (2020, 1) and "/X/2020" in first.number
    assert (second.number_year, second.number_seq) == (2020, 2) and "/XI/2020" in second.number
    assert (today_case.number_year, today_case.number_seq) == (timezone.localdate().year, 1)
    assert not today_case.events.get(action="case.register").entered_late


@pytest.mark.parametrize(
    ("at", "message"),
    [
        (datetime(2020, 10, 5, 9, 59, tzinfo=WIB), "tidak boleh sebelum laporan diterima"),
        (None, "tidak boleh di masa depan"),
    ],
)
def test_a_registration_before_the_receipt_or_in_the_future_is_refused(offices, pengawas, koordinator, at, message):
    case = _received_2020(offices, pengawas)
    at = at or timezone.now() + timedelta(hours=1)
    with pytest.raises(services.TransitionNotAllowed, match=message):
        services.case_transition(case=case, actor=koordinator, name="register", expected_version=None, at=at)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and not case.number


def test_the_boundary_itself_is_accepted(offices, pengawas, koordinator):
    case = _received_2020(offices, pengawas)
    case = services.case_transition(
        case=case, actor=koordinator, name="register", expected_version=None, at=datetime(2020, 10, 5, 10, tzinfo=WIB)
    )
    assert case.status == CaseStatus.REGISTERED


def test_a_decision_before_the_registration_is_refused(offices, pengawas, koordinator, regions):
    case = decided_case(offices, pengawas, koordinator, regions, year=2020)
    assert case.decided_at == datetime(2020, 10, 18, 15, tzinfo=WIB)
    other = _received_2020(offices, pengawas)
    other = services.case_transition(
        case=other, actor=koordinator, name="register", expected_version=None, at=datetime(2020, 10, 8, 9, tzinfo=WIB)
    )
    with pytest.raises(services.TransitionNotAllowed, match="tidak boleh sebelum registrasi"):
        services.case_transition(
            case=other,
            actor=koordinator,
            name="stop",
            expected_version=None,
            reason="Tidak cukup bukti",
            at=datetime(2020, 10, 7, 9, tzinfo=WIB),
        )


def _draft(case, pengawas, institution):
    [draft] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institution, channel="surat"
    )
    return draft


def _send(draft, koordinator, day):
    return referrals.referral_send(
        referral=draft,
        actor=koordinator,
        expected_version=None,
        letter_number="012/PP/2020",
        letter_date=day,
        channel="surat",
        make_letters=False,
    )


def test_kasn_receives_a_2020_letter_and_its_clock_runs_from_the_letter(
    offices, pengawas, koordinator, regions, institutions
):
    case = decided_case(offices, pengawas, koordinator, regions, year=2020)
    referral = _send(_draft(case, pengawas, institutions.kasn), koordinator, date(2020, 10, 20))
    assert referral.letter_date == date(2020, 10, 20)
    assert timezone.localdate(referral.sent_at) == date(2020, 10, 20)
    # 14 working days from Tuesday 20 October 2020 (the holidays of late October 2020 counted out)
    assert date(2020, 11, 5) <= referral.response_due <= date(2020, 11, 16)
    sent = referral.case.events.get(action="referral.sent")
    assert timezone.localdate(sent.occurred_at) == date(2020, 10, 20) and sent.entered_late
    refer = referral.case.events.get(action="case.refer")
    assert timezone.localdate(refer.occurred_at) == date(2020, 10, 20)


def test_bkn_refuses_a_letter_dated_before_it_took_over(offices, pengawas, koordinator, regions, institutions):
    case = decided_case(offices, pengawas, koordinator, regions, year=2020)
    draft = _draft(case, pengawas, institutions.bkn)  # drafted today: BKN receives referrals now
    with pytest.raises(services.TransitionNotAllowed, match="tidak menerima penerusan pada tanggal surat itu"):
        _send(draft, koordinator, date(2020, 10, 20))
    referral = _send(draft, koordinator, date(2024, 8, 24))  # BKN's first day
    assert referral.institution == institutions.bkn


def test_kasn_refuses_a_letter_dated_after_it_ended(offices, pengawas, koordinator, regions, institutions):
    case = decided_case(offices, pengawas, koordinator, regions, year=2024)  # decided 18 Oct 2024
    with pytest.raises(services.CaseError, match="KASN tidak menerima penerusan"):
        _draft(case, pengawas, institutions.kasn)


def test_a_letter_before_the_decision_is_refused(offices, pengawas, koordinator, regions, institutions):
    case = decided_case(offices, pengawas, koordinator, regions, year=2020)
    with pytest.raises(services.CaseError, match="tidak boleh sebelum putusan pleno"):
        _send(_draft(case, pengawas, institutions.kasn), koordinator, date(2020, 10, 17))
    _send(case.referrals.get(), koordinator, date(2020, 10, 18))  # the day of the plenary itself


def test_responses_follow_the_letter_and_the_recommendation(offices, pengawas, koordinator, regions, institutions):
    case = decided_case(offices, pengawas, koordinator, regions, year=2020)
    referral = _send(_draft(case, pengawas, institutions.kasn), koordinator, date(2020, 10, 20))
    with pytest.raises(services.CaseError, match="tidak boleh sebelum tanggal surat penerusan"):
        referrals.referral_record_recommendation(
            referral=referral,
            actor=pengawas,
            number="R-1",
            date=date(2020, 10, 19),
            proven=True,
            sanction="teguran_lisan",
        )
    referral = referrals.referral_record_recommendation(
        referral=referral, actor=pengawas, number="R-1", date=date(2020, 11, 3), proven=True, sanction="teguran_lisan"
    )
    assert referral.recommended_on == date(2020, 11, 3) and referral.ppk_due > date(2020, 11, 3)
    recommended = referral.case.events.get(action="referral.recommended")
    assert timezone.localdate(recommended.occurred_at) == date(2020, 11, 3) and recommended.entered_late
    with pytest.raises(services.CaseError, match="tidak boleh sebelum tanggal rekomendasi"):
        referrals.referral_record_ppk_decision(
            referral=referral, actor=pengawas, number="K-1", date=date(2020, 11, 2), sanction="teguran_lisan"
        )
    referral = referrals.referral_record_ppk_decision(
        referral=referral, actor=pengawas, number="K-1", date=date(2020, 11, 20), sanction="teguran_lisan"
    )
    referral = referrals.referral_record_execution(referral=referral, actor=pengawas, date=date(2020, 12, 1))
    assert timezone.localdate(referral.closed_at) == date(2020, 12, 1)
    closed = referral.case.events.get(action="case.close")
    assert timezone.localdate(closed.occurred_at) == date(2020, 12, 1)
    referral.case.refresh_from_db()
    assert referral.case.status == CaseStatus.CLOSED


def test_the_timeline_shows_both_dates_of_a_step_entered_late(client, offices, pengawas, koordinator, regions):
    case = decided_case(offices, pengawas, koordinator, regions, year=2020)
    client.force_login(pengawas)
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert "Ada langkah yang dicatat belakangan" in page
    assert "18 Okt 2020 · dicatat" in page


def test_the_transition_page_takes_the_date_of_the_plenary(client, offices, pengawas, koordinator):
    case = _received_2020(offices, pengawas)
    client.force_login(koordinator)
    url = reverse("cases:transition", args=[case.code, "register"])
    page = client.get(url).content.decode()
    assert 'name="at"' in page
    refused = client.post(url, {"version": case.version, "at": "2020-10-04T09:00"})
    assert refused.status_code == 200
    assert "tidak boleh sebelum laporan diterima" in refused.content.decode()
    assert client.post(url, {"version": case.version, "at": "2020-10-06T09:00"}).status_code == 302
    case.refresh_from_db()
    assert "/X/2020" in case.number


def test_the_api_and_the_export_say_which_steps_were_entered_late(
    client, offices, pengawas, koordinator, regions, institutions, bkn_client
):
    from cases.api import selectors
    from cases.api.exports import csv_lines

    case = decided_case(offices, pengawas, koordinator, regions, year=2024)
    referral = _send(_draft(case, pengawas, institutions.bkn), koordinator, date(2024, 10, 21))
    rows = selectors.referral_page(list(selectors.referral_rows(selectors.referrals_for_client(bkn_client))))
    [row] = [r for r in rows if r["code"] == referral.code]
    assert row["case"]["steps_entered_late"] is True
    decide = next(e for e in row["timeline"] if e["action"] == "case.decide")
    assert decide["entered_late"] is True and decide["occurred_at"].startswith("2024-10-18")
    text = "".join(csv_lines(selectors.released(referral.__class__.objects.filter(pk=referral.pk))))
    header, line = text.splitlines()[:2]
    column = header.split(",").index("langkah_dicatat_belakangan")
    assert line.split(",")[column] == "ya"
    assert CaseEvent.objects.filter(case=case, entered_late=True).exists()
