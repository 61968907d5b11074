"""The second factor: an authenticator app (TOTP, RFC 6238) and one-time backup codes, through django-otp.

Who may use it: koordinator, admin (in some office) and superusers. Who must: the roles in
``settings.OTP_REQUIRED_FOR_ROLES``. The session says what it still owes: at sign-in ``mark_session`` writes
"verify" (the user has a device: the code page before anything else) or "enrol" (the user must set one up
first) into the session, and ``SecondFactorMiddleware`` keeps such a session on those pages until the step is
done. Sessions of users without a device carry nothing and cost no query.
"""

from __future__ import annotations

import base64
import time

import segno
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.db.models import F
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from netralitas.accounts.audit import record_sign_in_event
from netralitas.accounts.models import SignInOutcome, User
from netralitas.accounts.roles import SECOND_FACTOR
from netralitas.accounts.scope import has_role, roles_of

PENDING_SESSION_KEY = "netralitas_second_factor"
VERIFY = "verify"
ENROL = "enrol"
TOTP_NAME = "Aplikasi autentikator"
BACKUP_NAME = "Kode cadangan"


def may_use(user: User) -> bool:
    """Koordinator, admin and superusers may turn the second factor on."""
    return user.is_authenticated and (user.is_superuser or has_role(user, SECOND_FACTOR))


def is_required(user: User) -> bool:
    """Whether an office setting obliges this user to have the second factor."""
    required = settings.OTP_REQUIRED_FOR_ROLES
    if not required or not user.is_authenticated:
        return False
    if user.is_superuser and "superuser" in required:
        return True
    return bool(roles_of(user) & (required & SECOND_FACTOR))


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def mark_session(request, user: User) -> None:
    """At sign-in (password accepted): note in the session whether a code is owed, or a device to set up."""
    if is_enrolled(user):
        request.session[PENDING_SESSION_KEY] = VERIFY
    elif is_required(user):
        request.session[PENDING_SESSION_KEY] = ENROL
    else:
        request.session.pop(PENDING_SESSION_KEY, None)


def on_logged_in(sender, request, user, **kwargs):
    """Every sign-in (the password accepted): the session notes what it owes, and when it was last used (for
    the idle timeout, so that its first request need not write the session)."""
    from netralitas.accounts.middleware import IdleSessionMiddleware

    if request is None or not hasattr(request, "session"):
        return
    request.session[IdleSessionMiddleware.SESSION_KEY] = int(time.time())
    mark_session(request, user)


def pending(request) -> str | None:
    session = getattr(request, "session", None)
    return session.get(PENDING_SESSION_KEY) if session is not None else None


# --- Enrolment ------------------------------------------------------------------------------------------


def unconfirmed_totp(*, user: User) -> TOTPDevice:
    """The device being set up: the same secret until it is confirmed (reloading the page does not change the
    QR code the person may already have scanned)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI, drawn here (no outside service sees the
    secret); the Content-Security-Policy's img-src allows data: images."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps where the person types it instead of scanning."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.OTP_BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _end_other_sessions(request, user: User) -> None:
    """Raise the session generation: every other session of the user ends; this one goes on."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    update_session_auth_hash(request, user)


def enrol_confirm(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a code from the app. On success: the device is confirmed, ten backup codes are
    made (returned, to be shown once), this session counts as verified, the user's other sessions end."""
    user = request.user
    if not device.verify_token(code.strip().replace(" ", "")):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_backup_codes(user)
        record_sign_in_event(request=request, outcome=SignInOutcome.OTP_ENABLED, user=user)
    _end_other_sessions(request, user)
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)
    return codes


def backup_codes_renew(*, request) -> list[str]:
    user = request.user
    with transaction.atomic():
        codes = _new_backup_codes(user)
        record_sign_in_event(request=request, outcome=SignInOutcome.BACKUP_CODES_RENEWED, user=user)
    _end_other_sessions(request, user)
    return codes


def disable(*, request) -> None:
    """Remove the app and the backup codes. Where the office requires the second factor, the person is sent to
    set it up again at once (a lost phone: sign in with a backup code, turn off, set up the new phone)."""
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record_sign_in_event(request=request, outcome=SignInOutcome.OTP_DISABLED, user=user)
    _end_other_sessions(request, user)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    if is_required(user):
        request.session[PENDING_SESSION_KEY] = ENROL
    else:
        request.session.pop(PENDING_SESSION_KEY, None)


# --- Verification at sign-in ----------------------------------------------------------------------------


class Throttled(Exception):
    """Too many wrong codes in a row: the next try is allowed at ``until``."""

    def __init__(self, until):
        super().__init__(until)
        self.until = until


def verify(*, request, code: str) -> bool:
    """Check a 6-digit code from the app, or a backup code (used once). django-otp makes each wrong code wait
    longer (1, 2, 4 ... seconds) and raises ``Throttled`` while a wait lasts. On success this session is
    verified and its key renewed."""
    user = request.user
    code = code.strip().replace(" ", "").replace("-", "")
    if code.isdigit() and len(code) == 6:  # the app's code; backup codes have 8 letters and digits
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
        code = code.lower()
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed:
            raise Throttled(data.get("locked_until") if data else None)
    for device in devices:
        if device.verify_token(code):
            request.session.cycle_key()
            otp_login(request, device)
            request.session.pop(PENDING_SESSION_KEY, None)
            record_sign_in_event(request=request, outcome=SignInOutcome.OTP_VERIFIED, user=user)
            return True
    record_sign_in_event(request=request, outcome=SignInOutcome.OTP_FAILED, user=user)
    return False
