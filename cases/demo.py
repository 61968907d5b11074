"""Demo cases for Gunung Mas, recorded through the services as staff would (so the timeline is real):
the Pilkada 2020 story of the seed article, re-told for the 2024 demo election (four pemkab staff, two ASN
and two honorer, liking and commenting on a candidate's posts and posing with the campaign team making the
ballot-number gesture), taken to a decision; and a fresh finding awaiting its initial review."""

from __future__ import annotations

import struct
import zlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from cases.evidence import services as evidence_services
from cases.models import (
    Case,
    Person,
    Referral,
    ReferralEscalation,
    ReferralStatus,
    Sanction,
    SubjectOutcome,
    Succession,
    ViolationType,
)
from cases.referrals import escalation, letters
from cases.referrals import services as referrals
from cases.referrals.succession import succession_declare
from cases.workflow import services
from netralitas.accounts.models import User
from netralitas.demo import DemoReport
from netralitas.reference.models import Agency, CandidatePair, Election, EscalationRung, Institution, Office, Region

WIB = ZoneInfo("Asia/Jakarta")
STORY_TITLE = "Empat pegawai Pemkab menyukai dan mengomentari unggahan paslon, berfoto dengan gestur nomor urut"
STORY_2020_TITLE = (
    "Pilkada Kalteng 2020: dua ASN dan dua honorer menyukai unggahan calon gubernur dan berfoto dengan gestur"
)
# Every requirement checked at the initial review (the time limit is computed, not checked by hand).
REQUIREMENTS_MET = dict.fromkeys(
    [f for f in Case.FORMAL_REQUIREMENTS + Case.MATERIAL_REQUIREMENTS if f != "req_within_time"], True
)
FINDING_TITLE = "Kepala desa membagikan unggahan kampanye di grup WhatsApp warga"
MIXED_TITLE = "Tiga ASN dan seorang kepala desa di kampanye paslon; seorang camat membagikan uang kepada warga"
KASN_TITLE = "Dua ASN mengunggah ajakan memilih calon anggota DPD di media sosial (diteruskan ke KASN)"
HAND_DOWN_TITLE = "Guru PPPK mengunggah ajakan memilih caleg di akun media sosialnya (laporan ke provinsi)"


