"""Referrals: every stage and refusal, transfer KASN to BKN, the case closing with its last referral, clocks over
holidays, and the letters really generated as PDF."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pypdf
import pytest

from cases.models import CaseStatus, Referral, ReferralStatus, Sanction, SubjectOutcome
from cases.referrals import selectors as referral_selectors
from cases.referrals import services as referrals
from cases.workflow import services
from cases.workflow.deadlines import referral_clock
from cases.workflow.services import CaseError, PermissionRefused, TransitionNotAllowed
from tests.factories import NonWorkingDayFactory, decided_case, declare_succession, make_case

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def send(referral, koordinator, when=datetime(2024, 10, 21, 9, tzinfo=WIB), number="001/PP.01.02/K.KT-10/X/2024", **kw):
    return referrals.referral_send(
        referral=referral,
        actor=koordinator,
        expected_version=None,
        letter_number=number,
        letter_date=when.date(),
        channel="surat",
        sent_at=when,
        **kw,
    )


@pytest.fixture
def case(offices, pengawas, koordinator, regions):
    return decided_case(offices, pengawas, koordinator, regions)


def test_supervisor_drafts_and_only_a_coordinator_sends(case, pengawas, koordinator, institutions):
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    assert referral.status == ReferralStatus.DRAFT
    with pytest.raises(PermissionRefused):
        send(referral, pengawas, make_letters=False)
    referral = send(referral, koordinator, make_letters=False)
    assert referral.status == ReferralStatus.SENT
    # 14 working days after Monday 21 Oct 2024
    assert referral.response_due == date(2024, 11, 8)
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED


def test_only_a_proven_subject_of_a_forwarded_decision_is_referred(
    offices, pengawas, koordinator, regions, institutions
):
    case = decided_case(offices, pengawas, koordinator, regions)
    subject = case.subjects.get()
    subject.outcome = SubjectOutcome.NOT_PROVEN
    subject.save()
    with pytest.raises(CaseError, match="tidak diteruskan"):
        referrals.referral_draft(
            case=case, actor=pengawas, subjects=[subject], institution=institutions.bkn, channel="surat"
        )
    undecided = make_case(office=offices.gunung_mas, actor=pengawas)
    with pytest.raises(CaseError, match="diputus untuk diteruskan"):
        referrals.referral_draft(
            case=undecided, actor=pengawas, subjects=[], institution=institutions.bkn, channel="surat"
        )


def test_the_same_subject_is_not_referred_twice_to_one_body(case, pengawas, institutions):
    subjects = list(case.subjects.all())
    referrals.referral_draft(
        case=case, actor=pengawas, subjects=subjects, institution=institutions.bkn, channel="surat"
    )
    with pytest.raises(CaseError, match="sudah diteruskan"):
        referrals.referral_draft(
            case=case, actor=pengawas, subjects=subjects, institution=institutions.bkn, channel="surat"
        )


def test_a_body_that_ended_cannot_receive_and_names_its_successor(case, pengawas, koordinator, institutions):
    with pytest.raises(CaseError, match="Teruskan ke BKN"):
        referrals.referral_draft(
            case=case,
            actor=pengawas,
            subjects=list(case.subjects.all()),
            institution=institutions.kasn,
            channel="surat",
        )
    # a draft for a day when KASN still worked is accepted, but it cannot be sent after KASN ended
    [late] = referrals.referral_draft(
        case=case,
        actor=pengawas,
        subjects=list(case.subjects.all()),
        institution=institutions.kasn,
        channel="surat",
        on=date(2024, 8, 1),
    )
    with pytest.raises(TransitionNotAllowed, match="Teruskan ke BKN"):
        send(late, koordinator, make_letters=False)
    referrals.referral_withdraw(referral=late, actor=pengawas, reason="Salah lembaga")
    late.refresh_from_db()
    assert late.closed_as == Referral.ClosedAs.WITHDRAWN


def test_full_path_to_an_executed_sanction_closes_the_case(case, pengawas, koordinator, institutions):
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="siapnet"
    )
    referral = send(referral, koordinator, make_letters=False)
    referral = referrals.referral_acknowledge(referral=referral, actor=pengawas, acknowledged_on=date(2024, 10, 22))
    referral = referrals.referral_record_recommendation(
        referral=referral,
        actor=pengawas,
        number="R-77/BKN/2024",
        date=date(2024, 11, 1),
        proven=True,
        sanction=Sanction.DEMOTION,
    )
    assert referral.status == ReferralStatus.AWAITING_PPK
    assert referral.ppk_due == date(2024, 11, 15)  # 10 working days (the Gunung Mas PPK's figure)
    with pytest.raises(CaseError, match="Pilih sanksi"):
        referrals.referral_record_ppk_decision(
            referral=referral, actor=pengawas, number="800/1", date=date(2024, 11, 12)
        )
    referral = referrals.referral_record_ppk_decision(
        referral=referral,
        actor=pengawas,
        number="800/12/BKPSDM/2024",
        date=date(2024, 11, 12),
        sanction=Sanction.DEMOTION,
    )
    assert referral.status == ReferralStatus.SANCTIONED
    referral = referrals.referral_record_execution(referral=referral, actor=pengawas, date=date(2024, 12, 1))
    assert (referral.status, referral.closed_as) == (ReferralStatus.CLOSED, Referral.ClosedAs.EXECUTED)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert list(referral.responses.values_list("kind", flat=True)) == [
        "diterima",
        "rekomendasi",
        "keputusan_ppk",
        "pelaksanaan",
    ]
    actions = list(case.events.filter(action__startswith="referral.").values_list("action", flat=True))
    assert actions == [
        "referral.drafted",
        "referral.sent",
        "referral.acknowledged",
        "referral.recommended",
        "referral.ppk_decided",
        "referral.executed",
        "referral.closed",
    ]


def test_the_case_stays_open_until_the_last_referral_closes(offices, pengawas, koordinator, regions, institutions):
    case = decided_case(
        offices,
        pengawas,
        koordinator,
        regions,
        people=(("Asn Satu", "pns", "198503122010011004"), ("Honorer Dua", "honorer", "")),
    )
    asn, honorer = case.subjects.order_by("pk")
    [to_bkn] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=[asn], institution=institutions.bkn, channel="surat"
    )
    [to_employer] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=[honorer], institution=institutions.employer, channel="surat"
    )
    send(to_bkn, koordinator, make_letters=False)
    send(to_employer, koordinator, number="002/PP.01.02/K.KT-10/X/2024", make_letters=False)
    referrals.referral_record_recommendation(
        referral=to_bkn, actor=pengawas, number="R-1", date=date(2024, 11, 1), proven=False
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED
    with pytest.raises(TransitionNotAllowed, match="belum selesai"):
        services.case_transition(case=case, actor=koordinator, name="close", expected_version=None)
    referrals.referral_record_recommendation(
        referral=to_employer,
        actor=pengawas,
        number="R-2",
        date=date(2024, 11, 2),
        proven=True,
        sanction=Sanction.EMPLOYER,
    )
    to_employer.refresh_from_db()
    referrals.referral_record_ppk_decision(
        referral=to_employer, actor=pengawas, number="", date=date(2024, 11, 20), refused=True, note="Kontrak berakhir"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_stage_refusals(case, pengawas, koordinator, institutions):
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    with pytest.raises(TransitionNotAllowed):
        referrals.referral_record_recommendation(
            referral=referral, actor=pengawas, number="R", date=date(2024, 11, 1), proven=False
        )
    with pytest.raises(TransitionNotAllowed):
        referrals.referral_record_ppk_decision(
            referral=referral, actor=pengawas, number="K", date=date(2024, 11, 1), sanction="ptdh"
        )
    with pytest.raises(TransitionNotAllowed):
        referrals.referral_record_execution(referral=referral, actor=pengawas, date=date(2024, 11, 1))
    referral = send(referral, koordinator, make_letters=False)
    with pytest.raises(TransitionNotAllowed, match="sudah dikirim"):
        send(referral, koordinator, make_letters=False)
    with pytest.raises(CaseError, match="sanksi yang direkomendasikan"):
        referrals.referral_record_recommendation(
            referral=referral, actor=pengawas, number="R", date=date(2024, 11, 1), proven=True
        )


def test_outsider_cannot_touch_a_referral(case, pengawas, koordinator, outsider, institutions):
    with pytest.raises(PermissionRefused):
        referrals.referral_draft(
            case=case, actor=outsider, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
        )
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    send(referral, koordinator, make_letters=False)
    with pytest.raises(PermissionRefused):
        referrals.referral_record_recommendation(
            referral=referral, actor=outsider, number="R", date=date(2024, 11, 1), proven=False
        )


def test_a_2020_referral_to_kasn_is_transferred_to_bkn_with_its_history(
    offices, pengawas, koordinator, operator, regions, institutions
):
    case = decided_case(offices, pengawas, koordinator, regions, year=2020)
    [referral] = referrals.referral_draft(
        case=case,
        actor=pengawas,
        subjects=list(case.subjects.all()),
        institution=institutions.kasn,
        channel="surat",
        on=date(2020, 10, 20),
    )
    referral = send(
        referral, koordinator, when=datetime(2020, 10, 20, 9, tzinfo=WIB), number="010/PP/X/2020", make_letters=False
    )
    referrals.referral_acknowledge(referral=referral, actor=pengawas, acknowledged_on=date(2020, 10, 22))
    declare_succession(institutions, operator, on=date(2024, 9, 2))
    moved = Referral.objects.get(transferred_from=referral)
    referral.refresh_from_db()
    assert (referral.status, referral.closed_as) == (ReferralStatus.TRANSFERRED, Referral.ClosedAs.TRANSFERRED)
    assert (moved.institution, moved.status, moved.transferred_from) == (
        institutions.bkn,
        ReferralStatus.SENT,
        referral,
    )
    assert moved.letter_number == "010/PP/X/2020"
    assert moved.response_due == date(2024, 9, 23)  # 14 working days after 2 Sep 2024, Maulid Nabi (16 Sep) skipped
    assert referral.responses.count() == 1  # the history stays with the old row
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED


def test_clocks_count_working_days_over_holidays_and_say_how_long(case, pengawas, koordinator, institutions, regions):
    NonWorkingDayFactory(date=date(2024, 10, 25), name="Libur daerah uji", region=regions.gunung_mas)
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    referral = send(referral, koordinator, make_letters=False)
    assert referral.response_due == date(2024, 11, 11)  # one working day later than without the declared day
    assert referral_clock(referral, today=date(2024, 11, 2)).label == "menunggu BKN 12 hari"
    late = referral_clock(referral, today=date(2024, 11, 14))
    assert (late.label, late.overdue) == ("BKN terlambat 3 hari", True)
    referral = referrals.referral_record_recommendation(
        referral=referral, actor=pengawas, number="R", date=date(2024, 11, 1), proven=True, sanction=Sanction.MORAL_OPEN
    )
    assert referral_clock(referral, today=date(2024, 11, 20)).label == "PPK terlambat 5 hari"


def test_the_letters_are_real_pdfs_with_the_number_and_the_nip(case, pengawas, koordinator, institutions):
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    referral = send(referral, koordinator)
    with referral.letter_pdf.open("rb") as f:
        data = f.read()
    import hashlib

    assert hashlib.sha256(data).hexdigest() == referral.letter_sha256
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    flat = "".join(text.split())  # the PDF wraps lines wherever the page is full
    assert "001/PP.01.02/K.KT-10/X/2024" in flat and "198503122010011004" in flat
    assert "Yth.KepalaBadanKepegawaianNegara" in flat and case.number in flat
    assert "netralitasaparatursipilnegara" in flat
    with referral.dossier_pdf.open("rb") as f:
        dossier = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(f.read())).pages)
    assert "BERKAS PERKARA" in dossier and "198503122010011004" in dossier and "Diregistrasi" in dossier


def test_suggested_institution_by_employment_and_date(case, institutions, regions):
    subject = case.subjects.get()
    assert referral_selectors.suggested_institutions([subject], date(2024, 10, 1))[subject.pk] == institutions.bkn
    assert referral_selectors.suggested_institutions([subject], date(2020, 10, 1))[subject.pk] == institutions.kasn
    subject.person.employment_type = "honorer"
    assert referral_selectors.suggested_institutions([subject], date(2024, 10, 1))[subject.pk] == institutions.employer


def test_the_case_stays_open_while_a_proven_subject_was_never_referred(
    offices, pengawas, koordinator, regions, institutions
):
    case = decided_case(
        offices,
        pengawas,
        koordinator,
        regions,
        people=(("Asn Satu", "pns", "198503122010011004"), ("Honorer Dua", "honorer", "")),
    )
    asn = case.subjects.get(person__name="Asn Satu")
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=[asn], institution=institutions.bkn, channel="surat"
    )
    send(referral, koordinator, make_letters=False)
    referrals.referral_record_recommendation(
        referral=referral, actor=pengawas, number="R", date=date(2024, 11, 1), proven=False
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED  # Honorer Dua, proven, was never forwarded


def test_overdue_is_one_rule_read_in_sql_and_on_a_loaded_row(case, pengawas, koordinator, institutions):
    """``Referral.STAGE_DUE`` is the rule: the waiting stage's due date has passed. The board, the reminder
    sweep and the dashboard filter by ``overdue_q``; the clocks read ``is_overdue`` on a row. The day before
    the due date, on it and after it, for each stage and for a stage that waits on nobody."""
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )

    def both(today):
        in_sql = Referral.objects.filter(Referral.overdue_q(today), pk=referral.pk).exists()
        assert in_sql == referral.is_overdue(today)
        return in_sql, referral.days_overdue(today)

    assert both(date(2030, 1, 1)) == (False, 0)  # a draft waits on nobody
    referral = send(referral, koordinator, make_letters=False)
    due = referral.response_due
    assert referral.due == due
    assert [both(due), both(date.fromordinal(due.toordinal() + 3))] == [(False, 0), (True, 3)]
    referral = referrals.referral_record_recommendation(
        referral=referral, actor=pengawas, number="R", date=date(2024, 11, 1), proven=True, sanction=Sanction.MORAL_OPEN
    )
    assert referral.due == referral.ppk_due != due
    assert both(referral.ppk_due) == (False, 0)
    assert both(date.fromordinal(referral.ppk_due.toordinal() + 1)) == (True, 1)
    # once sanctioned, no stage waits on a date: never overdue, whatever the day
    referral = referrals.referral_record_ppk_decision(
        referral=referral, actor=pengawas, number="K", date=date(2024, 11, 20), sanction=Sanction.MORAL_OPEN
    )
    assert (referral.due, both(date(2030, 1, 1))) == (None, (False, 0))


# --- The services check their own input (whoever calls them: a page, the API, a script) ----------------


@pytest.fixture
def sent(case, pengawas, koordinator, institutions):
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    return send(referral, koordinator, make_letters=False)


def tomorrow():
    from django.utils import timezone

    return timezone.localdate() + timezone.timedelta(days=1)


def test_a_response_dated_in_the_future_is_refused_by_the_service(sent, pengawas):
    with pytest.raises(CaseError, match="Tanggal tanda terima tidak boleh di masa depan"):
        referrals.referral_acknowledge(referral=sent, actor=pengawas, acknowledged_on=tomorrow())
    with pytest.raises(CaseError, match="Tanggal rekomendasi tidak boleh di masa depan"):
        referrals.referral_record_recommendation(
            referral=sent, actor=None, number="R-1", date=tomorrow(), proven=True, sanction=Sanction.WRITTEN_REPRIMAND
        )
    assert not sent.responses.exists()
    assert Referral.objects.get(pk=sent.pk).status == ReferralStatus.SENT


def test_a_ppk_decision_and_an_execution_dated_in_the_future_are_refused(sent, pengawas):
    referrals.referral_record_recommendation(
        referral=sent,
        actor=pengawas,
        number="R-1",
        date=date(2024, 11, 1),
        proven=True,
        sanction=Sanction.WRITTEN_REPRIMAND,
    )
    with pytest.raises(CaseError, match="Tanggal keputusan PPK tidak boleh di masa depan"):
        referrals.referral_record_ppk_decision(
            referral=sent, actor=pengawas, number="SK-1", date=tomorrow(), sanction=Sanction.WRITTEN_REPRIMAND
        )
    referrals.referral_record_ppk_decision(
        referral=sent, actor=pengawas, number="SK-1", date=date(2024, 11, 20), sanction=Sanction.WRITTEN_REPRIMAND
    )
    with pytest.raises(CaseError, match="Tanggal pelaksanaan sanksi tidak boleh di masa depan"):
        referrals.referral_record_execution(referral=sent, actor=pengawas, date=tomorrow())
    assert Referral.objects.get(pk=sent.pk).status == ReferralStatus.SANCTIONED


def test_an_unknown_sanction_or_an_overlong_number_is_refused(sent, pengawas):
    with pytest.raises(CaseError, match="Pilih sanksi dari daftar"):
        referrals.referral_record_recommendation(
            referral=sent, actor=pengawas, number="R-1", date=date(2024, 11, 1), proven=True, sanction="dipecat"
        )
    with pytest.raises(CaseError, match="paling banyak 120 karakter"):
        referrals.referral_acknowledge(
            referral=sent, actor=pengawas, acknowledged_on=date(2024, 10, 22), number="9" * 121
        )


def test_a_letter_dated_in_the_future_or_an_unknown_channel_is_refused(case, pengawas, koordinator, institutions):
    with pytest.raises(CaseError, match="saluran"):
        referrals.referral_draft(
            case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="fax"
        )
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    with pytest.raises(CaseError, match="Tanggal surat tidak boleh di masa depan"):
        referrals.referral_send(
            referral=referral,
            actor=koordinator,
            expected_version=None,
            letter_number="001/X/2024",
            letter_date=tomorrow(),
            channel="surat",
            make_letters=False,
        )
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DRAFT


def test_an_honorers_letter_goes_to_the_head_of_their_own_agency_and_never_calls_them_asn(
    offices, pengawas, koordinator, regions, institutions
):
    from netralitas.reference.models import Agency
    from tests.factories import decided_case

    honorer_case = decided_case(offices, pengawas, koordinator, regions, people=(("Honorer Satu", "honorer", ""),))
    subject = honorer_case.subjects.get()
    subject.person.agency = Agency.objects.create(regency=regions.gunung_mas, name="Dinas Kesehatan", kind="dinas")
    subject.person.save()
    [referral] = referrals.referral_draft(
        case=honorer_case, actor=pengawas, subjects=[subject], institution=institutions.employer, channel="surat"
    )
    referral = send(referral, koordinator)
    with referral.letter_pdf.open("rb") as f:
        text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(f.read())).pages)
    flat = "".join(text.split())
    assert "Yth.KepalaDinasKesehatanKabupatenGunungMas" in flat
    assert "tenagahonorer" in flat and "aparatursipilnegara" not in flat


def test_a_village_head_goes_to_the_regent_through_the_dpmd_with_the_village_law_sanctions(
    offices, pengawas, koordinator, regions, institutions
):
    from cases.models import Sanction, sanctions_for
    from cases.referrals.forms import ResponseForm
    from netralitas.reference.models import Institution
    from tests.factories import decided_case

    village_case = decided_case(
        offices, pengawas, koordinator, regions, people=(("Kades Sepang", "kepala_desa", ""), ("Asn Tiga", "pns", ""))
    )
    kades, asn = village_case.subjects.order_by("pk")
    assert referral_selectors.suggested_institutions([kades], date(2024, 10, 18))[kades.pk] == institutions.employer
    regent = Institution.objects.create(
        code="dpmd-6210", name="Bupati Gunung Mas melalui DPMD", kind="bupati_dpmd", region=regions.gunung_mas
    )
    routes = referral_selectors.suggested_institutions([kades, asn], date(2024, 10, 18))
    assert routes == {kades.pk: regent, asn.pk: institutions.bkn}

    village = {value for value, _label in sanctions_for("kepala_desa")}
    assert village == {
        Sanction.VILLAGE_ORAL, Sanction.VILLAGE_WRITTEN, Sanction.VILLAGE_SUSPENSION, Sanction.VILLAGE_DISMISSAL,
        Sanction.OTHER,
    }  # fmt: skip
    assert Sanction.VILLAGE_ORAL not in {value for value, _label in sanctions_for("pns")}
    # a PPPK's contract can be ended, a PNS's cannot: PP 94/2021 for both, PP 49/2018 for the PPPK alone
    pppk, pns = ({value for value, _label in sanctions_for(kind)} for kind in ("pppk", "pns"))
    assert pppk - pns == {Sanction.PPPK_TERMINATION} and Sanction.MORAL_OPEN in pns & pppk
    form = ResponseForm(kind="rekomendasi", prefix="rekomendasi", employment_type="kepala_desa")
    assert {value for value, _label in form.fields["sanction"].choices} - {""} == village

    [to_regent] = referrals.referral_draft(
        case=village_case, actor=pengawas, subjects=[kades], institution=regent, channel="surat"
    )
    to_regent = send(to_regent, koordinator, make_letters=False)
    with pytest.raises(referrals.CaseError, match="bukan sanksi untuk Kepala desa"):
        referrals.referral_record_recommendation(
            referral=to_regent,
            actor=pengawas,
            number="R",
            date=date(2024, 11, 1),
            proven=True,
            sanction="teguran_lisan",
        )
    to_regent = referrals.referral_record_recommendation(
        referral=to_regent,
        actor=pengawas,
        number="R",
        date=date(2024, 11, 1),
        proven=True,
        sanction=Sanction.VILLAGE_WRITTEN,
    )
    assert to_regent.status == "awaiting_ppk"


# --- An outcome and a route for each person: three ASN and an election crime -----------------------------


def test_three_asn_and_an_election_crime_each_go_to_their_own_body(
    offices, pengawas, koordinator, regions, institutions, pemkab
):
    from cases.models import Case
    from dashboard.selectors import Period, dashboard_figures

    people = (
        ("Asn Satu", "pns", "198503122010011004"),
        ("Asn Dua", "pns", "198601152011012005"),
        ("Asn Tiga", "pppk", "198702202021211006"),
        ("Pelaku Pidana", "pns", "198803252012011007", SubjectOutcome.CRIME),
    )
    case = decided_case(offices, pengawas, koordinator, regions, people=people)
    assert case.outcome == "peraturan_lain"  # the gravest forwarded result of its people
    subjects = {s.person.name: s for s in case.subjects.select_related("person")}
    # each person's route from their own outcome: the ASN to BKN (Oct 2024), the crime to the regency's Gakkumdu
    routes = referral_selectors.suggested_institutions(list(subjects.values()), date(2024, 10, 18))
    assert {name: routes[s.pk] for name, s in subjects.items()} == {
        "Asn Satu": institutions.bkn,
        "Asn Dua": institutions.bkn,
        "Asn Tiga": institutions.bkn,
        "Pelaku Pidana": institutions.gakkumdu,
    }
    crime = subjects.pop("Pelaku Pidana")
    with pytest.raises(CaseError, match="teruskan ke Sentra Gakkumdu"):
        referrals.referral_draft(
            case=case, actor=pengawas, subjects=[crime], institution=institutions.bkn, channel="surat"
        )
    with pytest.raises(CaseError, match="hanya menerima dugaan tindak pidana"):
        referrals.referral_draft(
            case=case,
            actor=pengawas,
            subjects=[subjects["Asn Satu"]],
            institution=institutions.gakkumdu,
            channel="surat",
        )
    asn = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(subjects.values()), institution=institutions.bkn, channel="surat"
    )
    [to_gakkumdu] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=[crime], institution=institutions.gakkumdu, channel="surat"
    )
    for n, referral in enumerate(asn):
        send(referral, koordinator, number=f"00{n}/PP.01.02/K.KT-10/X/2024", make_letters=False)
    to_gakkumdu = send(to_gakkumdu, koordinator, number="009/PP.01.02/K.KT-10/X/2024", make_letters=False)
    # forwarded to Gakkumdu: its own stage, on no recommendation clock
    assert (to_gakkumdu.status, to_gakkumdu.response_due) == (ReferralStatus.CRIME_FORWARDED, None)
    with pytest.raises(TransitionNotAllowed, match="menunggu rekomendasi"):
        referrals.referral_respond(
            referral=to_gakkumdu,
            actor=pengawas,
            kind="rekomendasi",
            date=date(2024, 10, 25),
            proven=True,
            sanction="ptdh",
        )
    # the ASN are recommended; the crime is investigated and prosecuted in the same weeks
    for referral in asn:
        referrals.referral_respond(
            referral=referral,
            actor=pengawas,
            kind="rekomendasi",
            number="R-1",
            date=date(2024, 10, 28),
            proven=True,
            sanction="teguran_tertulis",
        )
    for kind, day in (("penyidikan", date(2024, 10, 23)), ("penuntutan", date(2024, 11, 4))):
        to_gakkumdu = referrals.referral_respond(
            referral=to_gakkumdu, actor=pengawas, kind=kind, number="SP-1", date=day
        )
    assert to_gakkumdu.status == ReferralStatus.PROSECUTION
    with pytest.raises(CaseError, match="sebelum tahap sebelumnya"):
        referrals.referral_respond(
            referral=to_gakkumdu, actor=pengawas, kind="putusan", number="1/Pid", date=date(2024, 11, 1), proven=True
        )
    with pytest.raises(CaseError, match="isi putusan"):
        referrals.referral_respond(
            referral=to_gakkumdu, actor=pengawas, kind="putusan", number="1/Pid", date=date(2024, 11, 20)
        )

    # the crime is never on the PPK list nor among the ASN figures; the three ASN are
    on_ppk_list = {
        r.subject.person.name for r in referral_selectors.referrals_awaiting_ppk(Case.objects.filter(pk=case.pk))
    }
    assert on_ppk_list == {"Asn Satu", "Asn Dua", "Asn Tiga"}
    figures = dashboard_figures(pemkab, Period(), today=date(2024, 11, 10))
    assert (figures.total_subjects, figures.proven_subjects) == (4, 4)  # the suspect is not cleared
    pipeline = {r.extra["key"]: r.value for r in figures.pipeline}
    assert (pipeline["awaiting_ppk"], pipeline["crime"], pipeline["convicted"]) == (3, 1, 0)
    assert "Pelaku Pidana" not in {row["name"] for row in figures.ppk_list}

    # the verdict ends the crime's referral; the case stays open while the ASN await their regent
    to_gakkumdu = referrals.referral_respond(
        referral=to_gakkumdu,
        actor=pengawas,
        kind="putusan",
        number="12/Pid.Sus/2024/PN Kkn",
        date=date(2024, 11, 20),
        proven=True,
        note="Pidana penjara 3 bulan",
    )
    assert (to_gakkumdu.status, to_gakkumdu.closed_as) == (ReferralStatus.CLOSED, Referral.ClosedAs.CONVICTED)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REFERRED
    figures = dashboard_figures(pemkab, Period(), today=date(2024, 11, 21))
    pipeline = {r.extra["key"]: r.value for r in figures.pipeline}
    assert (pipeline["crime"], pipeline["convicted"], pipeline["executed"]) == (0, 1, 0)
    assert [e.data["proven"] for e in case.events.filter(action="referral.crime.putusan")] == [True]


def test_gakkumdu_can_stop_at_any_stage_with_a_reason(offices, pengawas, koordinator, regions, institutions):
    case = decided_case(
        offices, pengawas, koordinator, regions, people=(("Pelaku", "pns", "198803252012011007", SubjectOutcome.CRIME),)
    )
    assert case.outcome == "pidana"
    [referral] = referrals.referral_draft(
        case=case,
        actor=pengawas,
        subjects=list(case.subjects.all()),
        institution=institutions.gakkumdu,
        channel="surat",
    )
    referral = send(referral, koordinator, make_letters=False)
    with pytest.raises(TransitionNotAllowed, match="tidak dapat dicatat"):
        referrals.referral_respond(referral=referral, actor=pengawas, kind="penuntutan", date=date(2024, 10, 25))
    with pytest.raises(CaseError, match="alasan penghentian"):
        referrals.referral_respond(referral=referral, actor=pengawas, kind="dihentikan", date=date(2024, 10, 25))
    referral = referrals.referral_respond(
        referral=referral,
        actor=pengawas,
        kind="dihentikan",
        date=date(2024, 10, 25),
        note="Tidak cukup bukti (rapat Gakkumdu).",
    )
    assert referral.closed_as == Referral.ClosedAs.DISCONTINUED
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED  # its only referral ended


def test_a_letter_is_addressed_by_the_head_title_the_body_records(institutions, regions):
    from cases.models import Person
    from cases.referrals.letters import addressee_of

    person = Person.objects.create(name="Asn", employment_type="pns", region=regions.gunung_mas)
    assert addressee_of(institutions.kasn, person) == "Kepala Komisi Aparatur Sipil Negara"  # nothing recorded
    institutions.kasn.head_title = "Ketua Komisi Aparatur Sipil Negara"  # KASN was led by a chair
    assert addressee_of(institutions.kasn, person) == "Ketua Komisi Aparatur Sipil Negara"
    assert addressee_of(institutions.gakkumdu, person) == "Sentra Gakkumdu Kabupaten Gunung Mas"


# --- Sanctions as the law names them ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recommended", "imposed", "lighter"),
    [
        (Sanction.DEMOTION, Sanction.WRITTEN_REPRIMAND, True),  # heavy recommended, light imposed
        (Sanction.WRITTEN_REPRIMAND, Sanction.WRITTEN_REPRIMAND, False),
        (Sanction.WRITTEN_REPRIMAND, Sanction.ALLOWANCE_CUT_6, False),  # heavier than recommended: not flagged
        (Sanction.MORAL_OPEN, Sanction.MORAL_CLOSED, True),
        (Sanction.DEMOTION, Sanction.MORAL_OPEN, False),  # another scale: not compared
    ],
)
def test_a_sanction_lighter_than_recommended_is_flagged(
    client, case, pengawas, koordinator, institutions, bkn_client, recommended, imposed, lighter
):
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    referral = send(referral, koordinator, make_letters=False)
    referrals.referral_record_recommendation(
        referral=referral, actor=pengawas, number="R-1", date=date(2024, 11, 4), proven=True, sanction=recommended
    )
    referral = referrals.referral_record_ppk_decision(
        referral=referral, actor=pengawas, number="800/1", date=date(2024, 11, 12), sanction=imposed
    )
    assert referral.sanction_lighter is lighter
    body = client.get(f"/api/v1/referrals/{referral.code}/", HTTP_AUTHORIZATION=f"Bearer {bkn_client.token}").json()
    assert body["sanction_lighter"] is lighter
    client.force_login(pengawas)
    page = client.get(f"/penerusan/{referral.code}/").content.decode()
    assert ("Sanksi lebih ringan dari rekomendasi" in page) is lighter


def test_a_refusal_needs_its_reason(case, pengawas, koordinator, institutions):
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    referral = send(referral, koordinator, make_letters=False)
    referrals.referral_record_recommendation(
        referral=referral, actor=pengawas, number="R-1", date=date(2024, 11, 4), proven=True, sanction="ptdh"
    )
    with pytest.raises(CaseError, match="Isi alasan PPK tidak menjatuhkan sanksi"):
        referrals.referral_record_ppk_decision(
            referral=referral, actor=pengawas, number="", date=date(2024, 11, 12), refused=True, note=" "
        )
