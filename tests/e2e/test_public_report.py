"""A citizen reports from a phone: the form, the time limit shown as they type, a screenshot, the receipt
with its tracking code; the report waits in Gunung Mas's intake queue; the code shows its stage."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import PublicReport
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, ElectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="id-ID", timezone_id="Asia/Jakarta", base_url=live_server.url, viewport={"width": 390, "height": 844},
        is_mobile=True, has_touch=True,
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_citizen_reports_from_a_phone_and_follows_the_report(
    phone, browser, live_server, regions, offices, pengawas, settings, tmp_path
):
    from tests.test_case_views import png_bytes

    settings.MEDIA_ROOT = tmp_path / "media"
    ElectionFactory(region=regions.gunung_mas, voting_day=timezone.localdate() + timedelta(days=20))
    shot = tmp_path / "tangkapan-layar.png"
    shot.write_bytes(png_bytes())
    violations = []
    phone.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    phone.goto("/akun/masuk/")
    phone.get_by_role("link", name="lapor di sini").click()
    expect(phone.get_by_role("heading", name="Lapor dugaan pelanggaran netralitas ASN")).to_be_visible()
    today = timezone.localdate()
    phone.get_by_label("Kabupaten/kota tempat kejadian").select_option(label="Kabupaten Gunung Mas")
    phone.get_by_label("Apa yang terjadi (satu kalimat)").fill(
        "Camat berfoto dengan gestur dua jari bersama tim paslon"
    )
    phone.get_by_label("Kronologi").fill("Foto diunggah di akun Instagram camat dan dibagikan di grup warga.")
    phone.get_by_role("textbox", name="Tempat kejadian").fill("Instagram @camat.contoh")
    phone.get_by_label("Tanggal kejadian").fill((today - timedelta(days=3)).isoformat())
    phone.get_by_label("Tanggal Anda mengetahuinya").fill((today - timedelta(days=1)).isoformat())
    expect(phone.locator("#batas-lapor")).to_contain_text("Batas melapor untuk tanggal itu")
    phone.get_by_label("Nama terlapor").fill("Camat Contoh")
    phone.get_by_label("Tautan unggahan").fill("https://www.instagram.com/p/ABC123/")
    phone.get_by_label("Tangkapan layar, foto, video atau dokumen").set_input_files(str(shot))
    phone.get_by_label("Nama lengkap").fill("Warga Pemberani")
    phone.get_by_role("textbox", name="Alamat", exact=True).fill("Kuala Kurun")
    phone.get_by_role("textbox", name="Telepon", exact=True).fill("081234567890")
    # forgot the statement: refused, and nothing is lost
    phone.get_by_role("button", name="Kirim laporan").click()
    expect(phone.get_by_text("Centang pernyataan kebenaran laporan.")).to_be_visible()
    expect(phone.get_by_label("Nama terlapor")).to_have_value("Camat Contoh")
    expect(phone.get_by_text("tangkapan-layar.png")).to_be_visible()
    phone.get_by_label("Saya menyatakan laporan ini saya buat dengan sebenar-benarnya.").check()
    phone.get_by_role("button", name="Kirim laporan").click()

    expect(phone.get_by_text("Laporan Anda terkirim. Terima kasih.")).to_be_visible()
    report = PublicReport.objects.get()
    expect(phone.get_by_text(report.tracking_code).first).to_be_visible()
    expect(phone.get_by_text("Dalam kajian awal")).to_be_visible()
    phone.screenshot(path=str(tmp_path / "tanda-terima.png"), full_page=True)
    assert report.case.evidence.filter(kind="screenshot", original_name="tangkapan-layar.png").exists()
    assert violations == []

    # The supervisor finds it in the intake queue.
    staff = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", base_url=live_server.url).new_page()
    sign_in(staff, "pengawas", TEST_PASSWORD)
    staff.goto("/perkara/?status=received")
    row = staff.get_by_role("row").filter(has_text="Camat berfoto dengan gestur dua jari")
    row.get_by_role("link", name="(belum diregistrasi)").click()
    expect(staff.get_by_text(report.tracking_code, exact=True)).to_be_visible()
    expect(staff.get_by_text("Warga Pemberani").first).to_be_visible()
    staff.context.close()

    # Anyone with the code can look it up again.
    phone.goto("/lapor/status/")
    phone.get_by_label("Kode pelacakan").fill(report.tracking_code.lower())
    phone.get_by_role("button", name="Cek").click()
    expect(phone.get_by_text("Dalam kajian awal")).to_be_visible()
    expect(phone.get_by_text("Laporan Anda terkirim")).to_have_count(0)