def png_bytes(color: tuple[int, int, int]) -> bytes:
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
        # Demo data loaded before the second ASN's recommendation was part of the story catches up here.
        report.count(label, "updated" if _second_recommendation(pengawas) else "unchanged")
    else:
        _story(office, election, pengawas, koordinator)
        report.count(label, "created")
    if Case.objects.filter(office=office, title=STORY_2020_TITLE).exists():
        report.count(label, "unchanged")
    else:
        _story_2020(office, pengawas, koordinator)
        report.count(label, "created")
    if Case.objects.filter(office=office, title=FINDING_TITLE).exists():
        report.count(label, "unchanged")
    else:
        _finding(office, election, pengawas)
        report.count(label, "created")
    if Case.objects.filter(title=HAND_DOWN_TITLE).exists():
        report.count(label, "unchanged")
    else:
        _handed_down(office)
        report.count(label, "created")
    if Case.objects.filter(office=office, title=MIXED_TITLE).exists():
        report.count(label, "unchanged")
    else:
        _mixed(office, election, pengawas, koordinator)
        report.count(label, "created")
    report.count("eskalasi demo", "created" if _escalated(koordinator, pengawas) else "unchanged")
    if not Case.objects.filter(office=office, title=KASN_TITLE).exists():
        _to_kasn(office, pengawas, koordinator)
        report.count(label, "created")
    else:
        report.count(label, "unchanged")
    kasn = Institution.objects.get(code="kasn")
    if Succession.objects.filter(predecessor=kasn).exists():
        report.count("suksesi lembaga", "unchanged")
    else:
        succession_declare(
            actor=User.objects.get(username="operator"),
            predecessor=kasn,
            successor=Institution.objects.get(code="bkn"),
            effective_on=date(2024, 8, 24),
            legal_basis="UU 20/2023 tentang ASN; Perpres 91/2024 dan 92/2024; SE MenPAN-RB 4/2024",
        )
        report.count("suksesi lembaga", "created")


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
        intake=services.Intake(
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
            **REQUIREMENTS_MET,
        ),
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
    evidence_services.evidence_add(
        case=case,
        actor=pengawas,
        kind="tautan",
        url="https://www.facebook.com/demo.paslon2/posts/1001?fbclid=demo",
        platform="facebook",
        account="Asn Demo Satu",
        interactions=["suka"],
        candidate_pair=pair,
        subject=subjects[0],
        description="Menyukai unggahan kampanye paslon 2",
    )
    evidence_services.evidence_add(
        case=case,
        actor=pengawas,
        kind="screenshot",
        upload=ContentFile(png_bytes((60, 90, 160)), name="komentar-paslon2.png"),
        platform="facebook",
        account="Honorer Demo Satu",
        interactions=["suka", "komentar"],
        comment_text="Lanjutkan! Nomor 2 pasti menang.",
        candidate_pair=pair,
        subject=subjects[2],
        description="Tangkapan layar komentar",
    )
    evidence_services.evidence_add(
        case=case,
        actor=pengawas,
        kind="foto",
        upload=ContentFile(png_bytes((170, 120, 60)), name="foto-gestur.png"),
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
        reason="Pleno menyatakan keempat terlapor melanggar netralitas ASN; diteruskan kepada BKN.",
        at=datetime(2024, 10, 18, 15, tzinfo=WIB),
    )
    # The ASN go to BKN (KASN had ended), the honorer staff to their employing agency.
    bkn, employer = Institution.objects.get(code="bkn"), Institution.objects.get(code="pemberi-kerja")
    asn_one, asn_two, honorer_one, honorer_two = subjects
    sent = datetime(2024, 10, 21, 9, tzinfo=WIB)
    to_bkn = _send_all(case, pengawas, koordinator, [asn_one, asn_two], bkn, "031/PP.01.02/K.KT-10/X/2024", sent)
    to_employer = _send_all(
        case, pengawas, koordinator, [honorer_one, honorer_two], employer, "032/PP.01.02/K.KT-10/X/2024", sent
    )
    # BKN recommended a sanction for both ASN; the regent has acted on neither (the board and the pemkab
    # dashboard's PPK follow-up list show them overdue).
    referrals.referral_acknowledge(referral=to_bkn[0], actor=pengawas, acknowledged_on=date(2024, 10, 23))
    referrals.referral_record_recommendation(
        referral=to_bkn[0],
        actor=pengawas,
        number="R-112/D.IV/BKN/XI/2024",
        date=date(2024, 11, 4),
        proven=True,
        sanction=Sanction.NON_MANAGERIAL,
    )
    _second_recommendation(pengawas)
    # The employing agency sanctioned the first honorer and carried it out; the second is still awaited.
    recommended, decided = ("800/45/SETDA/XI/2024", date(2024, 11, 6)), ("800/46/SETDA/XI/2024", date(2024, 11, 8))
    _carried_out(
        to_employer[0], pengawas, Sanction.EMPLOYER, recommended, decided,
        executed=date(2024, 11, 11), note="Kontrak kerja tidak diperpanjang.",
    )  # fmt: skip


