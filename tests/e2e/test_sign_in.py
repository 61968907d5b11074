"""A person signs in with a real browser and lands on the home page of their role."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, ElectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_signs_in_and_computes_a_deadline(page, koordinator, regions):
    ElectionFactory(name="Pemilihan Bupati Gunung Mas 2024", region=regions.gunung_mas)
    sign_in(page, "koordinator", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    expect(page.get_by_role("heading", name="Beranda pengawasan")).to_be_visible()
    expect(page.get_by_text("Pemilihan Bupati Gunung Mas 2024").first).to_be_visible()

    # The deadline calculator answers in place (htmx) and keeps the address shareable.
    page.get_by_label("Tahap").select_option("kajian")
    page.get_by_label("Tanggal awal").fill(date(2024, 12, 2).isoformat())
    page.get_by_role("button", name="Hitung").click()
    expect(page.locator("#hasil-tenggat")).to_contain_text("Rabu, 4 Desember 2024")
    assert "stage=kajian" in page.url
    expect(page.get_by_role("heading", name="Beranda pengawasan")).to_be_visible()  # no full reload


def test_pemkab_official_signs_in_to_the_regency_dashboard(page, pemkab, regions):
    sign_in(page, "pemkab", TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Dasbor netralitas ASN — Kabupaten Gunung Mas")).to_be_visible()
    expect(page.get_by_text("Halaman baca saja", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Hitung tenggat")).to_have_count(0)


def test_wrong_password_shows_an_indonesian_message(page, pengawas):
    sign_in(page, "pengawas", "bukan-ini")
    expect(page.get_by_text("Nama pengguna atau kata sandi salah")).to_be_visible()
    expect(page.get_by_label("Nama pengguna")).to_have_value("pengawas")


def test_sign_out_from_the_menu(page, pengawas):
    sign_in(page, "pengawas", TEST_PASSWORD)
    page.get_by_role("button", name="Nama pengawas").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Masuk ke Netralitas")).to_be_visible()
