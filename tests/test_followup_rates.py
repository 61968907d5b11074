"""Follow-up rates (dashboard/followup.py): the figures against hand counts (the dashboard's world, a world made
here across three regencies with a weekend, holidays and declared days inside the timed stages, and the demo),
a deleted case counted nowhere, the public page without names, fixed query counts, and who may read what."""

from datetime import date, datetime
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Case, Person, Sanction, SubjectOutcome
from cases.referrals import services as referrals
from cases.workflow import services
from dashboard.followup import followup_for_user, public_followup
from dashboard.selectors import Period
from netralitas.accounts.models import Role
from netralitas.reference.models import NonWorkingDay, Region
from tests.dashboard_world import _types, build_world
from tests.factories import (
    ALL_REQUIREMENTS,
    ElectionFactory,
    MembershipFactory,
    OfficeFactory,
    RegionFactory,
)

WIB = ZoneInfo("Asia/Jakarta")
TODAY = date(2025, 3, 3)
URL = "/dasbor/tindak-lanjut/"
SPANS = ("recommendation", "decision", "execution")


def figures_of(row):
    return (row.recommended, row.decided, row.sanctioned, row.executed, row.refused, row.overdue)


def medians_of(row):
    return tuple(row.medians[key] for key in SPANS)


def by_label(rows):
    return {r.label: r for r in rows}


# --- The dashboard's world (tests/dashboard_world.py) -----------------------------------------------------
# Gunung Mas: Asn Satu (BKN) recommended 4 Nov 2024, awaiting the PPK, past its clock; Asn Dua (BKN) sent, no
# recommendation (not counted); Honorer Tiga (employer) recommended 4 Nov, sanctioned 8 Nov, carried out 11 Nov;
# Asn Empat (BKN) recommended 4 Nov, refused by the PPK 20 Nov. Palangka Raya: Asn Kota (BKN) recommended 4 Nov,
# awaiting the PPK, past its clock. Every letter is dated Monday 21 October 2024.
# Working days: 21 Oct -> 4 Nov: 22-25 Oct, 28 Oct-1 Nov, 4 Nov = 10; 4 Nov -> 8 Nov = 4; 8 Nov (Fri) -> 11 Nov
# (Mon) = 1; 4 Nov -> 20 Nov = 4 + 5 + 3 = 12.


@pytest.fixture
def world(regions, offices, pengawas, koordinator, institutions, outsider):
    return build_world(regions, offices, pengawas, koordinator, institutions, outsider)


def test_pemkab_figures_equal_the_hand_count(pemkab, world):
    f = followup_for_user(pemkab, Period(), today=TODAY)
    # recommended, decided, sanctioned, executed, refused, overdue
    assert figures_of(f.total) == (3, 2, 1, 1, 1, 1)
    assert f.total.awaiting == 1
    assert f.total.rate == 33.3 and f.total.executed_rate == 33.3
    assert medians_of(f.total) == (10.0, 8.0, 1.0)
    assert f.total.timed == {"recommendation": 3, "decision": 2, "execution": 1}
    assert [(r.label, figures_of(r)) for r in f.regencies] == [("Kabupaten Gunung Mas", (3, 2, 1, 1, 1, 1))]
    bodies = by_label(f.bodies)
    assert list(bodies) == ["BKN", "Pemberi kerja"]  # the most recommended first
    assert figures_of(bodies["BKN"]) == (2, 1, 0, 0, 1, 1) and bodies["BKN"].rate == 0.0
    assert medians_of(bodies["BKN"]) == (10.0, 12.0, None)
    assert figures_of(bodies["Pemberi kerja"]) == (1, 1, 1, 1, 0, 0) and bodies["Pemberi kerja"].rate == 100.0
    assert medians_of(bodies["Pemberi kerja"]) == (10.0, 4.0, 1.0)


