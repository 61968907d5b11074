"""Faults the system must ride out.

- PostgreSQL restarted while pages are being served: the backends are terminated between requests and in
  the middle of a case being recorded; the next request succeeds (persistent connections are health-checked,
  ``CONN_HEALTH_CHECKS``), and no half-written case is left (the case, its reporter and its first event are
  one transaction).
- Redis down: ``tests/test_notify_broker.py::test_with_redis_down_a_case_is_saved_and_its_reminder_arrives_when_redis_is_back``
  saves a case through the web with the broker unreachable and sees its reminder delivered once Redis is back.
- The disk refusing a write during an upload (staff evidence, the public report with several files): the
  person sees why, in Indonesian, with everything typed still in the form (HTTP 503, not 500); no row is
  written, and no file is left, neither the partial one nor the files stored before it.
"""

import errno
import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

import netralitas.storage
from cases.evidence import services as evidence_services
from cases.models import Case, CaseEvent, Evidence, PublicReport, Reporter
from cases.workflow import services
from netralitas.storage import FileSystemStorage
from tests.factories import ElectionFactory, make_case
from tests.test_case_views import png_bytes
from tests.test_public_reports import form_data, screenshot

ROOT = Path(__file__).resolve().parent.parent

# --- PostgreSQL restarted -------------------------------------------------------------------------------------


def admin_connection():
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    )


def restart_database(*pids: int) -> int:
    """What a restart does to the application: its backends are gone (all sessions of the test database but
    the one doing it, or just ``pids``). Returns how many were terminated."""
    with admin_connection() as admin:
        if pids:
            rows = admin.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [list(pids)])
        else:
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        return sum(1 for (done,) in rows.fetchall() if done)


@pytest.fixture
def persistent_connections(monkeypatch):
    """Production's connection settings (the suite otherwise closes connections after each request)."""
    assert django_settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True  # netralitas/settings.py
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    yield
    connection.close()


def backend_pid() -> int:
    return connection.connection.info.backend_pid


