"""Hostile uploads at every entry point that takes a file: the staff evidence form, the public report form
and a session's materials. A file that lies about its type, a script in HTML or SVG, an archive or a zip
bomb, an empty or oversized file is refused with an Indonesian form error, everything else typed stays in
the form, and nothing is stored (no row, no file). A file name with a path, NUL, control characters, markup
or 400 characters is stored under a generated name, and the original name is shown escaped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.evidence import services as evidence_services
from cases.models import Evidence, PublicReport
from cases.workflow import services
from outreach import services as outreach_services
from outreach.models import Material
from tests.factories import ALL_REQUIREMENTS, ElectionFactory, make_case
from tests.hostile import (
    HOSTILE_NAMES,
    REFUSED_FILES,
    SCRIPT,
    assert_no_markup_from_data,
    docx_bomb,
    post_multipart,
    small_docx,
    stored_files,
)
from tests.test_case_views import png_bytes

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


@dataclass
class EntryPoint:
    """One way a file gets in: where it is posted, what else is typed (and must come back), and how many
    rows it has made."""

    url: str
    fields: dict
    file_field: str
    kept: tuple[str, ...]
    stored: object  # () -> int
    login: object = None

    def post(self, client, filename: str, content: bytes):
        if self.login is not None:
            client.force_login(self.login)
        return post_multipart(
            client, self.url, self.fields, {self.file_field: [(filename, content)]}, REMOTE_ADDR="198.51.100.20"
        )


@pytest.fixture
def world(offices, regions, pengawas, koordinator):
    election = ElectionFactory(region=regions.gunung_mas, voting_day=timezone.localdate() + timedelta(days=30))
    case = make_case(
        office=offices.gunung_mas,
        actor=pengawas,
        election=election,
        known_on=timezone.localdate() - timedelta(days=1),
        received_at=timezone.now() - timedelta(hours=2),
        **ALL_REQUIREMENTS,
    )
    session = outreach_services.session_create(
        office=offices.gunung_mas,
        actor=pengawas,
        kind="sosialisasi",
        title="Sosialisasi netralitas",
        start=datetime(2024, 9, 10, 9, tzinfo=WIB),
        end=datetime(2024, 9, 10, 12, tzinfo=WIB),
        venue="Aula Setda",
        agencies=[],
    )
    return type("World", (), {"case": case, "session": session, "election": election, "offices": offices})


def entry_points(world, pengawas) -> dict[str, EntryPoint]:
    today = timezone.localdate()
    return {
        "staff-evidence": EntryPoint(
            url=reverse("cases:evidence_add", kwargs={"code": world.case.code}),
            fields={
                "kind": "screenshot",
                "description": "Keterangan bukti yang diketik petugas",
                "account": "akun_penyebar_uji",
                "comment_text": "Komentar yang disalin dari unggahan",
            },
            file_field="upload",
            kept=("Keterangan bukti yang diketik petugas", "akun_penyebar_uji", "Komentar yang disalin dari unggahan"),
            stored=lambda: Evidence.objects.exclude(file="").count(),
            login=pengawas,
        ),
        "public-report": EntryPoint(
            url=reverse("cases:public_report"),
            fields={
                "office": world.offices.gunung_mas.pk,
                "title": "Kepala dinas membagikan unggahan paslon",
                "chronology": "Kronologi yang diketik warga dengan rinci.",
                "place": "Grup WhatsApp Dinas Uji",
                "occurred_on": (today - timedelta(days=2)).isoformat(),
                "known_on": (today - timedelta(days=1)).isoformat(),
                "reported_name": "Nama Terlapor Uji",
                "truthful": "on",
                "website": "",
                "pelapor-name": "Nama Pelapor Uji",
                "pelapor-address": "Jl. Tjilik Riwut, Kuala Kurun",
                "pelapor-phone": "0812 5555 1234",
                "pelapor-nationality": "Indonesia",
            },
            file_field="files",
            kept=("Kronologi yang diketik warga dengan rinci.", "Nama Terlapor Uji", "Nama Pelapor Uji"),
            stored=lambda: PublicReport.objects.count() + Evidence.objects.exclude(file="").count(),
        ),
        "outreach-material": EntryPoint(
            url=reverse("outreach:session", kwargs={"code": world.session.code}),
            fields={"aksi": "materi", "kind": "materi", "title": "Judul materi yang diketik"},
            file_field="upload",
            kept=("Judul materi yang diketik",),
            stored=lambda: Material.objects.count(),
            login=pengawas,
        ),
    }


ENTRY_POINTS = ["staff-evidence", "public-report", "outreach-material"]


def _shown_error(body: str, words: str) -> bool:
    return words.lower() in body.lower()


@pytest.mark.parametrize("point", ENTRY_POINTS)
@pytest.mark.parametrize(("label", "filename", "content", "words"), REFUSED_FILES, ids=[f[0] for f in REFUSED_FILES])
def test_a_hostile_file_is_refused_with_the_form_kept_and_nothing_stored(
    client, world, pengawas, media_root, point, label, filename, content, words
):
    entry = entry_points(world, pengawas)[point]
    before_rows, before_files = entry.stored(), stored_files(media_root)
    response = entry.post(client, filename, content)
    body = response.content.decode()
    assert response.status_code in (200, 400), response.status_code
    assert _shown_error(body, words), f"no error about “{words}” on the page"
    for typed in entry.kept:
        assert typed in body, f"“{typed}” was lost"
    assert entry.stored() == before_rows
    assert stored_files(media_root) == before_files
    assert SCRIPT not in body


@pytest.mark.parametrize("point", ENTRY_POINTS)
def test_an_oversized_file_is_refused_with_the_form_kept(client, world, pengawas, media_root, settings, point):
    settings.EVIDENCE_MAX_BYTES = 1000
    entry = entry_points(world, pengawas)[point]
    before_rows, before_files = entry.stored(), stored_files(media_root)
    response = entry.post(client, "besar.png", png_bytes() + b"\0" * 2000)
    body = response.content.decode()
    assert response.status_code in (200, 400)
    assert "terlalu besar" in body
    for typed in entry.kept:
        assert typed in body
    assert entry.stored() == before_rows and stored_files(media_root) == before_files


@pytest.mark.parametrize("point", ENTRY_POINTS)
@pytest.mark.parametrize(("label", "filename"), HOSTILE_NAMES, ids=[n[0] for n in HOSTILE_NAMES])
def test_a_hostile_file_name_is_stored_under_a_generated_name_and_shown_escaped(
    client, world, pengawas, media_root, point, label, filename
):
    entry = entry_points(world, pengawas)[point]
    if point == "outreach-material":
        entry.fields["title"] = ""  # the material is then shown under the name it was sent with
    content = png_bytes((len(label), len(point), 7))
    response = entry.post(client, filename, content)
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = [Path(media_root) / name for name in stored_files(media_root)]
    assert len(stored) == 1
    # inside MEDIA_ROOT, under a name the client did not choose
    assert stored[0].resolve().is_relative_to(Path(media_root).resolve())
    assert "passwd" not in str(stored[0]) and "script" not in str(stored[0]) and "aaaaaaaa" not in str(stored[0])

    if point == "outreach-material":
        row = Material.objects.get()
        shown_at = reverse("outreach:session", kwargs={"code": world.session.code})
        download = reverse("outreach:material", args=[world.session.code, row.pk])
        client.force_login(pengawas)
    else:
        row = Evidence.objects.exclude(file="").get()
        name = row.original_name
        assert name and len(name) <= 255
        assert not set(name) & {"/", "\\", "\x00", "\r", "\n", "\u202e"}
        shown_at = reverse("cases:detail", kwargs={"code": row.case.code})
        download = reverse("cases:evidence_file", kwargs={"code": row.case.code, "evidence_code": row.code})
        client.force_login(pengawas)
    page = client.get(shown_at)
    assert page.status_code == 200
    assert_no_markup_from_data(page.content.decode())
    if label == "markup":
        assert "&lt;img src=x" in page.content.decode()
    served = client.get(download)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == content
    disposition = served["Content-Disposition"]
    assert "\n" not in disposition and "\r" not in disposition and "/" not in disposition.split("filename", 1)[-1]
    served.close()


def test_an_office_document_is_accepted_and_a_zip_bomb_is_refused_without_unpacking_it(monkeypatch):
    """The check reads the archive's directory, never its content: a bomb is refused in no time and with
    no memory, whatever it unpacks to."""
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    document, bomb = small_docx(), docx_bomb(unpacked_mb=256)
    broken = document[:200]  # passes as Word by its first bytes; the archive is cut short
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: opened.append(a) or real_open(self, *a, **k))
    assert evidence_services.check_upload(SimpleUploadedFile("ba.docx", document)).endswith("wordprocessingml.document")
    with pytest.raises(services.RejectedFile, match="arsip"):
        evidence_services.check_upload(SimpleUploadedFile("bom.docx", bomb))
    assert opened == []
    with pytest.raises(services.RejectedFile, match="rusak"):
        evidence_services.check_upload(SimpleUploadedFile("rusak.docx", broken))
