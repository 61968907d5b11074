"""Celery tasks of the outbox: thin, by id, retried with backoff. Schedules live in django-celery-beat."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import Retry

from netralitas.notify import services

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="notify.deliver", acks_late=True, reject_on_worker_lost=True, max_retries=None)
def deliver(self, notification_id: int) -> str:
    """Send one e-mail notification. acks_late: a worker killed mid-send leaves the message on the broker
    and another worker takes it; the row's compare-and-set makes sure only one of them sends."""
    try:
        return services.deliver(notification_id)
    except services.RetryLater as later:
        try:
            raise self.retry(countdown=later.seconds, exc=later)
        except Retry:
            raise
        except Exception as exc:  # the broker went away too: the outbox dispatch will hand it over again
            logger.warning("could not schedule the retry of notification %s: %s", notification_id, exc)
            return "waiting"


@shared_task(name="notify.dispatch_pending")
def dispatch_pending() -> int:
    """Hand waiting e-mail to the workers: rows written while the broker was down, rows whose retry time
    came, rows a dead worker left behind, rows a large sweep wrote. Run every minute by beat; a full batch
    asks for the next one at once."""
    handed = services.dispatch_pending()
    if handed >= services.DISPATCH_BATCH:
        services.request_dispatch()
    return handed
