"""A new regency set up from a page, in a real browser: the province's system operator adds Kabupaten Kapuas
(its kecamatan, office, first users, agencies from a spreadsheet, its Pilkada); the new supervisor follows the
invitation, sets a password and records a case the same day."""

import pytest
from playwright.sync_api import expect

from netralitas.accounts.models import Role
from netralitas.notify.models import Notification
from netralitas.reference.models import Region
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, ElectionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_operator_adds_a_regency_and_its_supervisor_works_the_same_day(page, offices, regions, tmp_path):
    from datetime import date

    ElectionFactory(kind="pilkada", region=regions.gunung_mas, year=2024, voting_day=date(2024, 11, 27))
    MembershipFactory(user=UserFactory(username="operator"), office=offices.province, role=Role.OPERATOR)
    sheet = tmp_path / "opd-kapuas.csv"
    sheet.write_text("nama;singkatan;jenis\nDinas Pendidikan;Disdik;dinas\nDinas Kesehatan;Dinkes;dinas\n")

    sign_in(page, "operator", TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Kabupaten/kota")).to_be_visible()
    page.get_by_role("link", name="Tambah kabupaten/kota").click()
    page.get_by_label("Kode wilayah (Kemendagri)").fill("62.03")
    page.locator("#id_name").fill("Kapuas")
    page.get_by_label("Kecamatan").fill("62.03.01 Selat\n62.03.02 Kapuas Hilir")
    page.get_by_label("Alamat kantor Bawaslu").fill("Jl. Tambun Bungai, Kuala Kapuas")
    # a first try with a username already taken: refused, with everything typed kept
    page.get_by_label("Pengguna pertama").fill(
        "operator; Koordinator Kapuas; koord@kapuas.example; koordinator\n"
        "kapuas.pengawas; Pengawas Kapuas; pengawas@kapuas.example; pengawas"
    )
    page.get_by_label("Atau unggah daftar instansi (XLSX/CSV)").set_input_files(str(sheet))
    expect(page.get_by_label("Tahun Pilkada")).to_have_value("2024")
    page.get_by_role("button", name="Simpan kabupaten/kota").click()
    expect(page.get_by_text("Nama pengguna sudah dipakai: operator.")).to_be_visible()
    expect(page.get_by_label("Kecamatan")).to_have_value("62.03.01 Selat\n62.03.02 Kapuas Hilir")
    expect(page.get_by_label("Instansi (OPD) pemerintah daerah")).to_have_value(
        "Dinas Pendidikan; Disdik; dinas\nDinas Kesehatan; Dinkes; dinas"
    )
    page.get_by_label("Pengguna pertama").fill(
        "kapuas.koord; Koordinator Kapuas; koord@kapuas.example; koordinator\n"
        "kapuas.pengawas; Pengawas Kapuas; pengawas@kapuas.example; pengawas"
    )
    page.get_by_role("button", name="Simpan kabupaten/kota").click()
    expect(page.get_by_text("Bawaslu Kabupaten Kapuas siap dipakai")).to_be_visible()
    expect(page.get_by_role("cell", name="Kabupaten Kapuas", exact=True)).to_be_visible()
    assert Region.objects.get(code="62.03").children.count() == 2

    # The new supervisor follows the invitation (sent through the outbox), sets a password and signs in.
    page.context.clear_cookies()
    invitation = Notification.objects.get(
        template="account_invited", channel="email", recipient__username="kapuas.pengawas"
    )
    page.goto(invitation.url)
    page.locator("#id_new_password1").fill("Kapuas-Baru-2026!")
    page.locator("#id_new_password2").fill("Kapuas-Baru-2026!")
    page.get_by_role("button", name="Simpan kata sandi").click()
    sign_in(page, "kapuas.pengawas", "Kapuas-Baru-2026!")
    page.get_by_role("link", name="Perkara", exact=True).click()
    page.get_by_role("link", name="Catat temuan").click()
    page.get_by_label("Pemilihan").select_option(label="Pemilihan Bupati dan Wakil Bupati Kapuas 2024")
    page.get_by_label("Ringkasan").fill("ASN Kapuas menyukai unggahan calon bupati")
    page.get_by_label("Kronologi").fill("Patroli siber menemukan ASN Dinas Pendidikan menyukai unggahan calon.")
    page.get_by_label("Kecamatan").select_option(label="Selat")
    page.get_by_label("Tanggal diketahui / ditemukan").fill("2024-10-20")
    page.get_by_label("Waktu diterima / dicatat").fill("2024-10-20T10:00")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Perkara dicatat.")).to_be_visible()
    expect(page.get_by_text("Bawaslu Kabupaten Kapuas").first).to_be_visible()
