"""Housekeeping run by Celery beat (schedules in django-celery-beat, editable in the admin)."""

from celery import shared_task
from django.utils import timezone

from netralitas.accounts import services


@shared_task(name="accounts.purge_expired")
def purge_expired() -> dict:
    """The nightly purge of expired sessions, lock-out records, API log rows, idempotency keys and sign-in
    activity (``services.purge_expired``)."""
    return services.purge_expired(now=timezone.now())