def _escalated(koordinator, pengawas) -> bool:
    """The regent let his period pass for the first ASN of the 2024 story: the koordinator sent the reminder,
    then asked BKN to block the person's personnel data, which BKN did. The second ASN's referral is left at
    the first rung, offered on its page. False when already there."""
    referral = Referral.objects.filter(
        case__title=STORY_TITLE, subject__person__name="Asn Demo Satu", status=ReferralStatus.AWAITING_PPK
    ).first()
    if referral is None or ReferralEscalation.objects.filter(referral=referral).exists():
        return False
    make_letter = letters.available()
    reminder = escalation.referral_escalate(
        referral=referral,
        actor=koordinator,
        rung=EscalationRung.objects.get(code="pengingat-ppk"),
        letter_number="061/PP.01.02/K.KT-10/XI/2024",
        letter_date=date(2024, 11, 20),
        make_letter=make_letter,
    )
    escalation.escalation_record_answer(
        escalation=reminder,
        actor=pengawas,
        kind="answer",
        date=date(2024, 11, 25),
        number="800/512/BKPSDM/XI/2024",
        note="BKPSDM menyatakan keputusan masih dibahas; belum ada SK sanksi.",
    )
    block = escalation.referral_escalate(
        referral=referral,
        actor=koordinator,
        rung=EscalationRung.objects.get(code="blokir-bkn"),
        letter_number="068/PP.01.02/K.KT-10/XII/2024",
        letter_date=date(2024, 12, 2),
        make_letter=make_letter,
    )
    escalation.escalation_record_answer(
        escalation=block,
        actor=pengawas,
        kind="blocked",
        date=date(2024, 12, 9),
        number="B-4410/D.IV/BKN/XII/2024",
    )
    return True


def _to_kasn(office, pengawas, koordinator):
    """A Pemilu 2024 case forwarded to KASN in February 2024 and still unanswered when KASN stopped handling
    cases: the declared succession of 24 Aug 2024 (in ``load``) moved both referrals to BKN."""
    subjects = _proven(
        office,
        Election.objects.get(kind=Election.Kind.PEMILU, year=2024, region=None),
        pengawas,
        koordinator,
        title=KASN_TITLE,
        chronology=(
            "Patroli siber menemukan dua ASN Pemkab Gunung Mas mengunggah ajakan memilih seorang calon anggota "
            "DPD di akun Facebook mereka pada masa tenang."
        ),
        found=datetime(2024, 2, 12, 10, tzinfo=WIB),
        place="Media sosial (Facebook)",
        people=[
            _person("Asn Demo Delapan", "pns", "198601142010011006", "Analis Kebijakan", "Bappeda"),
            _person("Asn Demo Sembilan", "pns", "199002202015032007", "Pranata Komputer", "Diskominfo"),
        ],
        types=list(ViolationType.objects.filter(code__in=["MEDSOS-KAMPANYE"])),
        evidence=((60, 90, 160), "unggahan-masa-tenang.png", "Tangkapan layar kedua unggahan, diambil patroli siber"),
        registered=datetime(2024, 2, 13, 10, tzinfo=WIB),
        decided=datetime(2024, 2, 20, 15, tzinfo=WIB),
        reason="Kedua ASN terbukti melanggar netralitas; diteruskan kepada KASN.",
    )
    case = subjects[0].case
    kasn = Institution.objects.get(code="kasn")
    _send_all(
        case,
        pengawas,
        koordinator,
        subjects,
        kasn,
        "018/PP.01.02/K.KT-10/II/2024",
        datetime(2024, 2, 22, 9, tzinfo=WIB),
    )


def _second_recommendation(pengawas) -> bool:
    """BKN's recommendation for the second ASN of the 2024 story (a written reprimand), if not recorded yet."""
    referral = Referral.objects.filter(
        case__title=STORY_TITLE,
        institution__code="bkn",
        subject__person__name="Asn Demo Dua",
        status=ReferralStatus.SENT,
    ).first()
    if referral is None:
        return False
    referrals.referral_record_recommendation(
        referral=referral,
        actor=pengawas,
        number="R-113/D.IV/BKN/XI/2024",
        date=date(2024, 11, 5),
        proven=True,
        sanction=Sanction.WRITTEN_REPRIMAND,
    )
    return True


def _send_all(case, pengawas, koordinator, subjects, institution, letter_number, sent_at):
    drafts = referrals.referral_draft(
        case=case, actor=pengawas, subjects=subjects, institution=institution, channel="surat", on=sent_at.date()
    )
    make_letters = letters.available()
    return [
        referrals.referral_send(
            referral=draft,
            actor=koordinator,
            expected_version=None,
            letter_number=letter_number,
            letter_date=sent_at.date(),
            channel="surat",
            sent_at=sent_at,
            make_letters=make_letters,
        )
        for draft in drafts
    ]


