"""Delivery of the outbox: once and only once, retried with backoff on transient failures, failed for good
(and shown) on permanent ones or after the last attempt, recovered after a worker died mid-send, and waiting
in the database while the broker is down."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from netralitas.notify import services
from netralitas.notify.models import Channel, Notification, Status
from netralitas.notify.services import Message, queue
from tests.mail_backends import FailingBackend


@pytest.fixture(autouse=True)
def failing_backend(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.FailingBackend"
    FailingBackend.error = None
    yield
    FailingBackend.error = None


@pytest.fixture
def dead_broker(monkeypatch):
    from tests.conftest import point_broker_at

    point_broker_at(monkeypatch, "redis://127.0.0.1:1/0")  # nothing listens on port 1


def message(users=(), emails=(), key="uji:1", office=None):
    return Message(
        template="case_deadline",
        key=key,
        context={
            "stage": "review",
            "when": "today",
            "due": "2024-10-17",
            "days_late": 0,
            "number": "",
            "title": "Uji",
            "office": "Bawaslu",
        },
        users=[u.pk for u in users],
        emails=emails,
        url="/perkara/",
        office_id=office.pk if office else None,
    )


def email_row(user):
    return Notification.objects.get(recipient=user, channel=Channel.EMAIL)


def test_queue_writes_inbox_rows_delivered_and_email_rows_waiting(pengawas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = queue([message([pengawas], emails=["Pejabat@Pemkab.test "])])
    assert result.created == 3
    inbox = Notification.objects.get(channel=Channel.INBOX)
    assert inbox.status == Status.SENT and inbox.sent_at is not None
    assert sorted(Notification.objects.filter(channel=Channel.EMAIL).values_list("status", "email")) == [
        ("pending", ""),
        ("pending", "pejabat@pemkab.test"),
    ]
    assert len(callbacks) == 1  # handed to the broker only after the transaction commits
    assert len(result.email_ids) == 2


def test_email_is_sent_once_with_a_stable_message_id(pengawas):
    queue([message([pengawas])])
    row = email_row(pengawas)
    assert services.deliver(row.pk) == "sent"
    assert services.deliver(row.pk) == "skipped"  # a second message for the same row, e.g. redelivered
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [pengawas.email]
    assert sent.extra_headers["Message-ID"] == f"<{row.code}@127.0.0.1>"
    assert "Hari ini batas kajian awal" in sent.subject
    assert "/perkara/" in sent.body and sent.alternatives[0][1] == "text/html"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.lease_until) == (Status.SENT, 1, None)


def test_a_transient_mail_failure_is_retried_with_backoff(pengawas):
    queue([message([pengawas])])
    row = email_row(pengawas)
    FailingBackend.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    now = timezone.now()
    with pytest.raises(services.RetryLater) as later:
        services.deliver(row.pk, now=now)
    assert later.value.seconds == 60
    row.refresh_from_db()
    assert row.status == Status.PENDING and row.attempts == 1
    assert "SMTPServerDisconnected" in row.last_error
    assert row.next_attempt_at == now + timedelta(seconds=60)
    assert services.deliver(row.pk, now=now + timedelta(seconds=30)) == "skipped"  # not yet
    with pytest.raises(services.RetryLater) as later:
        services.deliver(row.pk, now=now + timedelta(seconds=61))
    assert later.value.seconds == 120  # backoff doubles
    FailingBackend.error = None
    assert services.deliver(row.pk, now=now + timedelta(seconds=200)) == "sent"
    assert len(mail.outbox) == 1


def test_a_mail_server_down_for_good_fails_after_the_last_attempt(pengawas, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    queue([message([pengawas])])
    row = email_row(pengawas)
    FailingBackend.error = ConnectionRefusedError(111, "Connection refused")
    moment = timezone.now()
    for _ in range(2):
        with pytest.raises(services.RetryLater):
            services.deliver(row.pk, now=moment)
        moment += timedelta(hours=2)
    assert services.deliver(row.pk, now=moment) == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert "Connection refused" in row.last_error


def test_a_refused_address_fails_at_once(pengawas):
    queue([message([pengawas])])
    row = email_row(pengawas)
    FailingBackend.error = smtplib.SMTPRecipientsRefused({pengawas.email: (550, b"No such user")})
    assert services.deliver(row.pk) == "failed"
    assert email_row(pengawas).attempts == 1


def test_a_worker_that_died_mid_send_leaves_the_row_to_be_taken_again_once(pengawas):
    queue([message([pengawas])])
    row = email_row(pengawas)
    now = timezone.now()
    assert services._claim(row.pk, now)  # a worker took it ... and died before finishing
    assert services.deliver(row.pk, now=now + timedelta(minutes=1)) == "skipped"  # its lease still holds
    assert list(services.due_for_dispatch(now + timedelta(minutes=1))) == []
    later = now + services.LEASE + timedelta(seconds=1)
    assert list(services.due_for_dispatch(later)) == [row]
    assert services.deliver(row.pk, now=later) == "sent"
    assert services.deliver(row.pk, now=later) == "skipped"
    assert len(mail.outbox) == 1
    assert email_row(pengawas).attempts == 2


def test_with_the_broker_down_email_waits_in_the_outbox(pengawas, dead_broker):
    queue([message([pengawas])])
    row = email_row(pengawas)
    assert services.enqueue([row.pk]) == 0
    assert services.dispatch_pending() == 0
    row.refresh_from_db()
    assert row.status == Status.PENDING and row.queued_at is None
    assert list(services.due_for_dispatch(timezone.now())) == [row]


def test_dispatch_does_not_hand_over_what_was_just_handed_over(pengawas):
    queue([message([pengawas])])
    row = email_row(pengawas)
    assert services.dispatch_pending() == 1  # real Redis
    assert services.dispatch_pending() == 0
    later = timezone.now() + services.REQUEUE_AFTER + timedelta(seconds=1)
    assert list(services.due_for_dispatch(later)) == [email_row(pengawas)]
    from netralitas.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    assert row.pk


def test_the_same_key_twice_is_one_row(pengawas):
    queue([message([pengawas]), message([pengawas])])
    queue([message([pengawas])])
    assert Notification.objects.count() == 2  # inbox and e-mail


def test_very_long_keys_stay_unique(pengawas):
    long_a, long_b = "x" * 300 + "a", "x" * 300 + "b"
    queue([message([pengawas], key=long_a), message([pengawas], key=long_b)])
    assert Notification.objects.count() == 4
    assert max(len(k) for k in Notification.objects.values_list("dedupe_key", flat=True)) <= 200


def test_unknown_template_is_refused():
    with pytest.raises(ValueError):
        Message(template="nope", key="k", context={})


def test_subjects_and_text_are_not_html_escaped_but_html_is(pengawas):
    queue(
        [
            Message(
                template="case_assigned",
                key="uji:escape",
                context={
                    "number": "",
                    "title": "Kades O'Brien & <b>Tim</b>",
                    "status": "Diterima",
                    "by": "K",
                    "due": "",
                },
                users=[pengawas.pk],
            )
        ]
    )
    subject, text, html = services.render(email_row(pengawas))
    assert subject == "Perkara diserahkan kepada Anda: Kades O'Brien & <b>Tim</b>"
    assert "Kades O'Brien & <b>Tim</b>" in text
    assert "&lt;b&gt;Tim&lt;/b&gt;" in html and "<b>Tim</b>" not in html


def test_a_worker_whose_lease_ran_out_cannot_overwrite_the_next_one(pengawas):
    queue([message([pengawas])])
    row = email_row(pengawas)
    now = timezone.now()
    lease_a = services._claim(row.pk, now)
    later = now + services.LEASE + timedelta(seconds=1)
    lease_b = services._claim(row.pk, later)  # A looked dead; B took over
    assert lease_a and lease_b and lease_a != lease_b
    assert not services._finish(row.pk, lease_a, status=Status.PENDING)  # A comes back: ignored
    assert services._finish(row.pk, lease_b, status=Status.SENT, sent_at=later)
    assert email_row(pengawas).status == Status.SENT


def test_a_message_that_kills_every_worker_ends_as_failed(pengawas, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    queue([message([pengawas])])
    row = email_row(pengawas)
    moment = timezone.now()
    for _ in range(2):
        assert services._claim(row.pk, moment)  # ... and the worker dies each time
        moment += services.LEASE + timedelta(seconds=1)
    assert not services._claim(row.pk, moment)
    services.dispatch_pending(now=moment)
    row.refresh_from_db()
    assert row.status == Status.FAILED and "berhenti" in row.last_error


def test_an_official_who_is_also_a_recipient_gets_one_email(pengawas):
    queue([message([pengawas], emails=[pengawas.email.upper()])])
    assert Notification.objects.filter(channel=Channel.EMAIL).count() == 1


def test_a_retry_is_handed_over_by_the_task_not_twice_by_dispatch(pengawas):
    queue([message([pengawas])])
    row = email_row(pengawas)
    FailingBackend.error = smtplib.SMTPServerDisconnected("closed")
    now = timezone.now()
    with pytest.raises(services.RetryLater):
        services.deliver(row.pk, now=now)
    retry_at = now + timedelta(seconds=60)
    assert list(services.due_for_dispatch(retry_at)) == []  # the task's own retry brings it
    assert list(services.due_for_dispatch(retry_at + services.REQUEUE_AFTER + timedelta(seconds=1))) == [row]


def test_wrong_smtp_credentials_are_retried_not_failed(pengawas):
    queue([message([pengawas])])
    FailingBackend.error = smtplib.SMTPAuthenticationError(535, b"Authentication failed")
    with pytest.raises(services.RetryLater):
        services.deliver(email_row(pengawas).pk)


def test_a_batch_is_written_in_three_queries_and_its_known_keys_are_skipped(
    pengawas, koordinator, offices, django_assert_num_queries, django_capture_on_commit_callbacks
):
    now = timezone.now()
    batch = [message([pengawas, koordinator], emails=["kabid@pemkab.test"], key=f"uji:{n}", office=offices.gunung_mas)
             for n in range(3)]  # fmt: skip
    # the users, their opt-outs, one insert
    with django_assert_num_queries(3), django_capture_on_commit_callbacks(execute=False) as callbacks:
        written = queue(batch, now=now)
    assert written.created == 15  # 2 inbox + 2 e-mail per user + the official, x 3
    assert sorted(written.email_ids) == sorted(
        Notification.objects.filter(channel=Channel.EMAIL).values_list("pk", flat=True)
    )
    assert len(callbacks) == 1
    inbox = Notification.objects.filter(channel=Channel.INBOX)
    assert {(n.status, n.sent_at, n.office_id) for n in inbox} == {(Status.SENT, now, offices.gunung_mas.pk)}
    assert not Notification.objects.filter(channel=Channel.EMAIL).exclude(status=Status.PENDING).exists()
    # the keys already written are skipped: a second run writes nothing, a partly new batch only the new rows
    assert queue(batch, now=now).created == 0
    grown = queue([*batch, message([pengawas], key="uji:baru")], now=now)
    assert grown.created == 2 and len(grown.email_ids) == 1
    assert Notification.objects.count() == 17
