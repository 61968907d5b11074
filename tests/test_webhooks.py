"""Webhooks: every change to a referral a client may see is posted to the client's address, signed, once, and
retried while the receiver is down; never for a referral the client may not see. The receiver here is a real
HTTP server on the loopback."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Referral, Sanction
from cases.referrals import services as referrals
from cases.referrals.webhooks import referral_changed, referrals_changed
from netralitas.accounts.models import ApiClient
from netralitas.accounts.webhooks import validate_webhook_url, webhook_secret_renew
from netralitas.notify import services
from netralitas.notify.models import Channel, Notification, Status
from tests.api_world import make_client, sent_referrals
from tests.factories import declare_succession

# --- A receiver on the loopback ---------------------------------------------------------------------------


class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST and answers ``status``. ``stop`` and ``start``
    take it down and up again on the same port."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 204
        self.port = 0
        self.server = None
        self.start()

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/netralitas/peristiwa"


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


def hook(client: ApiClient, receiver: Receiver) -> ApiClient:
    client.webhook_url = receiver.url
    client.save(update_fields=["webhook_url"])
    client.secret = webhook_secret_renew(client=client)
    return client


@pytest.fixture
def world(offices, pengawas, koordinator, regions, institutions):
    return lambda institution, **kw: sent_referrals(offices, pengawas, koordinator, regions, institution, **kw)


def webhook_rows(**filters):
    return Notification.objects.filter(channel=Channel.WEBHOOK, **filters).order_by("pk")


def deliver_all(now=None) -> list[str]:
    """One delivery attempt for every webhook row (as the workers would, each row's task)."""
    results = []
    for pk in webhook_rows().values_list("pk", flat=True):
        try:
            results.append(services.deliver(pk, now=now))
        except services.RetryLater:
            results.append("retry")
    return results


def verify(secret: str, headers: dict, body: bytes, *, now: float | None = None) -> dict:
    """What a receiver does (docs/api.md): the signature over "<timestamp>.<body>", compared in constant time,
    and a timestamp no older than five minutes."""
    timestamp = headers["X-Netralitas-Timestamp"]
    expected = "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, headers["X-Netralitas-Signature"])
    assert abs((now or time.time()) - int(timestamp)) <= 300
    return json.loads(body)


# --- Signed, once -----------------------------------------------------------------------------------------


def test_a_sent_referral_is_posted_once_signed(world, institutions, bkn_client, receiver):
    hook(bkn_client, receiver)
    [referral] = world(institutions.bkn)
    [row] = webhook_rows()  # the draft was seen by no one: only the sending is an event
    assert (row.api_client_id, row.status, row.office_id) == (bkn_client.pk, Status.PENDING, None)
    assert services.deliver(row.pk) == "sent"
    assert services.deliver(row.pk) == "skipped"  # the same row delivered twice: one request
    assert deliver_all() == ["skipped"]
    assert services.dispatch_pending() == 0  # nothing left to hand to the workers
    [request] = receiver.requests
    headers = request["headers"]
    assert request["path"] == "/netralitas/peristiwa"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Netralitas-Event-Id"] == str(row.code)
    body = verify(bkn_client.secret, headers, request["body"])
    assert body == {
        "id": str(row.code),
        "type": "referral.sent",
        "recorded_at": body["recorded_at"],
        "referral": {
            "code": str(referral.code),
            "status": "sent",
            "institution": "bkn",
            "url": f"http://127.0.0.1:8000/api/v1/referrals/{referral.code}/",
        },
    }
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 1, "")
    # a wrong secret does not verify
    with pytest.raises(AssertionError):
        verify("whsec_lain", headers, request["body"])


