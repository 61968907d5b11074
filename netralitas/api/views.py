"""The base of every API view: the request log and ETags."""

from __future__ import annotations

import hashlib
import logging
import time

from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from rest_framework.views import APIView

from netralitas.accounts.models import ApiRequestLog

logger = logging.getLogger(__name__)


def log_request(request, status: int, started: float) -> None:
    """One INSERT for a request whose client is known (a valid token); nothing for anonymous ones."""
    token = getattr(request, "api_token", None)
    if token is None:
        return
    ApiRequestLog.objects.create(
        client_id=token.client_id,
        token=token,
        method=request.method[:8],
        path=request.get_full_path()[:300],
        status=status,
        duration_ms=int((time.monotonic() - started) * 1000),
        at=timezone.now(),
    )


def etag_matches(header: str, etag: str) -> bool:
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


class ApiView(APIView):
    """Logs every request of a known client; answers 304 to a GET whose ``If-None-Match`` names the ETag of
    what it would send (the hash of the body, so any change to anything shown changes it)."""

    etag = True

    def dispatch(self, request, *args, **kwargs):
        started = time.monotonic()
        try:
            response = super().dispatch(request, *args, **kwargs)
        except Exception:
            log_request(request, 500, started)
            raise
        log_request(request, response.status_code, started)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not (self.etag and request.method in ("GET", "HEAD") and response.status_code == 200):
            return response
        if response.streaming or not hasattr(response, "render"):
            return response
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
        response["ETag"] = etag
        patch_vary_headers(response, ["Authorization"])
        if etag_matches(request.headers.get("If-None-Match", ""), etag):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            patch_vary_headers(not_modified, ["Authorization"])
            return not_modified
        return response
