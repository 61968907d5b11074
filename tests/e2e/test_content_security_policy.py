"""Every kind of page works under the Content-Security-Policy: the demo data walked through as each role, in
Chromium, with no policy violation reported (no inline script or style anywhere, htmx and the charts
included)."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import Case, Referral
from netralitas.accounts.demo import DEMO_PASSWORD
from netralitas.notify.models import Notification
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def watch_policy(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


@pytest.fixture
def demo(settings, tmp_path, seeded_violation_types):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REMINDER_HOUR = 0  # the day's reminders whatever the hour the suite runs at (none before 07.00 WIB)
    call_command("load_demo", force=True, verbosity=0)
    call_command("run_reminders", stdout=io.StringIO())  # messages in the inboxes


def visit(page, path):
    response = page.goto(path)
    assert response.status == 200, path
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()} or response.headers.get(
        "content-security-policy"
    ), path
    page.wait_for_load_state("networkidle")


def test_supervisor_pages_under_the_policy(page, demo):
    violations = watch_policy(page)
    sign_in(page, "koordinator", DEMO_PASSWORD)
    assert Notification.objects.filter(recipient__username="koordinator", channel="inbox").exists()
    case = Case.objects.exclude(number="").first()
    referral = Referral.objects.exclude(status="draft").first()
    for path in [
        "/beranda/",
        "/perkara/",
        f"/perkara/{case.code}/",
        f"/perkara/{case.code}/ubah/",
        "/penerusan/",
        f"/penerusan/{referral.code}/",
        "/kalender/",
        "/kalender/?tampilan=bulan",
        "/dasbor/",
        "/pemberitahuan/",
        "/pemberitahuan/?belum=1",
        "/pemberitahuan/pengaturan/",
        "/tenggat/",
    ]:
        visit(page, path)
    # htmx at work: the deadline calculator answers in place
    page.get_by_label("Tahap").select_option("kajian")
    page.get_by_label("Tanggal awal").fill("2024-12-02")
    page.get_by_role("button", name="Hitung").click()
    expect(page.locator("#hasil-tenggat")).to_contain_text("2024")
    # the person search (htmx, typed and Enter), on an open case
    open_case = Case.objects.filter(status__in=["received", "registered", "under_review"]).first()
    visit(page, f"/perkara/{open_case.code}/terlapor/tambah/")
    page.get_by_label("Nama atau NIP").fill("Asn")
    page.get_by_label("Nama atau NIP").press("Enter")
    page.wait_for_load_state("networkidle")
    visit(page, "/lapor/")
    # Bootstrap at work: the user menu opens
    page.get_by_role("button", name="Markus Demo Tingang").click()
    assert violations == []


def test_pemkab_dashboard_charts_under_the_policy(page, demo):
    violations = watch_policy(page)
    sign_in(page, "pemkab", DEMO_PASSWORD)
    visit(page, "/dasbor/")
    expect(page.locator("canvas").first).to_be_visible()
    visit(page, "/kalender/")
    assert violations == []


def test_admin_pages_under_the_policy(page, demo):
    violations = watch_policy(page)
    sign_in(page, "admin", DEMO_PASSWORD)
    for path in ["/kelola/", "/kelola/kotak-keluar/", "/admin/", "/admin/accounts/user/", "/admin/reference/election/"]:
        visit(page, path)
    page.goto("/admin/accounts/user/")
    page.locator("#result_list tbody th a").first.click()
    page.wait_for_load_state("networkidle")
    assert violations == []