def _proven(office, election, pengawas, koordinator, *, title, chronology, found, people, types, registered,
            decided, reason, place="Media sosial", evidence=None):  # fmt: skip
    """A finding (temuan) found on ``found``: its people, each proven on ``types``, registered and decided by
    the plenary at those moments; ``evidence`` (colour, name, description) a screenshot added before the
    registration. Returns the case's subjects, in the order of ``people``."""
    case = services.case_create(
        office=office,
        election=election,
        source="temuan",
        actor=pengawas,
        intake=services.Intake(
            title=title, chronology=chronology, known_on=found.date(), received_at=found, place=place,
            **REQUIREMENTS_MET,
        ),
    )  # fmt: skip
    subjects = [services.subject_add(case=case, actor=pengawas, person=p, violation_types=types) for p in people]
    if evidence:
        colour, name, description = evidence
        evidence_services.evidence_add(
            case=case, actor=pengawas, kind="screenshot", upload=ContentFile(png_bytes(colour), name=name),
            description=description,
        )  # fmt: skip
    case = services.case_transition(case=case, actor=koordinator, name="register", expected_version=None, at=registered)
    for subject in subjects:
        services.subject_update(subject=subject, actor=pengawas, violation_types=types, outcome=SubjectOutcome.PROVEN)
    services.case_transition(
        case=case, actor=koordinator, name="decide", expected_version=None, reason=reason, at=decided
    )
    return subjects


def _story_2020(office, pengawas, koordinator):
    """The seed article's case as it happened in 2020: forwarded to KASN, recommendations, the regent's
    decisions, all carried out."""
    subjects = _proven(
        office,
        Election.objects.get(kind=Election.Kind.PILKADA, year=2020, region__code="62"),
        pengawas,
        koordinator,
        title=STORY_2020_TITLE,
        chronology=(
            "Pengawasan media sosial menemukan dua ASN dan dua tenaga honorer Pemkab Gunung Mas menyukai dan "
            "mengomentari unggahan calon gubernur, serta foto bersama tim kampanye dengan gestur nomor urut."
        ),
        found=datetime(2020, 10, 6, 10, tzinfo=WIB),
        people=[
            _person("Asn Demo Tiga", "pns", "198711232012121002", "Pengelola Kepegawaian", "BKPSDM"),
            _person("Asn Demo Empat", "pns", "198905172014022003", "Bendahara", "Bappeda"),
            _person("Honorer Demo Tiga", "honorer", "", "Staf", "Setda"),
            _person("Honorer Demo Empat", "honorer", "", "Staf", "Dishub"),
        ],
        types=list(ViolationType.objects.filter(code__in=["MEDSOS-INTERAKSI", "FOTO-GESTUR"])),
        registered=datetime(2020, 10, 7, 10, tzinfo=WIB),
        decided=datetime(2020, 10, 9, 15, tzinfo=WIB),
        reason="Terbukti melanggar netralitas; diteruskan kepada KASN dan instansi pemberi kerja.",
    )
    case = subjects[0].case
    kasn, employer = Institution.objects.get(code="kasn"), Institution.objects.get(code="pemberi-kerja")
    sent = datetime(2020, 10, 12, 9, tzinfo=WIB)
    to_kasn = _send_all(case, pengawas, koordinator, subjects[:2], kasn, "101/PP.01.02/K.KT-10/X/2020", sent)
    to_employer = _send_all(case, pengawas, koordinator, subjects[2:], employer, "102/PP.01.02/K.KT-10/X/2020", sent)
    for n, referral in enumerate(to_kasn, start=1):
        recommended = (f"R-{200 + n}/KASN/XI/2020", date(2020, 11, 2))
        decided = (f"800/{300 + n}/BKPSDM/XI/2020", date(2020, 11, 16))
        _carried_out(referral, pengawas, Sanction.MORAL_OPEN, recommended, decided, executed=date(2020, 11, 20))
    for n, referral in enumerate(to_employer, start=1):
        recommended = (f"800/{400 + n}/SETDA/XI/2020", date(2020, 11, 3))
        decided = (f"800/{410 + n}/SETDA/XI/2020", date(2020, 11, 5))
        _carried_out(referral, pengawas, Sanction.EMPLOYER, recommended, decided, executed=date(2020, 11, 6))


