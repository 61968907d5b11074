"""The outbox against real Redis and real Celery workers (processes of their own): a sweep run twice sends
once; a worker killed mid-send is replaced and the message goes out once; with the broker down a case is
saved and its reminder arrives when the broker is back."""

import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases import reminders
from cases.models import Case
from netralitas.celery import app
from netralitas.notify import services
from netralitas.notify.models import Channel, Notification, Status
from tests.conftest import point_broker_at
from tests.factories import make_case

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
WIB = ZoneInfo("Asia/Jakarta")


def wait_for(condition, what: str, timeout: float = 60, workers=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}" + (f"\nworker output:\n{workers.output()}" if workers else ""))


class Workers:
    """Celery workers in processes of their own, on the test database and the real broker."""

    def __init__(self, mail_dir: Path, log_dir: Path):
        db = connection.settings_dict
        auth = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": app.conf.broker_url,
            "NETRALITAS_TEST_MAIL_DIR": str(mail_dir),
        }
        self.log_dir = log_dir
        self.running: list[subprocess.Popen] = []
        self.logs = []

    def start(self) -> subprocess.Popen:
        log = open(self.log_dir / f"worker-{len(self.running)}.log", "wb")  # noqa: SIM115 - closed in stop_all
        self.logs.append(log)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "netralitas",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.running.append(process)
        return process

    def stop_all(self):
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in self.logs:
            log.close()

    def output(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.log_dir.glob("worker-*.log")))


@pytest.fixture
def mail_dir(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def workers(transactional_db, mail_dir, tmp_path):
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")  # nothing left over from an earlier run
    pool = Workers(mail_dir, tmp_path)
    yield pool
    pool.stop_all()


def sent_mail(mail_dir: Path) -> list[bytes]:
    return [p.read_bytes() for p in mail_dir.glob("*.eml")]


@pytest.fixture
def due_case(offices, pengawas, koordinator):
    case = make_case(office=offices.gunung_mas, actor=pengawas, assignee=pengawas)
    Case.objects.filter(pk=case.pk).update(review_due=date(2024, 10, 17))
    Notification.objects.all().delete()
    return case


def test_every_sweep_run_twice_sends_each_message_once(due_case, workers, mail_dir):
    from outreach import reminders as outreach_reminders

    workers.start()
    moment = datetime(2024, 10, 16, 8, tzinfo=WIB)
    for _ in range(2):
        reminders.sweep_case_deadlines(now=moment)
        reminders.sweep_referral_clocks(now=moment)
        outreach_reminders.sweep_upcoming(now=moment)
        outreach_reminders.sweep_minutes(now=moment)
        services.dispatch_pending()
    wait_for(lambda: len(sent_mail(mail_dir)) >= 2, "two e-mails", workers=workers)
    wait_for(
        lambda: not Notification.objects.filter(channel=Channel.EMAIL).exclude(status=Status.SENT).exists(),
        "every e-mail row sent",
    )
    # Each send takes its row first (attempts + 1): rows all sent on their first attempt were sent once each,
    # so no later duplicate can still be on its way.
    assert list(Notification.objects.filter(channel=Channel.EMAIL).values_list("attempts", flat=True)) == [1, 1]
    mails = sent_mail(mail_dir)
    assert len(mails) == 2  # the assignee and the coordinator, once each
    assert sorted(b"pengawas@uji.test" in m for m in mails) == [False, True]


def test_a_worker_killed_mid_send_is_replaced_and_the_message_goes_out_once(pengawas, workers, mail_dir):
    services.queue(
        [
            services.Message(
                template="case_assigned",
                key="uji:killed",
                context={"number": "", "title": "Uji", "status": "Diterima", "by": "Koordinator", "due": ""},
                users=[pengawas.pk],
            )
        ]
    )
    row = Notification.objects.get(channel=Channel.EMAIL)
    (mail_dir / "hang").touch()
    first = workers.start()
    assert services.enqueue([row.pk]) == 1
    wait_for(lambda: (mail_dir / "started").exists(), "the first worker to start sending", workers=workers)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENDING, 1)
    assert sent_mail(mail_dir) == []

    (mail_dir / "hang").unlink()
    workers.start()
    # While the dead worker's lease holds, nobody takes the row; once it has run out, dispatch hands it over.
    assert services.dispatch_pending() == 0
    Notification.objects.filter(pk=row.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert services.dispatch_pending() == 1
    wait_for(lambda: len(sent_mail(mail_dir)) == 1, "the e-mail from the second worker", workers=workers)
    # The broker may give the dead worker's message back as well: it is taken by nobody.
    assert services.enqueue([row.pk]) == 1
    services.queue(
        [
            services.Message(
                template="case_assigned",
                key="uji:after",
                context={"number": "", "title": "Sesudahnya", "status": "Diterima", "by": "Koordinator", "due": ""},
                users=[pengawas.pk],
            )
        ]
    )
    services.dispatch_pending()
    wait_for(
        lambda: len(sent_mail(mail_dir)) == 2, "the next e-mail", workers=workers
    )  # the worker got past the duplicate
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 2)
    assert sum(b"Sesudahnya" in m for m in sent_mail(mail_dir)) == 1


def test_with_redis_down_a_case_is_saved_and_its_reminder_arrives_when_redis_is_back(
    client, offices, pengawas, koordinator, workers, mail_dir, monkeypatch, caplog
):
    working_broker = app.conf.broker_url
    point_broker_at(monkeypatch, "redis://127.0.0.1:1/0")  # Redis "stopped": nothing listens there

    case = make_case(office=offices.gunung_mas, actor=pengawas)
    client.force_login(pengawas)
    with caplog.at_level("WARNING", logger="netralitas.notify.services"):
        response = client.post(
            reverse("cases:assign", args=[case.code]), {"version": case.version, "assignee": koordinator.pk}
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == koordinator  # saved
    # the hand-over tried once (no publish retries) and left the row waiting in the outbox
    assert "1 notifications wait in the outbox" in caplog.messages
    assert client.get(reverse("cases:detail", args=[case.code])).status_code == 200
    assert client.get(reverse("notify:badge")).status_code == 200

    # The deadline reminder is written by the sweep while Redis is still down.
    Case.objects.filter(pk=case.pk).update(review_due=timezone.localdate())
    reminders.sweep_case_deadlines(now=timezone.localtime().replace(hour=max(timezone.localtime().hour, 8)))
    assert services.dispatch_pending() == 0
    waiting = Notification.objects.filter(channel=Channel.EMAIL, status=Status.PENDING)
    assert sorted(waiting.values_list("template", flat=True)) == ["case_assigned", "case_deadline"]

    # Redis is back: the next dispatch (beat runs it every minute) hands everything to a worker.
    point_broker_at(monkeypatch, working_broker)
    workers.start()
    assert services.dispatch_pending() == 2
    wait_for(lambda: len(sent_mail(mail_dir)) == 2, "both e-mails after Redis came back", workers=workers)
    assert not Notification.objects.filter(channel=Channel.EMAIL).exclude(status=Status.SENT).exists()
    assert sum(b"koordinator@uji.test" in m for m in sent_mail(mail_dir)) == 2
