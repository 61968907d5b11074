"""A new regency from a page: a system operator of the province adds Kabupaten Kapuas with its kecamatan,
office, first users, agencies (typed or from a spreadsheet), local bodies and its Pilkada, and its supervisor
records a case the same day."""

import io
import re
from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from netralitas.accounts.models import Membership, Role, User
from netralitas.accounts.onboarding import NewPilkada, NewRegency, NewUser, OnboardingError, regency_add
from netralitas.notify.models import Notification
from netralitas.reference.models import Agency, Election, Institution, Office, Region
from tests.factories import ElectionFactory, MembershipFactory, UserFactory

URL = reverse("accounts:regency_new")


@pytest.fixture
def operator(offices):
    return MembershipFactory(user=UserFactory(username="operator"), office=offices.province, role=Role.OPERATOR).user


def kapuas(**changes) -> NewRegency:
    values = {
        "code": "62.03",
        "name": "Kapuas",
        "is_city": False,
        "districts": [("62.03.01", "Selat"), ("62.03.02", "Kapuas Hilir")],
        "users": [
            NewUser("kapuas.koord", "Koordinator Kapuas", "koord@kapuas.example", Role.KOORDINATOR),
            NewUser("kapuas.pengawas", "Pengawas Kapuas", "pengawas@kapuas.example", Role.PENGAWAS),
        ],
        "agencies": [("Dinas Pendidikan", "Disdik", "dinas"), ("Sekretariat Daerah", "Setda", "")],
        "pilkada": NewPilkada(name="", year=2024, voting_day=date(2024, 11, 27)),
    }
    return NewRegency(**{**values, **changes})


