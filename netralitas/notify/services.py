"""Writing the outbox and delivering it.

``queue`` writes the rows for a batch of messages in a fixed number of queries (it is what every reminder
sweep and every service calls) and hands new e-mail and webhook events to the workers once the transaction
commits. A webhook event is a row like an e-mail, to an API client instead of a person: the same claim, lease,
back-off and dispatch deliver it (``netralitas.notify.webhooks`` posts it). Delivery
takes a row with a compare-and-set (``pending`` -> ``sending``), so a message published twice, or redelivered
after a worker died, is sent by one worker only; a worker that died mid-send leaves the row with an expired
lease, and it is taken again. A broker that is down delays e-mail and loses nothing: the rows wait, and
``dispatch_pending`` (run by beat every minute) hands them over when the broker is back.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import smtplib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import orjson
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from netralitas.accounts.models import User
from netralitas.notify import webhooks
from netralitas.notify.catalog import TEMPLATES, category_of
from netralitas.notify.models import PERSONAL_CHANNELS, SENT_BY_WORKERS, Channel, Notification, OptOut, Status

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # a send takes seconds (EMAIL_TIMEOUT); a row held longer was abandoned
REQUEUE_AFTER = timedelta(minutes=10)  # a row handed to the broker and still pending then is handed again
MAX_KEY = 200
DIRECT_ENQUEUE_MAX = 200  # e-mail rows handed over by the writer itself; more go through dispatch
DISPATCH_BATCH = 1000


@dataclass
class Message:
    """One message to several people. ``key`` identifies it (e.g. ``case:12:review:2024-11-27:h1``); the
    outbox key adds the channel and the recipient, so each person gets it once per channel, ever. ``clients``:
    API clients it is posted to as a webhook event (once per client, ever)."""

    template: str
    key: str
    context: dict
    users: Sequence[int] = ()
    emails: Sequence[str] = ()
    clients: Sequence[int] = ()
    url: str = ""
    office_id: int | None = None

    def __post_init__(self):
        if self.template not in TEMPLATES:
            raise ValueError(f"unknown notification template {self.template!r}")


@dataclass
class Queued:
    created: int = 0
    email_ids: list[int] = field(default_factory=list)
    webhook_ids: list[int] = field(default_factory=list)


def _dedupe_key(key: str, channel: str, target: str) -> str:
    full = f"{key}:{channel}:{target}"
    if len(full) <= MAX_KEY:
        return full
    return f"{full[:150]}~{hashlib.sha256(full.encode()).hexdigest()[:40]}"


def queue(messages: Iterable[Message], *, now: datetime | None = None) -> Queued:
    """Write the outbox rows for ``messages``: an in-app row (delivered by being written) and an e-mail row
    for each user who has not switched that kind off, and an e-mail row for each bare address (unless it is
    the address of one of the message's users, who gets it once), and a webhook row for each API client. A row
    whose key exists already is not written again, so calling this twice writes nothing the second time. A
    fixed number of queries, whatever the number of messages: the users, their opt-outs (both only when some
    message has users) and one insert."""
    messages = list(messages)
    if not messages:
        return Queued()
    now = now or timezone.now()
    user_ids = {uid for m in messages for uid in m.users if uid}
    users = {}
    opted_out: set[tuple[int, str, str]] = set()
    if user_ids:
        users = {u["pk"]: u for u in User.objects.filter(pk__in=user_ids, is_active=True).values("pk", "email")}
        opted_out = set(OptOut.objects.filter(user_id__in=users).values_list("user_id", "category", "channel"))
    # key -> (message, recipient id, address, channel, API client id): the rows to write, each key once
    rows: dict[str, tuple[Message, int | None, str, str, int | None]] = {}
    for message in messages:
        category = category_of(message.template)
        told = set()
        for uid in dict.fromkeys(message.users):
            user = users.get(uid)
            if user is None:
                continue
            if (uid, category, Channel.INBOX) not in opted_out:
                rows[_dedupe_key(message.key, Channel.INBOX, f"u{uid}")] = (message, uid, "", Channel.INBOX, None)
            if user["email"]:
                told.add(user["email"].strip().lower())
                if (uid, category, Channel.EMAIL) not in opted_out:
                    rows[_dedupe_key(message.key, Channel.EMAIL, f"u{uid}")] = (message, uid, "", Channel.EMAIL, None)
        for address in dict.fromkeys(e.strip().lower() for e in message.emails if e and e.strip()):
            if address not in told:
                rows[_dedupe_key(message.key, Channel.EMAIL, address)] = (message, None, address, Channel.EMAIL, None)
        for client_id in dict.fromkeys(message.clients):
            rows[_dedupe_key(message.key, Channel.WEBHOOK, f"c{client_id}")] = (
                message,
                None,
                "",
                Channel.WEBHOOK,
                client_id,
            )
    if not rows:
        return Queued()
    created, written = _write(rows, now)
    email_ids = [pk for pk, channel in written if channel == Channel.EMAIL]
    webhook_ids = [pk for pk, channel in written if channel == Channel.WEBHOOK]
    if to_deliver := email_ids + webhook_ids:
        # Handed to the workers only once the change that caused them is committed: directly when they are
        # few (a request), through one dispatch task when a sweep wrote many (publishing thousands of tasks
        # is the dispatcher's work, in batches, not the sweep's).
        if len(to_deliver) <= DIRECT_ENQUEUE_MAX:
            transaction.on_commit(lambda: enqueue(to_deliver))
        else:
            transaction.on_commit(request_dispatch)
    return Queued(created=created, email_ids=email_ids, webhook_ids=webhook_ids)


# The new rows go in as one JSON document: one statement and one parameter for a request's two rows or a
# sweep's 170,000 (a parameter per value, or text arrays escaped value by value, cost a sweep seconds). Keys
# already written are left out before the insert, so they take no id; a concurrent writer's are skipped by
# the unique key. RETURNING names the rows this call wrote.
_INSERT = """
INSERT INTO notify_notification (
    code, recipient_id, api_client_id, email, office_id, channel, template, context, url, dedupe_key, status,
    attempts, last_error, sent_at, created_at
)
SELECT gen_random_uuid(), r.recipient_id, r.client_id, r.email, (m.message ->> 'office_id')::bigint, r.channel,
       m.message ->> 'template', m.message -> 'context', m.message ->> 'url', r.dedupe_key, r.status, 0, '',
       CASE WHEN r.status = %(sent)s THEN %(now)s::timestamptz END, %(created_at)s
FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(recipient_id bigint, client_id bigint, email text, channel text,
                                              dedupe_key text, status text, message int)
CROSS JOIN LATERAL (SELECT %(messages)s::jsonb -> r.message AS message) AS m
WHERE NOT EXISTS (SELECT FROM notify_notification n WHERE n.dedupe_key = r.dedupe_key)
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id, channel
"""


def _write(rows: dict, now: datetime) -> tuple[int, list[tuple[int, str]]]:
    """Insert the rows whose key is new, in one statement. Returns how many were written and the ids and
    channels of the new rows a worker delivers (in-app rows are sent by being written). Each message (its
    template, context and address) is sent once, its rows (a recipient and a channel each) naming it by number."""
    numbers: dict[int, int] = {}  # id(message) -> its place in ``messages``
    messages, recipients = [], []
    for key, (message, uid, address, channel, client_id) in rows.items():
        number = numbers.get(id(message))
        if number is None:
            number = numbers[id(message)] = len(messages)
            fields = {"office_id": message.office_id, "template": message.template, "url": message.url}
            messages.append({**fields, "context": message.context})
        status = Status.SENT if channel == Channel.INBOX else Status.PENDING
        recipients.append(
            {
                "recipient_id": uid,
                "client_id": client_id,
                "email": address,
                "channel": channel,
                "dedupe_key": key,
                "status": status,
                "message": number,
            }
        )
    parameters = {
        "rows": orjson.dumps(recipients).decode(),
        "messages": orjson.dumps(messages).decode(),
        "sent": Status.SENT,
        "now": now,
        "created_at": timezone.now(),  # as auto_now_add would set it (``now`` may be a sweep's given moment)
    }
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, parameters)
        written = cursor.fetchall()
    return len(written), [(pk, channel) for pk, channel in written if channel in SENT_BY_WORKERS]


def run_sweep(collect, now: datetime | None = None) -> dict:
    """Run a reminder sweep: ``collect(now)`` returns (candidates looked at, messages); the messages are
    queued. Returns the figures, for the task's result and the log."""
    candidates, messages = collect(now)
    return {"candidates": candidates, "messages": len(messages), "rows": queue(messages, now=now).created}


def enqueue(ids: Sequence[int]) -> int:
    """Hand e-mail and webhook rows to the broker, one delivery task each. A broker that does not answer is logged and
    nothing more: the rows stay pending and the next dispatch hands them over. Returns how many went."""
    from netralitas.notify.tasks import deliver

    if not ids:
        return 0
    sent: list[int] = []

    def send(conn):
        for pk in ids:
            deliver.apply_async(args=[pk], connection=conn, retry=False)
            sent.append(pk)

    if not _publish(send):
        logger.warning("%d notifications wait in the outbox", len(ids) - len(sent))
    if sent:
        Notification.objects.filter(pk__in=sent, status=Status.PENDING).update(queued_at=timezone.now())
    return len(sent)


def due_for_dispatch(now: datetime):
    """E-mail and webhook rows a worker should take now: pending and due (never handed over, or handed over long ago
    and still waiting), or held by a worker whose lease ran out (it died mid-send)."""
    waiting = Q(status=Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    waiting &= Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER)
    abandoned = Q(status=Status.SENDING, lease_until__lt=now, attempts__lt=settings.NOTIFY_MAX_ATTEMPTS)
    return Notification.objects.filter(waiting | abandoned, channel__in=SENT_BY_WORKERS)


def request_dispatch() -> None:
    """Ask a worker to run ``dispatch_pending`` now rather than at the next minute (one message)."""
    from netralitas.notify.tasks import dispatch_pending as dispatch_task

    _publish(lambda conn: dispatch_task.apply_async(connection=conn, retry=False))


def _publish(send) -> bool:
    from netralitas.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
            send(conn)
    except Exception as exc:  # the broker is down: beat's next dispatch does it
        logger.warning("broker unreachable: %s", str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__)
        return False
    return True


def dispatch_pending(*, now: datetime | None = None, limit: int = DISPATCH_BATCH) -> int:
    now = now or timezone.now()
    # A row whose workers kept dying while sending it (a message that crashes the worker) stops here.
    Notification.objects.filter(
        status=Status.SENDING, lease_until__lt=now, attempts__gte=settings.NOTIFY_MAX_ATTEMPTS
    ).update(
        status=Status.FAILED,
        lease_until=None,
        last_error="Pengirim berhenti di tengah pengiriman pada setiap percobaan.",
    )
    ids = list(due_for_dispatch(now).order_by("created_at").values_list("pk", flat=True)[:limit])
    return enqueue(ids)


# --- Delivery ------------------------------------------------------------------------------------------


class RetryLater(Exception):
    def __init__(self, seconds: int, error: str):
        super().__init__(error)
        self.seconds = seconds


def backoff_seconds(attempts: int) -> int:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most an hour."""
    return min(60 * 2 ** max(attempts - 1, 0), 3600)


def _claim(pk: int, now: datetime) -> datetime | None:
    """Take the row for one attempt. Returns the lease, which is also the holder's token: only the worker
    holding it may finish the row (one whose lease ran out and was taken over can no longer touch it)."""
    due = (Q(status=Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))) | Q(
        status=Status.SENDING, lease_until__lt=now, attempts__lt=settings.NOTIFY_MAX_ATTEMPTS
    )
    lease = now + LEASE
    taken = Notification.objects.filter(due, pk=pk, channel__in=SENT_BY_WORKERS).update(
        status=Status.SENDING, attempts=F("attempts") + 1, lease_until=lease
    )
    return lease if taken else None


def _finish(pk: int, lease: datetime, **fields) -> bool:
    return bool(
        Notification.objects.filter(pk=pk, status=Status.SENDING, lease_until=lease).update(lease_until=None, **fields)
    )


def _is_permanent(exc: Exception) -> bool:
    """A refusal that another attempt will not change. Wrong credentials (535) are not: they are mended on
    the server's side, and the message should then go out."""
    if isinstance(exc, webhooks.WebhookRefused):
        return exc.permanent
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return isinstance(exc, ValueError)  # a malformed address or header


def deliver(pk: int, *, now: datetime | None = None) -> str:
    """Send one e-mail or webhook row, once. Returns what happened: sent, skipped (someone else has it, or it
    is done, or there is no one to send it to any more), failed. Raises ``RetryLater`` after a transient
    failure (the row is pending again with its next time)."""
    now = now or timezone.now()
    lease = _claim(pk, now)
    if lease is None:
        return "skipped"
    notification = Notification.objects.select_related("recipient", "api_client__office__region").get(pk=pk)
    if notification.recipient_id and not (notification.recipient.is_active and notification.recipient.email):
        _finish(pk, lease, status=Status.SKIPPED, last_error="Penerima tidak aktif atau tanpa alamat e-mail.")
        return "skipped"
    send = _send_email
    if notification.channel == Channel.WEBHOOK:
        client = notification.api_client
        if not (client.is_active and client.webhook_url):
            _finish(pk, lease, status=Status.SKIPPED, last_error="Klien API tidak aktif atau tanpa alamat webhook.")
            return "skipped"
        body = webhook_body(notification)
        if body is None:
            _finish(
                pk, lease, status=Status.SKIPPED, last_error="Klien API tidak lagi berhak melihat isi peristiwa ini."
            )
            return "skipped"
        send = functools.partial(_send_webhook, body=body)
    try:
        send(notification)
    except Exception as exc:
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
        if _is_permanent(exc) or notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            _finish(pk, lease, status=Status.FAILED, last_error=error)
            logger.error("notification %s failed for good", pk, extra={"error": error})
            return "failed"
        wait = backoff_seconds(notification.attempts)
        # The task's own retry is the hand-over (queued_at: when it is due); dispatch steps in only if that
        # retry never comes (the broker went away meanwhile).
        retry_at = now + timedelta(seconds=wait)
        _finish(pk, lease, status=Status.PENDING, last_error=error, next_attempt_at=retry_at, queued_at=retry_at)
        logger.warning("notification %s: sending failed, retry in %ss", pk, wait, extra={"error": error})
        raise RetryLater(wait, error) from exc
    if not _finish(pk, lease, status=Status.SENT, sent_at=timezone.now(), last_error=""):
        logger.warning("notification %s was sent after its lease ran out", pk)
    return "sent"


#: for a webhook template, the function making the event's JSON body from its row as it is sent (the current
#: state of what it is about), or None when the client may no longer see it (the row is then skipped).
#: Registered by the app that writes such events at start-up (``AppConfig.ready``), since the kernel imports
#: no app. Without one, the body is the row's context with its code as the event id.
WEBHOOK_BODIES: dict[str, Callable[[Notification], dict | None]] = {}


def webhook_body(notification: Notification) -> dict | None:
    build = WEBHOOK_BODIES.get(notification.template)
    if build is None:
        return {"id": str(notification.code), **notification.context}
    return build(notification)


def _send_webhook(notification: Notification, *, body: dict) -> None:
    client = notification.api_client
    webhooks.post(
        url=client.webhook_url,
        secret=client.webhook_secret,
        event_id=str(notification.code),
        body=webhooks.encode(body),
    )


def site_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


#: stored values by name for the message templates (``{% if state == Integrity.MISSING %}``), as the web
#: pages have them from their context processors: each app that sends messages adds its own at start-up
#: (``AppConfig.ready``), since the kernel imports no app.
TEMPLATE_CHOICES: dict[str, type] = {}


def render(notification: Notification, *, inbox: bool = False) -> tuple[str, str, str]:
    """(subject, text, HTML) of a message, in the site's language. For the in-app inbox: no greeting, no
    address in the text (the page links to it), no HTML."""
    html = not inbox
    context = {
        **TEMPLATE_CHOICES,
        **notification.context,
        "url": "" if inbox else site_url(notification.url),
        "recipient_name": notification.recipient.display_name if notification.recipient_id and not inbox else "",
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    name = f"notify/{notification.template}"
    subject = " ".join(render_to_string(f"{name}.subject.txt", context).split())
    text = render_to_string(f"{name}.txt", context).strip() + "\n"
    return subject, text, render_to_string(f"{name}.html", context) if html else ""


def subject_of(notification: Notification) -> str:
    """The subject line for a page listing messages; a template that cannot be rendered does not take the
    page down (the outbox is where admins look when something is wrong)."""
    try:
        context = {**TEMPLATE_CHOICES, **notification.context, "url": "", "recipient_name": ""}
        context["site_url"] = settings.SITE_URL
        return " ".join(render_to_string(f"notify/{notification.template}.subject.txt", context).split())
    except Exception:
        logger.exception("notification %s: subject cannot be rendered", notification.pk)
        return notification.template


def _send_email(notification: Notification) -> None:
    subject, text, html = render(notification)
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[notification.address],
        # The same id on every attempt: a mail server or client that sees a message twice can tell.
        headers={"Message-ID": f"<{notification.code}@{domain}>"},
    )
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


# --- People's choices and the admins' outbox ----------------------------------------------------------


@transaction.atomic
def preferences_set(*, user: User, enabled: set[tuple[str, str]]) -> None:
    """Switch off every (category, channel) of the catalogue that is not in ``enabled``."""
    from netralitas.notify.catalog import CATEGORIES

    wanted_off = {(c, ch) for c in CATEGORIES for ch in PERSONAL_CHANNELS} - set(enabled)
    OptOut.objects.filter(user=user).delete()
    OptOut.objects.bulk_create([OptOut(user=user, category=c, channel=ch) for c, ch in sorted(wanted_off)])


def mark_read(*, user: User, codes: Iterable[str] | None = None) -> int:
    """Mark the user's in-app messages read (all of them when ``codes`` is None)."""
    rows = Notification.objects.filter(recipient=user, channel=Channel.INBOX, read_at__isnull=True)
    if codes is not None:
        rows = rows.filter(code__in=list(codes))
    return rows.update(read_at=timezone.now())


def retry_failed(*, notifications) -> int:
    """Put failed e-mail and webhook events back in the queue (an admin's action after the mail server or the
    receiver was mended)."""
    return _requeue(notifications.filter(status=Status.FAILED, channel__in=SENT_BY_WORKERS))


def resend(*, notifications) -> int:
    """Send the chosen rows again: failed e-mail and webhook events, and also webhook events already delivered
    or skipped (a receiver that lost them asks for them again; it sees the same event id and may ignore one it
    has). A delivered e-mail is not sent twice."""
    again = Q(status=Status.FAILED, channel__in=SENT_BY_WORKERS) | Q(
        status__in=[Status.SENT, Status.SKIPPED], channel=Channel.WEBHOOK
    )
    return _requeue(notifications.filter(again))


def _requeue(notifications) -> int:
    ids = list(notifications.values_list("pk", flat=True))
    if not ids:
        return 0
    Notification.objects.filter(pk__in=ids).update(
        status=Status.PENDING, attempts=0, next_attempt_at=None, queued_at=None, lease_until=None, sent_at=None
    )
    transaction.on_commit(lambda: enqueue(ids))
    return len(ids)
