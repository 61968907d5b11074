"""The second factor (TOTP through django-otp): set-up with a QR code drawn here, sign-in with the code after the
password, backup codes, turning it off with the password, offices that require it, wrong codes throttled and
counted for the lockout, the API untouched, and pemkab users kept out of the set-up pages."""

import re
import time
from urllib.parse import unquote

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from netralitas.accounts.models import SignInEvent, SignInOutcome
from tests.factories import TEST_PASSWORD, UserFactory

LOGIN = "/akun/masuk/"
VERIFY = "/akun/verifikasi/"
SETUP = "/akun/dua-langkah/aktifkan/"
DISABLE = "/akun/dua-langkah/nonaktifkan/"
BACKUP = "/akun/dua-langkah/kode-cadangan/"


def code_for(device, steps_ahead=0):
    """The code the person's app shows now (or ``steps_ahead`` periods later: a code not yet used)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def enrolled(user, backup_codes=("kode1234", "kode5678")):
    device = TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Kode cadangan", confirmed=True)
    for code in backup_codes:
        StaticToken.objects.create(device=static, token=code)
    return device


def sign_in(client, username, **extra):
    return client.post(LOGIN, {"username": username, "password": TEST_PASSWORD, **extra})


def outcomes(user):
    return list(SignInEvent.objects.filter(user=user).order_by("at", "pk").values_list("outcome", flat=True))


def unthrottle(device):
    type(device).objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)


# --- Set-up ---------------------------------------------------------------------------------------------------


def test_a_koordinator_sets_up_the_app_with_a_qr_code_drawn_here(client, koordinator):
    client.force_login(koordinator)
    response = client.get(SETUP)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aktifkan verifikasi dua langkah" in page
    qr = re.search(r'<img src="(data:image/svg\+xml[^"]+)"', page).group(1)
    svg = unquote(qr.split(",", 1)[1])
    assert svg.startswith("<svg") or svg.startswith("<?xml")  # an image, not a link to a QR service
    assert all(src.startswith(("data:", "/")) for src in re.findall(r'<img src="([^"]+)"', page))  # nothing outside
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    device = TOTPDevice.objects.get(user=koordinator)
    assert not device.confirmed
    secret = re.search(r'id="kunci-rahasia">([A-Z2-7 ]+)<', page).group(1)
    assert client.get(SETUP).content.decode().count(secret) == 1  # a reload shows the same secret

    wrong = client.post(SETUP, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "Kode tidak cocok" in wrong.content.decode()
    unthrottle(device)  # a wrong code makes the next wait a second

    response = client.post(SETUP, {"code": code_for(device)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Verifikasi dua langkah aktif" in page and "Kode cadangan Anda" in page
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', page)
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert set(StaticToken.objects.filter(device__user=koordinator).values_list("token", flat=True)) == set(codes)
    assert client.get("/beranda/").status_code == 200  # this session counts as verified
    assert SignInOutcome.OTP_ENABLED in outcomes(koordinator)


def test_turning_the_second_factor_on_ends_the_other_sessions(client, koordinator, django_user_model):
    from django.test import Client

    other = Client()
    other.force_login(koordinator)
    assert other.get("/beranda/").status_code == 200
    client.force_login(koordinator)
    client.get(SETUP)
    client.post(SETUP, {"code": code_for(TOTPDevice.objects.get(user=koordinator))})
    assert client.get("/beranda/").status_code == 200
    response = other.get("/beranda/")  # the session opened before: signed out
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("persona", ["pengawas", "pemkab"])
def test_only_koordinator_admin_and_superusers_may_set_it_up(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(SETUP).status_code == 403
    assert client.post(SETUP, {"code": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert "Verifikasi dua langkah" not in client.get("/akun/").content.decode()


def test_office_admin_and_superuser_may_set_it_up(client, office_admin, db):
    client.force_login(office_admin)
    assert client.get(SETUP).status_code == 200
    client.force_login(UserFactory(username="operator", is_superuser=True, is_staff=True))
    assert client.get(SETUP).status_code == 200


# --- Signing in -----------------------------------------------------------------------------------------------


def test_signing_in_asks_for_the_code_after_the_password(client, koordinator):
    device = enrolled(koordinator)
    response = sign_in(client, "koordinator", next="/tenggat/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Ftenggat%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Verifikasi dua langkah" in page and "kode 6 angka" in page
    key_after_password = client.session.session_key

    # Nothing else is reachable before the code: every page leads to the code page.
    for url in ["/", "/beranda/", "/perkara/", "/kelola/", "/akun/", "/admin/", "/pemberitahuan/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY + "?next="), url

    wrong = client.post(VERIFY, {"code": "12345x", "next": "/tenggat/"})
    assert wrong.status_code == 400
    assert "Kode salah atau sudah dipakai" in wrong.content.decode()
    unthrottle(device)

    response = client.post(VERIFY, {"code": code_for(device), "next": "/tenggat/"})
    assert response.status_code == 302 and response["Location"] == "/tenggat/"
    assert client.session.session_key != key_after_password  # renewed once the second step is done
    assert client.get("/beranda/").status_code == 200
    assert client.get(VERIFY)["Location"] == "/"  # nothing more owed
    assert outcomes(koordinator) == [SignInOutcome.SIGNED_IN, SignInOutcome.OTP_FAILED, SignInOutcome.OTP_VERIFIED]


def test_a_code_is_accepted_once(client, koordinator):
    device = enrolled(koordinator)
    code = code_for(device)
    sign_in(client, "koordinator")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post("/akun/keluar/")
    sign_in(client, "koordinator")
    assert client.post(VERIFY, {"code": code}).status_code == 400  # the same code replayed


def test_a_backup_code_signs_in_once(client, koordinator):
    enrolled(koordinator, backup_codes=["abcd2345", "efgh6777"])
    sign_in(client, "koordinator")
    assert client.post(VERIFY, {"code": "ABCD 2345"}).status_code == 302  # spaces and capitals forgiven
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["efgh6777"]
    client.post("/akun/keluar/")
    sign_in(client, "koordinator")
    assert client.post(VERIFY, {"code": "abcd2345"}).status_code == 400
    assert "_auth_user_id" in client.session and client.get("/beranda/").status_code == 302


def test_wrong_codes_wait_longer_each_time(client, koordinator):
    device = enrolled(koordinator)
    sign_in(client, "koordinator")
    client.post(VERIFY, {"code": "000000" if code_for(device) != "000000" else "111111"})
    response = client.post(VERIFY, {"code": code_for(device)})  # the right code, too soon after a wrong one
    assert response.status_code == 400
    assert "Terlalu banyak kode salah. Tunggu sebentar" in response.content.decode()
    assert client.get("/beranda/").status_code == 302


def test_repeated_wrong_codes_lock_the_account_like_wrong_passwords(client, koordinator, settings):
    settings.AXES_FAILURE_LIMIT = 3
    device = enrolled(koordinator)
    sign_in(client, "koordinator")
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(2):
        assert client.post(VERIFY, {"code": wrong}).status_code == 400
        unthrottle(device)
    locked = client.post(VERIFY, {"code": wrong})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()
    assert "_auth_user_id" not in client.session  # the half-signed-in session is over
    assert sign_in(client, "koordinator").status_code == 429  # and the password is refused during the cool-off
    assert outcomes(koordinator) == [
        SignInOutcome.SIGNED_IN,
        SignInOutcome.OTP_FAILED,
        SignInOutcome.OTP_FAILED,
        SignInOutcome.OTP_FAILED,
        SignInOutcome.LOCKED_OUT,
        SignInOutcome.LOCKED_OUT,
    ]


def test_the_admin_site_login_also_leads_to_the_code_page(client, db):
    operator = UserFactory(username="operator", is_superuser=True, is_staff=True)
    enrolled(operator)
    response = client.post("/admin/login/?next=/admin/", {"username": "operator", "password": TEST_PASSWORD})
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_the_api_is_untouched_by_a_session_that_owes_its_code(client, koordinator, bkn_client):
    from tests.api_world import auth

    enrolled(koordinator)
    sign_in(client, "koordinator")
    assert client.get("/beranda/").status_code == 302
    response = client.get("/api/v1/referrals/", **auth(bkn_client))
    assert response.status_code == 200


def test_a_pemkab_user_with_an_earlier_device_can_still_complete_the_sign_in(client, pemkab):
    device = enrolled(pemkab)  # set up while the user was a koordinator, say
    sign_in(client, "pemkab")
    response = client.post(VERIFY, {"code": code_for(device)})  # not refused by the read-only middleware
    assert response.status_code == 302
    assert client.get("/dasbor/").status_code == 200
    assert client.post("/dasbor/").status_code == 403  # still read-only everywhere else


# --- Backup codes and turning it off ----------------------------------------------------------------------------


def test_new_backup_codes_need_the_password(client, koordinator):
    enrolled(koordinator, backup_codes=["lama2345"])
    client.force_login(koordinator)
    client.post(VERIFY, {"code": "lama2345"})
    response = client.post(BACKUP, {"password": "salah"})
    assert response.status_code == 400 and "Kata sandi salah." in response.content.decode()
    response = client.post(BACKUP, {"password": TEST_PASSWORD})
    assert response.status_code == 200
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', response.content.decode())
    assert len(codes) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)
    assert SignInOutcome.BACKUP_CODES_RENEWED in outcomes(koordinator)
    assert SignInOutcome.FAILED in outcomes(koordinator)  # the wrong password counted as a failed sign-in


def test_turning_it_off_needs_the_password(client, koordinator):
    device = enrolled(koordinator)
    sign_in(client, "koordinator")
    client.post(VERIFY, {"code": code_for(device)})
    assert "Nonaktifkan" in client.get(DISABLE).content.decode()
    assert client.post(DISABLE, {"password": "salah"}).status_code == 400
    assert TOTPDevice.objects.filter(user=koordinator).exists()
    response = client.post(DISABLE, {"password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/akun/"
    assert not TOTPDevice.objects.filter(user=koordinator).exists()
    assert not StaticDevice.objects.filter(user=koordinator).exists()
    assert client.get("/beranda/").status_code == 200
    client.post("/akun/keluar/")
    assert sign_in(client, "koordinator")["Location"] == "/"  # the password alone again
    assert SignInOutcome.OTP_DISABLED in outcomes(koordinator)


def test_the_account_page_shows_the_state_of_the_second_factor(client, koordinator):
    client.force_login(koordinator)
    page = client.get("/akun/").content.decode()
    assert "Belum aktif" in page and SETUP in page
    enrolled(koordinator, backup_codes=["satu2345", "dua22345"])
    client.force_login(koordinator)
    client.post(VERIFY, {"code": "satu2345"})
    page = client.get("/akun/").content.decode()
    assert "Aktif" in page and "Tersisa 1 kode cadangan." in page and "Buat kode cadangan baru sebelum habis." in page


# --- Offices that require it -------------------------------------------------------------------------------------


def test_an_office_may_require_the_second_factor_for_a_role(client, office_admin, pengawas, settings):
    settings.OTP_REQUIRED_FOR_ROLES = frozenset({"admin"})
    response = sign_in(client, "admin")
    assert response["Location"] == f"{SETUP}?next=%2F"
    for url in ["/", "/kelola/", "/akun/", VERIFY]:
        assert client.get(url)["Location"].startswith(SETUP + "?next="), url
    page = client.get(SETUP).content.decode()
    assert "Kantor Anda mewajibkan verifikasi dua langkah" in page
    device = TOTPDevice.objects.get(user=office_admin)
    client.post(SETUP, {"code": code_for(device)})
    assert client.get("/kelola/").status_code == 200

    # Turning it off sends the admin straight back to set it up again (a new phone).
    response = client.post(DISABLE, {"password": TEST_PASSWORD})
    assert response["Location"] == SETUP
    assert client.get("/kelola/")["Location"].startswith(SETUP)

    client.post("/akun/keluar/")
    assert sign_in(client, "pengawas")["Location"] == "/"  # other roles are not concerned


def test_the_required_roles_must_be_roles_that_can_use_it():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "netralitas.settings",
            "NETRALITAS_IGNORE_DOTENV": "1",
            "DEBUG": "true",
            "OTP_REQUIRED_FOR_ROLES": "admin,pemkab",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "OTP_REQUIRED_FOR_ROLES" in result.stderr


def test_demo_style_accounts_without_a_device_sign_in_with_the_password_alone(client, koordinator, office_admin):
    assert sign_in(client, "koordinator")["Location"] == "/"
    assert client.get("/beranda/").status_code == 200
    assert "netralitas_second_factor" not in client.session


def test_the_code_page_shows_no_menu_and_htmx_requests_are_sent_there_whole(client, koordinator):
    enrolled(koordinator)
    sign_in(client, "koordinator")
    page = client.get(VERIFY).content.decode()
    assert "/pemberitahuan/jumlah/" not in page and "Akun saya" not in page  # nothing that would not open
    response = client.get("/pemberitahuan/jumlah/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(VERIFY + "?next=")