def test_an_operator_adds_a_regency_with_everything_it_needs(operator, offices, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        office = regency_add(actor=operator, province=offices.province, regency=kapuas())
    region = office.region
    assert (region.name, region.level, region.parent_id) == (
        "Kabupaten Kapuas",
        "kabupaten",
        offices.province.region_id,
    )
    assert list(region.children.values_list("code", "name")) == [("62.03.01", "Selat"), ("62.03.02", "Kapuas Hilir")]
    assert office.name == "Bawaslu Kabupaten Kapuas"
    assert office.case_number_pattern == offices.province.case_number_pattern
    assert set(Agency.objects.filter(regency=region).values_list("short_name", "kind")) == {
        ("Disdik", "dinas"),
        ("Setda", "lainnya"),
    }
    bodies = dict(Institution.objects.filter(region=region).values_list("kind", "name"))
    assert bodies == {
        "ppk": "Bupati Kapuas selaku Pejabat Pembina Kepegawaian",
        "bkpsdm": "BKPSDM Kabupaten Kapuas",
        "inspektorat": "Inspektorat Kabupaten Kapuas",
        "gakkumdu": "Sentra Gakkumdu Kabupaten Kapuas",
        "bupati_dpmd": "Bupati Kapuas melalui Dinas Pemberdayaan Masyarakat dan Desa",
    }
    pilkada = Election.objects.get(region=region)
    assert (pilkada.kind, pilkada.year, pilkada.name) == (
        "pilkada",
        2024,
        "Pemilihan Bupati dan Wakil Bupati Kapuas 2024",
    )
    assert pilkada.review_day_kind == "kalender"  # the Pilkada's own rules
    roles = dict(Membership.objects.filter(office=office).values_list("user__username", "role"))
    assert roles == {"kapuas.koord": "koordinator", "kapuas.pengawas": "pengawas"}
    assert not User.objects.get(username="kapuas.koord").has_usable_password()
    invitations = Notification.objects.filter(template="account_invited", channel="email")
    assert invitations.count() == 2
    assert all(re.match(r"^/akun/reset/[^/]+/[^/]+/$", n.url) for n in invitations)
    assert LogEntry.objects.get(object_id=str(office.pk)).user == operator


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "63.03"}, "Kode wilayah kabupaten/kota ditulis 62.NN"),
        ({"code": "62.10"}, "sudah terdaftar"),
        ({"districts": [("62.04.01", "Selat")]}, "harus diawali 62.03."),
        ({"districts": [("62.03.01", "Selat"), ("62.03.01", "Lagi")]}, "tertulis dua kali"),
        ({"users": [NewUser("kapuas.p", "P", "p@kapuas.example", Role.PENGAWAS)]}, "sedikitnya satu koordinator"),
        ({"users": [NewUser("koordinator", "K", "k@kapuas.example", Role.KOORDINATOR)]}, "sudah dipakai: koordinator"),
        ({"users": [NewUser("kapuas.k", "K", "bukan-email", Role.KOORDINATOR)]}, "e-mail"),
        ({"users": [NewUser("kapuas.k", "K", "k@kapuas.example", "operator")]}, "Peran operator tidak dikenal"),
        ({"agencies": [("Dinas", "", "dinas"), ("dinas", "", "")]}, "tertulis dua kali"),
        ({"agencies": [("Dinas", "", "kementerian")]}, "Jenis instansi kementerian tidak dikenal"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_kept(operator, offices, koordinator, changes, message):
    with pytest.raises(OnboardingError, match=message):
        regency_add(actor=operator, province=offices.province, regency=kapuas(**changes))
    assert not Region.objects.filter(code="62.03").exists() and not User.objects.filter(username="kapuas.koord")


def test_only_an_operator_adds_a_regency(offices, province_supervisor, koordinator):
    for user in (province_supervisor, koordinator):
        with pytest.raises(OnboardingError, match="Hanya operator"):
            regency_add(actor=user, province=offices.province, regency=kapuas())
    assert not Region.objects.filter(code="62.03").exists()


def _post(client, **changes):
    data = {
        "province": Office.objects.get(region__code="62").pk,
        "code": "62.03",
        "is_city": "0",
        "name": "Kapuas",
        "districts": "62.03.01 Selat\n62.03.02 Kapuas Hilir",
        "users": "kapuas.koord; Koordinator Kapuas; koord@kapuas.example; koordinator\n"
        "kapuas.pengawas; Pengawas Kapuas; pengawas@kapuas.example; pengawas",
        "agencies": "Dinas Pendidikan; Disdik; dinas",
        "pilkada": "on",
        "pilkada_year": "2024",
        "pilkada_voting_day": "2024-11-27",
        **changes,
    }
    return client.post(URL, data)


def test_the_page_proposes_the_provinces_last_pilkada_and_saves(client, operator, offices, regions):
    ElectionFactory(kind="pilkada", region=regions.gunung_mas, year=2024, voting_day=date(2024, 11, 27))
    client.force_login(operator)
    assert client.get("/", follow=True).redirect_chain[-1][0] == reverse("accounts:regency_list")
    page = client.get(URL).content.decode()
    assert re.search(r'name="pilkada_year"[^>]* value="2024"', page) and 'value="2024-11-27"' in page
    sheet = SimpleUploadedFile(
        "opd.csv", b"nama;singkatan;jenis\nDinas Kesehatan;Dinkes;dinas\nRSUD Kuala Kapuas;RSUD;rsud\n"
    )
    response = _post(client, agency_sheet=sheet)
    assert response.status_code == 302, response.content.decode()[:2000]
    region = Region.objects.get(code="62.03")
    assert set(Agency.objects.filter(regency=region).values_list("short_name", flat=True)) == {
        "Disdik",
        "Dinkes",
        "RSUD",
    }
    listing = client.get(reverse("accounts:regency_list")).content.decode()
    assert "Kabupaten Kapuas" in listing and "Bawaslu Kabupaten Kapuas" in listing


def test_a_refused_form_keeps_everything_typed_and_the_sheets_rows(client, operator, offices, koordinator):
    client.force_login(operator)
    sheet = SimpleUploadedFile("opd.csv", b"Dinas Kesehatan;Dinkes;dinas\n")
    response = _post(
        client,
        users="koordinator; Sudah Ada; k@kapuas.example; koordinator",
        agency_sheet=sheet,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nama pengguna sudah dipakai: koordinator." in page
    assert "62.03.02 Kapuas Hilir" in page and "koordinator; Sudah Ada" in page
    # the uploaded sheet's rows are now in the list: nothing to upload again
    assert "Dinas Pendidikan; Disdik; dinas\nDinas Kesehatan; Dinkes; dinas" in page
    assert not Region.objects.filter(code="62.03").exists()


def test_a_sheet_of_another_kind_or_a_broken_line_is_refused_with_a_message(client, operator, offices):
    client.force_login(operator)
    page = _post(client, agency_sheet=SimpleUploadedFile("opd.pdf", b"%PDF")).content.decode()
    assert "Unggah berkas XLSX atau CSV." in page
    page = _post(client, users="kapuas.koord koordinator").content.decode()
    assert "tulis nama pengguna; nama lengkap; e-mail; peran" in page
    page = _post(client, districts="62.03.01").content.decode()
    assert "tulis kode, spasi, lalu nama" in page
    assert not Region.objects.filter(code="62.03").exists()


def test_an_xlsx_sheet_is_read(client, operator, offices):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Nama", "Singkatan", "Jenis"])
    book.active.append(["Badan Kepegawaian dan Pengembangan SDM", "BKPSDM", "badan"])
    data = io.BytesIO()
    book.save(data)
    client.force_login(operator)
    sheet = SimpleUploadedFile("opd.xlsx", data.getvalue())
    assert _post(client, agencies="", agency_sheet=sheet).status_code == 302
    assert Agency.objects.get(regency__code="62.03").kind == "badan"


def test_other_roles_are_kept_out(client, koordinator, province_supervisor):
    for user in (koordinator, province_supervisor):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(reverse("accounts:regency_list")).status_code == 403


def test_the_new_supervisor_sets_a_password_and_records_a_case_the_same_day(
    client, operator, offices, django_capture_on_commit_callbacks
):
    from cases.models import Case

    with django_capture_on_commit_callbacks(execute=True):
        office = regency_add(actor=operator, province=offices.province, regency=kapuas())
    invitation = Notification.objects.get(
        template="account_invited", channel="email", recipient__username="kapuas.pengawas"
    )
    form_url = client.get(invitation.url, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Kapuas-Baru-2026!", "new_password2": "Kapuas-Baru-2026!"})
    assert response.status_code == 302
    response = client.post(reverse("accounts:login"), {"username": "kapuas.pengawas", "password": "Kapuas-Baru-2026!"})
    assert response.status_code == 302
    pilkada = Election.objects.get(region=office.region)
    response = client.post(
        reverse("cases:create", kwargs={"source": "temuan"}),
        {
            "election": pilkada.pk,
            "title": "ASN Kapuas menyukai unggahan calon",
            "chronology": "Ditemukan saat patroli siber.",
            "known_on": "2024-10-20",
            "received_at": "2024-10-20T10:00",
            "district": Region.objects.get(code="62.03.01").pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(title="ASN Kapuas menyukai unggahan calon")
    assert case.office == office
