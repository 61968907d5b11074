"""Signing in, the role home pages, throttling, and the password pages, in Indonesian."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD, AgencyFactory, ElectionFactory, MembershipFactory

LOGIN = "/akun/masuk/"


def sign_in(client, username, password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.parametrize(
    ("persona", "home", "heading"),
    [
        ("pengawas", "/beranda/", "Beranda pengawasan"),
        ("koordinator", "/beranda/", "Beranda pengawasan"),
        ("office_admin", "/kelola/", "Kelola kantor"),
        ("pemkab", "/dasbor/", "Dasbor netralitas ASN"),
    ],
)
def test_each_role_lands_on_its_own_home_page(client, request, persona, home, heading):
    user = request.getfixturevalue(persona)
    response = sign_in(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == "/"
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == home
    assert heading in response.content.decode()


def test_wrong_password_is_refused_in_indonesian_and_keeps_the_username(client, pengawas):
    response = sign_in(client, "pengawas", "salah-sekali")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nama pengguna atau kata sandi salah" in page
    assert 'value="pengawas"' in page
    assert "_auth_user_id" not in client.session


def test_login_page_speaks_indonesian(client, db):
    response = client.get(LOGIN)
    page = response.content.decode()
    assert '<html lang="id">' in page
    assert "Masuk ke Netralitas" in page and "Kata sandi" in page and "Lupa kata sandi?" in page


def test_repeated_wrong_passwords_lock_the_login(client, pengawas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "pengawas", "tebakan").status_code == 200
    response = sign_in(client, "pengawas", "tebakan")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    assert "15 menit" in response.content.decode()
    # Even the right password is refused until the cool-off has passed.
    assert sign_in(client, "pengawas").status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_account_does_not_lock_another(client, pengawas, koordinator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "pengawas", "tebakan")
    assert sign_in(client, "koordinator").status_code == 302


def test_deactivated_user_cannot_sign_in(client, pengawas):
    pengawas.is_active = False
    pengawas.save()
    response = sign_in(client, "pengawas")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_anonymous_visitor_is_sent_to_login(client, db):
    for url in ["/", "/beranda/", "/kelola/", "/pemkab/", "/tenggat/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN + "?next=")


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("pemkab", "/beranda/"),
        ("pemkab", "/kelola/"),
        ("pemkab", "/tenggat/"),
        ("pengawas", "/kelola/"),
        ("pengawas", "/pemkab/"),
        ("office_admin", "/beranda/"),
    ],
)
def test_role_pages_refuse_other_roles(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()


def test_user_without_membership_is_told_what_to_do(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="baru"))
    response = client.get("/")
    assert response.status_code == 403
    assert "belum terhubung ke kantor" in response.content.decode()


def test_logout_is_a_post_and_ends_the_session(client, pengawas):
    client.force_login(pengawas)
    response = client.post("/akun/keluar/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "Anda sudah keluar." in client.get(LOGIN).content.decode()
    assert client.get("/beranda/").status_code == 302


def test_password_change(client, pengawas):
    client.force_login(pengawas)
    page = client.get("/akun/sandi/").content.decode()
    assert "Ganti kata sandi" in page
    response = client.post(
        "/akun/sandi/",
        {"old_password": TEST_PASSWORD, "new_password1": "pendek", "new_password2": "pendek"},
        headers={"Accept-Language": "en-US,en;q=0.9"},  # the browser's language does not switch the interface
    )
    assert response.status_code == 400  # refused, the form shown again with the reason
    assert "terlalu pendek" in response.content.decode()  # Django's own Indonesian message
    response = client.post(
        "/akun/sandi/",
        {"old_password": TEST_PASSWORD, "new_password1": "Kahayan-Hulu-2024", "new_password2": "Kahayan-Hulu-2024"},
    )
    assert response.status_code == 302
    pengawas.refresh_from_db()
    assert pengawas.check_password("Kahayan-Hulu-2024")


def test_password_reset_by_email(client, pengawas):
    response = client.post("/akun/lupa-sandi/", {"email": pengawas.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Atur ulang kata sandi Netralitas"
    link = re.search(r"http://testserver(/akun/reset/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    assert "Buat kata sandi baru" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "Tewah-Baru-2025!", "new_password2": "Tewah-Baru-2025!"}
    )
    assert response.status_code == 302
    pengawas.refresh_from_db()
    assert pengawas.check_password("Tewah-Baru-2025!")


def test_supervisor_home_lists_elections_in_scope_only(client, pengawas, regions, django_assert_num_queries):
    ElectionFactory(name="Pilkada Gunung Mas Uji", region=regions.gunung_mas)
    ElectionFactory(name="Pilgub Kalteng Uji", region=regions.province)
    ElectionFactory(name="Pilkada Palangka Raya Uji", region=regions.palangka_raya)
    client.force_login(pengawas)
    # session, user, memberships, elections, declared days, the calculator's election choices (Django's
    # required select reads its first option, then all of them)
    with django_assert_num_queries(7):
        page = client.get("/beranda/").content.decode()
    assert "Pilkada Gunung Mas Uji" in page
    assert "Pilgub Kalteng Uji" in page  # the province's election is held in Gunung Mas too
    assert "Pilkada Palangka Raya Uji" not in page


def test_deadline_calculator_by_election_rules(client, pengawas, regions):
    election = ElectionFactory(region=regions.gunung_mas)
    client.force_login(pengawas)
    url = reverse("accounts:deadline_calculator")
    response = client.get(url, {"election": election.pk, "stage": "perpanjangan", "start": "2024-12-02"})
    page = response.content.decode()
    assert "Sabtu, 7 Desember 2024" in page  # 3 + 2 calendar days after 2 December
    assert "5 hari kalender sejak 2 Desember 2024" in page
    partial = client.get(
        url, {"election": election.pk, "stage": "kajian", "start": "2024-12-02"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in partial.content.decode()
    assert "Rabu, 4 Desember 2024" in partial.content.decode()


def test_deadline_calculator_explains_bad_input_and_keeps_it(client, pengawas, regions):
    election = ElectionFactory(region=regions.gunung_mas)
    client.force_login(pengawas)
    page = client.get("/tenggat/", {"election": election.pk, "stage": "kajian", "start": "31/02/2024"}).content.decode()
    assert "Tanggal tidak dikenali" in page
    assert 'value="31/02/2024"' in page


def test_deadline_calculator_refuses_an_election_out_of_scope(client, outsider, regions):
    other = ElectionFactory(region=regions.gunung_mas)
    client.force_login(outsider)
    page = client.get("/tenggat/", {"election": other.pk, "stage": "kajian", "start": "2024-12-02"}).content.decode()
    assert "Pilih pemilihan dari daftar" in page


def test_office_admin_sees_the_members_of_the_office(
    client, office_admin, pengawas, outsider, offices, django_assert_num_queries
):
    for _n in range(15):
        MembershipFactory(office=offices.gunung_mas)
    client.force_login(office_admin)
    # session, user, memberships, offices with counts, members, five reference counts
    with django_assert_num_queries(10):
        page = client.get("/kelola/").content.decode()
    assert "Nama pengawas" in page and "Nama admin" in page
    assert "pengawas2" not in page


def test_pemkab_home_is_the_dashboard_with_the_regency_elections_and_agencies(client, pemkab, regions):
    ElectionFactory(name="Pilkada Gunung Mas Uji", region=regions.gunung_mas)
    ElectionFactory(name="Pilgub Kalteng Uji", region=regions.province)
    ElectionFactory(name="Pilkada Palangka Raya Uji", region=regions.palangka_raya)
    AgencyFactory(regency=regions.palangka_raya, name="Dinas Kota Lain")
    AgencyFactory(regency=regions.gunung_mas, name="Dinas Gunung Mas Uji")
    client.force_login(pemkab)
    page = client.get("/", follow=True).content.decode()
    assert "Kabupaten Gunung Mas" in page and "Pilkada Gunung Mas Uji" in page and "Pilgub Kalteng Uji" in page
    assert "Dinas Gunung Mas Uji" in page  # in the prevention table, beside its violations
    assert "Pilkada Palangka Raya Uji" not in page and "Dinas Kota Lain" not in page
    # The old summary's address still leads there.
    assert client.get("/pemkab/")["Location"] == "/dasbor/"


def test_an_expired_session_sends_htmx_requests_to_the_login_page(client, db):
    response = client.get("/tenggat/", {"stage": "kajian"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(LOGIN)


def test_deadline_fragment_and_page_share_a_url_with_vary(client, pengawas):
    client.force_login(pengawas)
    response = client.get("/tenggat/", headers={"HX-Request": "true"})
    assert "HX-Request" in response["Vary"]
    restore = client.get("/tenggat/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()
