"""Writes of the accounts app that no page makes: the nightly housekeeping."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction

from netralitas.accounts.models import ApiRequestLog, IdempotencyKey, SignInEvent

logger = logging.getLogger(__name__)


@transaction.atomic
def purge_expired(*, now: datetime) -> dict:
    """Delete expired sessions, login-failure records older than the lockout cool-off (they no longer lock
    anyone out), API request log rows older than ``API_LOG_DAYS`` and idempotency keys older than
    ``IDEMPOTENCY_KEY_DAYS`` (a client retries within hours), and sign-in activity older than ``SIGN_IN_LOG_DAYS``.
    Set-based: five DELETE statements whatever the table sizes."""
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=now - settings.AXES_COOLOFF_TIME).delete()
    api_log, _ = ApiRequestLog.objects.filter(at__lt=now - timedelta(days=settings.API_LOG_DAYS)).delete()
    keys, _ = IdempotencyKey.objects.filter(created_at__lt=now - timedelta(days=settings.IDEMPOTENCY_KEY_DAYS)).delete()
    sign_ins, _ = SignInEvent.objects.filter(at__lt=now - timedelta(days=settings.SIGN_IN_LOG_DAYS)).delete()
    result = {
        "sessions": sessions,
        "login_attempts": attempts,
        "api_requests": api_log,
        "idempotency_keys": keys,
        "sign_in_events": sign_ins,
    }
    logger.info("purged expired sessions and login attempts", extra=result)
    return result
