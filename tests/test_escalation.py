"""The escalation ladder when the regent (PPK) does not act, and the conflict of interest that starts it higher:
each rung proposed on the right working day (weekends and holidays), refused before it and out of order,
recorded with its PDF, BKN's blocking and unblocking as dated steps; the koordinator walks it on the page."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.urls import reverse

from cases.models import CaseEvent, Referral, ReferralStatus, Sanction
from cases.referrals import escalation
from cases.referrals import selectors as referral_selectors
from cases.referrals import services as referrals
from cases.referrals.conflicts import election_conflicts_refresh
from cases.workflow.services import CaseError, PermissionRefused, TransitionNotAllowed
from netralitas.notify.models import Notification
from netralitas.reference.models import CandidatePair, CandidatePerson, EscalationRung
from tests.factories import NonWorkingDayFactory, decided_case

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def rung(code):
    return EscalationRung.objects.get(code=code)


def awaiting_ppk(offices, pengawas, koordinator, regions, institutions, *, recommended=date(2024, 11, 4)):
    """A referral to BKN whose recommendation (proven) came on ``recommended``: the PPK has 10 working days."""
    case = decided_case(offices, pengawas, koordinator, regions)
    [draft] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    referral = referrals.referral_send(
        referral=draft,
        actor=koordinator,
        expected_version=None,
        letter_number="031/PP.01.02/K.KT-10/X/2024",
        letter_date=date(2024, 10, 21),
        channel="surat",
        sent_at=datetime(2024, 10, 21, 9, tzinfo=WIB),
        make_letters=False,
    )
    return referrals.referral_record_recommendation(
        referral=referral,
        actor=pengawas,
        number="R-1/BKN",
        date=recommended,
        proven=True,
        sanction=Sanction.NON_MANAGERIAL,
    )


def proposal(referral):
    return referral_selectors.escalation_proposal(Referral.objects.get(pk=referral.pk))


def test_each_rung_is_proposed_on_its_working_day_and_recorded_in_order(
    offices, pengawas, koordinator, regions, institutions
):
    # recommendation Wed 13 Nov 2024: 10 working days, with a regional holiday on Mon 25 Nov and polling day
    # (Wed 27 Nov) off -> PPK due Fri 29 Nov
    NonWorkingDayFactory(date=date(2024, 11, 25), name="Libur daerah uji", region=regions.gunung_mas)
    referral = awaiting_ppk(offices, pengawas, koordinator, regions, institutions, recommended=date(2024, 11, 13))
    assert referral.ppk_due == date(2024, 11, 29)
    first = proposal(referral)
    # the period ends on Fri 29 Nov; the weekend passes: the reminder is due Mon 2 Dec
    assert (first.rung.code, first.due) == ("pengingat-ppk", date(2024, 12, 2))
    assert not first.ready(date(2024, 11, 29)) and first.ready(date(2024, 12, 2))

    with pytest.raises(CaseError, match="baru dapat dikirim mulai 2 Desember 2024"):
        escalation.referral_escalate(
            referral=referral, actor=koordinator, rung=first.rung, letter_number="40/K", letter_date=date(2024, 11, 29)
        )
    with pytest.raises(TransitionNotAllowed, match="Langkah berikutnya adalah"):
        escalation.referral_escalate(
            referral=referral,
            actor=koordinator,
            rung=rung("blokir-bkn"),
            letter_number="40/K",
            letter_date=date(2024, 12, 2),
        )
    with pytest.raises(PermissionRefused):
        escalation.referral_escalate(
            referral=referral, actor=pengawas, rung=first.rung, letter_number="40/K", letter_date=date(2024, 12, 2)
        )
    reminder = escalation.referral_escalate(
        referral=referral, actor=koordinator, rung=first.rung, letter_number="40/K", letter_date=date(2024, 12, 2)
    )
    assert reminder.addressee == "Bupati Gunung Mas"
    with reminder.letter_pdf.open("rb") as stored:
        text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(stored.read())).pages)
    assert "Surat pengingat kepada PPK" in text and "40/K" in text and "Asn Satu" in text
    assert len(reminder.letter_sha256) == 64

    # the BKN blocking request: 5 working days after the reminder's letter (Mon 2 Dec), due the next one
    second = proposal(referral)
    assert (second.rung.code, second.due) == ("blokir-bkn", date(2024, 12, 10))
    block = escalation.referral_escalate(
        referral=referral, actor=koordinator, rung=second.rung, letter_number="41/K", letter_date=date(2024, 12, 10)
    )
    assert block.addressee == "Kepala Badan Kepegawaian Negara"
    # BKN's answer, blocking and unblocking: dated steps, each in its order
    with pytest.raises(TransitionNotAllowed, match="belum tercatat diblokir"):
        escalation.escalation_record_answer(escalation=block, actor=pengawas, kind="unblocked", date=date(2024, 12, 12))
    with pytest.raises(CaseError, match="tidak boleh sebelum tanggal surat"):
        escalation.escalation_record_answer(escalation=block, actor=pengawas, kind="blocked", date=date(2024, 12, 9))
    escalation.escalation_record_answer(
        escalation=block, actor=pengawas, kind="answer", date=date(2024, 12, 11), number="B-9/BKN", note="Diproses."
    )
    escalation.escalation_record_answer(escalation=block, actor=pengawas, kind="blocked", date=date(2024, 12, 12))
    block.refresh_from_db()
    assert block.is_blocked and block.answer_number == "B-9/BKN"
    with pytest.raises(TransitionNotAllowed, match="tidak meminta pemblokiran"):
        escalation.escalation_record_answer(escalation=reminder, actor=pengawas, kind="blocked", date=date(2024, 12, 3))

    third = proposal(referral)
    assert (third.rung.code, third.due) == ("laporan-kemendagri", date(2024, 12, 25 + 2))  # 10 working days, Christmas
    # the regent acts: the ladder ends, BKN lifts the block
    referrals.referral_record_ppk_decision(
        referral=referral, actor=pengawas, number="800/1", date=date(2024, 12, 20), sanction=Sanction.NON_MANAGERIAL
    )
    assert proposal(referral) is None
    escalation.escalation_record_answer(escalation=block, actor=pengawas, kind="unblocked", date=date(2024, 12, 23))
    actions = list(
        CaseEvent.objects.filter(case=referral.case, action__startswith="referral.escalat").values_list(
            "action", "occurred_at__date"
        )
    )
    assert actions == [
        ("referral.escalated", date(2024, 12, 2)),
        ("referral.escalated", date(2024, 12, 10)),
        ("referral.escalation_answer", date(2024, 12, 11)),
        ("referral.escalation_blocked", date(2024, 12, 12)),
        ("referral.escalation_unblocked", date(2024, 12, 23)),
    ]


def test_rungs_are_data_an_administrator_edits(offices, pengawas, koordinator, regions, institutions):
    EscalationRung.objects.filter(code="pengingat-ppk").update(days=3)
    EscalationRung.objects.filter(code="blokir-bkn").update(is_active=False)
    referral = awaiting_ppk(offices, pengawas, koordinator, regions, institutions)  # PPK due Mon 18 Nov
    assert referral.ppk_due == date(2024, 11, 18)
    first = proposal(referral)
    assert first.due == date(2024, 11, 22)  # 3 working days past the period, then the next one
    escalation.referral_escalate(
        referral=referral, actor=koordinator, rung=first.rung, letter_number="1", letter_date=date(2024, 11, 22)
    )
    assert proposal(referral).rung.code == "laporan-kemendagri"  # the inactive rung is skipped


def test_an_incumbent_regent_running_again_is_a_conflict_and_the_ladder_starts_above_him(
    offices, pengawas, koordinator, regions, institutions, django_capture_on_commit_callbacks
):
    referral = awaiting_ppk(offices, pengawas, koordinator, regions, institutions)
    assert referral.conflict == ""
    pair = CandidatePair.objects.create(election=referral.case.election, number=1, head_name="Bupati Petahana")
    # entered in the admin: the saved person refreshes the election's open referrals once committed
    with django_capture_on_commit_callbacks(execute=True):
        CandidatePerson.objects.create(pair=pair, role="calon", name="Bupati Petahana", holds_office=institutions.ppk)
    referral.refresh_from_db()
    assert referral.conflict == Referral.Conflict.PPK_CANDIDATE
    told = Notification.objects.get(template="referral_conflict", channel="inbox")
    assert told.recipient == koordinator and told.context["person"] == "Asn Satu"
    # the rung above the PPK, at once: no reminder to an interested party, no waiting for his period
    first = proposal(referral)
    assert (first.rung.code, first.due) == ("blokir-bkn", date(2024, 11, 4))
    assert election_conflicts_refresh(election_id=referral.case.election_id) == 0  # told once
    assert Notification.objects.filter(template="referral_conflict", channel="inbox").count() == 1


def test_a_person_in_the_regent_s_campaign_is_flagged_when_the_recommendation_comes(
    offices, pengawas, koordinator, regions, institutions
):
    from cases.models import Election

    election = Election.objects.create(
        kind="pilkada", name="Pilkada Gunung Mas 2024", year=2024, region=regions.gunung_mas,
        voting_day=date(2024, 11, 27), **Election.default_rules("pilkada"),
    )  # fmt: skip
    pair = CandidatePair.objects.create(election=election, number=2, head_name="Bupati Petahana")
    CandidatePerson.objects.create(pair=pair, role="calon", name="Bupati Petahana", holds_office=institutions.ppk)
    CandidatePerson.objects.create(pair=pair, role="tim", name="Asn Satu", nip="198503122010011004")
    case = decided_case(offices, pengawas, koordinator, regions)
    type(case).objects.filter(pk=case.pk).update(election=election)
    [draft] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    referral = referrals.referral_send(
        referral=draft,
        actor=koordinator,
        expected_version=None,
        letter_number="1/K",
        letter_date=date(2024, 10, 21),
        channel="surat",
        sent_at=datetime(2024, 10, 21, 9, tzinfo=WIB),
        make_letters=False,
    )
    assert referral.conflict == Referral.Conflict.CAMPAIGN
    assert referral.status == ReferralStatus.SENT and proposal(referral) is None  # nothing to climb before the PPK


def test_the_koordinator_walks_a_stalled_referral_up_the_ladder_on_its_page(
    client, offices, pengawas, koordinator, regions, institutions
):
    referral = awaiting_ppk(offices, pengawas, koordinator, regions, institutions)  # PPK due Mon 18 Nov 2024
    page = reverse("cases:referral", kwargs={"code": referral.code})
    client.force_login(pengawas)
    html = client.get(page).content.decode()
    assert "Langkah berikutnya" in html and "Surat pengingat kepada PPK" in html
    assert "Buat surat dan catat" not in html  # a supervisor does not sign
    client.force_login(koordinator)
    assert "Buat surat dan catat" in client.get(page).content.decode()
    url = reverse("cases:referral_escalate", kwargs={"code": referral.code})
    first = rung("pengingat-ppk")
    # a bad date: refused in Indonesian, the number typed kept
    response = client.post(url, {"rung": first.pk, "letter_number": "77/K", "letter_date": "2024-11-18"})
    assert response.status_code == 200  # the page again, with the refusal beside the field
    html = response.content.decode()
    assert "baru dapat dikirim mulai 19 November 2024" in html and 'value="77/K"' in html
    response = client.post(url, {"rung": first.pk, "letter_number": "77/K", "letter_date": "2024-11-19"})
    assert response.status_code == 302
    climbed = referral.escalations.get()
    html = client.get(page).content.decode()
    assert "Permintaan pemblokiran data kepegawaian kepada BKN" in html
    pdf = client.get(
        reverse("cases:escalation_letter", kwargs={"code": referral.code, "escalation_code": climbed.code})
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    b"".join(pdf.streaming_content)


def test_the_receiving_body_reads_the_ladder_and_the_conflict_through_the_api(
    client, offices, pengawas, koordinator, regions, institutions, bkn_client
):
    from tests.api_world import auth

    referral = awaiting_ppk(offices, pengawas, koordinator, regions, institutions)
    first = proposal(referral)
    escalation.referral_escalate(
        referral=referral, actor=koordinator, rung=first.rung, letter_number="9/K", letter_date=first.due,
        make_letter=False,
    )  # fmt: skip
    Referral.objects.filter(pk=referral.pk).update(conflict=Referral.Conflict.PPK_CANDIDATE)
    body = client.get(f"/api/v1/referrals/{referral.code}/", **auth(bkn_client)).json()
    assert body["conflict"] == "ppk_calon"
    [step] = [e for e in body["timeline"] if e["action"] == "referral.escalated"]
    assert step["data"]["rung_name"] == "Surat pengingat kepada PPK" and step["data"]["letter_number"] == "9/K"
    assert step["data"]["addressee"] == "Bupati Gunung Mas"
