"""A supervisor schedules a session with three agencies, marks it held with attendance, sees it on the calendar."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, AgencyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_schedule_hold_and_see_on_the_calendar(page, pengawas, regions):
    for name in ("Dinas Pendidikan", "Dinas Kesehatan", "BKPSDM"):
        AgencyFactory(regency=regions.gunung_mas, name=name)
    sign_in(page, "pengawas", TEST_PASSWORD)
    page.get_by_role("link", name="Sosialisasi", exact=True).click()
    page.get_by_role("link", name="Jadwalkan kegiatan").click()
    page.get_by_role("combobox", name="Jenis", exact=True).select_option("sosialisasi")
    page.get_by_role("textbox", name="Judul", exact=True).fill("Sosialisasi netralitas untuk OPD")
    page.locator("#id_start").fill("2024-09-10T09:00")
    page.locator("#id_end").fill("2024-09-10T12:00")
    page.get_by_label("Tempat").fill("Aula Setda Gunung Mas")
    page.get_by_label("OPD yang diundang").select_option(label=["Dinas Pendidikan", "Dinas Kesehatan", "BKPSDM"])
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Kegiatan dijadwalkan.")).to_be_visible()
    expect(page.get_by_text("BKPSDM; Dinas Kesehatan; Dinas Pendidikan")).to_be_visible()

    page.locator("#id_status").select_option("terlaksana")
    page.get_by_label("Notulen").fill("Dihadiri tiga OPD.")
    page.get_by_role("button", name="Simpan status").click()
    page.locator("#id_agency").select_option(label="Dinas Pendidikan")
    page.locator("#id_people_reached").fill("40")
    page.get_by_label("Di antaranya ASN").fill("35")
    page.get_by_role("button", name="Catat", exact=True).click()
    expect(page.get_by_text("Kehadiran dicatat.")).to_be_visible()

    page.goto("/kalender/?tampilan=bulan&tanggal=2024-09-10")
    expect(page.get_by_role("link", name="09.00 Sosialisasi netralitas untuk OPD")).to_be_visible()