def test_each_change_is_one_event_and_the_body_says_the_status_when_sent(
    world, institutions, bkn_client, receiver, koordinator
):
    hook(bkn_client, receiver)
    [referral] = world(institutions.bkn)
    referral_changed(referral=referral, action="sent")  # the same change queued again: the same row
    assert webhook_rows().count() == 1
    referrals.referral_record_recommendation(
        referral=referral,
        actor=None,
        number="R-1/2024",
        date=date(2024, 11, 1),
        proven=True,
        sanction=Sanction.DEMOTION,
    )
    assert list(webhook_rows().values_list("context__type", flat=True)) == ["referral.sent", "referral.recommended"]
    assert deliver_all() == ["sent", "sent"]
    assert deliver_all() == ["skipped", "skipped"]
    bodies = [verify(bkn_client.secret, r["headers"], r["body"]) for r in receiver.requests]
    assert [b["type"] for b in bodies] == ["referral.sent", "referral.recommended"]
    assert {b["referral"]["status"] for b in bodies} == {"awaiting_ppk"}  # as the referral is when sent
    assert len({b["id"] for b in bodies}) == 2


def test_a_succession_tells_the_old_body_it_ended_and_the_new_one_it_arrived(
    world, institutions, operator, receiver, bkn_client
):
    kasn_client = hook(make_client(institutions.kasn), receiver)
    hook(bkn_client, receiver)
    [old] = world(institutions.kasn, year=2020)
    declare_succession(institutions, operator)
    new = Referral.objects.get(transferred_from=old)
    assert set(webhook_rows().values_list("api_client_id", "context__type", "context__referral_id")) == {
        (kasn_client.pk, "referral.sent", old.pk),
        (kasn_client.pk, "referral.closed", old.pk),
        (bkn_client.pk, "referral.transferred", new.pk),
    }
    assert deliver_all() == ["sent"] * 3
    statuses = {(json.loads(r["body"])["type"], json.loads(r["body"])["referral"]["status"]) for r in receiver.requests}
    assert statuses == {
        ("referral.sent", "transferred"),
        ("referral.closed", "transferred"),
        ("referral.transferred", "sent"),
    }


# --- Never for what the client may not see ----------------------------------------------------------------


def test_never_sent_for_referrals_the_client_may_not_see(
    world, institutions, offices, regions, receiver, employer_client, bkn_client, koordinator, outsider
):
    hook(employer_client, receiver)  # another institution
    elsewhere = hook(make_client(institutions.bkn, code="bkn-palangka", office=offices.palangka_raya), receiver)
    here = hook(make_client(institutions.bkn, code="bkn-gumas", office=offices.gunung_mas), receiver)
    asleep = hook(make_client(institutions.bkn, code="bkn-mati"), receiver)
    ApiClient.objects.filter(pk=asleep.pk).update(is_active=False)
    # bkn_client has no webhook address: nothing for it
    [draft] = world(institutions.bkn, send=False)
    referral_changed(referral=draft, action="drafted")
    assert not webhook_rows().exists()  # a draft is seen by no one
    [referral] = world(institutions.bkn, start=5)
    assert list(webhook_rows().values_list("api_client_id", flat=True)) == [here.pk]
    assert deliver_all() == ["sent"]
    assert len(receiver.requests) == 1
    assert {elsewhere.pk, employer_client.pk, asleep.pk, bkn_client.pk}.isdisjoint(
        webhook_rows().values_list("api_client_id", flat=True)
    )
    assert referral.case.office == offices.gunung_mas


def test_an_event_is_not_sent_once_the_client_may_no_longer_see_the_referral(
    world, institutions, offices, receiver, bkn_client
):
    hook(bkn_client, receiver)
    world(institutions.bkn)
    ApiClient.objects.filter(pk=bkn_client.pk).update(office=offices.palangka_raya)  # limited meanwhile
    assert deliver_all() == ["skipped"]
    assert receiver.requests == []
    assert webhook_rows().get().status == Status.SKIPPED


# --- Retried while the receiver is down -------------------------------------------------------------------


