"""A pemkab official signs in and reads the dashboard: charts drawn, the numbers beside them, the PPK list."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.dashboard_world import build_world
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_pemkab_reads_the_charts_and_their_tables(
    page, pemkab, regions, offices, pengawas, koordinator, institutions, outsider, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(regions, offices, pengawas, koordinator, institutions, outsider)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "pemkab", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dasbor/$"))
    expect(page.get_by_role("heading", name="Dasbor netralitas ASN — Kabupaten Gunung Mas")).to_be_visible()
    expect(page.get_by_role("link", name="Dasbor")).to_be_visible()

    # Every chart is drawn (Chart.js sized its canvas), and the table beside it holds the numbers.
    for key in ("status", "pipeline", "type", "agency", "employment", "month", "prevention"):
        canvas = page.locator(f"#grafik-{key}")
        expect(canvas).to_be_visible()
        assert page.evaluate(f"Chart.getChart(document.getElementById('grafik-{key}')) !== undefined")
        assert canvas.bounding_box()["height"] > 100
    agency = page.locator("#tabel-agency")
    expect(agency.get_by_role("row", name=re.compile(r"Dinas Pendidikan 2 2"))).to_be_visible()
    expect(agency.get_by_role("row", name=re.compile(r"Dinas Kesehatan 2 1"))).to_be_visible()
    expect(page.locator("#tabel-status").get_by_role("row", name=re.compile(r"Diteruskan 1"))).to_be_visible()
    # The chart draws the same numbers as the table.
    drawn = page.evaluate("Chart.getChart(document.getElementById('grafik-agency')).data.datasets[0].data")
    assert drawn == [2, 2, 1, 1]
    expect(page.locator("#tabel-prevention").get_by_role("row", name=re.compile(r"Dinas Kesehatan"))).to_contain_text(
        "belum tersentuh sosialisasi"
    )

    # The PPK follow-up list: the one place with names.
    ppk = page.locator("#tabel-ppk")
    expect(ppk).to_contain_text("Asn Satu")
    expect(ppk).to_contain_text("198503122010011004")
    expect(ppk).to_contain_text("Penurunan jabatan")
    expect(ppk.get_by_text(re.compile(r"PPK terlambat \d+ hari"))).to_be_visible()

    # Filter by election in the query string; a bad date is explained, not a crash.
    page.get_by_role("combobox", name="Pemilihan").select_option(label=world.other_election.name)
    page.get_by_role("button", name="Terapkan").click()
    expect(page).to_have_url(re.compile(rf"pemilihan={world.other_election.pk}"))
    expect(page.locator("#jumlah-perkara")).to_have_text("1")
    page.goto("/dasbor/?dari=2024-02-31")
    expect(page.get_by_text("Tanggal tidak dikenali")).to_be_visible()

    # The XLSX download.
    page.goto("/dasbor/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh angka (XLSX)").click()
    assert download.value.suggested_filename.startswith("dasbor-netralitas-")

    if os.environ.get("DASHBOARD_SCREENSHOT"):  # for a person to look at: DASHBOARD_SCREENSHOT=/tmp/dasbor.png
        page.screenshot(path=os.environ["DASHBOARD_SCREENSHOT"], full_page=True)
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("#tabel-agency")).to_be_visible()
    expect(page.locator("#grafik-agency")).to_be_visible()
    if os.environ.get("DASHBOARD_SCREENSHOT"):
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        page.screenshot(path=os.environ["DASHBOARD_SCREENSHOT"].replace(".png", "-cetak.png"), full_page=True)
    assert errors == []
