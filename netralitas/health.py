"""``/healthz``: is the database answering, is the broker reachable?

200 while the database answers (the broker being down degrades reminders, not the application: the
outbox waits in the database), 503 when the database does not. No login; it says nothing secret.
"""

import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("health: database unreachable", extra={"error": str(exc)})
        return {"ok": False, "error": _first_line(exc)}
    return {"ok": True, "latency_ms": _elapsed_ms(started)}


def check_broker() -> dict:
    url = settings.CELERY_BROKER_URL
    transport = url.split("://", 1)[0]
    started = time.monotonic()
    if transport == "filesystem":
        # kombu "connects" to any folder, even a missing one: check the queue folder itself.
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", ""))
        if not (folder.is_dir() and os.access(folder, os.W_OK)):
            return {"ok": False, "transport": transport, "error": f"queue folder {folder} missing or not writable"}
        return {"ok": True, "transport": transport, "latency_ms": _elapsed_ms(started)}
    try:
        with Connection(
            url,
            connect_timeout=settings.HEALTH_BROKER_TIMEOUT,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.HEALTH_BROKER_TIMEOUT)
            if transport.startswith("redis"):
                conn.default_channel.client.ping()
    except Exception as exc:  # any failure of any transport means "not reachable"
        logger.warning("health: broker unreachable", extra={"transport": transport, "error": str(exc)})
        return {"ok": False, "transport": transport, "error": _first_line(exc)}
    return {"ok": True, "transport": transport, "latency_ms": _elapsed_ms(started)}


@never_cache
@require_GET
def healthz(request):
    database = check_database()
    broker = check_broker()
    body = {
        "status": "ok" if database["ok"] and broker["ok"] else ("degraded" if database["ok"] else "down"),
        "database": database,
        "broker": broker,
    }
    return JsonResponse(body, status=200 if database["ok"] else 503)


def _elapsed_ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text.splitlines()[0][:200]
