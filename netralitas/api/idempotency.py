"""``Idempotency-Key``: a client that retries a write (a timeout, a lost answer) sends the same key and gets
the answer of the first attempt, and the write happens once.

The key is inserted first, in the write's own transaction: a second request with the same key waits on the
unique index until the first commits, then finds the stored answer and replays it. A key reused for a
different request (another endpoint or body) is refused with 422."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from netralitas.accounts.models import IdempotencyKey
from netralitas.api.exceptions import Unprocessable, exception_handler

HEADER = "Idempotency-Key"
MAX_LENGTH = 200


def _fingerprint(endpoint: str, data) -> str:
    body = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, default=str)
    return hashlib.sha256(f"{endpoint}\n{body}".encode()).hexdigest()


def idempotent(request, endpoint: str, run: Callable[[], Response]) -> Response:
    """Run ``run`` (which returns a Response or raises an API exception) once per client and key."""
    key = request.headers.get(HEADER, "")
    if not key:
        return run()
    if len(key) > MAX_LENGTH or not key.isprintable():
        raise exceptions.ValidationError(
            {HEADER: [_("Idempotency-Key paling panjang 200 karakter yang dapat dicetak.")]}
        )
    fingerprint = _fingerprint(endpoint, request.data)
    client = request.user
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(client=client, key=key, endpoint=endpoint, request_hash=fingerprint)
        except IntegrityError:
            stored = IdempotencyKey.objects.get(client=client, key=key)
            if stored.request_hash != fingerprint:
                raise Unprocessable(
                    _(
                        "Idempotency-Key ini sudah dipakai untuk permintaan lain; pakai kunci baru untuk permintaan baru."
                    )
                ) from None
            response = Response(stored.response, status=stored.status)
            response["Idempotent-Replayed"] = "true"
            return response
        try:
            response = run()
        except exceptions.APIException as exc:
            if isinstance(exc, exceptions.Throttled):
                raise
            response = exception_handler(exc, {"request": request})
        if response.status_code >= 500:
            transaction.set_rollback(True)
            return response
        row.status = response.status_code
        row.response = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
        row.save(update_fields=["status", "response"])
    return response
