"""Demo cases for Gunung Mas, recorded through the services as staff would (so the timeline is real):
the Pilkada 2020 story of the seed article, re-told for the 2024 demo election (four pemkab staff, two ASN
and two honorer, liking and commenting on a candidate's posts and posing with the campaign team making the
ballot-number gesture), taken to a decision; and a fresh finding awaiting its initial review."""

from __future__ import annotations

import struct
import zlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from cases import services
from cases.models import Case, Person, SubjectOutcome, ViolationType
from netralitas.accounts.models import User
from netralitas.demo import DemoReport
from netralitas.reference.models import Agency, CandidatePair, Election, Office, Region

WIB = ZoneInfo("Asia/Jakarta")
STORY_TITLE = "Empat pegawai Pemkab menyukai dan mengomentari unggahan paslon, berfoto dengan gestur nomor urut"
FINDING_TITLE = "Kepala desa membagikan unggahan kampanye di grup WhatsApp warga"


def _png(color: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    width = height = 64
    row = b"\x00" + bytes(color) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def load(report: DemoReport) -> None:
    office = Office.objects.get(region__code="62.10")
    election = Election.objects.get(kind=Election.Kind.PILKADA, year=2024, region=office.region)
    pengawas, koordinator = User.objects.get(username="pengawas"), User.objects.get(username="koordinator")
    label = "perkara demo"
    if Case.objects.filter(office=office, title=STORY_TITLE).exists():
        report.count(label, "unchanged")
    else:
        _story(office, election, pengawas, koordinator)
        report.count(label, "created")
    if Case.objects.filter(office=office, title=FINDING_TITLE).exists():
        report.count(label, "unchanged")
    else:
        _finding(office, election, pengawas)
        report.count(label, "created")


def _person(name, kind, nip, position, agency_short):
    agency = Agency.objects.filter(regency__code="62.10", short_name=agency_short).first()
    person, _ = Person.objects.get_or_create(
        name=name,
        region=Region.objects.get(code="62.10"),
        defaults={"employment_type": kind, "nip": nip, "position": position, "agency": agency},
    )
    return person


def _story(office, election, pengawas, koordinator):
    types = {t.code: t for t in ViolationType.objects.filter(code__in=["MEDSOS-INTERAKSI", "FOTO-GESTUR"])}
    case = services.case_create(
        office=office,
        election=election,
        source="laporan",
        actor=pengawas,
        title=STORY_TITLE,
        chronology=(
            "Pelapor menemukan akun media sosial empat pegawai Pemerintah Kabupaten Gunung Mas menyukai dan "
            "mengomentari unggahan akun resmi pasangan calon nomor urut 2, dan sebuah foto keempatnya bersama tim "
            "kampanye sambil mengacungkan dua jari."
        ),
        known_on=datetime(2024, 10, 14, tzinfo=WIB).date(),
        received_at=datetime(2024, 10, 15, 9, 30, tzinfo=WIB),
        occurred_on=datetime(2024, 10, 13, tzinfo=WIB).date(),
        district=Region.objects.get(code="62.10.01"),
        place="Media sosial (Facebook) dan Kuala Kurun",
        assignee=pengawas,
        reporter={
            "name": "Pelapor Demo",
            "address": "Kuala Kurun",
            "phone": "081200000000",
            "occupation": "Wiraswasta",
        },
        **dict.fromkeys(Case.FORMAL_REQUIREMENTS + Case.MATERIAL_REQUIREMENTS, True),
    )
    people = [
        _person("Asn Demo Satu", "pns", "198503122010011004", "Analis Kebijakan", "Disdik"),
        _person("Asn Demo Dua", "pppk", "199001012019032001", "Guru Ahli Pertama", "Disdik"),
        _person("Honorer Demo Satu", "honorer", "", "Staf Administrasi", "Setda"),
        _person("Honorer Demo Dua", "honorer", "", "Operator Komputer", "Dinkes"),
    ]
    subjects = [
        services.subject_add(case=case, actor=pengawas, person=p, violation_types=list(types.values())) for p in people
    ]
    pair = CandidatePair.objects.filter(election=election, number=2).first()
    services.evidence_add(
        case=case,
        actor=pengawas,
        kind="tautan",
        url="https://www.facebook.com/demo.paslon2/posts/1001?fbclid=demo",
        platform="facebook",
        account="Asn Demo Satu",
        interaction="suka",
        candidate_pair=pair,
        subject=subjects[0],
        description="Menyukai unggahan kampanye paslon 2",
    )
    services.evidence_add(
        case=case,
        actor=pengawas,
        kind="screenshot",
        upload=ContentFile(_png((60, 90, 160)), name="komentar-paslon2.png"),
        platform="facebook",
        account="Honorer Demo Satu",
        interaction="komentar",
        comment_text="Lanjutkan! Nomor 2 pasti menang.",
        candidate_pair=pair,
        subject=subjects[2],
        description="Tangkapan layar komentar",
    )
    services.evidence_add(
        case=case,
        actor=pengawas,
        kind="foto",
        upload=ContentFile(_png((170, 120, 60)), name="foto-gestur.png"),
        gesture="mengacungkan dua jari",
        gesture_fingers=2,
        with_whom="tim kampanye paslon 2",
        candidate_pair=pair,
        description="Foto bersama tim kampanye",
    )
    case = services.case_transition(
        case=case, actor=koordinator, name="register", expected_version=None, at=datetime(2024, 10, 16, 10, tzinfo=WIB)
    )
    meeting = services.meeting_schedule(
        case=case,
        actor=pengawas,
        invitee_role="terlapor",
        invitee_name="Asn Demo Satu",
        subject=subjects[0],
        scheduled_at=datetime(2024, 10, 17, 9, tzinfo=WIB),
        place="Kantor Bawaslu Kabupaten Gunung Mas",
    )
    services.meeting_record(
        meeting=meeting,
        actor=pengawas,
        status="dilaksanakan",
        minutes="Terlapor mengakui menyukai unggahan dan berfoto dengan gestur dua jari.",
    )
    for subject in subjects:
        services.subject_update(
            subject=subject, actor=pengawas, violation_types=list(types.values()), outcome=SubjectOutcome.PROVEN
        )
    services.case_transition(
        case=case,
        actor=koordinator,
        name="decide",
        expected_version=None,
        outcome="peraturan_lain",
        reason="Pleno menyatakan keempat terlapor melanggar netralitas ASN; diteruskan kepada BKN.",
        at=datetime(2024, 10, 18, 15, tzinfo=WIB),
    )


def _finding(office, election, pengawas):
    now = timezone.now()
    services.case_create(
        office=office,
        election=election,
        source="temuan",
        actor=pengawas,
        title=FINDING_TITLE,
        chronology="Pengawas kecamatan menemukan kepala desa membagikan materi kampanye paslon di grup WhatsApp warga.",
        known_on=timezone.localdate(now - timedelta(days=1)),
        received_at=now,
        district=Region.objects.get(code="62.10.02"),
        place="Grup WhatsApp warga desa",
        req_reported_identity=True,
        req_time_place=True,
        req_description=True,
    )
