"""Referral pages: forward from the case page, send with letters, record responses, the board, outsiders."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.models import Referral, ReferralStatus
from cases.referrals import services as referrals
from tests.factories import decided_case


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def draft(case, actor, institution, name="Asn Satu"):
    [referral] = referrals.referral_draft(
        case=case,
        actor=actor,
        subjects=[case.subjects.get(person__name=name)],
        institution=institution,
        channel="surat",
    )
    return referral


def send(referral, actor, number, **kwargs):
    return referrals.referral_send(
        referral=referral,
        actor=actor,
        expected_version=None,
        letter_number=number,
        letter_date=date(2024, 10, 21),
        channel="surat",
        **kwargs,
    )


@pytest.fixture
def case(offices, pengawas, koordinator, regions):
    return decided_case(
        offices,
        pengawas,
        koordinator,
        regions,
        people=(("Asn Satu", "pns", "198503122010011004"), ("Honorer Dua", "honorer", "")),
    )


def test_supervisor_prepares_drafts_from_the_case_page(client, pengawas, case, institutions):
    client.force_login(pengawas)
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert "Teruskan terlapor" in page
    url = reverse("cases:referral_create", args=[case.code])
    form_page = client.get(url).content.decode()
    assert "Badan Kepegawaian Negara" in form_page and "tidak aktif sejak" in form_page  # KASN ended
    asn = case.subjects.get(person__name="Asn Satu")
    response = client.post(url, {"subjects": [asn.pk], "institution": institutions.bkn.pk, "channel": "surat"})
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:referral", args=[referral.code])
    assert referral.status == ReferralStatus.DRAFT
    assert "menunggu dikirim oleh koordinator" in client.get(response["Location"]).content.decode()


def test_coordinator_sends_and_the_letter_opens_as_pdf(client, pengawas, koordinator, case, institutions):
    referral = draft(case, pengawas, institutions.bkn)
    client.force_login(koordinator)
    response = client.post(
        reverse("cases:referral_send", args=[referral.code]),
        {
            "version": referral.version,
            "letter_number": "015/PP.01.02/K.KT-10/X/2024",
            "letter_date": "2024-10-21",
            "channel": "surat",
        },
    )
    assert response.status_code == 302
    pdf = client.get(reverse("cases:referral_document", args=[referral.code, "surat"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_send_without_number_keeps_the_form(client, pengawas, koordinator, case, institutions):
    referral = draft(case, pengawas, institutions.bkn)
    client.force_login(koordinator)
    page = client.post(
        reverse("cases:referral_send", args=[referral.code]),
        {"version": referral.version, "letter_number": "", "letter_date": "2024-10-21", "channel": "email"},
    ).content.decode()
    assert "Isi nomor surat penerusan" in page and 'value="2024-10-21"' in page


def test_responses_through_the_page(client, pengawas, koordinator, case, institutions):
    referral = draft(case, pengawas, institutions.bkn)
    send(referral, koordinator, "1/X", make_letters=False)
    client.force_login(pengawas)
    url = reverse("cases:referral_respond", args=[referral.code, "rekomendasi"])
    refused = client.post(
        url, {"rekomendasi-number": "R-1", "rekomendasi-date": "2024-11-01", "rekomendasi-proven": "1"}
    )
    assert "sanksi yang direkomendasikan" in refused.content.decode()
    client.post(
        url,
        {
            "rekomendasi-number": "R-1",
            "rekomendasi-date": "2024-11-01",
            "rekomendasi-proven": "1",
            "rekomendasi-sanction": "penurunan_jabatan",
        },
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_PPK
    client.post(
        reverse("cases:referral_respond", args=[referral.code, "keputusan_ppk"]),
        {
            "keputusan_ppk-number": "800/5",
            "keputusan_ppk-date": "2024-11-12",
            "keputusan_ppk-sanction": "penurunan_jabatan",
        },
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SANCTIONED


def test_board_shows_stages_and_the_overdue_first(
    client, pengawas, koordinator, case, institutions, django_assert_num_queries
):
    asn, honorer = case.subjects.order_by("pk")
    [late] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=[asn], institution=institutions.bkn, channel="surat"
    )
    send(
        late, koordinator, "1/X", make_letters=False, sent_at=datetime(2024, 10, 21, 9, tzinfo=ZoneInfo("Asia/Jakarta"))
    )
    referrals.referral_draft(
        case=case, actor=pengawas, subjects=[honorer], institution=institutions.employer, channel="surat"
    )
    client.force_login(pengawas)
    # session, user, memberships, offices in scope, counts per stage, the open columns' cards (sorted and cut
    # in SQL), recently closed referrals, institutions for the filter
    with django_assert_num_queries(8):
        page = client.get(reverse("cases:referral_board")).content.decode()
    assert "BKN terlambat" in page and "Honorer Dua" in page
    only_late = client.get(reverse("cases:referral_board"), {"terlambat": "1"}).content.decode()
    assert "Asn Satu" in only_late and "Honorer Dua" not in only_late


def test_a_withdrawn_draft_is_not_a_finished_referral_on_the_board(client, pengawas, koordinator, case, institutions):
    asn, _honorer = case.subjects.order_by("pk")
    [draft] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=[asn], institution=institutions.bkn, channel="surat"
    )
    referrals.referral_withdraw(referral=draft, actor=pengawas, reason="Salah lembaga")
    client.force_login(pengawas)
    page = client.get(reverse("cases:referral_board")).content.decode()
    assert "Asn Satu" not in page  # not under "Selesai": it was never sent
    assert "Asn Satu" in client.get(reverse("cases:detail", args=[case.code])).content.decode()


def test_a_long_column_shows_the_most_overdue_first_and_can_be_shown_whole(
    client, pengawas, koordinator, case, institutions, monkeypatch
):
    from cases.referrals import views as referral_views

    asn, honorer = case.subjects.order_by("pk")
    for subject, institution in ((asn, institutions.bkn), (honorer, institutions.employer)):
        [referral] = referrals.referral_draft(
            case=case, actor=pengawas, subjects=[subject], institution=institution, channel="surat"
        )
        send(referral, koordinator, f"{subject.pk}/X", make_letters=False,
             sent_at=datetime(2024, 10, 21, 9, tzinfo=ZoneInfo("Asia/Jakarta")))  # fmt: skip
    monkeypatch.setattr(referral_views, "BOARD_COLUMN_LIMIT", 1)
    client.force_login(pengawas)
    page = client.get(reverse("cases:referral_board")).content.decode()
    assert "1 dari 2 ditampilkan" in page
    whole = client.get(reverse("cases:referral_board"), {"semua": "sent"}).content.decode()
    assert "Asn Satu" in whole and "Honorer Dua" in whole and "ditampilkan" not in whole


def test_outsider_gets_404_on_referrals_and_letters(client, pengawas, koordinator, outsider, case, institutions):
    referral = draft(case, pengawas, institutions.bkn)
    client.force_login(outsider)
    for url in (
        reverse("cases:referral", args=[referral.code]),
        reverse("cases:referral_document", args=[referral.code, "surat"]),
        reverse("cases:referral_create", args=[case.code]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("cases:referral_send", args=[referral.code]), {}).status_code == 404
    assert "Asn Satu" not in client.get(reverse("cases:referral_board")).content.decode()


def test_the_case_list_shows_the_referral_clock(client, pengawas, koordinator, case, institutions):
    referral = draft(case, pengawas, institutions.bkn)
    send(
        referral,
        koordinator,
        "1/X",
        make_letters=False,
        sent_at=datetime(2024, 10, 21, 9, tzinfo=ZoneInfo("Asia/Jakarta")),
    )
    client.force_login(pengawas)
    assert "BKN terlambat" in client.get(reverse("cases:list")).content.decode()


def test_letters_are_served_to_staff_of_the_case_only(client, pengawas, koordinator, outsider, case, institutions):
    referral = draft(case, pengawas, institutions.bkn)
    send(referral, koordinator, "9/X")
    url = reverse("cases:referral_document", args=[referral.code, "berkas"])
    client.force_login(pengawas)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_a_body_that_has_not_started_is_labelled_in_the_form(client, pengawas, case):
    from netralitas.reference.models import Institution

    Institution.objects.create(
        code="lembaga-baru", name="Lembaga Pengawas ASN Baru", kind="pengawas_asn", active_from=date(2027, 10, 16)
    )
    client.force_login(pengawas)
    page = client.get(reverse("cases:referral_create", args=[case.code])).content.decode()
    assert "Lembaga Pengawas ASN Baru — aktif mulai 16/10/2027" in page


def test_a_malformed_person_code_is_a_404(client, pengawas, offices, election=None):
    from tests.factories import make_case

    own = make_case(office=offices.gunung_mas, actor=pengawas)
    client.force_login(pengawas)
    assert client.post(reverse("cases:subject_add", args=[own.code]), {"person": "bukan-uuid"}).status_code == 404


def test_referral_detail_costs_the_same_queries_before_and_after_its_responses(
    client, pengawas, koordinator, case, institutions, django_assert_num_queries
):
    referral = send(draft(case, pengawas, institutions.bkn), koordinator, "1/X", make_letters=False)
    client.force_login(pengawas)
    url = reverse("cases:referral", args=[referral.code])
    # session, user, memberships, offices in scope, the referral with its case, subject, person, institutions
    # and the people who prepared and sent it, its responses with who recorded them, its documents, its
    # escalation letters (the ladder's rungs are read only for a referral awaiting the PPK)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    for kind, data in (
        ("rekomendasi", {"number": "R-1", "date": "2024-11-01", "proven": "1", "sanction": "penurunan_jabatan"}),
        ("keputusan_ppk", {"number": "800/5", "date": "2024-11-12", "sanction": "penurunan_jabatan"}),
    ):
        response = client.post(
            reverse("cases:referral_respond", args=[referral.code, kind]), {f"{kind}-{k}": v for k, v in data.items()}
        )
        assert response.status_code == 302
    with django_assert_num_queries(8):
        page = client.get(url).content.decode()
    assert "800/5" in page and "R-1" in page


def test_board_costs_the_same_queries_for_2_or_10_referrals(
    client, offices, pengawas, koordinator, regions, institutions, django_assert_num_queries
):
    people = tuple((f"Asn {i}", "pns", f"1985031220100110{i:02d}") for i in range(10))
    case = decided_case(offices, pengawas, koordinator, regions, people=people)

    def forward(names):
        for i, name in enumerate(names):
            referral = draft(case, pengawas, institutions.bkn if i % 2 else institutions.employer, name=name)
            if i % 3:
                send(referral, koordinator, f"{name}/X", make_letters=False)

    client.force_login(pengawas)
    url = reverse("cases:referral_board")
    forward(["Asn 0", "Asn 1"])
    with django_assert_num_queries(8):  # as in test_board_shows_stages_and_the_overdue_first
        assert client.get(url).status_code == 200
    forward([f"Asn {i}" for i in range(2, 10)])
    with django_assert_num_queries(8):
        page = client.get(url).content.decode()
    assert "Asn 9" in page


def test_the_forward_form_proposes_each_persons_body(client, pengawas, koordinator, offices, regions, institutions):
    """PNS and PPPK both go to BKN (a PPPK is ASN); the honorer staff, with another body, is left unticked."""
    mixed = decided_case(
        offices,
        pengawas,
        koordinator,
        regions,
        people=(
            ("Asn Pns", "pns", "198503122010011004"),
            ("Asn Pppk", "pppk", "199001012022212015"),
            ("Honorer Tiga", "honorer", ""),
        ),
    )
    client.force_login(pengawas)
    form = client.get(reverse("cases:referral_create", args=[mixed.code])).context["form"]
    ticked = set(form.initial["subjects"])
    by_name = {s.person.name: s.pk for s in mixed.subjects.select_related("person")}
    assert ticked == {by_name["Asn Pns"], by_name["Asn Pppk"]}
    assert form.initial["institution"] == institutions.bkn


def test_the_case_page_shows_each_persons_final_answer(client, pengawas, koordinator, case, institutions):
    """Found proven by the plenary, then not proven by BKN: the page says both, not a stale "Terbukti"."""
    referral = send(draft(case, pengawas, institutions.bkn), koordinator, "9/X", make_letters=False)
    referrals.referral_record_recommendation(
        referral=referral, actor=pengawas, number="R-1", date=date(2024, 11, 1), proven=False
    )
    client.force_login(pengawas)
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert "Rekomendasi: tidak terbukti (BKN)" in page
