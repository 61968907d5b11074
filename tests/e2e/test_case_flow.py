"""A supervisor logs a laporan with two subjects and a screenshot; the coordinator registers it; a
clarification is recorded; the coordinator decides it as a violation of other laws. In a real browser."""

import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, ElectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def violation_types(seeded_violation_types):
    """The taxonomy seeded by the migration (a transactional test starts from an emptied database)."""


def png_file(tmp_path):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path = tmp_path / "tangkapan-layar.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\x10\x20\x30"))
        + chunk(b"IEND", b"")
    )
    return path


def sign_out(page):
    page.context.clear_cookies()


def add_subject(page, name, employment, nip=""):
    page.get_by_role("link", name="Tambah terlapor").click()
    page.get_by_label("MEDSOS-INTERAKSI", exact=False).first.check()
    page.get_by_role("textbox", name="Nama", exact=True).fill(name)
    page.get_by_label("Status kepegawaian").select_option(employment)
    if nip:
        page.get_by_label("NIP", exact=True).fill(nip)
    page.get_by_role("button", name="Catat orang baru sebagai terlapor").click()
    expect(page.get_by_text(f"{name} ditambahkan sebagai terlapor.")).to_be_visible()


def test_a_report_from_intake_to_decision(page, pengawas, koordinator, regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ElectionFactory(name="Pemilihan Bupati Gunung Mas 2024", region=regions.gunung_mas)

    # The supervisor logs the report.
    sign_in(page, "pengawas", TEST_PASSWORD)
    page.get_by_role("link", name="Perkara", exact=True).click()
    page.get_by_role("link", name="Catat laporan").click()
    page.get_by_label("Ringkasan").fill("Dua pegawai menyukai unggahan paslon 2")
    page.get_by_label("Kronologi").fill("Akun keduanya menyukai dan mengomentari unggahan paslon 2.")
    page.get_by_label("Tanggal diketahui / ditemukan").fill("2024-10-14")
    page.get_by_label("Waktu diterima / dicatat").fill("2024-10-15T09:00")
    for label in [
        "Identitas pelapor lengkap",
        "Nama dan alamat terlapor",
        "Tanda tangan sesuai identitas",
        "Waktu dan tempat kejadian",
        "Uraian kejadian",
        "Bukti",
    ]:
        page.get_by_label(label, exact=True).check()
    page.get_by_label("Nama pelapor").fill("Warga Kuala Kurun")
    page.get_by_role("textbox", name="Alamat", exact=True).fill("Kuala Kurun")
    page.get_by_label("Telepon", exact=True).fill("081234567")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Perkara dicatat.")).to_be_visible()

    add_subject(page, "Asn Uji Satu", "pns", "198503122010011004")
    add_subject(page, "Honorer Uji Dua", "honorer")

    page.get_by_role("link", name="Tambah bukti").click()
    page.get_by_role("combobox", name="Jenis", exact=True).select_option("screenshot")
    page.get_by_label("Berkas").set_input_files(str(png_file(tmp_path)))
    page.get_by_label("Tautan").fill("https://m.facebook.com/paslon2/posts/77?fbclid=x")
    page.get_by_label("Menyukai").check()
    page.get_by_label("Berkomentar").check()
    page.get_by_role("button", name="Simpan bukti").click()
    expect(page.get_by_text("Bukti disimpan.")).to_be_visible()
    expect(page.locator("code").filter(has_text=re.compile(r"^[0-9a-f]{64}$")).first).to_be_visible()
    case_url = page.url.split("#")[0]

    # The coordinator registers it.
    sign_out(page)
    sign_in(page, "koordinator", TEST_PASSWORD)
    page.goto(case_url)
    page.get_by_role("link", name="Registrasi", exact=True).click()
    # the step's own time: the case is entered after the fact, the registration happened on 16 October 2024
    page.get_by_label("Waktu langkah").fill("2024-10-16T10:00")
    page.get_by_role("button", name="Registrasi", exact=True).click()
    expect(page.get_by_text("001/Reg/LP/PB/62.10/").first).to_be_visible()

    # A clarification is scheduled and recorded.
    page.get_by_role("link", name="Jadwalkan klarifikasi").click()
    page.get_by_label("Pihak").select_option("terlapor")
    page.get_by_label("Nama yang diundang").fill("Asn Uji Satu")
    page.locator("#id_scheduled_at").fill("2024-10-17T09:00")
    page.get_by_label("Tempat").fill("Kantor Bawaslu Gunung Mas")
    page.get_by_role("button", name="Jadwalkan").click()
    page.get_by_role("link", name="catat hasil").click()
    page.get_by_label("Status").select_option("dilaksanakan")
    page.get_by_label("Berita acara / keterangan").fill("Terlapor mengakui menyukai unggahan.")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Hasil klarifikasi dicatat.")).to_be_visible()

    # Each subject is found proven, then the plenary decides.
    for name in ("Asn Uji Satu", "Honorer Uji Dua"):
        page.locator(".list-group-item", has_text=name).get_by_role("link", name="ubah").click()
        page.get_by_label("Hasil").select_option("terbukti")
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_text("Data terlapor disimpan.")).to_be_visible()
    page.get_by_role("link", name="Putus (pleno)").click()
    # the case's result follows from its people's
    expect(page.get_by_text("Putusan perkara: Pelanggaran peraturan perundang-undangan lainnya")).to_be_visible()
    page.get_by_label("Pertimbangan pleno").fill("Terbukti melanggar netralitas; diteruskan ke BKN.")
    page.get_by_role("button", name="Putus (pleno)").click()

    expect(page.locator(".badge", has_text="Diputus").first).to_be_visible()
    timeline = page.locator("ol.timeline")
    for step in (
        "Perkara dicatat",
        "Terlapor ditambahkan",
        "Bukti ditambahkan",
        "Diregistrasi",
        "Klarifikasi dijadwalkan",
        "Hasil klarifikasi dicatat",
        "Diputus dalam pleno",
    ):
        expect(timeline.get_by_text(step).first).to_be_visible()
