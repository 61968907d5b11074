"""The world of the access matrix (tests/test_access_matrix.py): the dashboard world (tests/dashboard_world.py)
with one object of every kind a URL names, in Gunung Mas ("gm", the personas' own regency) and in Palangka
Raya ("pr", someone else's), and the personas who knock on every URL.

Built once per test module: no fixture of conftest.py is used (they are function-scoped), the same names and
codes are made here with the same factories.

The escalation ladder and the succession: the referral awaiting the PPK in each regency has climbed its first
rung (the reminder to the PPK, with a stored letter), and each regency has a referral sent to KASN in July 2024
and moved to BKN by the declared succession (``moved``: its transfer note is a page of its own).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from cases.demo import png_bytes
from cases.models import ExportJob, PublicReport, Referral, StepDocument
from cases.public.services import new_tracking_code
from cases.referrals import services as referral_services
from cases.referrals.escalation import referral_escalate
from cases.referrals.selectors import escalation_proposal
from netralitas.accounts.groups import ensure_office_admin_group
from netralitas.accounts.models import ApiScope, Role
from netralitas.accounts.tokens import api_token_create, api_token_revoke
from netralitas.notify.models import Channel, Notification, Status
from netralitas.reference.models import EscalationRung, Institution, Region
from outreach import services as outreach_services
from tests.api_world import add_evidence, make_client
from tests.dashboard_world import REPORTER_PR, WIB, build_case, build_world
from tests.factories import MembershipFactory, OfficeFactory, RegionFactory, UserFactory, declare_succession

# Strings that identify a reporter: office staff may read them, nobody else ever.
PUBLIC_REPORTER = "Pelapor Daring Rahasia"
PUBLIC_REPORTER_PHONE = "0813999777"
# The people whose KASN referrals the succession moved to BKN, in Gunung Mas and in Palangka Raya.
MOVED_GM = "Asn Pindahan Gunung Mas"
MOVED_PR = "Asn Pindahan Kota"


def _member(username: str, office, role: str, **fields):
    return MembershipFactory(user=UserFactory(username=username, **fields), office=office, role=role).user


def _regions():
    province = RegionFactory(code="62", name="Kalimantan Tengah", level=Region.Level.PROVINCE)
    gunung_mas = RegionFactory(code="62.10", name="Kabupaten Gunung Mas", level=Region.Level.REGENCY, parent=province)
    kurun = RegionFactory(code="62.10.01", name="Kurun", level=Region.Level.DISTRICT, parent=gunung_mas)
    palangka_raya = RegionFactory(code="62.71", name="Kota Palangka Raya", level=Region.Level.REGENCY, parent=province)
    pahandut = RegionFactory(code="62.71.01", name="Pahandut", level=Region.Level.DISTRICT, parent=palangka_raya)
    return SimpleNamespace(
        province=province, gunung_mas=gunung_mas, kurun=kurun, palangka_raya=palangka_raya, pahandut=pahandut
    )


def _institutions(regions):
    bkn = Institution.objects.create(
        code="bkn", name="Badan Kepegawaian Negara", short_name="BKN", kind="pengawas_asn",
        active_from=date(2024, 8, 24), response_days=14,
    )  # fmt: skip
    employer = Institution.objects.create(
        code="pemberi-kerja", name="Instansi pemberi kerja", short_name="Pemberi kerja", kind="pemberi_kerja"
    )
    # KASN received ASN referrals until BKN took over; its succession is declared in the world (``_moved``)
    kasn = Institution.objects.create(
        code="kasn", name="Komisi Aparatur Sipil Negara", short_name="KASN", kind="pengawas_asn", response_days=14
    )
    return SimpleNamespace(bkn=bkn, kasn=kasn, employer=employer)


def _pdf(text: str) -> ContentFile:
    return ContentFile(f"%PDF-1.4\n% {text}\n%%EOF\n".encode(), name="surat.pdf")


def _document(case, user, *, referral=None, name: str) -> StepDocument:
    """A step's signed document as ``document_add`` stores it (the world's dates need no checking here)."""
    content = f"%PDF-1.4\n% {name}\n%%EOF\n".encode()
    document = StepDocument(
        case=case, referral=referral, kind="rekomendasi" if referral else "ba_pleno", dated=date(2024, 11, 4),
        sha256=hashlib.sha256(content).hexdigest(), size=len(content), mime_type="application/pdf",
        original_name=name, uploaded_by=user,
    )  # fmt: skip
    document.file.save(document.sha256, ContentFile(content), save=False)
    document.save()
    return document


def _escalated(referral, koordinator, number: str):
    """``referral`` (awaiting the PPK) climbs its first rung, the reminder to the PPK, on the first day it may;
    the letter is stored as the service would (a small PDF here)."""
    reminder = EscalationRung.objects.get(code="pengingat-ppk")
    climbed = referral_escalate(
        referral=referral,
        actor=koordinator,
        rung=reminder,
        letter_number=number,
        letter_date=escalation_proposal(referral).due,
        make_letter=False,
    )
    climbed.letter_pdf.save("pengingat.pdf", _pdf(number), save=True)
    return climbed


def _moved(world, offices, pengawas, koordinator, outsider, institutions, operator) -> dict:
    """One case per regency decided in July 2024, its person forwarded to KASN then, and the succession of KASN
    by BKN declared (24 Aug 2024): each referral moved to BKN. Returns the moved referrals (the BKN rows)."""
    sent = {}
    for key, office, worker, signer, election, name, nip, agency, reporter in (
        ("gm", offices.gunung_mas, pengawas, koordinator, world.gm_election, MOVED_GM, "198402022009011007",
         world.agencies.disdik, None),
        ("pr", offices.palangka_raya, outsider, world.pr_koordinator, world.pr_election, MOVED_PR,
         "198305052008011003", world.agencies.kota, REPORTER_PR),
    ):  # fmt: skip
        case, subjects = build_case(
            office, worker, signer, election, datetime(2024, 7, 1, 9, tzinfo=WIB),
            [(name, "pns", nip, agency, ["MEDSOS-INTERAKSI"], True)], decide=True,
            **({"reporter": reporter} if reporter else {}),
        )  # fmt: skip
        [draft] = referral_services.referral_draft(
            case=case, actor=worker, subjects=[subjects[name]], institution=institutions.kasn, channel="surat"
        )
        sent[key] = referral_services.referral_send(
            referral=draft,
            actor=signer,
            expected_version=None,
            letter_number=f"7/KASN/{key.upper()}/VII/2024",
            letter_date=date(2024, 7, 15),
            channel="surat",
            sent_at=datetime(2024, 7, 15, 9, tzinfo=WIB),
            make_letters=False,
        )
    succession = declare_succession(institutions, operator)
    return {key: Referral.objects.get(succession=succession, transferred_from=old) for key, old in sent.items()}


def build_access_world() -> SimpleNamespace:
    regions = _regions()
    offices = SimpleNamespace(
        province=OfficeFactory(region=regions.province, name="Bawaslu Provinsi Kalimantan Tengah"),
        gunung_mas=OfficeFactory(region=regions.gunung_mas, name="Bawaslu Kabupaten Gunung Mas"),
        palangka_raya=OfficeFactory(region=regions.palangka_raya, name="Bawaslu Kota Palangka Raya"),
    )
    gm = offices.gunung_mas
    pengawas = _member("pengawas", gm, Role.PENGAWAS)
    koordinator = _member("koordinator", gm, Role.KOORDINATOR)
    # The office administrator as `load_demo` makes it: staff, in the office admins' group (admin site).
    office_admin = _member("admin", gm, Role.ADMIN, is_staff=True)
    office_admin.groups.add(ensure_office_admin_group())
    pemkab = _member("pemkab", gm, Role.PEMKAB)
    outsider = _member("pengawas2", offices.palangka_raya, Role.PENGAWAS)
    province_supervisor = _member("provinsi", offices.province, Role.PENGAWAS)
    # A supervisor of Gunung Mas whose account is switched off once signed in (see the test's personas).
    deactivated = _member("pengawas-nonaktif", gm, Role.PENGAWAS)
    # A system operator (superuser) who also holds an office role: an office admin must never manage it.
    operator = _member("operator", gm, Role.ADMIN, is_superuser=True, is_staff=True)
    institutions = _institutions(regions)

    world = build_world(regions, offices, pengawas, koordinator, institutions, outsider)

    # Palangka Raya's counterparts of the objects build_world makes in Gunung Mas only.
    pr_subject = world.case_d.subjects.get()
    pr_evidence = add_evidence(world.case_d, content=png_bytes((90, 80, 70)), name="bukti-kota.png")
    pr_meeting = world.case_d.meetings.create(
        invitee_role="terlapor", invitee_name="Asn Kota", scheduled_at=world.meeting.scheduled_at, place="Kantor Kota"
    )
    pr_material = outreach_services.material_add(
        session=world.pr_session, actor=outsider, upload=ContentFile(png_bytes((4, 5, 6)), name="kota.png"), kind="foto"
    )
    # Evidence of the forwarded case A: one on the case as a whole (sent with every referral of the case), one
    # on another subject (Asn Dua: not sent with Asn Satu's referral).
    gm_case_evidence = add_evidence(world.case_a, content=png_bytes((11, 12, 13)), name="bukti-perkara.png")
    asn_dua = world.case_a.subjects.get(person__name="Asn Dua")
    other_subject_evidence = add_evidence(
        world.case_a, content=png_bytes((14, 15, 16)), name="bukti-asn-dua.png", subject=asn_dua
    )
    # The signed documents of the steps: the plenary minutes of case A (sent with each of its referrals), a
    # recommendation letter on the referral awaiting the PPK, one on the employer's referral (not the BKN's
    # business), and Palangka Raya's minutes.
    gm_case_document = _document(world.case_a, pengawas, name="ba-pleno-a.pdf")
    gm_referral_document = _document(world.case_a, pengawas, referral=world.awaiting, name="rekomendasi-bkn.pdf")
    other_referral_document = _document(world.case_a, pengawas, referral=world.executed, name="sk-honorer.pdf")
    pr_document = _document(world.case_d, outsider, name="ba-pleno-d.pdf")
    # The forwarding letters as sent (the world sends without making PDFs).
    for referral in (world.awaiting, world.pr_awaiting):
        referral.letter_pdf.save("surat.pdf", _pdf(referral.letter_number), save=True)
    # The PPK did not act on either: each has climbed the reminder rung (after the letters above are saved,
    # which write the whole row).
    escalations = {
        "gm": _escalated(world.awaiting, koordinator, "45/PP.01.02/K.KT-10/XI/2024"),
        "pr": _escalated(world.pr_awaiting, world.pr_koordinator, "46/PP.01.02/K.KT-71/XI/2024"),
    }
    moved = _moved(world, offices, pengawas, koordinator, outsider, institutions, operator)

    # A report from the public page on case B, with its reporter's identity.
    public_report = PublicReport.objects.create(
        case=world.case_b,
        tracking_code=new_tracking_code(),
        name=PUBLIC_REPORTER,
        address="Jalan Rahasia 1",
        phone=PUBLIC_REPORTER_PHONE,
        reported_name="Asn Lima",
        title="ASN memasang bingkai foto profil calon",
        client_hash="0" * 64,
    )

    # Export jobs (an XLSX built by a worker) belong to whoever asked for them.
    jobs = {}
    for key, user in (("gm", pengawas), ("pr", outsider)):
        job = ExportJob.objects.create(requested_by=user, status=ExportJob.Status.DONE, total=1, done=1)
        job.file.save("penerusan.xlsx", ContentFile(b"PK\x03\x04 bukan xlsx sungguhan"), save=True)
        jobs[key] = job

    # In-app messages: the Gunung Mas supervisor's own, and one of the Palangka Raya supervisor's.
    notes = {}
    for key, user, office in (("gm", pengawas, gm), ("pr", outsider, offices.palangka_raya)):
        notes[key] = Notification.objects.create(
            recipient=user,
            office=office,
            channel=Channel.INBOX,
            status=Status.SENT,
            sent_at=timezone.now(),
            template="case_assigned",
            context={"title": "Perkara uji", "number": "", "office": office.name},
            url="/perkara/",
            dedupe_key=f"access-matrix:{key}",
        )

    # Calendar feed addresses: the pemkab official's, and one of the account switched off below.
    feed_token = outreach_services.token_create(actor=pemkab, label="Kalender Setda")
    deactivated_feed_token = outreach_services.token_create(actor=deactivated, label="Lama")

    # API clients: BKN (read-write, and a read-only token), another institution, and BKN tokens that expired
    # or were revoked.
    bkn = make_client(institutions.bkn)
    _row, bkn_read_token = api_token_create(client=bkn, scope=ApiScope.READ, label="baca saja")
    employer = make_client(institutions.employer)
    _row, expired_token = api_token_create(
        client=bkn, scope=ApiScope.READ_WRITE, expires_at=timezone.now() - timedelta(days=1), label="kedaluwarsa"
    )
    revoked_row, revoked_token = api_token_create(client=bkn, scope=ApiScope.READ_WRITE, label="dicabut")
    api_token_revoke(token=revoked_row)

    return SimpleNamespace(
        **vars(world),
        regions=regions,
        offices=offices,
        institutions=institutions,
        users=SimpleNamespace(
            pengawas=pengawas,
            koordinator=koordinator,
            admin=office_admin,
            pemkab=pemkab,
            outsider=outsider,
            province_supervisor=province_supervisor,
            deactivated=deactivated,
            operator=operator,
        ),
        tokens=SimpleNamespace(
            bkn=bkn.token,
            bkn_read=bkn_read_token,
            employer=employer.token,
            expired=expired_token,
            revoked=revoked_token,
        ),
        pr_subject=pr_subject,
        pr_evidence=pr_evidence,
        pr_meeting=pr_meeting,
        pr_material=pr_material,
        gm_case_evidence=gm_case_evidence,
        gm_case_document=gm_case_document,
        gm_referral_document=gm_referral_document,
        other_referral_document=other_referral_document,
        pr_document=pr_document,
        other_subject_evidence=other_subject_evidence,
        public_report=public_report,
        jobs=jobs,
        notes=notes,
        feed_token=feed_token,
        deactivated_feed_token=deactivated_feed_token,
        escalations=escalations,
        moved=moved,
    )
