"""A hand-counted world for the dashboard tests: cases, subjects, referrals and outreach in Gunung Mas, and a
case in Palangka Raya that must never count for Gunung Mas.

Gunung Mas, election "Pilkada Gunung Mas Uji" (``gm_election``):
- case A, received 15 Oct 2024, decided and referred: Asn Satu (PNS, Disdik; MEDSOS-INTERAKSI, FOTO-GESTUR) to
  BKN, recommended "penurunan jabatan", awaiting the PPK; Asn Dua (PPPK, Disdik; MEDSOS-INTERAKSI) to BKN,
  sent, no recommendation; Honorer Tiga (honorer, Setda; FOTO-GESTUR) to the employer, sanction executed;
  Asn Empat (PNS, Dinkes; MEDSOS-INTERAKSI) to BKN, the PPK refused to sanction.
- case B, received 2 Nov 2024, still at the initial review (overdue): Asn Lima (PNS, Dinkes; APK), pending.
Gunung Mas, election "Pemilu Uji" (``other_election``):
- case C, received 3 Sep 2024, initial review (overdue): Kades Enam (kepala desa, no agency; KEGIATAN), pending.
Palangka Raya: case D with Asn Kota (PNS, Dinas Kota; MEDSOS-INTERAKSI) awaiting the PPK, and its reporter.
Outreach: a held session in Gunung Mas on 10 Sep 2024, Disdik 40 people (25 ASN), Setda 15 (10 ASN); a held
session in Palangka Raya for Dinas Kota.
"""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

from cases.demo import png_bytes
from cases.evidence import services as evidence_services
from cases.models import ClarificationMeeting, Person, Sanction, SubjectOutcome, ViolationType
from cases.referrals import services as referrals
from cases.workflow import services
from netralitas.accounts.models import Role
from outreach import services as outreach_services
from tests.factories import ALL_REQUIREMENTS, AgencyFactory, ElectionFactory, MembershipFactory

WIB = ZoneInfo("Asia/Jakarta")
REPORTER_GM = "Pelapor Rahasia Gunung Mas"
REPORTER_PR = "Pelapor Rahasia Kota"


def _types(*codes):
    # Seeded by a migration; a browser test's flushed database no longer has them, so they are made again.
    return [ViolationType.objects.get_or_create(code=code, defaults={"name": code})[0] for code in codes]


def build_case(office, pengawas, koordinator, election, received, people, *, decide, reporter=REPORTER_GM):
    """``people``: (name, employment, nip, agency, violation codes, proven)."""
    case = services.case_create(
        office=office,
        election=election,
        source="laporan",
        actor=pengawas,
        intake=services.Intake(
            title="ASN menyukai unggahan calon",
            chronology="Terlapor menyukai dan mengomentari unggahan akun calon nomor 2.",
            known_on=received.date(),
            received_at=received,
            reporter={"name": reporter, "address": "Alamat rahasia", "phone": "0812000111"},
            **ALL_REQUIREMENTS,
        ),
    )
    if decide:
        case = services.case_transition(
            case=case,
            actor=koordinator,
            name="register",
            expected_version=None,
            at=received.replace(day=received.day + 1),
        )
    subjects = {}
    for name, kind, nip, agency, codes, proven in people:
        person = Person.objects.create(name=name, employment_type=kind, nip=nip, agency=agency, region=office.region)
        subject = services.subject_add(case=case, actor=pengawas, person=person, violation_types=_types(*codes))
        if decide:
            outcome = SubjectOutcome.PROVEN if proven else SubjectOutcome.NOT_PROVEN
            services.subject_update(subject=subject, actor=pengawas, violation_types=_types(*codes), outcome=outcome)
        subjects[name] = subject
    if decide:
        case = services.case_transition(
            case=case,
            actor=koordinator,
            name="decide",
            expected_version=None,
            reason="Terbukti",
            at=received.replace(day=received.day + 3),
        )
    return case, subjects


