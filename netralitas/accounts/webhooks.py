"""The webhook address and secret of an API client: the address is checked here (by the model field, the admin's
form and again before every delivery), the secret is made here.

The secret signs every event (HMAC-SHA256), so the system must be able to read it when it sends: it is stored
as it is, not hashed like an API token. It is shown once, when it is made (the admin's message), and never on a
page again; the admin shows its first characters only, to tell one secret from the next.
"""

from __future__ import annotations

import ipaddress
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

SECRET_PREFIX = "whsec_"
DISPLAY_PREFIX_LENGTH = 10  # "whsec_" and 4 characters of the secret
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_webhook_url(value: str) -> None:
    """An address the system may post events to: ``https://`` with a host, no user or password in it (it would
    end up in logs). Plain ``http://`` only to this machine (localhost, 127.0.0.1, ::1), and only where
    ``settings.WEBHOOK_HTTP_LOOPBACK`` allows it (development and the test suite), never in production."""
    if not value:
        return
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError as exc:
        raise ValidationError(_("Alamat webhook tidak valid."), code="invalid") from exc
    if not host or parts.username or parts.password or parts.fragment:
        raise ValidationError(
            _("Alamat webhook harus berupa alamat lengkap tanpa nama pengguna, kata sandi, atau #bagian."),
            code="invalid",
        )
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and _is_loopback(host) and settings.WEBHOOK_HTTP_LOOPBACK:
        return
    raise ValidationError(
        _("Alamat webhook harus memakai https:// (http:// hanya untuk localhost saat pengembangan)."), code="scheme"
    )


def new_webhook_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def secret_hint(secret: str) -> str:
    return f"{secret[:DISPLAY_PREFIX_LENGTH]}…" if secret else ""


@transaction.atomic
def webhook_secret_renew(*, client) -> str:
    """Give ``client`` a new webhook secret and return it (to be shown once). Events not yet delivered are
    signed with the new secret when they go out."""
    from netralitas.accounts.models import ApiClient

    if not isinstance(client, ApiClient) or client.pk is None:
        raise ValueError("a saved API client is required")
    secret = new_webhook_secret()
    ApiClient.objects.filter(pk=client.pk).update(webhook_secret=secret)
    client.webhook_secret = secret
    return secret
