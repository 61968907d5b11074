"""Account security: the login lockout and its cool-off, session expiry (idle and absolute), the session key
renewed at sign-in and cleared at sign-out, and the password rules, all in Indonesian."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.utils import timezone

from netralitas.accounts.middleware import IdleSessionMiddleware
from netralitas.accounts.models import SignInEvent, SignInOutcome
from tests.factories import TEST_PASSWORD

LOGIN = "/akun/masuk/"
FROZEN = datetime(2024, 10, 21, 2, 0, tzinfo=UTC)  # 09.00 WIB


def sign_in(client, username, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def outcomes(username):
    return list(SignInEvent.objects.filter(username=username).order_by("at", "pk").values_list("outcome", flat=True))


# --- Lockout ------------------------------------------------------------------------------------------------


def test_the_nth_wrong_password_locks_refuses_the_right_one_and_clears_after_the_cool_off(client, pengawas, settings):
    settings.AXES_FAILURE_LIMIT = 3
    assert sign_in(client, "pengawas", "tebakan-1").status_code == 200
    assert sign_in(client, "pengawas", "tebakan-2").status_code == 200
    locked = sign_in(client, "pengawas", "tebakan-3")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Terlalu banyak percobaan masuk" in page and "salah 3 kali" in page and "15 menit" in page

    refused = sign_in(client, "pengawas")  # the right password, while locked
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session

    # The cool-off passes (the attempts are dated back beyond it): the right password works again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    response = sign_in(client, "pengawas")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(pengawas.pk)

    assert outcomes("pengawas") == [
        SignInOutcome.FAILED,
        SignInOutcome.FAILED,
        SignInOutcome.LOCKED_OUT,
        SignInOutcome.LOCKED_OUT,
        SignInOutcome.SIGNED_IN,
    ]


def test_a_locked_username_from_one_address_is_not_locked_from_another(client, pengawas, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(LOGIN, {"username": "pengawas", "password": "x"}, REMOTE_ADDR="203.0.113.9")
    assert (
        client.post(LOGIN, {"username": "pengawas", "password": TEST_PASSWORD}, REMOTE_ADDR="203.0.113.9").status_code
        == 429
    )
    assert (
        client.post(LOGIN, {"username": "pengawas", "password": TEST_PASSWORD}, REMOTE_ADDR="198.51.100.7").status_code
        == 302
    )


# --- Sessions ------------------------------------------------------------------------------------------------


def test_signing_in_renews_the_session_key_and_signing_out_deletes_the_session(client, pengawas):
    session = client.session
    session["sebelum"] = "ada"
    session.save()
    before = session.session_key
    assert sign_in(client, "pengawas").status_code == 302
    after = client.session.session_key
    assert after != before  # a session id planted before sign-in is worthless after it
    assert not Session.objects.filter(session_key=before).exists()

    assert client.post("/akun/keluar/").status_code == 302
    assert not Session.objects.filter(session_key=after).exists()
    assert client.get("/beranda/").status_code == 302
    assert outcomes("pengawas") == [SignInOutcome.SIGNED_IN, SignInOutcome.SIGNED_OUT]


def test_sessions_last_eight_hours_at_most(client, pengawas, settings, time_machine):
    time_machine.move_to(FROZEN, tick=False)
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    sign_in(client, "pengawas")
    expires = Session.objects.get(session_key=client.session.session_key).expire_date
    assert expires == FROZEN + timedelta(hours=8)


def _idle_for(client, seconds):
    session = client.session
    session[IdleSessionMiddleware.SESSION_KEY] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_ends_and_the_person_returns_to_the_page_after_signing_in(client, pengawas, settings):
    settings.SESSION_IDLE_MINUTES = 30
    assert sign_in(client, "pengawas").status_code == 302
    _idle_for(client, 29 * 60)
    assert client.get("/beranda/").status_code == 200  # within the limit: still signed in

    _idle_for(client, 31 * 60)
    response = client.get("/tenggat/?stage=kajian")
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=/tenggat/%3Fstage%3Dkajian"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "Sesi Anda berakhir karena tidak ada aktivitas selama 30 menit. Silakan masuk lagi." in login_page
    assert 'name="next" value="/tenggat/?stage=kajian"' in login_page

    response = sign_in(client, "pengawas", next="/tenggat/?stage=kajian")
    assert response["Location"] == "/tenggat/?stage=kajian"
    assert outcomes("pengawas") == [SignInOutcome.SIGNED_IN, SignInOutcome.IDLE_TIMEOUT, SignInOutcome.SIGNED_IN]


def test_an_idle_htmx_request_sends_the_whole_page_to_the_login(client, pengawas, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(pengawas)
    _idle_for(client, 31 * 60)
    response = client.get("/tenggat/", {"stage": "kajian"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(LOGIN + "?next=")


def test_an_idle_form_post_returns_to_the_page_it_was_sent_from(client, pengawas, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(pengawas)
    _idle_for(client, 31 * 60)
    response = client.post("/akun/sandi/", {}, headers={"Referer": "http://testserver/akun/sandi/"})
    assert response["Location"] == "/akun/masuk/?next=http%3A//testserver/akun/sandi/"
    response = client.post("/akun/sandi/", {}, headers={"Referer": "https://elsewhere.example/"})
    assert response["Location"].startswith(LOGIN)


def test_activity_keeps_the_session_and_the_last_request_is_written_once_a_minute(
    client, pengawas, settings, time_machine
):
    time_machine.move_to(FROZEN, tick=False)
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(pengawas)
    stamp = client.session[IdleSessionMiddleware.SESSION_KEY]  # written at sign-in
    assert stamp == int(FROZEN.timestamp())
    time_machine.shift(timedelta(seconds=50))
    client.get("/beranda/")
    assert client.session[IdleSessionMiddleware.SESSION_KEY] == stamp  # not rewritten within the minute
    time_machine.shift(timedelta(minutes=20))
    client.get("/beranda/")
    assert client.session[IdleSessionMiddleware.SESSION_KEY] == int(FROZEN.timestamp()) + 50 + 20 * 60  # moved forward


def test_idle_timeout_zero_means_no_idle_limit(client, pengawas, settings):
    settings.SESSION_IDLE_MINUTES = 0
    client.force_login(pengawas)
    _idle_for(client, 7 * 60 * 60)
    assert client.get("/beranda/").status_code == 200


# --- Password rules -----------------------------------------------------------------------------------------


def test_the_password_form_lists_the_rules_in_indonesian(client, pengawas):
    client.force_login(pengawas)
    page = client.get("/akun/sandi/").content.decode()
    assert "setidaknya 10 karakter" in page
    assert "sandi umum" in page and "numerik" in page and "mirip" in page


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Kahayan1", "Kata sandi terlalu pendek. Harus mengandung setidaknya 10 karakter."),
        ("qwertyuiop", "Kata sandi ini terlalu umum."),
        ("8472916305", "Kata sandi ini seluruhnya terdiri dari angka."),
        ("pengawas-gm", "terlalu mirip dengan nama pengguna"),
        ("Rina Lestari Tingang", "terlalu mirip dengan nama lengkap"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(client, pengawas, password, message):
    pengawas.full_name = "Rina Lestari Tingang"
    pengawas.save()
    client.force_login(pengawas)
    response = client.post(
        "/akun/sandi/", {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    pengawas.refresh_from_db()
    assert pengawas.check_password(TEST_PASSWORD)


def test_the_minimum_length_follows_the_setting(settings):
    from django.contrib.auth.password_validation import get_default_password_validators

    lengths = [v.min_length for v in get_default_password_validators() if hasattr(v, "min_length")]
    assert lengths == [settings.PASSWORD_MIN_LENGTH] and settings.PASSWORD_MIN_LENGTH >= 10
