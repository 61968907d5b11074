"""A coordinator turns on the second factor in a real browser (scanning is replaced by reading the key shown
beside the QR code, as a person would type it into the app), signs out, and signs in with password and code;
the QR code loads under the Content-Security-Policy."""

import base64
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this key (``steps_ahead`` periods later: a code not used yet)."""
    key = secret.replace(" ", "")
    key = base64.b32decode(key + "=" * (-len(key) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_coordinator_turns_on_the_second_factor_and_signs_in_with_a_code(page, koordinator, time_machine):
    time_machine.move_to(datetime.now(tz=UTC), tick=True)  # the clock runs, and can be moved on below
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    sign_in(page, "koordinator", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    page.get_by_role("button", name="Nama koordinator").click()
    page.get_by_role("link", name="Akun saya").click()
    expect(page.get_by_role("heading", name="Verifikasi dua langkah")).to_be_visible()
    page.get_by_role("link", name="Aktifkan verifikasi dua langkah").click()

    qr = page.get_by_role("img", name="Kode QR untuk aplikasi autentikator")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # drawn, and allowed by the policy
    secret = page.locator("#kunci-rahasia").inner_text()

    page.get_by_label("Kode dari aplikasi").fill("000000" if app_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_text("Kode tidak cocok")).to_be_visible()
    time_machine.shift(timedelta(seconds=2))  # a wrong code makes the next one wait a second

    page.get_by_label("Kode dari aplikasi").fill(app_code(secret))
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_role("heading", name="Kode cadangan Anda")).to_be_visible()
    expect(page.locator("#kode-cadangan li")).to_have_count(10)
    page.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan").click()

    page.get_by_role("button", name="Nama koordinator").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Masuk ke Netralitas")).to_be_visible()

    page.goto("/perkara/")  # the page asked for is where the person lands after both steps
    page.get_by_label("Nama pengguna").fill("koordinator")
    page.get_by_label("Kata sandi").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Verifikasi dua langkah")).to_be_visible()
    page.goto("/beranda/")  # nothing else opens before the code
    expect(page).to_have_url(re.compile(r"/akun/verifikasi/\?next="))
    page.get_by_label("Kode verifikasi").fill(app_code(secret, steps_ahead=1))  # the code of the next period
    page.get_by_role("button", name="Verifikasi").click()
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    expect(page.get_by_role("heading", name="Beranda pengawasan")).to_be_visible()
    assert violations == []
