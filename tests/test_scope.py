"""Membership scoping: who sees which offices and regions."""

from netralitas.accounts.models import Role
from netralitas.accounts.scope import (
    offices_visible_to,
    primary_role,
    region_filter,
    regions_visible_to,
    roles_of,
)
from netralitas.reference.models import Office
from tests.factories import MembershipFactory, UserFactory


def codes(queryset):
    return sorted(queryset.values_list("region__code" if queryset.model is Office else "code", flat=True))


def test_regency_supervisor_sees_the_regency_and_its_kecamatan(pengawas):
    assert codes(regions_visible_to(pengawas)) == ["62.10", "62.10.01"]
    assert codes(offices_visible_to(pengawas)) == ["62.10"]


def test_province_office_sees_its_regencies(province_supervisor):
    assert codes(regions_visible_to(province_supervisor)) == ["62", "62.10", "62.10.01", "62.71", "62.71.01"]
    assert codes(offices_visible_to(province_supervisor)) == ["62", "62.10", "62.71"]


def test_outsider_sees_nothing_of_gunung_mas(outsider, regions, offices):
    assert regions.gunung_mas not in regions_visible_to(outsider)
    assert regions.kurun not in regions_visible_to(outsider)
    assert offices.gunung_mas not in offices_visible_to(outsider)
    assert codes(regions_visible_to(outsider)) == ["62.71", "62.71.01"]


def test_regency_supervisor_does_not_see_the_province_or_its_other_regencies(pengawas, regions):
    visible = regions_visible_to(pengawas)
    assert regions.province not in visible
    assert regions.palangka_raya not in visible


def test_user_without_membership_sees_nothing(db):
    user = UserFactory(username="tanpa-kantor")
    assert not regions_visible_to(user).exists()
    assert not offices_visible_to(user).exists()
    assert primary_role(user) is None


def test_deactivated_user_sees_nothing(pengawas):
    pengawas.is_active = False
    pengawas.save()
    assert not regions_visible_to(pengawas).exists()
    assert roles_of(pengawas) == set()


def test_anonymous_user_sees_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert not offices_visible_to(AnonymousUser()).exists()


def test_superuser_sees_every_office(offices):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert codes(offices_visible_to(root)) == ["62", "62.10", "62.71"]


def test_scope_can_be_limited_to_roles(offices, pengawas):
    MembershipFactory(user=pengawas, office=offices.palangka_raya, role=Role.ADMIN)
    assert codes(offices_visible_to(pengawas)) == ["62.10", "62.71"]
    assert codes(offices_visible_to(pengawas, roles=[Role.ADMIN])) == ["62.71"]
    assert primary_role(pengawas) == Role.PENGAWAS


def test_region_filter_applies_scope_to_other_models(pengawas, offices):
    assert list(Office.objects.filter(region_filter(pengawas, "region__code"))) == [offices.gunung_mas]


def test_scope_costs_two_queries_whatever_the_number_of_memberships(
    offices, province_supervisor, django_assert_num_queries
):
    MembershipFactory(user=province_supervisor, office=offices.gunung_mas, role=Role.ADMIN)
    MembershipFactory(user=province_supervisor, office=offices.palangka_raya, role=Role.ADMIN)
    with django_assert_num_queries(2):
        assert len(list(offices_visible_to(province_supervisor))) == 3


def test_the_quick_count_of_visible_cases_is_the_list_s_count(pengawas, outsider, province_supervisor, offices):
    """Cases of the office, one handed over to it from another office, one handed over from it elsewhere (still
    its own), a deleted one: the two-part count agrees with the list's own count for every persona."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cases.models import Case
    from cases.workflow.selectors import cases_visible_to, visible_case_count
    from tests.factories import make_case

    own = [make_case(office=offices.gunung_mas, actor=pengawas) for _ in range(3)]
    elsewhere = make_case(office=offices.palangka_raya, actor=outsider)
    Case.objects.filter(pk=elsewhere.pk).update(handed_over_to=offices.gunung_mas)
    Case.objects.filter(pk=own[0].pk).update(handed_over_to=offices.province)
    Case.objects.filter(pk=own[1].pk).update(deleted_at=timezone.now(), deletion_reason="Tercatat dua kali")
    superuser = get_user_model().objects.create_superuser("akar", "akar@bawaslu.test", "x" * 20)
    for user in (pengawas, outsider, province_supervisor, superuser):
        assert visible_case_count(user) == cases_visible_to(user).count()
    assert visible_case_count(pengawas) == 3  # two of its own (one deleted) and the one handed over to it
