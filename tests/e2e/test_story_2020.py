"""The seed's 2020 case, entered today in a real browser with the dates on which things happened: a temuan of
October 2020 registered with a 2020 number, decided in the 2020 plenary, sent to KASN by a 2020 letter, its clock
run from the letter, answered and sanctioned in 2020; the timeline shows when each step happened and when it was
entered."""

import io
from datetime import date

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case, Referral
from tests.e2e.conftest import sign_in
from tests.e2e.test_case_flow import add_subject
from tests.factories import TEST_PASSWORD, ElectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def violation_types(seeded_violation_types):
    """The taxonomy seeded by the migration (a transactional test starts from an emptied database)."""


def step(page, link, when, *, when_label="Waktu langkah", choose=None, write=None):
    """Take a step from the case page with the day it happened (and its choices and text)."""
    page.get_by_role("link", name=link, exact=True).click()
    page.get_by_label(when_label).fill(when)
    for label, value in (choose or {}).items():
        page.get_by_label(label).select_option(value)
    for label, value in (write or {}).items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name=link, exact=True).click()


def test_the_2020_story_entered_today_reads_true(
    page, pengawas, koordinator, regions, institutions, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ElectionFactory(name="Pemilihan Gubernur Kalimantan Tengah 2020", region=regions.gunung_mas, year=2020)

    sign_in(page, "pengawas", TEST_PASSWORD)
    page.get_by_role("link", name="Perkara", exact=True).click()
    page.get_by_role("link", name="Catat temuan").click()
    page.get_by_label("Pemilihan").select_option(label="Pemilihan Gubernur Kalimantan Tengah 2020")
    page.get_by_label("Ringkasan").fill("ASN menyukai unggahan calon gubernur (2020)")
    page.get_by_label("Kronologi").fill("Pengawasan media sosial menemukan ASN menyukai unggahan calon.")
    page.get_by_label("Tanggal diketahui / ditemukan").fill("2020-10-05")
    page.get_by_label("Waktu diterima / dicatat").fill("2020-10-06T10:00")
    for label in ["Nama dan alamat terlapor", "Waktu dan tempat kejadian", "Uraian kejadian", "Bukti"]:
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Perkara dicatat.")).to_be_visible()
    add_subject(page, "Asn Demo Tiga", "pns", "198711232012121002")
    case_url = page.url.split("#")[0]

    page.context.clear_cookies()
    sign_in(page, "koordinator", TEST_PASSWORD)
    page.goto(case_url)
    step(page, "Registrasi", "2020-10-07T10:00")
    expect(page.get_by_text("001/Reg/TM/PB/62.10/X/2020").first).to_be_visible()
    page.locator(".list-group-item", has_text="Asn Demo Tiga").get_by_role("link", name="ubah").click()
    page.get_by_label("Hasil").select_option("terbukti")
    page.get_by_role("button", name="Simpan").click()
    step(
        page,
        "Putus (pleno)",
        "2020-10-09T15:00",
        when_label="Waktu rapat pleno",
        write={"Pertimbangan pleno": "Terbukti; diteruskan ke KASN."},
    )
    expect(page.get_by_text("Ada langkah yang dicatat belakangan")).to_be_visible()
    expect(page.locator("ol.timeline").get_by_text("9 Okt 2020 · dicatat").first).to_be_visible()

    # Forwarded to KASN by a 2020 letter: KASN is proposed for a case decided in 2020.
    page.get_by_role("link", name="Teruskan terlapor").click()
    expect(page.get_by_label("Lembaga tujuan")).to_have_value(str(institutions.kasn.pk))
    page.get_by_role("button", name="Siapkan draf").click()
    page.get_by_label("Nomor surat").fill("101/PP.01.02/K.KT-10/X/2020")
    page.get_by_label("Tanggal surat").fill("2020-10-12")
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.get_by_text("Penerusan dikirim")).to_be_visible()
    referral = Referral.objects.get()
    assert referral.institution == institutions.kasn
    assert timezone.localdate(referral.sent_at) == date(2020, 10, 12)
    # 14 working days from the letter's Monday: 28-30 October 2020 were a holiday and collective leave
    assert referral.response_due == date(2020, 11, 4)
    pdf = page.request.get(page.get_by_role("link", name="Surat penerusan (PDF)").get_attribute("href")).body()
    letter = "".join("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())
    assert "12Oktober2020" in letter and "9Oktober2020" in letter and "Desember2026" not in letter

    rec = page.locator("section", has=page.get_by_role("heading", name="Catat Rekomendasi"))
    rec.get_by_label("Nomor surat / keputusan").fill("R-201/KASN/XI/2020")
    rec.get_by_label("Tanggal").fill("2020-11-02")
    rec.get_by_label("Hasil rekomendasi").select_option("1")
    rec.get_by_label("Sanksi yang direkomendasikan").select_option("moral_terbuka")
    rec.get_by_role("button", name="Simpan").click()
    ppk = page.locator("section", has=page.get_by_role("heading", name="Catat Keputusan PPK"))
    ppk.get_by_label("Nomor surat / keputusan").fill("800/301/BKPSDM/XI/2020")
    ppk.get_by_label("Tanggal").fill("2020-11-16")
    ppk.get_by_label("Sanksi yang dijatuhkan").select_option("moral_terbuka")
    ppk.get_by_role("button", name="Simpan").click()
    done = page.locator("section", has=page.get_by_role("heading", name="Catat Pelaksanaan sanksi"))
    done.get_by_label("Tanggal").fill("2020-11-20")
    done.get_by_role("button", name="Simpan").click()
    expect(page.locator(".badge", has_text="Selesai").first).to_be_visible()

    case = Case.objects.get()
    assert case.number == "001/Reg/TM/PB/62.10/X/2020" and case.status == "closed"
    assert timezone.localdate(case.closed_at) == date(2020, 11, 20)