def _handed_down(regency_office):
    """A Pemilu 2024 laporan received by the province office, handed down to Gunung Mas (the reported person
    works there), which received it as a case of its own; the province keeps it as handed over."""
    province = Office.objects.get(region__code="62")
    provinsi, koordinator_prov = User.objects.get(username="provinsi"), User.objects.get(username="koordinator-prov")
    pemilu = Election.objects.get(kind=Election.Kind.PEMILU, year=2024)
    case = services.case_create(
        office=province,
        election=pemilu,
        source="laporan",
        actor=provinsi,
        intake=services.Intake(
            title=HAND_DOWN_TITLE,
            chronology=(
                "Pelapor menemukan unggahan seorang guru PPPK di Kuala Kurun yang mengajak memilih calon anggota "
                "DPRD nomor urut tertentu, disertai foto alat peraga kampanye."
            ),
            known_on=date(2024, 2, 5),
            received_at=datetime(2024, 2, 6, 10, tzinfo=WIB),
            place="Media sosial (Facebook), Kuala Kurun",
            reporter={"name": "Pelapor Demo Provinsi", "address": "Palangka Raya", "phone": "081300000000"},
            **REQUIREMENTS_MET,
        ),
    )
    person = _person("Guru Demo PPPK", "pppk", "199205142022212007", "Guru Ahli Pertama", "Disdik")
    types = list(ViolationType.objects.filter(code__in=["MEDSOS-INTERAKSI"]))
    services.subject_add(case=case, actor=provinsi, person=person, violation_types=types)
    services.case_transition(
        case=case,
        actor=koordinator_prov,
        name="hand_over",
        expected_version=None,
        reason="Terlapor bekerja di Kabupaten Gunung Mas: ditangani Bawaslu Kabupaten Gunung Mas.",
        handed_over_to=regency_office,
        at=datetime(2024, 2, 7, 9, tzinfo=WIB),
    )


