"""The base of every API view: the request log and ETags."""

from __future__ import annotations

import logging
import time

from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import conditional_page
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


class ApiView(APIView):
    """Logs every request of a known client. A GET answered with a body (not a streamed file) carries an ETag,
    the hash of that body, so any change to anything shown changes it; a GET whose ``If-None-Match`` names it
    is answered 304 without the body (Django's ``conditional_page``, its ConditionalGetMiddleware for one view,
    run once DRF has rendered the body)."""

    @classmethod
    def as_view(cls, **initkwargs):
        return conditional_page(super().as_view(**initkwargs))

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
        patch_vary_headers(response, ["Authorization"])  # one answer per client, for caches on the way
        return response