def send(case, pengawas, koordinator, subject, institution, number):
    [draft] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=[subject], institution=institution, channel="surat"
    )
    return referrals.referral_send(
        referral=draft,
        actor=koordinator,
        expected_version=None,
        letter_number=number,
        letter_date=date(2024, 10, 21),
        channel="surat",
        sent_at=datetime(2024, 10, 21, 9, tzinfo=WIB),
        make_letters=False,
    )


def recommend(referral, actor, sanction, day=date(2024, 11, 4)):
    return referrals.referral_record_recommendation(
        referral=referral, actor=actor, number=f"R-{referral.pk}/BKN", date=day, proven=True, sanction=sanction
    )


def build_world(regions, offices, pengawas, koordinator, institutions, outsider):
    disdik = AgencyFactory(regency=regions.gunung_mas, name="Dinas Pendidikan", short_name="Disdik")
    dinkes = AgencyFactory(regency=regions.gunung_mas, name="Dinas Kesehatan", short_name="Dinkes")
    setda = AgencyFactory(regency=regions.gunung_mas, name="Sekretariat Daerah", short_name="Setda")
    bappeda = AgencyFactory(regency=regions.gunung_mas, name="Badan Perencanaan", short_name="Bappeda")
    kota = AgencyFactory(regency=regions.palangka_raya, name="Dinas Kota", short_name="DisKota")
    gm_election = ElectionFactory(name="Pilkada Gunung Mas Uji", region=regions.gunung_mas)
    other_election = ElectionFactory(name="Pemilu Uji", region=None, kind="pemilu")
    pr_election = ElectionFactory(name="Pilkada Palangka Raya Uji", region=regions.palangka_raya)

    case_a, a = build_case(
        offices.gunung_mas,
        pengawas,
        koordinator,
        gm_election,
        datetime(2024, 10, 15, 9, tzinfo=WIB),
        [
            ("Asn Satu", "pns", "198503122010011004", disdik, ["MEDSOS-INTERAKSI", "FOTO-GESTUR"], True),
            ("Asn Dua", "pppk", "199001012019032001", disdik, ["MEDSOS-INTERAKSI"], True),
            ("Honorer Tiga", "honorer", "", setda, ["FOTO-GESTUR"], True),
            ("Asn Empat", "pns", "198711232012121002", dinkes, ["MEDSOS-INTERAKSI"], True),
        ],
        decide=True,
    )
    awaiting = recommend(send(case_a, pengawas, koordinator, a["Asn Satu"], institutions.bkn, "1/A"), pengawas,
                         Sanction.DEMOTION)  # fmt: skip
    waiting_bkn = send(case_a, pengawas, koordinator, a["Asn Dua"], institutions.bkn, "2/A")
    executed = recommend(
        send(case_a, pengawas, koordinator, a["Honorer Tiga"], institutions.employer, "3/A"),
        pengawas,
        Sanction.EMPLOYER,
    )
    referrals.referral_record_ppk_decision(
        referral=executed, actor=pengawas, number="800/1", date=date(2024, 11, 8), sanction=Sanction.EMPLOYER
    )
    referrals.referral_record_execution(referral=executed, actor=pengawas, date=date(2024, 11, 11))
    refused = recommend(
        send(case_a, pengawas, koordinator, a["Asn Empat"], institutions.bkn, "4/A"),
        pengawas,
        Sanction.WRITTEN_REPRIMAND,
    )
    referrals.referral_record_ppk_decision(
        referral=refused, actor=pengawas, number="", date=date(2024, 11, 20), refused=True, note="Tidak disetujui"
    )

    case_b, _b = build_case(
        offices.gunung_mas,
        pengawas,
        koordinator,
        gm_election,
        datetime(2024, 11, 2, 9, tzinfo=WIB),
        [("Asn Lima", "pns", "199203042015031005", dinkes, ["APK"], False)],
        decide=False,
    )
    evidence = evidence_services.evidence_add(
        case=case_b,
        actor=pengawas,
        kind="screenshot",
        upload=ContentFile(png_bytes((10, 20, 30)), name="bukti-rahasia.png"),
        description="Tangkapan layar",
    )
    # A meeting row for the URL sweep (scheduling one needs a registered case; case B stays at the review).
    meeting = ClarificationMeeting.objects.create(
        case=case_b,
        invitee_role="terlapor",
        invitee_name="Asn Lima",
        scheduled_at=datetime(2024, 11, 5, 9, tzinfo=WIB),
        place="Kantor Bawaslu",
    )
    case_c, _c = build_case(
        offices.gunung_mas,
        pengawas,
        koordinator,
        other_election,
        datetime(2024, 9, 3, 9, tzinfo=WIB),
        [("Kades Enam", "kepala_desa", "", None, ["KEGIATAN"], False)],
        decide=False,
    )

    pr_koordinator = MembershipFactory(office=offices.palangka_raya, role=Role.KOORDINATOR).user
    case_d, d = build_case(
        offices.palangka_raya,
        outsider,
        pr_koordinator,
        pr_election,
        datetime(2024, 10, 10, 9, tzinfo=WIB),
        [("Asn Kota", "pns", "198001012005011001", kota, ["MEDSOS-INTERAKSI"], True)],
        decide=True,
        reporter=REPORTER_PR,
    )
    pr_awaiting = recommend(send(case_d, outsider, pr_koordinator, d["Asn Kota"], institutions.bkn, "9/D"), outsider,
                            Sanction.DEMOTION)  # fmt: skip

    gm_session = outreach_services.session_create(
        office=offices.gunung_mas,
        actor=pengawas,
        start=datetime(2024, 9, 10, 9, tzinfo=WIB),
        end=datetime(2024, 9, 10, 11, tzinfo=WIB),
        agencies=[disdik, setda],
        kind="sosialisasi",
        title="Sosialisasi di Setda Uji",
    )
    outreach_services.session_set_status(session=gm_session, actor=pengawas, status="terlaksana", minutes="Hadir")
    outreach_services.attendance_record(
        session=gm_session, actor=pengawas, agency=disdik, people_reached=40, asn_count=25
    )
    outreach_services.attendance_record(
        session=gm_session, actor=pengawas, agency=setda, people_reached=15, asn_count=10
    )
    pr_session = outreach_services.session_create(
        office=offices.palangka_raya,
        actor=outsider,
        start=datetime(2024, 9, 11, 9, tzinfo=WIB),
        end=datetime(2024, 9, 11, 11, tzinfo=WIB),
        agencies=[kota],
        kind="sosialisasi",
        title="Sosialisasi Kota Uji",
    )
    outreach_services.session_set_status(session=pr_session, actor=outsider, status="terlaksana", minutes="Hadir")
    outreach_services.attendance_record(session=pr_session, actor=outsider, agency=kota, people_reached=99, asn_count=9)

    material = outreach_services.material_add(
        session=gm_session, actor=pengawas, upload=ContentFile(png_bytes((1, 2, 3)), name="foto.png"), kind="foto"
    )
    return SimpleNamespace(
        evidence=evidence,
        meeting=meeting,
        material=material,
        agencies=SimpleNamespace(disdik=disdik, dinkes=dinkes, setda=setda, bappeda=bappeda, kota=kota),
        gm_election=gm_election,
        other_election=other_election,
        pr_election=pr_election,
        case_a=case_a,
        case_b=case_b,
        case_c=case_c,
        case_d=case_d,
        awaiting=awaiting,
        waiting_bkn=waiting_bkn,
        executed=executed,
        refused=refused,
        pr_awaiting=pr_awaiting,
        pr_koordinator=pr_koordinator,
        gm_session=gm_session,
        pr_session=pr_session,
    )
