"""The dashboard: figures against a hand-counted world (tests/dashboard_world.py), scope, filters, the PPK
follow-up list and its privacy, the XLSX download, and a query count that does not grow with the data."""

import re
from datetime import date, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dashboard.selectors import Period, dashboard_figures
from netralitas.accounts.models import Role
from tests.dashboard_world import REPORTER_GM, REPORTER_PR, WIB, build_case, build_world, recommend, send
from tests.factories import MembershipFactory, declare_succession

URL = "/dasbor/"


@pytest.fixture
def world(regions, offices, pengawas, koordinator, institutions, outsider):
    return build_world(regions, offices, pengawas, koordinator, institutions, outsider)


def rows(figure):
    return {r.label: r.value for r in figure}


def proven(figure):
    return {r.label: r.extra["proven"] for r in figure}


def test_pemkab_figures_count_gunung_mas_only(pemkab, world):
    f = dashboard_figures(pemkab, Period())
    assert [r.name for r in f.regencies] == ["Kabupaten Gunung Mas"]
    assert (f.total_cases, f.open_cases, f.overdue_cases) == (3, 2, 2)
    status = rows(f.by_status)
    assert status["Diterima (kajian awal)"] == 2 and status["Diteruskan"] == 1 and sum(status.values()) == 3
    assert (f.total_subjects, f.proven_subjects) == (6, 4)
    by_type = {r.extra["code"]: (r.value, r.extra["proven"]) for r in f.by_type}
    assert by_type == {"MEDSOS-INTERAKSI": (3, 3), "FOTO-GESTUR": (2, 2), "APK": (1, 0), "KEGIATAN": (1, 0)}
    assert rows(f.by_agency) == {
        "Dinas Pendidikan": 2,
        "Dinas Kesehatan": 2,
        "Sekretariat Daerah": 1,
        "Tanpa OPD / instansi lain": 1,
    }
    assert proven(f.by_agency) == {
        "Dinas Pendidikan": 2,
        "Dinas Kesehatan": 1,
        "Sekretariat Daerah": 1,
        "Tanpa OPD / instansi lain": 0,
    }
    assert rows(f.by_employment) == {
        "PNS": 3,
        "PPPK": 1,
        "Honorer / non-ASN": 1,
        "Kepala desa / perangkat desa": 1,
    }
    assert [(r.label, r.value) for r in f.by_month] == [
        ("September 2024", 1),
        ("Oktober 2024", 1),
        ("November 2024", 1),
    ]
    assert {r.extra["key"]: r.value for r in f.pipeline} == {
        "sent": 1,
        "awaiting_ppk": 1,
        "sanctioned": 0,
        "executed": 1,
        "refused": 1,
        "not_proven": 0,
        "crime": 0,
        "convicted": 0,
        "lighter": 0,
    }
    assert {r.extra["key"]: r.value for r in f.overdue_referrals} == {"sent_late": 1, "ppk_late": 1}
    prevention = {
        p["name"]: (p["sessions_held"], p["people_reached"], p["asn_reached"], p["subjects"]) for p in f.prevention
    }
    assert prevention == {
        "Dinas Pendidikan": (1, 40, 25, 2),
        "Dinas Kesehatan": (0, 0, 0, 2),
        "Sekretariat Daerah": (1, 15, 10, 1),
        "Badan Perencanaan": (0, 0, 0, 0),
    }
    assert [p["name"] for p in f.ppk_list] == ["Asn Satu"]
    assert [(r["office__region__name"], r["cases"], r["awaiting_ppk"]) for r in f.per_regency] == [
        ("Kabupaten Gunung Mas", 3, 1)
    ]