def test_province_ranks_its_regencies_by_rate(province_supervisor, world):
    f = followup_for_user(province_supervisor, Period(), today=TODAY)
    assert figures_of(f.total) == (4, 2, 1, 1, 1, 2)
    assert f.total.rate == 25.0
    assert [(r.label, r.rate, figures_of(r)) for r in f.regencies] == [
        ("Kabupaten Gunung Mas", 33.3, (3, 2, 1, 1, 1, 1)),
        ("Kota Palangka Raya", 0.0, (1, 0, 0, 0, 0, 1)),
    ]
    assert [(r.label, figures_of(r)) for r in f.provinces] == [("Kalimantan Tengah", (4, 2, 1, 1, 1, 2))]
    # the election filter: Palangka Raya's case is of another election
    gm = followup_for_user(province_supervisor, Period(election=world.gm_election), today=TODAY)
    assert [r.label for r in gm.regencies] == ["Kabupaten Gunung Mas"] and gm.total.recommended == 3


def test_the_late_count_follows_the_day_asked(pemkab, world):
    # Asn Satu's PPK clock: 10 working days after 4 November 2024 (Gunung Mas's PPK) = 18 November.
    assert world.awaiting.ppk_due == date(2024, 11, 18)
    assert followup_for_user(pemkab, Period(), today=date(2024, 11, 18)).total.overdue == 0
    assert followup_for_user(pemkab, Period(), today=date(2024, 11, 19)).total.overdue == 1


# --- A world of three regencies, with holidays inside the timed stages ----------------------------------
# Letters of Friday 20 December 2024; recommendations Friday 27 December: 21-22 weekend, 23 and 24 working, 25
# Christmas, 26 collective leave, 27 working = 3 working days; in Gunung Mas, which declared 24 December a
# regional holiday, 2. Decisions Thursday 2 January 2025: 28-29 weekend, 30 working, 31 declared a national
# non-working day, 1 January New Year, 2 working = 2. A refusal on Friday 3 January = 3. Carried out Monday 6
# January: 3 working, 4-5 weekend, 6 working = 2.
#
# Gunung Mas: g1 BKN sanctioned and carried out; g2 BKN refused; g3 employer sanctioned; g4 BKN sent only;
#   g5 BKN not proven; a draft withdrawn.                       -> 3 recommended, 3 decided, 2 sanctioned, 1 executed,
#                                                                  1 refused, rate 66.7
# Palangka Raya: p1 BKN awaiting the PPK (late on TODAY); p2 BKN carried out  -> 2, 1, 1, 1, 0, 1, rate 50
# Kapuas: k1 BKN carried out                                                     -> 1, 1, 1, 1, 0, 0, rate 100
# Kapuas, deleted case: d1 BKN carried out                                       -> nowhere
# A case of another election in Kapuas, carried out                              -> not in this election


def _decided_case(office, election, people, *, actors):
    pengawas, koordinator = actors
    received = datetime(2024, 12, 2, 9, tzinfo=WIB)
    case = services.case_create(
        office=office,
        election=election,
        source="laporan",
        actor=pengawas,
        intake=services.Intake(
            title=f"Judul rahasia {office.region.name}",
            chronology="Terlapor mengunggah dukungan kepada calon.",
            known_on=received.date(),
            received_at=received,
            reporter={"name": "Pelapor Tindak Lanjut", "address": "Alamat", "phone": "0812999"},
            **ALL_REQUIREMENTS,
        ),
    )
    case = services.case_transition(
        case=case, actor=koordinator, name="register", expected_version=None, at=datetime(2024, 12, 3, 9, tzinfo=WIB)
    )
    subjects, kinds = [], _types("MEDSOS-INTERAKSI")
    for name, kind in people:
        person = Person.objects.create(name=name, employment_type=kind, region=office.region)
        subject = services.subject_add(case=case, actor=pengawas, person=person, violation_types=kinds)
        services.subject_update(subject=subject, actor=pengawas, violation_types=kinds, outcome=SubjectOutcome.PROVEN)
        subjects.append(subject)
    case = services.case_transition(
        case=case,
        actor=koordinator,
        name="decide",
        expected_version=None,
        reason="Terbukti",
        at=datetime(2024, 12, 5, 15, tzinfo=WIB),
    )
    return case, subjects