def test_production_settings_keep_connections_briefly_and_check_them():
    """On PostgreSQL, a connection is kept for a minute and checked before each request reuses it."""
    code = (
        "import json; from django.conf import settings; d = settings.DATABASES['default']; "
        "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['OPTIONS']['connect_timeout']]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_CONN_MAX_AGE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="netralitas.settings",
        NETRALITAS_IGNORE_DOTENV="1",
        DATABASE_URL="postgres://netralitas@db:5432/netralitas",
        SECRET_KEY="x" * 50,
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(result.stdout) == [60, True, 5]


def serve(path: str, client) -> int:
    """One request through Django's WSGI handler, as gunicorn serves it: unlike the test client, it sends
    the request_started and request_finished signals to ``close_old_connections``, where the persistent
    connection is checked and closed. Signed in as ``client``'s user."""
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    environ = RequestFactory().get(path, HTTP_COOKIE=f"{django_settings.SESSION_COOKIE_NAME}={cookie}").environ
    status = []
    response = WSGIHandler()(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        b"".join(response)
    finally:
        response.close()
    return int(status[0].split()[0])


@pytest.mark.django_db(transaction=True)
def test_pages_keep_working_after_the_database_restarts(client, offices, pengawas, persistent_connections):
    case = make_case(office=offices.gunung_mas, actor=pengawas)
    client.force_login(pengawas)
    assert serve(reverse("cases:list"), client) == 200
    before = backend_pid()  # kept open after the request (CONN_MAX_AGE)
    assert restart_database() >= 1
    assert serve(reverse("cases:detail", args=[case.code]), client) == 200
    assert backend_pid() != before  # a fresh connection, made without the user seeing anything
    assert serve(reverse("cases:list"), client) == 200


@pytest.mark.django_db(transaction=True)
def test_without_the_health_check_the_first_request_after_a_restart_fails(
    client, offices, pengawas, persistent_connections, monkeypatch
):
    """The control: the previous test passes because of CONN_HEALTH_CHECKS, not by luck."""
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    connection.close()
    client.force_login(pengawas)
    assert serve(reverse("cases:list"), client) == 200
    restart_database()
    assert serve(reverse("cases:list"), client) == 500
    assert serve(reverse("cases:list"), client) == 200  # the broken connection was dropped after the error


@pytest.mark.django_db(transaction=True)
def test_a_restart_in_the_middle_of_recording_a_case_leaves_no_half_written_case(
    offices, pengawas, regions, persistent_connections, monkeypatch
):
    election = ElectionFactory(region=regions.gunung_mas)
    client = Client(raise_request_exception=False)
    client.force_login(pengawas)
    url = reverse("cases:create", kwargs={"source": "laporan"})
    data = {
        "election": election.pk,
        "title": "Camat menyukai unggahan paslon",
        "chronology": "Akun camat menyukai unggahan akun resmi paslon 2.",
        "known_on": "2024-10-14",
        "received_at": "2024-10-15T09:30",
        "pelapor-name": "Budi Warga",
        "pelapor-address": "Kuala Kurun",
        "pelapor-phone": "0812345",
        "pelapor-nationality": "Indonesia",
    }
    real_event = services.record_event
    killed = []

    def restart_then_event(case, *args, **kwargs):
        # the case row and its reporter are written; the database goes away before the first event is
        killed.append(restart_database(backend_pid()))
        return real_event(case, *args, **kwargs)

    monkeypatch.setattr(services, "record_event", restart_then_event)
    response = client.post(url, data)
    assert killed == [1] and response.status_code == 500
    monkeypatch.setattr(services, "record_event", real_event)

    assert not Case.all_objects.exists() and not Reporter.objects.exists() and not CaseEvent.objects.exists()
    # the same person sends the form again: it goes through, once
    response = client.post(url, data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert list(case.events.values_list("action", flat=True)) == ["case.created"]
    assert case.reporter.name == "Budi Warga"


# --- The disk refusing a write ---------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "netralitas.storage.FileSystemStorage"}}
    return tmp_path / "media"


def files_under(root: Path, folder: str = "") -> list[Path]:
    base = root / folder
    return sorted(p for p in base.rglob("*") if p.is_file()) if base.exists() else []


class FullDisk:
    """The disk fills up: the ``fail_on``-th file written to a path containing ``where`` gets half its bytes
    written, then ENOSPC (as the kernel answers when the file system is full)."""

    def __init__(self, monkeypatch, *, where: str, fail_on: int = 1):
        self.where, self.fail_on, self.seen = where, fail_on, 0
        self.real = netralitas.storage.write_all
        monkeypatch.setattr(netralitas.storage, "write_all", self)

    def __call__(self, content, handle, full_path):
        if self.where in full_path:
            self.seen += 1
            if self.seen == self.fail_on:
                data = b"".join(content.chunks())
                handle.write(data[: len(data) // 2])
                handle.flush()
                raise OSError(errno.ENOSPC, "No space left on device")
        return self.real(content, handle, full_path)


def test_the_storage_leaves_no_partial_file(media, monkeypatch):
    storage = FileSystemStorage(location=media)
    assert storage.save("evidence/ab/utuh", ContentFile(b"isi lengkap")) == "evidence/ab/utuh"
    FullDisk(monkeypatch, where="evidence")
    with pytest.raises(OSError) as refused:
        storage.save("evidence/ab/separuh", ContentFile(b"x" * 100_000))
    assert refused.value.errno == errno.ENOSPC
    assert [p.name for p in files_under(media)] == ["utuh"]  # no partial file, no temporary file
    assert (media / "evidence/ab/utuh").read_bytes() == b"isi lengkap"
    assert oct((media / "evidence/ab/utuh").stat().st_mode & 0o777) == "0o644"


def test_the_storage_never_replaces_a_stored_file(media):
    storage = FileSystemStorage(location=media)
    storage.save("evidence/ab/nama", ContentFile(b"pertama"))
    second = storage.save("evidence/ab/nama", ContentFile(b"kedua"))
    assert second != "evidence/ab/nama"
    assert (media / "evidence/ab/nama").read_bytes() == b"pertama"


@pytest.fixture
def case(offices, pengawas):
    return make_case(office=offices.gunung_mas, actor=pengawas)


def test_a_staff_upload_to_a_full_disk_keeps_the_form_and_stores_nothing(client, media, case, pengawas, monkeypatch):
    FullDisk(monkeypatch, where="evidence")
    client.force_login(pengawas)
    response = client.post(
        reverse("cases:evidence_add", args=[case.code]),
        {
            "kind": "screenshot",
            "description": "Tangkapan layar komentar camat",
            "upload": SimpleUploadedFile("komentar.png", png_bytes((1, 2, 3)) + b"\0" * 200_000),
        },
    )
    page = response.content.decode()
    assert response.status_code == 503
    assert "tidak dapat disimpan" in page and "penyimpanan server menolak menulis" in page
    assert "Tangkapan layar komentar camat" in page  # what was typed is still there
    assert not Evidence.objects.exists()
    assert not case.events.filter(action="evidence.added").exists()
    assert files_under(media) == []


def test_a_failed_change_deletes_the_file_it_stored_but_not_one_it_found(media, offices, case, pengawas, monkeypatch):
    content = png_bytes((7, 7, 7))
    other = make_case(office=offices.gunung_mas, actor=pengawas)
    shared = evidence_services.evidence_add(
        case=other, actor=pengawas, kind="screenshot", upload=SimpleUploadedFile("a.png", content)
    )
    real_event = evidence_services.record_event

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(evidence_services, "record_event", database_gone)
    with pytest.raises(OperationalError):
        evidence_services.evidence_add(
            case=case, actor=pengawas, kind="screenshot", upload=SimpleUploadedFile("b.png", png_bytes((8, 8, 8)))
        )
    with pytest.raises(OperationalError):  # the same bytes as the other case's evidence: that file stays
        evidence_services.evidence_add(
            case=case, actor=pengawas, kind="screenshot", upload=SimpleUploadedFile("c.png", content)
        )
    monkeypatch.setattr(evidence_services, "record_event", real_event)
    assert [p.name for p in files_under(media)] == [shared.sha256]
    assert Evidence.objects.get() == shared


@pytest.fixture
def election(regions):
    return ElectionFactory(region=regions.gunung_mas, voting_day=timezone.localdate() + timedelta(days=30))


def post_report(client, offices, files=(), **overrides):
    data = form_data(offices, **overrides)
    if files:
        data["files"] = list(files)
    return client.post("/lapor/", data, REMOTE_ADDR="203.0.113.9")


def test_a_public_report_whose_second_file_meets_a_full_disk_records_nothing(
    client, media, offices, election, monkeypatch
):
    disk = FullDisk(monkeypatch, where="/evidence/", fail_on=2)
    files = [screenshot("satu.png", (1, 1, 1)), screenshot("dua.png", (2, 2, 2))]
    response = post_report(client, offices, files=files)
    page = response.content.decode()
    assert disk.seen == 2 and response.status_code == 503
    assert "tidak dapat disimpan" in page
    assert "Kepala dinas membagikan unggahan paslon 2" in page and "Warga Pelapor Rahasia" in page
    assert not Case.all_objects.exists() and not PublicReport.objects.exists() and not Evidence.objects.exists()
    # the first evidence file (stored before the refusal) and the partial second are gone
    assert files_under(media, "evidence") == []
    # the two files the reporter sent are kept for the next submit, listed on the page
    assert len(files_under(media, "public-pending")) == 2
    assert "satu.png" in page and "dua.png" in page

    # space is freed; the reporter presses "Kirim" again without choosing the files again
    monkeypatch.setattr(netralitas.storage, "write_all", disk.real)
    signed = re.search(r'name="berkas_tersimpan" value="([^"]*)"', page).group(1)
    response = post_report(client, offices, berkas_tersimpan=signed)
    assert response.status_code == 302
    report = PublicReport.objects.get()
    assert report.case.evidence.exclude(file="").count() == 2
    assert len(files_under(media, "evidence")) == 2 and files_under(media, "public-pending") == []


def test_a_public_report_whose_files_cannot_even_be_kept_says_so(client, media, offices, election, monkeypatch):
    FullDisk(monkeypatch, where="public-pending", fail_on=2)
    response = post_report(client, offices, files=[screenshot("satu.png", (1, 1, 1)), screenshot("dua.png", (2, 2, 2))])
    page = response.content.decode()
    assert response.status_code == 503
    assert "tidak dapat disimpan" in page and "Kepala dinas membagikan unggahan paslon 2" in page
    assert not Case.all_objects.exists()
    assert files_under(media) == []  # the first kept file is removed with the partial second