def test_filters_by_election_and_period(pemkab, world):
    by_election = dashboard_figures(pemkab, Period(election=world.gm_election))
    assert (by_election.total_cases, by_election.total_subjects) == (2, 5)
    assert "Kepala desa / perangkat desa" not in rows(by_election.by_employment)
    october = dashboard_figures(pemkab, Period(start=date(2024, 10, 1), end=date(2024, 10, 31)))
    assert october.total_cases == 1 and october.total_subjects == 4
    assert [p["name"] for p in october.ppk_list] == ["Asn Satu"]
    # Outreach counts follow the period too: the session of 10 September falls outside October.
    assert {p["name"]: p["sessions_held"] for p in october.prevention}["Dinas Pendidikan"] == 0
    september = dashboard_figures(pemkab, Period(start=date(2024, 9, 1), end=date(2024, 9, 30)))
    assert september.total_cases == 1 and september.ppk_list == []
    assert {p["name"]: p["sessions_held"] for p in september.prevention}["Dinas Pendidikan"] == 1
    # The last day of the period counts whole (received at 09.00 WIB on 3 September).
    assert dashboard_figures(pemkab, Period(end=date(2024, 9, 3))).total_cases == 1
    assert dashboard_figures(pemkab, Period(end=date(2024, 9, 2))).total_cases == 0


def test_palangka_raya_supervisor_sees_only_palangka_raya(outsider, world):
    f = dashboard_figures(outsider, Period())
    assert f.total_cases == 1 and [p["name"] for p in f.ppk_list] == ["Asn Kota"]
    assert {p["name"] for p in f.prevention} == {"Dinas Kota"}


def test_province_office_sees_every_regency_with_a_row_each(client, province_supervisor, world):
    f = dashboard_figures(province_supervisor, Period())
    assert [r.name for r in f.regencies] == ["Kabupaten Gunung Mas", "Kota Palangka Raya"]
    assert f.total_cases == 4
    assert sorted(p["name"] for p in f.ppk_list) == ["Asn Kota", "Asn Satu"]
    assert [
        (r["office__region__name"], r["cases"], r["open"], r["overdue"], r["awaiting_ppk"]) for r in f.per_regency
    ] == [
        ("Kabupaten Gunung Mas", 3, 2, 2, 1),
        ("Kota Palangka Raya", 1, 0, 0, 1),
    ]
    # A regency without cases for the filter keeps its row, with zeros.
    only_gm = dashboard_figures(province_supervisor, Period(election=world.gm_election))
    assert [(r["office__region__name"], r["cases"], r["awaiting_ppk"]) for r in only_gm.per_regency] == [
        ("Kabupaten Gunung Mas", 2, 1),
        ("Kota Palangka Raya", 0, 0),
    ]
    client.force_login(province_supervisor)
    page = client.get(URL).content.decode()
    assert 'id="tabel-wilayah"' in page and "Kota Palangka Raya" in page


def test_pemkab_page_shows_the_figures_and_not_palangka_raya(client, pemkab, world):
    client.force_login(pemkab)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dasbor netralitas ASN" in page and "Kabupaten Gunung Mas" in page
    assert 'id="jumlah-perkara">3<' in page
    assert 'id="tabel-wilayah"' not in page  # one regency: no per-regency table
    for text in ("Asn Kota", "Dinas Kota", "Pilkada Palangka Raya Uji", REPORTER_PR):
        assert text not in page
    # Chart data are in the page as JSON, drawn by a static script (no inline script).
    assert '<script id="angka-dasbor" type="application/json">' in page
    assert "js/dashboard.js" in page and "vendor/chart-4.6.1.umd.min.js" in page
    assert "<script>" not in page
    # The old regency summary is folded in: elections and holidays.
    assert "Pilkada Gunung Mas Uji" in page and "Hari libur 60 hari ke depan" in page