def _sent(case, subject, institution, actors, number):
    pengawas, koordinator = actors
    [draft] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=[subject], institution=institution, channel="surat"
    )
    return referrals.referral_send(
        referral=draft,
        actor=koordinator,
        expected_version=None,
        letter_number=number,
        letter_date=date(2024, 12, 20),
        channel="surat",
        sent_at=datetime(2024, 12, 20, 9, tzinfo=WIB),
        make_letters=False,
    )


def _follow(referral, actor, outcome, sanction=Sanction.WRITTEN_REPRIMAND):
    """``outcome``: "sent", "not_proven", "awaiting", "sanctioned", "refused" or "executed"."""
    if outcome == "sent":
        return referral
    referral = referrals.referral_record_recommendation(
        referral=referral,
        actor=actor,
        number=f"R-{referral.pk}",
        date=date(2024, 12, 27),
        proven=outcome != "not_proven",
        sanction="" if outcome == "not_proven" else sanction,
    )
    if outcome in ("not_proven", "awaiting"):
        return referral
    if outcome == "refused":
        return referrals.referral_record_ppk_decision(
            referral=referral, actor=actor, number="", date=date(2025, 1, 3), refused=True, note="Tidak disetujui"
        )
    referral = referrals.referral_record_ppk_decision(
        referral=referral, actor=actor, number=f"800/{referral.pk}", date=date(2025, 1, 2), sanction=sanction
    )
    if outcome == "executed":
        referral = referrals.referral_record_execution(referral=referral, actor=actor, date=date(2025, 1, 6))
    return referral


PEOPLE = {
    "gm": [("Gita Satu", "pns"), ("Gita Dua", "pns"), ("Gita Tiga", "honorer"), ("Gita Empat", "pns"),
           ("Gita Lima", "pns"), ("Gita Enam", "pns")],
    "pr": [("Prana Satu", "pns"), ("Prana Dua", "pns")],
    "kp": [("Kirana Satu", "pns")],
    "deleted": [("Dihapus Satu", "pns")],
    "other": [("Lain Satu", "pns")],
}  # fmt: skip
NAMES = [name for people in PEOPLE.values() for name, _kind in people]


@pytest.fixture
def generated(regions, offices, pengawas, koordinator, outsider, institutions):
    kapuas = RegionFactory(code="62.03", name="Kabupaten Kapuas", level=Region.Level.REGENCY, parent=regions.province)
    kapuas_office = OfficeFactory(region=kapuas, name="Bawaslu Kabupaten Kapuas")
    kp = (
        MembershipFactory(office=kapuas_office, role=Role.PENGAWAS).user,
        MembershipFactory(office=kapuas_office, role=Role.KOORDINATOR).user,
    )
    pr = (outsider, MembershipFactory(office=offices.palangka_raya, role=Role.KOORDINATOR).user)
    gm = (pengawas, koordinator)
    NonWorkingDay.objects.create(date=date(2024, 12, 24), name="Libur daerah uji", region=regions.gunung_mas)
    NonWorkingDay.objects.create(date=date(2024, 12, 31), name="Libur nasional uji")
    election = ElectionFactory(name="Pilgub Kalimantan Tengah Uji", region=regions.province)
    other = ElectionFactory(name="Pilkada Lain Uji", region=kapuas)
    bkn, employer = institutions.bkn, institutions.employer

    case, s = _decided_case(offices.gunung_mas, election, PEOPLE["gm"], actors=gm)
    for subject, body, outcome in zip(
        s[:5], (bkn, bkn, employer, bkn, bkn), ("executed", "refused", "sanctioned", "sent", "not_proven"), strict=True
    ):
        sanction = Sanction.EMPLOYER if body == employer else Sanction.WRITTEN_REPRIMAND
        _follow(_sent(case, subject, body, gm, f"G-{subject.pk}"), pengawas, outcome, sanction)
    [draft] = referrals.referral_draft(case=case, actor=pengawas, subjects=[s[5]], institution=bkn, channel="surat")
    referrals.referral_withdraw(referral=draft, actor=koordinator, reason="Keliru")

    case, s = _decided_case(offices.palangka_raya, election, PEOPLE["pr"], actors=pr)
    _follow(_sent(case, s[0], bkn, pr, "P-1"), outsider, "awaiting")
    _follow(_sent(case, s[1], bkn, pr, "P-2"), outsider, "executed")

    case, s = _decided_case(kapuas_office, election, PEOPLE["kp"], actors=kp)
    _follow(_sent(case, s[0], bkn, kp, "K-1"), kp[0], "executed")
    deleted, s = _decided_case(kapuas_office, election, PEOPLE["deleted"], actors=kp)
    _follow(_sent(deleted, s[0], bkn, kp, "K-2"), kp[0], "executed")
    case, s = _decided_case(kapuas_office, other, PEOPLE["other"], actors=kp)
    _follow(_sent(case, s[0], bkn, kp, "K-3"), kp[0], "executed")
    # The service refuses to delete a forwarded case; a case hidden before that rule (or by the database's
    # operator) is hidden all the same, and must count nowhere.
    Case.all_objects.filter(pk=deleted.pk).update(
        deleted_at=timezone.now(), deleted_by=kp[1], deletion_reason="Keliru dicatat"
    )
    return {"election": election, "other": other, "deleted": deleted}