def _mixed(office, election, pengawas, koordinator):
    """One case, a route for each person: three ASN found violating neutrality (to BKN, awaiting its
    recommendation), a village head (to the regent through the DPMD) and a camat who handed out money, an
    election crime (to Sentra Gakkumdu, now under investigation)."""
    case = services.case_create(
        office=office,
        election=election,
        source="temuan",
        actor=pengawas,
        intake=services.Intake(
            title=MIXED_TITLE,
            chronology=(
                "Pengawas kecamatan menemukan tiga ASN dan seorang kepala desa menghadiri kampanye pasangan calon "
                "nomor urut 1 di Tewah dan berfoto dengan gestur satu jari; di acara yang sama seorang camat "
                "membagikan amplop berisi uang kepada warga yang hadir."
            ),
            known_on=date(2024, 11, 9),
            received_at=datetime(2024, 11, 9, 14, tzinfo=WIB),
            occurred_on=date(2024, 11, 9),
            district=Region.objects.get(code="62.10.02"),
            place="Lapangan kampanye, Tewah",
            **REQUIREMENTS_MET,
        ),
    )
    neutrality = list(ViolationType.objects.filter(code__in=["DEKLARASI", "FOTO-GESTUR"]))
    people = [
        (_person("Asn Demo Lima", "pns", "198204112008011003", "Kepala Seksi", "Disdik"), SubjectOutcome.PROVEN),
        (_person("Asn Demo Enam", "pns", "198807302011012004", "Perawat", "Dinkes"), SubjectOutcome.PROVEN),
        (_person("Asn Demo Tujuh", "pppk", "199311052023212005", "Guru Ahli Pertama", "Disdik"), SubjectOutcome.PROVEN),
        (_person("Kepala Desa Demo", "kepala_desa", "", "Kepala Desa Tewah Hulu", ""), SubjectOutcome.PROVEN),
        (_person("Camat Demo", "pns", "197506182000031002", "Camat Tewah", "Setda"), SubjectOutcome.CRIME),
    ]
    evidence_services.evidence_add(
        case=case,
        actor=pengawas,
        kind="foto",
        upload=ContentFile(png_bytes((90, 140, 90)), name="kampanye-tewah.png"),
        gesture="mengacungkan satu jari",
        gesture_fingers=1,
        with_whom="pasangan calon nomor urut 1 dan tim kampanyenya",
        candidate_pair=CandidatePair.objects.filter(election=election, number=1).first(),
        description="Foto pengawas kecamatan di lapangan kampanye, Tewah",
    )
    # the camat's act is money politics, a crime: none of the joint decree's neutrality acts is recorded for him
    acts = {SubjectOutcome.PROVEN: neutrality, SubjectOutcome.CRIME: []}
    subjects = [
        services.subject_add(case=case, actor=pengawas, person=person, violation_types=acts[outcome])
        for person, outcome in people
    ]
    case = services.case_transition(
        case=case, actor=koordinator, name="register", expected_version=None, at=datetime(2024, 11, 11, 9, tzinfo=WIB)
    )
    for subject, (_, outcome) in zip(subjects, people, strict=True):
        services.subject_update(subject=subject, actor=pengawas, violation_types=acts[outcome], outcome=outcome)
    services.case_transition(
        case=case,
        actor=koordinator,
        name="decide",
        expected_version=None,
        reason=(
            "Tiga ASN dan kepala desa terbukti melanggar netralitas; camat diduga melakukan tindak pidana pemilihan "
            "(politik uang, UU 10/2016 Pasal 187A) dan diteruskan ke Sentra Gakkumdu."
        ),
        at=datetime(2024, 11, 14, 15, tzinfo=WIB),
    )
    sent = datetime(2024, 11, 15, 9, tzinfo=WIB)
    by_code = {i.code: i for i in Institution.objects.filter(code__in=["bkn", "dpmd-6210", "gakkumdu-6210"])}
    _send_all(case, pengawas, koordinator, subjects[:3], by_code["bkn"], "051/PP.01.02/K.KT-10/XI/2024", sent)
    _send_all(case, pengawas, koordinator, subjects[3:4], by_code["dpmd-6210"], "052/PP.01.02/K.KT-10/XI/2024", sent)
    [crime] = _send_all(
        case, pengawas, koordinator, subjects[4:], by_code["gakkumdu-6210"], "053/PP.01.02/K.KT-10/XI/2024", sent
    )
    referrals.referral_record_crime_step(
        referral=crime, actor=pengawas, kind="penyidikan", number="SPDP/27/XI/2024/Reskrim", date=date(2024, 11, 19)
    )


def _carried_out(referral, pengawas, sanction, recommended, decided, *, executed, note=""):
    """A referral answered to the end: the recommendation (number, day), the PPK's decision, the execution."""
    number, day = recommended
    referrals.referral_record_recommendation(
        referral=referral, actor=pengawas, number=number, date=day, proven=True, sanction=sanction
    )
    number, day = decided
    referrals.referral_record_ppk_decision(
        referral=referral, actor=pengawas, number=number, date=day, sanction=sanction, note=note
    )
    referrals.referral_record_execution(referral=referral, actor=pengawas, date=executed)


def _finding(office, election, pengawas):
    now = timezone.now()
    services.case_create(
        office=office,
        election=election,
        source="temuan",
        actor=pengawas,
        intake=services.Intake(
            title=FINDING_TITLE,
            chronology="Pengawas kecamatan menemukan kepala desa membagikan materi kampanye paslon di grup WhatsApp warga.",
            known_on=timezone.localdate(now - timedelta(days=1)),
            received_at=now,
            district=Region.objects.get(code="62.10.02"),
            place="Grup WhatsApp warga desa",
            req_reported_identity=True,
            req_time_place=True,
            req_description=True,
        ),
    )