def test_ppk_list_names_the_subject_and_the_recommended_sanction(client, pemkab, world):
    client.force_login(pemkab)
    page = client.get(URL).content.decode()
    table = page[page.index('id="tabel-ppk"') : page.index("</table>", page.index('id="tabel-ppk"'))]
    assert "Asn Satu" in table and "198503122010011004" in table and "Dinas Pendidikan" in table
    assert "Penurunan jabatan setingkat lebih rendah selama 12 bulan (berat)" in table
    late = (timezone.localdate() - world.awaiting.ppk_due).days
    assert late > 0
    assert f'<td class="text-end">{late}</td>' in table
    assert f"PPK terlambat {late} hari" in table
    # Only those awaiting the regent: not the one sent to BKN, nor the executed or refused ones.
    for name in ("Asn Dua", "Honorer Tiga", "Asn Empat", "Asn Lima", "Kades Enam"):
        assert name not in page


def test_ppk_list_keeps_the_recommendation_across_a_transfer(
    pemkab, world, institutions, koordinator, pengawas, operator
):
    from cases.referrals import services as referrals

    kasn_world = build_case(
        world.case_a.office,
        pengawas,
        koordinator,
        world.gm_election,
        datetime(2024, 6, 3, 9, tzinfo=WIB),
        [("Asn Tujuh", "pns", "198205052006041007", world.agencies.setda, ["PARPOL"], True)],
        decide=True,
    )
    case, subjects = kasn_world
    [draft] = referrals.referral_draft(
        case=case,
        actor=pengawas,
        subjects=[subjects["Asn Tujuh"]],
        institution=institutions.kasn,
        channel="surat",
        on=date(2024, 6, 10),
    )
    sent = referrals.referral_send(
        referral=draft,
        actor=koordinator,
        expected_version=None,
        letter_number="5/K",
        letter_date=date(2024, 6, 10),
        channel="surat",
        sent_at=datetime(2024, 6, 10, 9, tzinfo=WIB),
        make_letters=False,
    )
    recommend(sent, pengawas, "ptdh", day=date(2024, 7, 1))
    declare_succession(institutions, operator, on=date(2024, 9, 2))
    listed = {p["name"]: p for p in dashboard_figures(pemkab, Period()).ppk_list}
    assert listed["Asn Tujuh"]["sanction"] == "Pemberhentian tidak dengan hormat (PTDH)"
    assert listed["Asn Tujuh"]["institution"] == "BKN"


def test_pemkab_never_sees_reporters_or_evidence_files(client, pemkab, world):
    client.force_login(pemkab)
    page = client.get(URL).content.decode()
    for text in (REPORTER_GM, "Alamat rahasia", "0812000111", "bukti-rahasia", "/bukti/", "/berkas/", "/media/"):
        assert text not in page
    assert str(world.evidence.code) not in page and world.evidence.sha256 not in page
    # Nor any link into the case register.
    assert "/perkara/" not in page and "/penerusan/" not in page and "/terlapor/" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"pemilihan": "abc"}, "Pemilihan itu tidak ada atau tidak termasuk wilayah Anda."),
        ({"dari": "2024-13-45"}, "Tanggal tidak dikenali"),
        ({"sampai": "kemarin"}, "Tanggal tidak dikenali"),
        ({"dari": "2024-12-01", "sampai": "2024-11-01"}, "Tanggal awal periode harus sebelum"),
    ],
)
def test_bad_filters_get_an_indonesian_message_not_an_error(client, pemkab, world, query, message):
    client.force_login(pemkab)
    for url in (URL, reverse("dashboard:xlsx")):
        response = client.get(url, query)
        assert response.status_code == 400
        page = response.content.decode()
        assert message in page
        assert 'id="angka-dasbor"' not in page


def test_an_election_of_another_regency_is_refused(client, pemkab, world):
    client.force_login(pemkab)
    response = client.get(URL, {"pemilihan": world.pr_election.pk})
    assert response.status_code == 400
    assert "Pemilihan itu tidak ada atau tidak termasuk wilayah Anda." in response.content.decode()
    response = client.get(URL, {"pemilihan": world.gm_election.pk, "dari": "2024-10-01"})
    assert response.status_code == 200 and 'id="jumlah-perkara">2<' in response.content.decode()  # A and B