def test_retried_with_backoff_while_the_receiver_is_down_then_received_once(world, institutions, bkn_client, receiver):
    hook(bkn_client, receiver)
    world(institutions.bkn)
    [row] = webhook_rows()
    receiver.stop()
    start = timezone.now()
    moment, waits = start, []
    while moment <= start + timedelta(minutes=5):  # five minutes of attempts: 1, 2, 4 minutes apart
        with pytest.raises(services.RetryLater) as later:
            services.deliver(row.pk, now=moment)
        waits.append(later.value.seconds)
        row.refresh_from_db()
        assert row.status == Status.PENDING and row.next_attempt_at == moment + timedelta(seconds=waits[-1])
        assert "Connection refused" in row.last_error
        assert services.deliver(row.pk, now=moment + timedelta(seconds=1)) == "skipped"  # not due yet
        moment = row.next_attempt_at
    assert waits == [60, 120, 240]
    assert moment > start + timedelta(minutes=5)
    receiver.start()  # back, on the same port
    assert services.deliver(row.pk, now=moment) == "sent"
    assert services.deliver(row.pk, now=moment + timedelta(hours=1)) == "skipped"
    assert len(receiver.requests) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 4, "")
    assert json.loads(receiver.requests[0]["body"])["id"] == str(row.code)  # the same event id throughout


@pytest.mark.parametrize(
    ("status", "outcome"), [(500, "retry"), (503, "retry"), (408, "retry"), (429, "retry"), (400, "failed"), (410, "failed"), (302, "failed")]
)  # fmt: skip
def test_what_the_receiver_answers_decides_between_retry_and_failure(
    world, institutions, bkn_client, receiver, status, outcome
):
    hook(bkn_client, receiver)
    world(institutions.bkn)
    receiver.status = status
    assert deliver_all() == [outcome]
    row = webhook_rows().get()
    assert row.status == (Status.PENDING if outcome == "retry" else Status.FAILED)
    assert f"HTTP {status}" in row.last_error


def test_a_client_without_address_or_inactive_is_skipped(world, institutions, bkn_client, receiver):
    hook(bkn_client, receiver)
    world(institutions.bkn)
    ApiClient.objects.filter(pk=bkn_client.pk).update(webhook_url="")
    assert deliver_all() == ["skipped"]
    assert receiver.requests == []


# --- Many changes at once ---------------------------------------------------------------------------------


def test_many_changes_are_written_in_three_queries(
    world, institutions, offices, receiver, bkn_client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    many = world(institutions.bkn, n=6)
    Notification.objects.all().delete()
    # no client with a webhook address: one query, nothing written
    with django_assert_num_queries(1):
        assert referrals_changed(changes=[(r, "transferred") for r in many]) == 0
    hook(bkn_client, receiver)
    hook(make_client(institutions.bkn, code="bkn-gumas", office=offices.gunung_mas), receiver)
    hook(make_client(institutions.bkn, code="bkn-palangka", office=offices.palangka_raya), receiver)
    make_client(institutions.bkn, code="bkn-tanpa-webhook")
    # the clients, which referrals each may see (one query for all of them), one insert
    with django_assert_num_queries(3), django_capture_on_commit_callbacks(execute=False) as callbacks:
        written = referrals_changed(changes=[(r, "transferred") for r in many])
    assert written == 12  # 6 referrals x the two clients that may see them
    assert len(callbacks) == 1  # handed to the workers once committed
    with django_assert_num_queries(3):
        assert referrals_changed(changes=[(r, "transferred") for r in many]) == 0  # the same changes: no new event
    assert deliver_all() == ["sent"] * 12
    assert len(receiver.requests) == 12
    with pytest.raises(ValueError):
        referrals_changed(changes=[(many[0], "")])


# --- The delivery log --------------------------------------------------------------------------------------


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@uji.test", "kata-sandi-uji-123")


def test_the_log_shows_webhook_events_to_the_operator_and_resends_them(
    client, world, institutions, bkn_client, receiver, operator, django_capture_on_commit_callbacks
):
    hook(bkn_client, receiver)
    world(institutions.bkn)
    receiver.status = 410
    assert deliver_all() == ["failed"]
    row = webhook_rows().get()
    client.force_login(operator)
    page = client.get(reverse("notify:outbox") + f"?saluran=webhook&klien={bkn_client.pk}")
    assert page.status_code == 200 and page.context["status"] == Status.FAILED
    assert [n.pk for n in page.context["page"]] == [row.pk]
    html = page.content.decode()
    assert bkn_client.name in html and "HTTP 410" in html and str(row.code) in html
    assert "Webhook referral.sent" in html
    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("notify:retry"), {"code": [str(row.code)], "saluran": "webhook", "klien": bkn_client.pk}
        )
    assert response.status_code == 302 and "saluran=webhook" in response["Location"]
    assert len(callbacks) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 0)
    assert deliver_all() == ["sent"]
    # a delivered event is sent again when the receiver asks for it: the same event id
    client.post(reverse("notify:retry"), {"code": [str(row.code)]})
    assert deliver_all() == ["sent"]
    ids = [r["headers"]["X-Netralitas-Event-Id"] for r in receiver.requests]
    assert ids == [str(row.code)] * 3
    # the bulk action sends again the failed ones of the channel
    Notification.objects.filter(pk=row.pk).update(status=Status.FAILED)
    client.post(reverse("notify:retry"), {"saluran": "webhook"})
    assert webhook_rows().get().status == Status.PENDING


