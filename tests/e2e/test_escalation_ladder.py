"""A stalled referral walked up the escalation ladder in a real browser: the regent (PPK) let his ten working days
pass on a BKN recommendation; the koordinator sees the reminder proposed, is refused a letter dated too early
(everything typed kept), signs it on its day and reads its PDF, then the request to BKN to block the person's
personnel data; a supervisor records BKN's blocking; the regency's pemkab reads the escalation on its dashboard."""

import importlib
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.apps import apps
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from cases.models import Referral, ReferralEscalation, Sanction
from cases.referrals import selectors as referral_selectors
from cases.referrals import services as referrals
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, decided_case

pytestmark = pytest.mark.django_db(transaction=True)

WIB = ZoneInfo("Asia/Jakarta")
PERSON = "Asn Lamban Tindak"
NIP = "198806142011011003"
REMINDER = "Surat pengingat kepada PPK"
BLOCKING = "Permintaan pemblokiran data kepegawaian kepada BKN"


@pytest.fixture(autouse=True)
def ladder(transactional_db):
    """The rungs seeded by a migration, again: a transactional test may start from an emptied database."""
    importlib.import_module("netralitas.reference.migrations.0008_escalation_ladder_candidate_people").seed_rungs(
        apps, None
    )


def stalled_referral(offices, pengawas, koordinator, regions, institutions) -> Referral:
    """A Gunung Mas referral to BKN, recommended (proven) on 13 Nov 2024: the PPK's period ended long ago."""
    case = decided_case(offices, pengawas, koordinator, regions, people=((PERSON, "pns", NIP),))
    [draft] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    sent = referrals.referral_send(
        referral=draft,
        actor=koordinator,
        expected_version=None,
        letter_number="052/PP.01.02/K.KT-10/X/2024",
        letter_date=date(2024, 10, 22),
        channel="surat",
        sent_at=datetime(2024, 10, 22, 10, tzinfo=WIB),
        make_letters=False,
    )
    return referrals.referral_record_recommendation(
        referral=sent,
        actor=pengawas,
        number="R-77/BKN/XI/2024",
        date=date(2024, 11, 13),
        proven=True,
        sanction=Sanction.NON_MANAGERIAL,
    )


def next_due(referral: Referral) -> tuple[str, date]:
    proposal = referral_selectors.escalation_proposal(Referral.objects.get(pk=referral.pk))
    return proposal.rung.name, proposal.due


def day(value: date) -> str:
    """A date as the pages write it (“2 Desember 2024”)."""
    with translation.override("id"):
        return date_format(value, "j F Y")


def escalate(page, number: str, on: date) -> None:
    form = page.locator('section[aria-labelledby="judul-eskalasi-kirim"]')
    form.get_by_label("Nomor surat").fill(number)
    form.get_by_label("Tanggal surat").fill(on.isoformat())
    form.get_by_role("button", name="Buat surat dan catat").click()


def test_a_koordinator_walks_a_stalled_referral_up_the_ladder(
    browser, page, live_server, offices, regions, pengawas, koordinator, pemkab, institutions, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    referral = stalled_referral(offices, pengawas, koordinator, regions, institutions)
    rung, due = next_due(referral)
    assert rung == REMINDER and due > referral.ppk_due
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    sign_in(page, "koordinator", TEST_PASSWORD)
    page.goto(f"/penerusan/{referral.code}/")
    expect(page.get_by_test_id("langkah-berikut")).to_contain_text(f"Langkah berikutnya: {REMINDER}")
    expect(page.get_by_test_id("langkah-berikut")).to_contain_text(f"Dapat dikirim sejak {day(due)}.")

    # A letter dated before the first day it may go: refused in Indonesian, the number typed kept.
    reminder_number = "061/PP.01.02/K.KT-10/XII/2024"
    escalate(page, reminder_number, due - timedelta(days=1))
    expect(page.get_by_text(f"“{REMINDER}” baru dapat dikirim mulai {day(due)}")).to_be_visible()
    form = page.locator('section[aria-labelledby="judul-eskalasi-kirim"]')
    expect(form.get_by_label("Nomor surat")).to_have_value(reminder_number)
    assert not ReferralEscalation.objects.filter(referral=referral).exists()

    # On its day: recorded, listed with its letter.
    escalate(page, reminder_number, due)
    expect(page.get_by_text(f"{REMINDER} dicatat; suratnya tersimpan sebagai PDF.")).to_be_visible()
    listed = page.locator('section[aria-labelledby="judul-eskalasi"] li', has_text=f"{REMINDER} — {reminder_number}")
    expect(listed).to_contain_text(day(due))
    expect(listed).to_contain_text("Kepada Bupati Gunung Mas")
    letter = listed.get_by_role("link", name="Surat (PDF)")
    response = page.request.get(letter.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.body())).pages)
    assert PERSON in text and reminder_number in text

    # The pemkab of Gunung Mas reads the reminder on its dashboard's PPK list (its own browser).
    official = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", base_url=live_server.url)
    dashboard = official.new_page()
    dashboard.set_default_timeout(15_000)
    sign_in(dashboard, "pemkab", TEST_PASSWORD)
    expect(dashboard).to_have_url(re.compile(r"/dasbor/$"))
    row = dashboard.locator("#tabel-ppk tr", has_text=PERSON)
    expect(row).to_contain_text(NIP)
    expect(row).to_contain_text(REMINDER)

    # The next rung: the request to BKN to block the person's personnel data, due some working days later.
    rung, block_due = next_due(referral)
    assert rung == BLOCKING and block_due > due
    page.reload()
    expect(page.get_by_test_id("langkah-berikut")).to_contain_text(f"Langkah berikutnya: {BLOCKING}")
    block_number = "067/PP.01.02/K.KT-10/XII/2024"
    escalate(page, block_number, block_due)
    expect(page.get_by_text(f"{BLOCKING} dicatat; suratnya tersimpan sebagai PDF.")).to_be_visible()
    expect(page.get_by_test_id("langkah-berikut")).to_contain_text("Laporan kepada Kementerian Dalam Negeri")

    # A supervisor records BKN's blocking of the data, with its date.
    page.context.clear_cookies()
    sign_in(page, "pengawas", TEST_PASSWORD)
    page.goto(f"/penerusan/{referral.code}/")
    request = page.locator('section[aria-labelledby="judul-eskalasi"] li', has_text=f"{BLOCKING} — {block_number}")
    expect(request).to_contain_text("Kepada Kepala Badan Kepegawaian Negara")
    request.get_by_text("Catat jawaban atau pemblokiran").click()
    blocked_on = block_due + timedelta(days=3)
    request.get_by_label("Yang dicatat").select_option(label="BKN memblokir data kepegawaian")
    request.get_by_label("Tanggal").fill(blocked_on.isoformat())
    request.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Dicatat.")).to_be_visible()
    expect(request).to_contain_text(f"Data kepegawaian diblokir sejak {day(blocked_on)}")
    assert ReferralEscalation.objects.get(referral=referral, rung__code="blokir-bkn").blocked_on == blocked_on

    # The dashboard's PPK list now names both rungs and the block.
    dashboard.reload()
    expect(row).to_contain_text(REMINDER)
    expect(row).to_contain_text(BLOCKING)
    expect(row).to_contain_text("Data kepegawaian diblokir sejak")
    official.close()
    assert not errors
