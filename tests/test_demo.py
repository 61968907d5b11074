"""`manage.py load_demo` builds the demo world and a second run changes nothing."""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
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
    monkeypatch.setattr("cases.referrals.letters.available", lambda: False)


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
    kasn = Referral.objects.filter(institution__code="kasn", case__title__contains="gubernur")
    assert kasn.count() == 2 and set(kasn.values_list("closed_as", flat=True)) == {"dilaksanakan"}
    bkn = Referral.objects.filter(institution__code="bkn", case__title__startswith="Empat pegawai")
    assert set(bkn.values_list("status", flat=True)) == {"awaiting_ppk"}
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


def test_demo_pemkab_sees_the_story_and_the_two_asn_awaiting_the_regent_and_can_change_nothing(client, db):
    """What issue 7 must show, as the demo ``pemkab`` user."""
    import re

    from cases.models import Case, Referral
    from dashboard.selectors import Period, dashboard_figures
    from outreach.models import Attendance, Material, OutreachSession
    from tests.test_read_only import WRITE_METHODS, Objects, every_url, snapshot

    load()
    pemkab = User.objects.get(username="pemkab")
    client.force_login(pemkab)
    home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == "/dasbor/"

    # The seed story's four staff, counted by violation type and by agency (the 2024 Pilkada of Gunung Mas).
    story = Case.objects.get(title__startswith="Empat pegawai Pemkab")
    figures = dashboard_figures(pemkab, Period(election=story.election))
    # With them, the mixed case of the same Pilkada: three ASN and a village head proven, and a camat found a
    # suspect of an election crime (counted as proven, not cleared; never on the PPK list below).
    assert figures.total_subjects == 9 and figures.proven_subjects == 9
    assert {r.extra["code"]: r.value for r in figures.by_type} == {
        "MEDSOS-INTERAKSI": 4,
        "FOTO-GESTUR": 8,
        "DEKLARASI": 4,
    }
    assert {r.label: r.value for r in figures.by_agency} == {
        "Dinas Pendidikan": 4,
        "Sekretariat Daerah": 2,
        "Dinas Kesehatan": 2,
        "Tanpa OPD / instansi lain": 1,
    }
    page = client.get("/dasbor/", {"pemilihan": story.election.pk}).content.decode()
    type_table = page[page.index('id="tabel-type"') : page.index("</table>", page.index('id="tabel-type"'))]
    for name, n in (("Mengunggah, mengomentari, membagikan, menyukai", 4), ("Mengunggah foto bersama calon", 8)):
        assert re.search(name + rf"[^<]*</th><td class=\"text-end\">{n}</td>", type_table), name

    # The two ASN on the PPK follow-up list, with their NIP, agency and the recommended sanction.
    ppk = page[page.index('id="tabel-ppk"') : page.index("</table>", page.index('id="tabel-ppk"'))]
    assert ppk.count("<tr") == 3  # the header and two rows
    for name, nip in (("Asn Demo Satu", "198503122010011004"), ("Asn Demo Dua", "199001012019032001")):
        assert name in ppk and nip in ppk
    assert "Pembebasan dari jabatan" in ppk and "Teguran tertulis" in ppk
    assert "Honorer Demo" not in page and "Pelapor Demo" not in page
    # The only form that posts is signing out.
    assert re.findall(r'<form method="post" action="([^"]+)"', page) == ["/akun/keluar/"]

    # No way to change anything anywhere: every write to every URL is refused, and nothing changed.
    referral = Referral.objects.filter(status="awaiting_ppk").first()
    session = OutreachSession.objects.filter(attendance__isnull=False).first()
    objects = Objects(
        case=story.code,
        referral=referral.code,
        person=referral.subject.person.code,
        session=session.code,
        evidence_code=story.evidence.first().code,
        subject_id=referral.subject_id,
        meeting_id=story.meetings.first().pk,
        material_id=(Material.objects.first() or Attendance.objects.first()).pk,
    )
    before = snapshot()
    exempt = set(settings.READ_ONLY_ROLE_WRITABLE_URL_NAMES)
    for url in every_url(objects):
        for method in WRITE_METHODS:
            client.force_login(pemkab)
            response = getattr(client, method)(url.path)
            assert response.status_code == 403 or (url.name in exempt and response.status_code < 500), (method, url)
    assert snapshot() == before


