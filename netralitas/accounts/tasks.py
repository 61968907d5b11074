"""Housekeeping run by Celery beat (schedules in django-celery-beat, editable in the admin)."""

import logging

from axes.models import AccessAttempt
from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="accounts.purge_expired")
def purge_expired() -> dict:
    """Delete expired sessions and login-failure records older than the lockout cool-off (they no longer
    lock anyone out). Set-based: two DELETE statements whatever the table sizes."""
    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=now - settings.AXES_COOLOFF_TIME).delete()
    result = {"sessions": sessions, "login_attempts": attempts}
    logger.info("purged expired sessions and login attempts", extra=result)
    return result