def test_generated_figures_equal_the_hand_count(generated, province_supervisor):
    f = followup_for_user(province_supervisor, Period(election=generated["election"]), today=TODAY)
    assert figures_of(f.total) == (6, 5, 4, 3, 1, 1)
    assert f.total.rate == 66.7
    assert medians_of(f.total) == (2.5, 2.0, 2.0)
    assert [(r.label, r.rate, figures_of(r), medians_of(r)) for r in f.regencies] == [
        ("Kabupaten Kapuas", 100.0, (1, 1, 1, 1, 0, 0), (3.0, 2.0, 2.0)),
        ("Kabupaten Gunung Mas", 66.7, (3, 3, 2, 1, 1, 0), (2.0, 2.0, 2.0)),
        ("Kota Palangka Raya", 50.0, (2, 1, 1, 1, 0, 1), (3.0, 2.0, 2.0)),
    ]
    bodies = by_label(f.bodies)
    assert figures_of(bodies["BKN"]) == (5, 4, 3, 3, 1, 1) and medians_of(bodies["BKN"]) == (3.0, 2.0, 2.0)
    assert figures_of(bodies["Pemberi kerja"]) == (1, 1, 1, 0, 0, 0)
    assert medians_of(bodies["Pemberi kerja"]) == (2.0, 2.0, None)
    # every election: the other election's case in Kapuas is counted too
    every = followup_for_user(province_supervisor, Period(), today=TODAY)
    assert figures_of(every.total) == (7, 6, 5, 4, 1, 1)


def test_a_deleted_case_counts_nowhere(generated, province_supervisor, client):
    deleted = generated["deleted"]
    assert Case.objects.filter(pk=deleted.pk).count() == 0
    f = followup_for_user(province_supervisor, Period(election=generated["election"]), today=TODAY)
    assert by_label(f.regencies)["Kabupaten Kapuas"].recommended == 1
    public = public_followup(generated["election"], today=TODAY)
    assert public.total.recommended == 6
    html = client.get(reverse("dashboard:public_followup", args=[generated["election"].pk])).content.decode()
    assert "Dihapus Satu" not in html and deleted.title not in html and "K-2" not in html
    # restored, it counts again
    Case.all_objects.filter(pk=deleted.pk).update(deleted_at=None, deleted_by=None, deletion_reason="")
    assert public_followup(generated["election"], today=TODAY).total.recommended == 7


