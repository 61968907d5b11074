"""The nightly housekeeping task and its beat schedule."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from netralitas.accounts.models import SignInEvent, SignInOutcome
from netralitas.accounts.tasks import purge_expired


def test_purge_removes_expired_sessions_and_old_login_failures(db, settings):
    old_sign_in = SignInEvent.objects.create(username="lama", outcome=SignInOutcome.SIGNED_IN)
    SignInEvent.objects.filter(pk=old_sign_in.pk).update(
        at=timezone.now() - timedelta(days=settings.SIGN_IN_LOG_DAYS, minutes=1)
    )
    kept_sign_in = SignInEvent.objects.create(username="baru", outcome=SignInOutcome.FAILED)
    live = SessionStore()
    live.create()
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    old = AccessAttempt.objects.create(
        username="x", ip_address="10.0.0.1", user_agent="", failures_since_start=3, get_data="", post_data=""
    )
    AccessAttempt.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    recent = AccessAttempt.objects.create(
        username="y", ip_address="10.0.0.2", user_agent="", failures_since_start=1, get_data="", post_data=""
    )

    assert purge_expired.apply().get() == {
        "sessions": 1,
        "login_attempts": 1,
        "api_requests": 0,
        "idempotency_keys": 0,
        "sign_in_events": 1,
    }
    assert list(SignInEvent.objects.values_list("pk", flat=True)) == [kept_sign_in.pk]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]


def test_housekeeping_is_scheduled_nightly_in_jakarta_time(db):
    task = PeriodicTask.objects.get(task="accounts.purge_expired")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("2", "30", "Asia/Jakarta")


def test_reminder_sweeps_and_dispatch_are_scheduled_and_every_scheduled_task_exists(db):
    from netralitas.celery import app

    app.loader.import_default_modules()
    scheduled = {t.task: t for t in PeriodicTask.objects.select_related("interval")}
    every = {name: (t.interval.every, t.interval.period) for name, t in scheduled.items() if t.interval}
    assert every == {
        "notify.dispatch_pending": (1, "minutes"),
        "cases.sweep_case_deadlines": (10, "minutes"),
        "cases.sweep_referral_clocks": (10, "minutes"),
        "outreach.sweep_upcoming": (5, "minutes"),
        "outreach.sweep_minutes": (60, "minutes"),
        "cases.verify_evidence_files": (15, "minutes"),  # a slice of the evidence files against their SHA-256
    }
    assert all(t.enabled for t in scheduled.values())
    assert set(scheduled) <= set(app.tasks)  # a schedule never names a task that does not exist


def test_old_api_log_rows_and_idempotency_keys_are_purged(institutions, settings):
    from netralitas.accounts.models import ApiRequestLog, IdempotencyKey
    from tests.api_world import make_client

    client = make_client(institutions.bkn)
    now = timezone.now()
    _old_log, new_log = (
        ApiRequestLog.objects.create(client=client, method="GET", path="/", status=200, duration_ms=1, at=at)
        for at in (now - timedelta(days=settings.API_LOG_DAYS + 1), now - timedelta(days=1))
    )
    old_key, new_key = (
        IdempotencyKey.objects.create(client=client, key=k, endpoint="x", request_hash="h") for k in "ab"
    )
    IdempotencyKey.objects.filter(pk=old_key.pk).update(
        created_at=now - timedelta(days=settings.IDEMPOTENCY_KEY_DAYS + 1)
    )
    result = purge_expired.apply().get()
    assert (result["api_requests"], result["idempotency_keys"]) == (1, 1)
    assert list(ApiRequestLog.objects.values_list("pk", flat=True)) == [new_log.pk]
    assert list(IdempotencyKey.objects.values_list("pk", flat=True)) == [new_key.pk]
