"""The admin site for office administrators is limited to their office's region and grants no privileges."""

import pytest

from netralitas.accounts.groups import ensure_office_admin_group
from netralitas.accounts.models import Membership, Role, User
from netralitas.reference.models import NonWorkingDay
from tests.factories import MembershipFactory, NonWorkingDayFactory, UserFactory


@pytest.fixture
def staff_admin(office_admin):
    office_admin.is_staff = True
    office_admin.save()
    office_admin.groups.add(ensure_office_admin_group())
    return office_admin


@pytest.fixture
def admin_client(client, staff_admin):
    client.force_login(staff_admin)
    return client


def test_office_admin_lists_only_memberships_of_the_office(admin_client, pengawas, outsider):
    page = admin_client.get("/admin/accounts/membership/").content.decode()
    assert "pengawas2" not in page
    assert "Nama pengawas" in page


def test_office_admin_cannot_open_a_user_of_another_regency(admin_client, outsider):
    response = admin_client.get(f"/admin/accounts/user/{outsider.pk}/change/")
    assert response.status_code == 302  # "does not exist": sent back to the list
    assert admin_client.get(f"/admin/accounts/user/{outsider.pk}/change/", follow=True).status_code == 200


def test_office_admin_cannot_grant_superuser_or_staff(admin_client, pengawas):
    url = f"/admin/accounts/user/{pengawas.pk}/change/"
    form = admin_client.get(url).content.decode()
    assert 'name="is_superuser"' not in form and 'name="is_staff"' not in form
    admin_client.post(
        url,
        {
            "username": "pengawas",
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    pengawas.refresh_from_db()
    assert not pengawas.is_superuser and not pengawas.is_staff


def test_office_admin_adds_a_user_with_a_membership_of_the_office(admin_client, offices):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "staf-baru",
            "full_name": "Staf Baru",
            "email": "staf@uji.test",
            "office": offices.gunung_mas.pk,
            "role": Role.PENGAWAS,
            "password1": "Kuala-Kurun-2024!",
            "password2": "Kuala-Kurun-2024!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user__username="staf-baru")
    assert (membership.office, membership.role) == (offices.gunung_mas, Role.PENGAWAS)


def test_office_admin_cannot_add_a_user_to_another_office(admin_client, offices):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "penyusup",
            "office": offices.palangka_raya.pk,
            "role": Role.KOORDINATOR,
            "password1": "Kuala-Kurun-2024!",
            "password2": "Kuala-Kurun-2024!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200  # the form is shown again with the error
    assert not User.objects.filter(username="penyusup").exists()


def test_office_admin_declares_holidays_for_the_regency_only(admin_client, regions):
    NonWorkingDayFactory(date="2025-03-04", name="Libur kota lain", region=regions.palangka_raya)
    assert "Libur kota lain" not in admin_client.get("/admin/reference/nonworkingday/").content.decode()
    refused = admin_client.post(
        "/admin/reference/nonworkingday/add/",
        {"date": "2025-05-05", "name": "Libur di kota lain", "kind": "daerah", "region": regions.palangka_raya.pk},
    )
    assert refused.status_code == 200
    accepted = admin_client.post(
        "/admin/reference/nonworkingday/add/",
        {"date": "2025-05-05", "name": "Hari jadi kabupaten", "kind": "daerah", "region": regions.gunung_mas.pk},
    )
    assert accepted.status_code == 302
    assert NonWorkingDay.objects.get(name="Hari jadi kabupaten").region == regions.gunung_mas


def test_a_staff_user_who_is_not_an_office_admin_sees_nothing(client, offices, pengawas):
    pengawas.is_staff = True
    pengawas.save()
    pengawas.groups.add(ensure_office_admin_group())
    MembershipFactory(user=UserFactory(username="lain"), office=offices.gunung_mas)
    client.force_login(pengawas)
    assert "lain" not in client.get("/admin/accounts/membership/").content.decode()


def test_office_admin_cannot_attach_an_account_of_another_regency_to_its_office(admin_client, offices, outsider):
    """Otherwise the account would enter the admin's user list, whose password it could then set."""
    response = admin_client.post(
        "/admin/accounts/membership/add/",
        {"user": outsider.pk, "office": offices.gunung_mas.pk, "role": Role.PEMKAB},
    )
    assert response.status_code == 200  # the form again: that account is not one of the choices
    assert list(Membership.objects.filter(user=outsider).values_list("office", flat=True)) == [offices.palangka_raya.pk]
    assert admin_client.get(f"/admin/accounts/user/{outsider.pk}/password/").status_code == 404


def test_office_admin_cannot_set_the_password_of_a_system_operator(admin_client, offices):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    MembershipFactory(user=root, office=offices.gunung_mas, role=Role.KOORDINATOR)
    assert admin_client.get(f"/admin/accounts/user/{root.pk}/change/").status_code == 302  # "does not exist"
    response = admin_client.post(
        f"/admin/accounts/user/{root.pk}/password/",
        {"password1": "Diambil-alih-2024!", "password2": "Diambil-alih-2024!", "usable_password": "true"},
    )
    assert response.status_code == 404
    root.refresh_from_db()
    assert not root.check_password("Diambil-alih-2024!")
    assert "root" not in admin_client.get("/admin/accounts/user/").content.decode()