def test_the_public_page_holds_figures_and_no_names(generated, client):
    election = generated["election"]
    response = client.get(reverse("dashboard:public_followup", args=[election.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kabupaten Kapuas" in html and "Pilgub Kalimantan Tengah Uji" in html
    assert 'id="jumlah-direkomendasikan">6<' in html
    assert "66,7 %" in html  # the rate, stated on the page with its definition
    assert "Tingkat tindak lanjut</strong> = " in html
    for case in Case.all_objects.filter(election=election):
        assert case.title not in html
        assert case.number not in html
    for name in NAMES:
        assert name not in html
    assert "Pelapor Tindak Lanjut" not in html
    for number in ("G-", "P-1", "P-2", "K-1", "R-", "800/"):
        assert number not in html


def test_the_public_page_hides_medians_of_fewer_than_three(generated):
    f = public_followup(generated["election"], today=TODAY)
    assert medians_of(f.total) == (2.5, 2.0, 2.0)  # over 6, 5 and 3 people
    kapuas = by_label(f.regencies)["Kabupaten Kapuas"]
    assert figures_of(kapuas) == (1, 1, 1, 1, 0, 0)  # the counts stay
    assert medians_of(kapuas) == (None, None, None)
    assert medians_of(by_label(f.regencies)["Kabupaten Gunung Mas"]) == (2.0, 2.0, None)


def test_the_public_page_of_an_unknown_election_is_not_found(client, db):
    assert client.get("/publik/pemilihan/987654/tindak-lanjut/").status_code == 404


# --- Query counts ---------------------------------------------------------------------------------------


def test_the_selector_is_one_query_whatever_the_data(generated, province_supervisor, django_assert_num_queries):
    from dashboard.followup import followup_figures as count
    from dashboard.selectors import dashboard_cases

    cases = dashboard_cases(province_supervisor, Period())
    list(cases[:0])  # the scope's office ids, read once per request
    with django_assert_num_queries(1):
        count(cases, TODAY)
    with django_assert_num_queries(1):
        count(Case.objects.all(), TODAY, whole=True)


def test_the_pages_cost_fixed_queries(generated, client, province_supervisor, pemkab, django_assert_num_queries):
    # session, user, memberships, office ids, elections, the figures
    client.force_login(province_supervisor)
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(URL, {"pemilihan": generated["election"].pk}).status_code == 200
    client.logout()
    # the election, the figures
    with django_assert_num_queries(2):
        assert client.get(reverse("dashboard:public_followup", args=[generated["election"].pk])).status_code == 200


def test_the_public_figures_are_counted_once_for_every_visitor(generated, client, settings, django_assert_num_queries):
    settings.PUBLIC_FIGURES_CACHE_SECONDS = 300
    caches["figures"].clear()
    url = reverse("dashboard:public_followup", args=[generated["election"].pk])
    with django_assert_num_queries(2):
        client.get(url)
    for _visitor in range(3):
        with django_assert_num_queries(1):  # the election only
            assert "angka dihitung pukul" in client.get(url).content.decode()
    caches["figures"].clear()


# --- Pages and access -----------------------------------------------------------------------------------


def test_the_signed_in_page_shows_the_ranked_regencies(client, province_supervisor, world):
    client.force_login(province_supervisor)
    html = client.get(URL).content.decode()
    assert "Tindak lanjut rekomendasi sanksi" in html
    assert html.index("Kabupaten Gunung Mas") < html.index("Kota Palangka Raya")
    assert "33,3 %" in html and 'id="jumlah-direkomendasikan">4<' in html
    assert "Per lembaga penerima rekomendasi" in html
    dashboard = client.get("/dasbor/").content.decode()
    assert 'id="tautan-tindak-lanjut"' in dashboard and URL in dashboard


def test_a_bad_filter_is_refused_with_a_message(client, pemkab, world):
    client.force_login(pemkab)
    response = client.get(URL, {"pemilihan": world.pr_election.pk})
    assert response.status_code == 400
    assert "tidak termasuk wilayah Anda" in response.content.decode()


def test_roles_that_do_not_read_the_dashboard_are_refused(client, office_admin, world):
    assert client.get(URL).status_code == 302  # to the sign-in page
    client.force_login(office_admin)
    assert client.get(URL).status_code == 403


def test_the_public_page_needs_no_account(client, world):
    response = client.get(reverse("dashboard:public_followup", args=[world.gm_election.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Asn Satu", "Asn Dua", "Honorer Tiga", "Asn Empat", "Asn Kota", "1/A", "3/A", "800/1"):
        assert name not in html


def test_the_xlsx_has_the_follow_up_sheet(client, pemkab, world):
    client.force_login(pemkab)
    book = load_workbook(BytesIO(client.get("/dasbor/angka.xlsx").content))
    sheet = book["Tindak lanjut"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:9] == [
        "Tingkat",
        "Nama",
        "Direkomendasikan",
        "Diputus PPK",
        "Sanksi dijatuhkan",
        "Dilaksanakan",
        "Tidak disanksi PPK",
        "Melewati batas PPK",
        "Tingkat tindak lanjut (%)",
    ]
    data = {(r[0], r[1]): r[2:] for r in rows[1:] if r[0]}
    assert data[("Semua", "Semua")][:7] == [3, 2, 1, 1, 1, 1, 33.3]
    assert data[("Kabupaten/kota", "Kabupaten Gunung Mas")][:7] == [3, 2, 1, 1, 1, 1, 33.3]
    assert data[("Lembaga", "BKN")][:7] == [2, 1, 0, 0, 1, 1, 0.0]
    assert data[("Semua", "Semua")][7:] == [10.0, 8.0, 1.0]
    text = " ".join(str(c) for row in rows for c in row if c is not None)
    for name in ("Asn Satu", "Honorer Tiga", "Asn Empat"):
        assert name not in text


# --- The demo -------------------------------------------------------------------------------------------
# 2024 (Pilkada, Gunung Mas): Asn Demo Satu and Dua to BKN, letters of 21 Oct 2024, recommended 4 and 5 Nov,
# awaiting the PPK (late); Honorer Demo Satu to the employer, recommended 6 Nov, decided 8 Nov, carried out 11
# Nov; Honorer Demo Dua sent only. The 2020 story: Asn Demo Tiga and Empat to KASN, letters of 12 Oct 2020,
# recommended 2 Nov, decided 16 Nov, carried out 20 Nov; Honorer Demo Tiga and Empat to the employer,
# recommended 3 Nov, decided 5 Nov, carried out 6 Nov. The Pemilu case's five referrals are sent only (one of
# them a crime at Gakkumdu).
# Working days: 21 Oct 2024 -> 4 Nov = 10, -> 5 Nov = 11, -> 6 Nov = 12; 6 -> 8 Nov = 2; 8 -> 11 Nov = 1.
# 12 Oct 2020 -> 2 Nov 2020: 13-16 Oct 4, 19-23 Oct 5, 26-30 Oct less 28 and 30 Oct (collective leave) and 29 Oct
# (the Prophet's birthday) 2, 2 Nov 1 = 12; -> 3 Nov = 13. 2 -> 16 Nov 2020 = 10; 3 -> 5 Nov = 2. 16 -> 20 Nov =
# 4; 5 -> 6 Nov = 1.


@pytest.fixture
def demo(db, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr("cases.referrals.letters.available", lambda: False)
    call_command("load_demo", "--force", stdout=StringIO())


def test_demo_figures_equal_the_hand_count(demo):
    from netralitas.accounts.models import User

    f = followup_for_user(User.objects.get(username="koordinator"), Period(), today=TODAY)
    assert figures_of(f.total) == (7, 5, 5, 5, 0, 2)
    assert f.total.rate == 71.4
    # recommendation: 10, 11, 12, 12, 12, 13, 13 -> 12; decision: 2, 10, 10, 2, 2 -> 2; execution: 1, 4, 4, 1, 1 -> 1
    assert medians_of(f.total) == (12.0, 2.0, 1.0)
    bodies = by_label(f.bodies)
    assert figures_of(bodies["BKN"]) == (2, 0, 0, 0, 0, 2)
    assert figures_of(bodies["Pemberi kerja"]) == (3, 3, 3, 3, 0, 0)
    assert figures_of(bodies["KASN"]) == (2, 2, 2, 2, 0, 0)
    assert medians_of(bodies["KASN"]) == (12.0, 10.0, 4.0)
    assert [r.label for r in f.regencies] == ["Kabupaten Gunung Mas"]
