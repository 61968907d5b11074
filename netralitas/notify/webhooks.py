"""Posting one webhook event: the body signed with the client's secret, sent with a short timeout.

The receiver checks ``X-Netralitas-Signature: sha256=<hex>``, the HMAC-SHA256 with its secret of
``"<X-Netralitas-Timestamp>.<raw body>"`` (docs/api.md, Webhook). A 2xx answer is a delivery. What another
attempt may change is retried by the outbox with its back-off: no answer (refused, reset, timed out), 408, 429
and 5xx. What it will not is a permanent failure, shown on the outbox page to be sent again once mended: any
other 4xx (the receiver refuses this request as it is: a wrong path, a rejected signature), a redirect (the
address to register is the final one; a signed POST is not followed elsewhere), an address no longer allowed.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.error
import urllib.request

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError

from netralitas.accounts.webhooks import validate_webhook_url

USER_AGENT = "Netralitas-Webhook/1"
RETRIED_STATUSES = frozenset({408, 429})


class WebhookRefused(Exception):
    """The receiver answered, but not with a 2xx."""

    def __init__(self, status: int, reason: str = ""):
        super().__init__(f"HTTP {status} {reason}".strip())
        self.status = status

    @property
    def permanent(self) -> bool:
        return self.status < 500 and self.status not in RETRIED_STATUSES


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx is raised as an HTTPError, a permanent refusal


_opener = urllib.request.build_opener(_NoRedirect)


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def encode(payload: dict) -> bytes:
    return orjson.dumps(payload)


def post(*, url: str, secret: str, event_id: str, body: bytes, timeout: float | None = None) -> int:
    """Post one signed event to ``url``; returns the 2xx status. Raises ``WebhookRefused`` for another answer,
    ``OSError`` (``urllib.error.URLError``, ``TimeoutError``) when there is none, ``ValueError`` for an address
    that is not allowed (any more) or a client without a secret."""
    try:  # the stored address is checked again: the rule may have been tightened since it was saved
        validate_webhook_url(url)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None
    if not url or not secret:
        raise ValueError("the client has no webhook address or secret")
    timestamp = int(time.time())
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Netralitas-Event-Id": event_id,
            "X-Netralitas-Timestamp": str(timestamp),
            "X-Netralitas-Signature": sign(secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=timeout or settings.WEBHOOK_TIMEOUT) as response:
            response.read(1024)  # the answer is not used; read a little so the connection closes cleanly
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        raise WebhookRefused(exc.code, str(exc.reason or "")) from None
