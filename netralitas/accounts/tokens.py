"""API tokens: made, checked and revoked here. A token is ``ntr_`` and 43 random URL-safe characters; the
database keeps its SHA-256 only, so a stolen database does not hand out working tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.accounts.models import ApiClient, ApiScope, ApiToken

TOKEN_PREFIX = "ntr_"
DISPLAY_PREFIX_LENGTH = 12  # "ntr_" and 8 characters of the secret: enough to tell tokens apart


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def api_token_create(
    *,
    client: ApiClient,
    scope: str = ApiScope.READ,
    expires_at: datetime | None = None,
    label: str = "",
    secret: str | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``client``: the row and the token itself, which is never stored and cannot be shown
    again. ``secret`` is for the demo data only (a token the README can print)."""
    if scope not in ApiScope.values:
        raise ValueError(f"unknown scope {scope!r}")
    token = secret or new_secret()
    expires_at = expires_at or timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
    row = ApiToken.objects.create(
        client=client,
        label=label,
        prefix=token[:DISPLAY_PREFIX_LENGTH],
        key_hash=hash_token(token),
        scope=scope,
        expires_at=expires_at,
    )
    return row, token


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


class TokenRefused(Exception):
    """Why a presented token does not open the API (the message is shown to the client)."""


def api_token_check(token: str, *, now: datetime | None = None) -> ApiToken:
    """The token row for a presented token, with its client; raises ``TokenRefused`` with the reason. One query."""
    if not token or not token.startswith(TOKEN_PREFIX):
        raise TokenRefused(_("Token tidak dikenal."))
    row = (
        ApiToken.objects.select_related("client__institution", "client__office__region")
        .filter(key_hash=hash_token(token))
        .first()
    )
    if row is None:
        raise TokenRefused(_("Token tidak dikenal."))
    now = now or timezone.now()
    if row.revoked_at is not None:
        raise TokenRefused(_("Token sudah dicabut."))
    if row.expires_at <= now:
        raise TokenRefused(_("Token sudah kedaluwarsa."))
    if not row.client.is_active:
        raise TokenRefused(_("Klien API ini dinonaktifkan."))
    return row