def test_the_log_is_for_the_operators_who_manage_api_clients(
    client, world, institutions, bkn_client, receiver, pengawas, office_admin
):
    hook(bkn_client, receiver)
    world(institutions.bkn)
    receiver.status = 500
    Notification.objects.filter(channel=Channel.WEBHOOK).update(status=Status.FAILED, last_error="HTTP 500")
    row = webhook_rows().get()
    client.force_login(pengawas)
    assert client.get(reverse("notify:outbox") + "?saluran=webhook").status_code == 403
    assert client.post(reverse("notify:retry"), {"code": [str(row.code)]}).status_code == 403
    # an office admin has the outbox of their region, not the national API clients' events
    client.force_login(office_admin)
    page = client.get(reverse("notify:outbox") + "?saluran=webhook&status=")
    assert page.status_code == 200 and list(page.context["page"]) == []
    assert bkn_client.name not in page.content.decode()
    client.post(reverse("notify:retry"), {"code": [str(row.code)]})
    assert webhook_rows().get().status == Status.FAILED


# --- The address and the secret -----------------------------------------------------------------------------


def test_the_address_must_be_https_and_plain_http_only_to_this_machine_in_development(settings):
    validate_webhook_url("https://sistem.bkn.go.id/netralitas/webhook")
    validate_webhook_url("http://127.0.0.1:8001/hook")
    validate_webhook_url("http://localhost/hook")
    for wrong in ["http://sistem.bkn.go.id/hook", "ftp://bkn.go.id/", "https://user:pw@bkn.go.id/", "https:///x"]:
        with pytest.raises(ValidationError):
            validate_webhook_url(wrong)
    settings.WEBHOOK_HTTP_LOOPBACK = False  # production
    with pytest.raises(ValidationError):
        validate_webhook_url("http://127.0.0.1:8001/hook")


def test_an_address_no_longer_allowed_fails_the_event_for_good(world, institutions, bkn_client, receiver, settings):
    hook(bkn_client, receiver)
    world(institutions.bkn)
    settings.WEBHOOK_HTTP_LOOPBACK = False
    assert deliver_all() == ["failed"]
    assert receiver.requests == []


def test_the_admin_makes_the_secret_when_the_address_is_saved_and_shows_it_once(client, bkn_client, operator):
    client.force_login(operator)
    ApiClient.objects.filter(pk=bkn_client.pk).update(webhook_url="https://sistem.bkn.go.id/hook")
    response = client.post(
        "/admin/accounts/apiclient/",
        {"action": "renew_webhook_secret", "_selected_action": [bkn_client.pk]},
        follow=True,
    )
    [message] = [str(m) for m in response.context["messages"]]
    secret = message.rsplit(" ", 1)[-1]
    bkn_client.refresh_from_db()
    assert secret.startswith("whsec_") and bkn_client.webhook_secret == secret
    page = client.get(f"/admin/accounts/apiclient/{bkn_client.pk}/change/").content.decode()
    assert secret not in page and secret[:10] in page