def test_xlsx_download_holds_the_figures_and_no_names(client, pemkab, world):
    client.force_login(pemkab)
    response = client.get(reverse("dashboard:xlsx"), {"pemilihan": world.gm_election.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="dasbor-netralitas-')
    book = load_workbook(BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Dasbor netralitas ASN"] == "Kabupaten Gunung Mas"
    assert summary["Pemilihan"] == "Pilkada Gunung Mas Uji"
    assert summary["Perkara"] == 2 and summary["Terlapor"] == 5 and summary["Terlapor terbukti melanggar"] == 4
    types = {row[1]: (row[2], row[3]) for row in book["Jenis pelanggaran"].iter_rows(min_row=2, values_only=True)}
    assert types == {"MEDSOS-INTERAKSI": (3, 3), "FOTO-GESTUR": (2, 2), "APK": (1, 0)}
    agencies = {row[0]: row[1] for row in book["OPD"].iter_rows(min_row=2, values_only=True)}
    assert agencies == {"Dinas Pendidikan": 2, "Dinas Kesehatan": 2, "Sekretariat Daerah": 1}
    pipeline = {row[0]: row[1] for row in book["Penerusan"].iter_rows(min_row=2, values_only=True)}
    assert pipeline["Menunggu keputusan PPK"] == 1 and pipeline["Tidak ditindaklanjuti PPK"] == 1
    prevention = {row[0]: row[1:] for row in book["Pencegahan per OPD"].iter_rows(min_row=2, values_only=True)}
    assert prevention["Dinas Pendidikan"] == (1, 40, 25, 2, 2)
    cells = " ".join(
        str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None
    )
    for text in ("Asn Satu", "198503122010011004", REPORTER_GM, "Asn Kota", "Dinas Kota"):
        assert text not in cells


def _more_data(world, regions, offices, pengawas, koordinator, institutions, n):
    """``n`` more decided cases with two subjects each, referrals awaiting the PPK and sent, more months."""
    from tests.factories import AgencyFactory

    for i in range(n):
        agency = AgencyFactory(regency=regions.gunung_mas)
        case, subjects = build_case(
            offices.gunung_mas,
            pengawas,
            koordinator,
            world.gm_election,
            datetime(2024, 1 + i % 9, 10, 9, tzinfo=WIB),
            [
                (f"Tambahan {i} A", "pns", f"19850312201001{2000 + i:04d}", agency, ["APK", "KTP"], True),
                (f"Tambahan {i} B", "honorer", "", agency, ["DEKLARASI"], True),
            ],
            decide=True,
        )
        recommend(send(case, pengawas, koordinator, subjects[f"Tambahan {i} A"], institutions.bkn, f"{i}/X"), pengawas,
                  "teguran_tertulis")  # fmt: skip
        send(case, pengawas, koordinator, subjects[f"Tambahan {i} B"], institutions.employer, f"{i}/Y")


# session, user, memberships, elections, candidate pairs, offices in scope, regencies, cases per regency and
# status, subjects per agency and employment type with their acts per type (one query), months,
# referral stages per regency, outreach coverage, PPK list, declared days
PEMKAB_QUERIES = 14


@pytest.mark.parametrize("extra", [0, 6])
def test_dashboard_costs_the_same_queries_whatever_the_data(
    client, pemkab, world, regions, offices, pengawas, koordinator, institutions, django_assert_num_queries, extra
):
    _more_data(world, regions, offices, pengawas, koordinator, institutions, extra)
    client.force_login(pemkab)
    with django_assert_num_queries(PEMKAB_QUERIES):
        page = client.get(URL).content.decode()
    assert f'id="jumlah-perkara">{3 + extra}<' in page
    assert page.count("PPK terlambat") == 1 + extra


def test_long_lists_are_cut_on_the_page_and_whole_on_request(
    client, pemkab, world, regions, offices, pengawas, koordinator, institutions, monkeypatch
):
    """A province's PPK list and agencies run to hundreds of rows: the page shows the first ones (the most
    overdue, the most reported) and says how many there are; ?semua= shows one list whole, the XLSX all."""
    from dashboard import selectors

    _more_data(world, regions, offices, pengawas, koordinator, institutions, 4)
    monkeypatch.setattr(selectors, "PAGE_LIMITS", {"ppk": 2, "opd": 1})
    client.force_login(pemkab)
    page = client.get(URL).content.decode()
    assert page.count("PPK terlambat") == 2
    assert "Menampilkan 2 dari 5 baris." in page
    assert 'href="?semua=ppk#judul-ppk"' in page
    assert 'id="lainnya-opd"' in page

    whole = client.get(URL, {"semua": "ppk"}).content.decode()
    assert whole.count("PPK terlambat") == 5
    assert "Menampilkan 2 dari" not in whole
    assert 'id="lainnya-opd"' in whole  # the other list stays cut

    figures = dashboard_figures(pemkab, Period(), whole=set())
    assert len(figures.by_agency) == 1 and figures.agency_count > 1
    assert figures.total_subjects == sum(r.value for r in dashboard_figures(pemkab, Period()).by_agency)


def test_several_regencies_figures_are_kept_a_minute_one_regency_never(
    client, world, pemkab, province_supervisor, settings, django_assert_num_queries
):
    from django.core.cache import caches

    cache = caches["figures"]
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    client.force_login(province_supervisor)
    first = client.get(URL).content.decode()
    assert 'id="waktu-hitung"' in first
    # The second request reads the figures from the cache: only the session, user, memberships, elections,
    # candidate pairs and offices in scope are read.
    with django_assert_num_queries(6):
        again = client.get(URL).content.decode()
    assert again.count('id="jumlah-perkara"') == 1
    # Another filter is counted afresh.
    with django_assert_num_queries(PEMKAB_QUERIES - 1):
        client.get(URL, {"semua": "ppk"})

    # A single regency's dashboard is always live.
    client.force_login(pemkab)
    with django_assert_num_queries(PEMKAB_QUERIES):
        page = client.get(URL).content.decode()
    assert 'id="waktu-hitung"' not in page
    cache.clear()


@pytest.mark.parametrize("extra", [0, 4])
def test_supervisor_dashboard_and_xlsx_cost_fixed_queries(
    client,
    province_supervisor,
    world,
    regions,
    offices,
    pengawas,
    koordinator,
    institutions,
    django_assert_num_queries,
    extra,
):
    _more_data(world, regions, offices, pengawas, koordinator, institutions, extra)
    client.force_login(province_supervisor)
    # As for pemkab, without the holidays (only the pemkab page lists them)
    with django_assert_num_queries(PEMKAB_QUERIES - 1):
        assert client.get(URL).status_code == 200
    # The figures without the candidate pairs, the holidays and the PPK list (no names in the spreadsheet), and
    # the follow-up rates' sheet (one query, dashboard/followup.py)
    with django_assert_num_queries(PEMKAB_QUERIES - 2):
        assert client.get(reverse("dashboard:xlsx")).status_code == 200


def test_supervisors_and_coordinators_have_the_dashboard_in_the_menu(client, pengawas, koordinator, pemkab):
    for user in (pengawas, koordinator, pemkab):
        client.force_login(user)
        home = client.get(URL)
        assert home.status_code == 200
        assert f'href="{URL}"' in home.content.decode()


def test_admin_outsiders_and_anonymous_are_kept_out(client, office_admin, world):
    assert client.get(URL).status_code == 302
    client.force_login(office_admin)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("dashboard:xlsx")).status_code == 403


def test_pemkab_lands_on_the_dashboard_and_the_old_summary_redirects(client, pemkab):
    client.force_login(pemkab)
    assert client.get("/", follow=True).redirect_chain[-1][0] == URL
    assert client.get("/pemkab/")["Location"] == URL


def test_a_user_who_is_also_staff_sees_both_scopes(client, pemkab, offices, world):
    MembershipFactory(user=pemkab, office=offices.palangka_raya, role=Role.PENGAWAS)
    f = dashboard_figures(pemkab, Period())
    assert f.total_cases == 4


@pytest.mark.parametrize(
    ("today", "gm_late", "pr_late"),
    [(date(2024, 11, 1), (0, 0), (0, 0)), (date(2025, 6, 1), (1, 1), (0, 1))],
)
def test_referral_stages_are_counted_per_regency_and_late_on_the_day_asked(
    province_supervisor, world, today, gm_late, pr_late
):
    from dashboard.selectors import dashboard_cases, referral_stages_by_regency

    stages = {
        r.pop("region_code"): r
        for r in referral_stages_by_regency(dashboard_cases(province_supervisor, Period()), today)
    }
    assert stages == {
        world.case_a.office.region.code: {
            "sent": 1,
            "awaiting_ppk": 1,
            "sanctioned": 0,
            "executed": 1,
            "refused": 1,
            "not_proven": 0,
            "crime": 0,
            "convicted": 0,
            "lighter": 0,
            "sent_late": gm_late[0],
            "ppk_late": gm_late[1],
        },
        world.case_d.office.region.code: {
            "sent": 0,
            "awaiting_ppk": 1,
            "sanctioned": 0,
            "executed": 0,
            "refused": 0,
            "not_proven": 0,
            "crime": 0,
            "convicted": 0,
            "lighter": 0,
            "sent_late": pr_late[0],
            "ppk_late": pr_late[1],
        },
    }


def test_subject_figures_count_each_person_once_and_each_act_under_its_type(province_supervisor, world):
    from cases.models import CaseSubject, SubjectOutcome
    from dashboard.selectors import dashboard_cases, subject_figures

    # A subject with no act left (counted among the people, under no type), and one more proven.
    lima = CaseSubject.objects.get(person__name="Asn Lima")
    lima.violation_types.clear()
    CaseSubject.objects.filter(pk=lima.pk).update(outcome=SubjectOutcome.PROVEN)
    people, acts = subject_figures(dashboard_cases(province_supervisor, Period()))
    assert sorted(
        (r["person__agency__name"] or "", r["person__employment_type"], r["n"], r["proven"]) for r in people
    ) == [
        ("", "kepala_desa", 1, 0),
        ("Dinas Kesehatan", "pns", 2, 2),
        ("Dinas Kota", "pns", 1, 1),
        ("Dinas Pendidikan", "pns", 1, 1),
        ("Dinas Pendidikan", "pppk", 1, 1),
        ("Sekretariat Daerah", "honorer", 1, 1),
    ]
    # In the types' order; Asn Satu counts under both of his.
    assert [(r["violationtype__code"], r["n"], r["proven"]) for r in acts] == [
        ("MEDSOS-INTERAKSI", 4, 4),
        ("FOTO-GESTUR", 2, 2),
        ("KEGIATAN", 1, 0),
    ]


def test_the_figures_cache_version_goes_with_the_shape_of_the_figures(settings):
    """Figures kept in Redis outlive a deployment, and a release reads them back as its own ``Figures``: one
    whose fields differ must not read them. Changing these fields means raising CACHES["figures"]["VERSION"]
    (netralitas/settings.py) and the number here with them."""
    from dataclasses import fields

    from dashboard.selectors import Figures, Row

    shape = [f.name for f in fields(Figures)], [f.name for f in fields(Row)]
    assert (settings.CACHES["figures"]["VERSION"], shape) == (
        1,
        (
            [
                "regencies",
                "total_cases",
                "open_cases",
                "overdue_cases",
                "by_status",
                "by_type",
                "by_agency",
                "by_employment",
                "by_month",
                "total_subjects",
                "proven_subjects",
                "pipeline",
                "overdue_referrals",
                "prevention",
                "per_regency",
                "ppk_list",
                "agency_count",
                "prevention_count",
                "ppk_count",
            ],
            ["label", "value", "extra"],
        ),
    )


REDIS_FIGURES = "redis://127.0.0.1:6379/14"


def _figures_cache(settings, location):
    """The project's Redis caches (netralitas.settings.cache_settings), on ``location``."""
    from netralitas.settings import cache_settings

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "figures": cache_settings(location, prefix="netralitas-test", version=1),
    }
    settings.DASHBOARD_CACHE_SECONDS = 60


def test_figures_kept_in_redis_serve_every_web_process(
    client, world, province_supervisor, settings, django_assert_num_queries
):
    import redis
    from django.core.cache import caches
    from django_redis.cache import RedisCache

    _figures_cache(settings, REDIS_FIGURES)
    caches["figures"].clear()
    client.force_login(province_supervisor)
    first = client.get(URL).content.decode()
    # Another process (a new client of the same Redis) finds the figures the first one counted.
    keys = redis.Redis.from_url(REDIS_FIGURES).keys("netralitas-test:1:dasbor:*")
    assert len(keys) == 1
    other = RedisCache(REDIS_FIGURES, settings.CACHES["figures"])
    figures, counted_at = other.get(keys[0].decode().split(":", 2)[2])
    assert figures.total_cases == dashboard_figures(province_supervisor, Period()).total_cases
    assert counted_at is not None
    # A release whose figures have another shape (another VERSION) does not read them.
    assert (
        RedisCache(REDIS_FIGURES, {**settings.CACHES["figures"], "VERSION": 2}).get(keys[0].decode().split(":", 2)[2])
        is None
    )
    # and the page read from there shows what was counted, and when.
    with django_assert_num_queries(6):
        again = client.get(URL).content.decode()

    def counted(page):
        return re.search(r'id="waktu-hitung"[^>]*>([^<]*)<', page).group(1)

    assert counted(again) == counted(first) != ""
    caches["figures"].clear()


def _ignored_failures(caplog):
    return [r for r in caplog.records if r.name == "django_redis.cache" and r.getMessage() == "Exception ignored"]


def test_a_redis_that_does_not_answer_leaves_every_request_counted_afresh(
    client, world, province_supervisor, settings, caplog, django_assert_num_queries
):
    """A hung Redis (a server that accepts connections and never answers) reads as an empty cache: each
    request waits for the read and the write to time out (SOCKET_TIMEOUT), then counts its own figures."""
    import socket

    import redis

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        _figures_cache(settings, f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        client.force_login(province_supervisor)
        with caplog.at_level("ERROR", logger="django_redis.cache"):
            page = client.get(URL)
            assert len(_ignored_failures(caplog)) == 2  # the read, then the write
            with django_assert_num_queries(PEMKAB_QUERIES - 1):  # counted afresh, as without a cache
                again = client.get(URL)
            assert len(_ignored_failures(caplog)) == 4
    finally:
        silent.close()
    assert page.status_code == again.status_code == 200
    assert 'id="jumlah-perkara">4<' in page.content.decode() and 'id="jumlah-perkara">4<' in again.content.decode()
    assert all(isinstance(r.exc_info[1].__cause__, redis.exceptions.TimeoutError) for r in _ignored_failures(caplog))


def test_a_redis_that_refuses_connections_leaves_the_dashboard_counted_afresh(
    client, world, province_supervisor, settings, caplog
):
    import redis

    _figures_cache(settings, "redis://127.0.0.1:9/0")  # nothing listens on the discard port
    client.force_login(province_supervisor)
    with caplog.at_level("ERROR", logger="django_redis.cache"):
        page = client.get(URL)
    assert page.status_code == 200
    assert 'id="jumlah-perkara">4<' in page.content.decode()
    failures = _ignored_failures(caplog)
    assert len(failures) == 2 and all(
        isinstance(r.exc_info[1].__cause__, redis.exceptions.ConnectionError) for r in failures
    )
