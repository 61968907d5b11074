"""The sign-in audit: what is recorded, who sees it (the office admin for the office's users, each person for
their own account), in a bounded number of queries, and that nobody can change it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from netralitas.accounts.models import SignInEvent, SignInOutcome
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory

LOGIN = "/akun/masuk/"
ACTIVITY = "/kelola/aktivitas-masuk/"


def sign_in(client, username, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_a_sign_in_is_recorded_with_address_and_a_truncated_browser(client, pengawas, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    agent = "Mozilla/5.0 " + "x" * 500
    sign_in(client, "pengawas", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.20", HTTP_USER_AGENT=agent)
    event = SignInEvent.objects.get()
    assert (event.user, event.username, event.outcome) == (pengawas, "pengawas", SignInOutcome.SIGNED_IN)
    assert event.ip_address == "203.0.113.20"  # the address the trusted proxy saw, not the client's claim
    assert event.user_agent == agent[:200]
    assert abs(event.at - timezone.now()) < timedelta(minutes=1)


def test_a_failed_sign_in_keeps_the_username_typed_even_when_no_such_user_exists(client, pengawas):
    sign_in(client, "pengawas", "salah")
    sign_in(client, "tidak-ada", "salah")
    rows = list(SignInEvent.objects.order_by("pk").values_list("user", "username", "outcome"))
    assert rows == [
        (pengawas.pk, "pengawas", SignInOutcome.FAILED),
        (None, "tidak-ada", SignInOutcome.FAILED),
    ]


def test_the_admin_site_login_is_recorded_too(client, db):
    UserFactory(username="operator", is_superuser=True, is_staff=True)
    client.post("/admin/login/?next=/admin/", {"username": "operator", "password": "salah"})
    client.post("/admin/login/?next=/admin/", {"username": "operator", "password": TEST_PASSWORD})
    assert list(SignInEvent.objects.order_by("pk").values_list("outcome", flat=True)) == [
        SignInOutcome.FAILED,
        SignInOutcome.SIGNED_IN,
    ]


@pytest.fixture
def activity(pengawas, koordinator, outsider, province_supervisor):
    """Events of a Gunung Mas supervisor and coordinator, a Palangka Raya supervisor, a province supervisor, and
    an attempt on a username that does not exist."""
    rows = [
        SignInEvent(user=pengawas, username="pengawas", outcome=SignInOutcome.SIGNED_IN, ip_address="10.1.1.1"),
        SignInEvent(user=koordinator, username="koordinator", outcome=SignInOutcome.OTP_FAILED),
        SignInEvent(user=outsider, username="pengawas2", outcome=SignInOutcome.FAILED),
        SignInEvent(user=province_supervisor, username="provinsi", outcome=SignInOutcome.SIGNED_IN),
        SignInEvent(user=None, username="hantu", outcome=SignInOutcome.FAILED),
    ]
    return SignInEvent.objects.bulk_create(rows)


def test_the_office_admin_sees_the_activity_of_the_office_users_only(client, office_admin, activity):
    client.force_login(office_admin)
    response = client.get(ACTIVITY)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aktivitas masuk pengguna kantor" in page
    assert "<code>pengawas</code>" in page and "<code>koordinator</code>" in page
    assert "Kode verifikasi dua langkah salah" in page and "10.1.1.1" in page
    assert "pengawas2" not in page  # another regency
    assert "provinsi" not in page  # the province office is above, not within, Gunung Mas
    assert "hantu" not in page  # no office: system operators only


def test_a_province_admin_sees_the_regencies_below(client, offices, activity):
    admin = MembershipFactory(user=UserFactory(username="admin-prov"), office=offices.province, role="admin").user
    client.force_login(admin)
    page = client.get(ACTIVITY).content.decode()
    assert "<code>pengawas</code>" in page and "pengawas2" in page and "provinsi" in page
    assert "hantu" not in page


def test_a_system_operator_sees_everything_including_unknown_usernames(client, activity):
    client.force_login(UserFactory(username="operator", is_superuser=True))
    page = client.get(ACTIVITY).content.decode()
    assert "hantu" in page and "(tidak terdaftar)" in page and "pengawas2" in page


@pytest.mark.parametrize("persona", ["pengawas", "koordinator", "pemkab", "outsider"])
def test_other_roles_may_not_see_the_office_activity(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(ACTIVITY).status_code == 403


def test_the_office_activity_filters_by_outcome_and_username(client, office_admin, activity):
    client.force_login(office_admin)
    page = client.get(ACTIVITY, {"hasil": "otp_failed"}).content.decode()
    assert "<code>koordinator</code>" in page and "<code>pengawas</code>" not in page
    page = client.get(ACTIVITY, {"pengguna": "PENGAWAS"}).content.decode()
    assert "<code>pengawas</code>" in page and "<code>koordinator</code>" not in page
    page = client.get(ACTIVITY, {"hasil": "bukan-hasil"}).content.decode()  # an unknown value: everything
    assert "<code>pengawas</code>" in page and "<code>koordinator</code>" in page


def test_the_office_activity_page_costs_a_fixed_number_of_queries(
    client, office_admin, pengawas, offices, django_assert_num_queries
):
    users = [MembershipFactory(office=offices.gunung_mas).user for _ in range(10)]
    SignInEvent.objects.bulk_create(
        SignInEvent(user=users[n % 10], username=users[n % 10].username, outcome=SignInOutcome.SIGNED_IN)
        for n in range(120)
    )
    client.force_login(office_admin)
    # session, user, memberships, count, one page of events with their users
    with django_assert_num_queries(5):
        response = client.get(ACTIVITY)
    page = response.content.decode()
    assert page.count("Masuk (kata sandi benar)") >= 50 and "Halaman 1 dari 3" in page
    with django_assert_num_queries(5):
        page = client.get(ACTIVITY, {"hal": 3}).content.decode()
    assert "Halaman 3 dari 3" in page


def test_each_person_sees_their_own_activity_on_the_account_page(
    client, pengawas, koordinator, activity, django_assert_num_queries
):
    SignInEvent.objects.bulk_create(
        SignInEvent(user=pengawas, username="pengawas", outcome=SignInOutcome.SIGNED_OUT) for _ in range(30)
    )
    client.force_login(pengawas)
    # session, user, memberships, whether a device is set up, count and one page of the person's events
    with django_assert_num_queries(6):
        response = client.get("/akun/")
    page = response.content.decode()
    assert "Akun saya" in page and "Aktivitas masuk" in page
    assert "Keluar</td>" in page and "Halaman 1 dari 2" in page
    older = client.get("/akun/", {"hal": 2}).content.decode()
    assert "10.1.1.1" in older  # the oldest, on the second page
    for text in (page, older):
        assert "Kode verifikasi dua langkah salah" not in text  # the coordinator's, not theirs
        assert "pengawas2" not in text and "hantu" not in text


def test_the_account_page_of_a_user_with_the_second_factor_costs_a_fixed_number_of_queries(
    client, koordinator, django_assert_num_queries
):
    from tests.test_second_factor import enrolled

    enrolled(koordinator)
    client.force_login(koordinator)
    client.post("/akun/verifikasi/", {"code": "kode1234"})
    # session, user, the verified device, memberships, whether a device is set up, backup codes left, count and
    # one page of events
    with django_assert_num_queries(8):
        page = client.get("/akun/").content.decode()
    assert "Tersisa 1 kode cadangan." in page


def test_nobody_can_change_or_delete_the_activity_in_the_admin(client, activity):
    operator = UserFactory(username="operator", is_superuser=True, is_staff=True)
    client.force_login(operator)
    count = SignInEvent.objects.count()
    event = activity[0]
    assert client.get("/admin/accounts/signinevent/").status_code == 200
    assert client.get("/admin/accounts/signinevent/add/").status_code == 403
    assert client.post(f"/admin/accounts/signinevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"/admin/accounts/signinevent/{event.pk}/change/", {"username": "diubah", "outcome": "failed"})
    event.refresh_from_db()
    assert (event.username, event.outcome) == ("pengawas", SignInOutcome.SIGNED_IN)
    assert SignInEvent.objects.count() == count


def test_the_office_admin_home_links_to_the_activity(client, office_admin):
    client.force_login(office_admin)
    assert ACTIVITY in client.get("/kelola/").content.decode()
