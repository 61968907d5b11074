"""A coordinator forwards a decided case to BKN, records the recommendation and the regent's decision."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, decided_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_send_a_referral_and_follow_it_to_the_sanction(
    page, pengawas, koordinator, offices, regions, institutions, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = decided_case(offices, pengawas, koordinator, regions)
    sign_in(page, "koordinator", TEST_PASSWORD)
    page.goto(f"/perkara/{case.code}/")
    page.get_by_role("link", name="Teruskan terlapor").click()
    page.get_by_label("Asn Satu").check()
    page.get_by_label("Lembaga tujuan").select_option(label="Badan Kepegawaian Negara")
    page.get_by_role("button", name="Siapkan draf").click()
    expect(page.get_by_text("draf penerusan disiapkan")).to_be_visible()

    page.get_by_label("Nomor surat").fill("077/PP.01.02/K.KT-10/X/2024")
    page.get_by_label("Tanggal surat").fill("2024-10-21")
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.get_by_text("Penerusan dikirim")).to_be_visible()
    expect(page.get_by_role("link", name="Surat penerusan (PDF)")).to_be_visible()
    pdf = page.request.get(page.get_by_role("link", name="Surat penerusan (PDF)").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    rec = page.locator("section", has=page.get_by_role("heading", name="Catat Rekomendasi"))
    rec.get_by_label("Nomor surat / keputusan").fill("R-9/BKN/2024")
    rec.get_by_label("Tanggal").fill("2024-11-01")
    rec.get_by_label("Hasil rekomendasi").select_option("1")
    rec.get_by_label("Sanksi yang direkomendasikan").select_option("penurunan_jabatan")
    rec.get_by_role("button", name="Simpan").click()
    expect(page.locator(".badge", has_text="Menunggu keputusan PPK")).to_be_visible()

    ppk = page.locator("section", has=page.get_by_role("heading", name="Catat Keputusan PPK"))
    ppk.get_by_label("Nomor surat / keputusan").fill("800/12/BKPSDM/2024")
    ppk.get_by_label("Tanggal").fill("2024-11-12")
    ppk.get_by_label("Sanksi yang dijatuhkan").select_option("penurunan_jabatan")
    ppk.get_by_role("button", name="Simpan").click()
    expect(page.locator(".badge", has_text="Sanksi dijatuhkan")).to_be_visible()

    page.get_by_role("link", name="Penerusan", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Sanksi dijatuhkan"))).to_be_visible()
    expect(page.locator("#kolom-sanctioned ~ a", has_text="Asn Satu")).to_be_visible()