def test_demo_loaded_before_the_second_recommendation_catches_up(db, monkeypatch):
    from cases.models import Referral

    with monkeypatch.context() as patch:
        patch.setattr("cases.demo._second_recommendation", lambda pengawas: False)
        load()
    assert Referral.objects.get(subject__person__name="Asn Demo Dua", institution__code="bkn").status == "sent"
    output = load()
    second = Referral.objects.get(subject__person__name="Asn Demo Dua", institution__code="bkn")
    assert second.status == "awaiting_ppk" and second.responses.get().sanction == "teguran_tertulis"
    assert "perkara demo: 0 baru, 1 diperbarui, 5 tetap" in output


def test_the_demo_holds_a_laporan_handed_down_by_the_province(db):
    from cases.demo import HAND_DOWN_TITLE
    from cases.models import Case, CaseStatus

    load()
    original = Case.objects.get(title=HAND_DOWN_TITLE, office__region__code="62")
    received = Case.objects.get(title=HAND_DOWN_TITLE, office__region__code="62.10")
    assert original.status == CaseStatus.HANDED_OVER and received.handed_over_from == original
    assert original.events.get(action="case.hand_over").actor.username == "koordinator-prov"
    assert received.election.kind == "pemilu" and received.status == CaseStatus.RECEIVED
    [subject] = received.subjects.all()
    assert subject.person.employment_type == "pppk" and subject.person.nip == "199205142022212007"


def test_the_demo_holds_a_mixed_case_with_a_route_for_each_person(db):
    from cases.demo import MIXED_TITLE
    from cases.models import Case
    from cases.referrals.selectors import referrals_awaiting_ppk

    load()
    case = Case.objects.get(title=MIXED_TITLE)
    assert (case.status, case.outcome) == ("referred", "peraturan_lain")
    routes = {
        (r.subject.person.name, r.institution.code, r.status)
        for r in case.referrals.select_related("subject__person", "institution")
    }
    assert routes == {
        ("Asn Demo Lima", "bkn", "sent"),
        ("Asn Demo Enam", "bkn", "sent"),
        ("Asn Demo Tujuh", "bkn", "sent"),
        ("Kepala Desa Demo", "dpmd-6210", "sent"),
        ("Camat Demo", "gakkumdu-6210", "penyidikan"),
    }
    assert not referrals_awaiting_ppk(Case.objects.filter(pk=case.pk)).filter(subject__person__name="Camat Demo")


def test_the_demo_walks_the_overdue_referral_up_the_ladder_and_moves_kasn_s_referrals_to_bkn(client, db):
    """Issue 22: the overdue Gunung Mas referral has its reminder and its BKN blocking request recorded (the
    other offers the reminder), shown on the pemkab dashboard; the KASN succession moved the open referrals."""
    from cases.models import Referral, Succession
    from cases.referrals.selectors import escalation_proposal

    load()
    first = Referral.objects.get(subject__person__name="Asn Demo Satu", status="awaiting_ppk")
    assert [(e.rung.code, e.letter_date) for e in first.escalations.order_by("letter_date")] == [
        ("pengingat-ppk", date(2024, 11, 20)),
        ("blokir-bkn", date(2024, 12, 2)),
    ]
    assert first.escalations.get(rung__code="blokir-bkn").blocked_on == date(2024, 12, 9)
    assert escalation_proposal(first).rung.code == "laporan-kemendagri"
    second = Referral.objects.get(subject__person__name="Asn Demo Dua", status="awaiting_ppk")
    assert escalation_proposal(second).rung.code == "pengingat-ppk"
    client.force_login(User.objects.get(username="pemkab"))
    page = client.get("/dasbor/").content.decode()
    assert "Surat pengingat kepada PPK, 20 Nov 2024" in page
    assert "Permintaan pemblokiran data kepegawaian kepada BKN, 2 Des 2024" in page
    assert "Data kepegawaian diblokir sejak 9 Des 2024" in page
    succession = Succession.objects.get(predecessor__code="kasn")
    assert (succession.successor.code, succession.effective_on, succession.moved) == ("bkn", date(2024, 8, 24), 2)
    moved = Referral.objects.filter(succession=succession)
    assert {r.subject.person.name for r in moved} == {"Asn Demo Delapan", "Asn Demo Sembilan"}
    assert not Referral.objects.filter(institution__code="kasn", status__in=["sent", "awaiting_ppk"]).exists()
    load()  # a second load declares nothing again
    assert Succession.objects.count() == 1 and Referral.objects.filter(succession=succession).count() == 2
