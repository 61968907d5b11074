"""`manage.py load_demo` builds the demo world and a second run changes nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from netralitas.accounts.models import Membership, Role, User
from netralitas.reference.models import Office, Region

DEMO_MODELS = [
    "reference.Region",
    "reference.Office",
    "reference.Agency",
    "reference.Election",
    "reference.CandidatePair",
    "reference.Institution",
    "reference.NonWorkingDay",
    "accounts.User",
    "accounts.Membership",
    "cases.Case",
    "cases.CaseSubject",
    "cases.Evidence",
    "cases.Referral",
    "cases.ReferralResponse",
    "outreach.OutreachSession",
    "outreach.Attendance",
]


@pytest.fixture(autouse=True)
def no_pdfs(monkeypatch):
    """The demo's referral letters are PDFs; making them is tested elsewhere and only slows these tests."""
    monkeypatch.setattr("cases.letters.available", lambda: False)


def snapshot():
    return {label: list(apps.get_model(label).objects.order_by("pk").values()) for label in DEMO_MODELS}


def load():
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


def test_demo_builds_gunung_mas_with_one_account_per_role(db):
    load()
    gunung_mas = Region.objects.get(code="62.10")
    assert gunung_mas.name == "Kabupaten Gunung Mas"
    assert gunung_mas.children.count() == 12
    assert set(gunung_mas.children.values_list("name", flat=True)) >= {"Kurun", "Tewah", "Damang Batu", "Sepang"}
    assert Office.objects.get(region=gunung_mas).name == "Bawaslu Kabupaten Gunung Mas"
    roles = dict(Membership.objects.filter(office__region=gunung_mas).values_list("user__username", "role"))
    assert roles == {
        "pengawas": Role.PENGAWAS,
        "koordinator": Role.KOORDINATOR,
        "admin": Role.ADMIN,
        "pemkab": Role.PEMKAB,
    }
    outsider = Membership.objects.get(user__username="pengawas2")
    assert outsider.office.region.code == "62.71"
    assert User.objects.get(username="koordinator").check_password("netralitas-demo")


def test_demo_loaded_twice_changes_nothing_the_second_time(db):
    load()
    before = snapshot()
    output = load()
    assert snapshot() == before
    assert "tidak ada yang berubah" in output


def test_demo_repairs_a_changed_row_and_keeps_a_changed_password(db):
    load()
    Office.objects.filter(region__code="62.10").update(name="Nama salah")
    user = User.objects.get(username="pengawas")
    user.set_password("kata-sandi-pilihan-sendiri")
    user.save()
    output = load()
    assert Office.objects.get(region__code="62.10").name == "Bawaslu Kabupaten Gunung Mas"
    assert User.objects.get(username="pengawas").check_password("kata-sandi-pilihan-sendiri")
    assert "1 diperbarui" in output


def test_demo_institutions_record_that_kasn_ended_and_bkn_took_over(db):
    from netralitas.reference.models import Institution

    load()
    kasn = Institution.objects.get(code="kasn")
    assert kasn.successor.code == "bkn"
    assert kasn.active_until.isoformat() == "2024-08-23"
    assert Institution.objects.get(code="ppk-6210").response_days == 10


def test_demo_refuses_to_load_on_a_server_without_force(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()


def test_demo_office_admin_is_staff_of_the_office_not_a_superuser(db):
    load()
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    assert admin.has_perm("accounts.add_membership") and admin.has_perm("reference.add_nonworkingday")
    assert not admin.has_perm("reference.change_region")


def test_demo_follows_the_seed_story_to_the_sanctions(db):
    from cases.models import Referral

    load()
    kasn = Referral.objects.filter(institution__code="kasn")
    assert kasn.count() == 2 and set(kasn.values_list("closed_as", flat=True)) == {"dilaksanakan"}
    bkn = Referral.objects.filter(institution__code="bkn")
    assert set(bkn.values_list("status", flat=True)) == {"sent", "awaiting_ppk"}
    assert Referral.objects.filter(institution__code="pemberi-kerja").count() == 4


def test_demo_outreach_has_a_held_session_and_the_monday_series(db):
    from outreach.models import OutreachSession

    load()
    held = OutreachSession.objects.get(title__startswith="Sosialisasi netralitas ASN")
    assert held.status == "terlaksana" and held.invitations.count() == 3 and held.attendance.count() == 3
    mondays = OutreachSession.objects.filter(series__isnull=False)
    assert (
        mondays.count() == 8 and mondays.filter(status="batal").count() == 1 and mondays.filter(moved=True).count() == 1
    )
