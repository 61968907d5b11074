"""CSV and XLSX exports: parsed back, formulas escaped, streamed in chunks; staff downloads from the board and
the case list, refused to pemkab; large XLSX built in the background with its progress."""

import csv
import hashlib
import io
from datetime import date, datetime

import openpyxl
import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from cases.api import export_jobs
from cases.api import selectors as api_selectors
from cases.models import ExportJob, Person
from cases.referrals import services as referrals
from tests.api_world import add_evidence, auth, sent_referrals


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(offices, pengawas, koordinator, regions, institutions):
    to_bkn = sent_referrals(offices, pengawas, koordinator, regions, institutions.bkn, n=2)
    to_employer = sent_referrals(
        offices, pengawas, koordinator, regions, institutions.employer, kind="honorer", start=20
    )
    # a name typed as a formula: a spreadsheet must show it as text
    Person.objects.filter(pk=to_bkn[0].subject.person_id).update(name='=HYPERLINK("http://x.test","klik")')
    Person.objects.filter(pk=to_bkn[1].subject.person_id).update(position="+62 Staf", name="@Asn Dua")
    # evidence of the case as a whole and of the first subject: the second subject's row shows only the first
    add_evidence(to_bkn[0].case, content=b"seluruh perkara")
    add_evidence(to_bkn[0].case, content=b"terlapor pertama", subject=to_bkn[0].subject)
    return to_bkn, to_employer


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_api_csv_parses_back_with_formulas_escaped(client, world, bkn_client):
    to_bkn, _to_employer = world
    response = client.get("/api/v1/referrals/export.csv", **auth(bkn_client))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="penerusan-')
    rows = read_csv(response)
    assert {r["kode_penerusan"] for r in rows} == {str(r.code) for r in to_bkn}
    by_nip = {r["nip"]: r for r in rows}
    first = by_nip["198503122010011000"]
    assert first["nama"] == '\'=HYPERLINK("http://x.test","klik")'
    assert first["jenis_pelanggaran"] == "MEDSOS-INTERAKSI"
    assert first["nomor_register"] == to_bkn[0].case.number
    assert (first["tanggal_surat"], first["dikirim"]) == ("2024-10-21", "2024-10-21 09:00")  # the site's time
    assert (first["nomor_rekomendasi"], first["terbukti"], first["sanksi_ppk"]) == ("", "", "")
    second = by_nip["198503122010011001"]
    assert (second["nama"], second["jabatan"]) == ("'@Asn Dua", "'+62 Staf")
    case_wide, own = (hashlib.sha256(content).hexdigest() for content in (b"seluruh perkara", b"terlapor pertama"))
    assert (first["sha256_bukti"], second["sha256_bukti"]) == (f"{case_wide} {own}", case_wide)


def test_the_export_shows_the_latest_responses(client, world, bkn_client, pengawas):
    to_bkn, _to_employer = world
    referrals.referral_record_recommendation(
        referral=to_bkn[0], actor=pengawas, number="R-1", date=date(2024, 11, 4), proven=True, sanction="teguran_lisan"
    )
    referrals.referral_record_ppk_decision(
        referral=to_bkn[0], actor=pengawas, number="", date=date(2024, 11, 20), refused=True, note="Tidak disetujui"
    )
    referrals.referral_record_recommendation(
        referral=to_bkn[1], actor=pengawas, number="R-2", date=date(2024, 11, 5), proven=False
    )
    by_code = {r["kode_penerusan"]: r for r in read_csv(client.get("/api/v1/referrals/export.csv", **auth(bkn_client)))}
    first, second = by_code[str(to_bkn[0].code)], by_code[str(to_bkn[1].code)]
    assert (first["nomor_rekomendasi"], first["tanggal_rekomendasi"], first["terbukti"]) == ("R-1", "2024-11-04", "ya")
    assert (first["sanksi_rekomendasi"], first["tanggal_keputusan_ppk"], first["sanksi_ppk"]) == (
        "teguran_lisan",
        "2024-11-20",
        "ditolak",
    )
    assert (second["nomor_rekomendasi"], second["terbukti"], second["sanksi_rekomendasi"]) == ("R-2", "tidak", "")


def test_api_xlsx_parses_back_with_formulas_escaped(client, world, bkn_client):
    to_bkn, _to_employer = world
    response = client.get("/api/v1/referrals/export.xlsx", {"status": "sent"}, **auth(bkn_client))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["Penerusan"]
    header, *rows = list(sheet.values)
    assert header[:3] == ("kode_penerusan", "tahap", "lembaga")
    records = [dict(zip(header, row, strict=True)) for row in rows]
    assert {r["kode_penerusan"] for r in records} == {str(r.code) for r in to_bkn}
    names = {r["nama"] for r in records}
    assert names == {'\'=HYPERLINK("http://x.test","klik")', "'@Asn Dua"}
    # dates and times are typed cells, the times in the site's zone
    assert {(r["tanggal_surat"], r["dikirim"]) for r in records} == {
        (datetime(2024, 10, 21), datetime(2024, 10, 21, 9))  # noqa: DTZ001 (a cell has no zone)
    }
    assert all(sheet.cell(row=i, column=1).data_type != "f" for i in range(1, sheet.max_row + 1))


def test_the_csv_streams_from_a_server_side_cursor(client, world, bkn_client):
    """Flat memory: the CSV's rows come from one query read through a database cursor (PostgreSQL's
    DECLARE ... CURSOR, fetched a chunk at a time), never from one list of every referral; each chunk
    then reads its institutions, elections and offices in one query (the lists come with each row)."""
    response = client.get("/api/v1/referrals/export.csv", **auth(bkn_client))
    with CaptureQueriesContext(connection) as queries:
        rows = read_csv(response)
    assert len(rows) == 2
    assert len(queries.captured_queries) == 2
    assert queries.captured_queries[0]["sql"].startswith("DECLARE")


def test_the_rows_are_read_in_chunks(world, bkn_client, monkeypatch):
    """The rows of both formats are read a chunk at a time from the cursor, each chunk completed alone (its
    lookups one query)."""
    from cases.api import exports

    monkeypatch.setattr(api_selectors, "EXPORT_CHUNK_SIZE", 1)
    chunks = []
    complete = api_selectors.with_lists
    monkeypatch.setattr(
        api_selectors, "with_lists", lambda rows, **kw: chunks.append(len(rows)) or complete(rows, **kw)
    )
    queryset = api_selectors.referrals_for_client(bkn_client)
    assert len(list(exports.rows(queryset))) == 2
    assert chunks == [1, 1]


def test_export_queries_do_not_grow_with_rows(world, django_assert_num_queries, bkn_client):
    from cases.api import exports

    queryset = api_selectors.referrals_for_client(bkn_client)
    # the chunk (with each row's violation types, responses and evidence), its institutions, elections, offices
    with django_assert_num_queries(2):
        lines = list(exports.csv_lines(queryset))
    assert len(lines) == 3
    with django_assert_num_queries(2):
        assert len(list(exports.rows(queryset))) == 2


def test_staff_download_their_scope_from_the_board(client, world, pengawas, outsider):
    to_bkn, to_employer = world
    client.force_login(pengawas)
    board = client.get("/penerusan/")
    assert b"/penerusan/unduh.csv" in board.content and b"/penerusan/unduh.xlsx" in board.content
    assert b"/penerusan/unduh.csv" in client.get("/perkara/").content
    rows = read_csv(client.get("/penerusan/unduh.csv"))
    assert {r["kode_penerusan"] for r in rows} == {str(r.code) for r in to_bkn + to_employer}
    only_employer = read_csv(client.get("/penerusan/unduh.csv", {"lembaga": to_employer[0].institution_id}))
    assert {r["kode_penerusan"] for r in only_employer} == {str(to_employer[0].code)}
    xlsx = client.post("/penerusan/unduh.xlsx")
    assert xlsx.status_code == 200
    assert len(list(openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))["Penerusan"].values)) == 4
    client.force_login(outsider)
    assert read_csv(client.get("/penerusan/unduh.csv")) == []


def test_pemkab_cannot_download_names(client, world, pemkab):
    client.force_login(pemkab)
    assert client.get("/penerusan/unduh.csv").status_code == 403
    assert client.post("/penerusan/unduh.xlsx").status_code == 403


def test_a_large_xlsx_is_built_in_the_background_with_progress(
    client, world, pengawas, monkeypatch, django_capture_on_commit_callbacks
):
    from cases import tasks

    monkeypatch.setattr(export_jobs, "XLSX_INLINE_MAX_ROWS", 1)
    handed = []
    monkeypatch.setattr(tasks.build_export, "apply_async", lambda args, **kw: handed.append(args[0]))
    client.force_login(pengawas)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/penerusan/unduh.xlsx")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/penerusan/unduhan/{job.code}/"
    assert handed == [job.pk]
    waiting = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert b'hx-trigger="every 1s"' in waiting.content and b"Menunggu giliran" in waiting.content
    assert "HX-Request" in waiting["Vary"]  # the same address answers the whole page
    assert client.get(f"/penerusan/unduhan/{job.code}/berkas/").status_code == 404
    assert export_jobs.export_job_run(job.pk) == ExportJob.Status.DONE
    assert export_jobs.export_job_run(job.pk) == "skipped"
    job.refresh_from_db()
    assert (job.total, job.done, job.percent) == (3, 3, 100)
    ready = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert b"every 1s" not in ready.content and b"Berkas siap: 3 penerusan." in ready.content
    file = client.get(f"/penerusan/unduhan/{job.code}/berkas/")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(file.streaming_content)))["Penerusan"].values)
    assert len(rows) == 4
    # the job is its requester's only
    client.force_login(pengawas.__class__.objects.create(username="lain"))
    assert client.get(response["Location"]).status_code == 403


def test_progress_is_reported_while_writing(world, pengawas):
    from cases.api import exports

    seen = []
    queryset = export_jobs.referrals_for_export(pengawas, api_selectors.ReferralFilters())
    count = exports.write_xlsx(queryset, io.BytesIO(), progress=seen.append, every=1)
    assert (count, seen) == (3, [1, 2, 3])


def test_without_a_broker_the_export_is_built_in_the_request(
    client, world, pengawas, monkeypatch, django_capture_on_commit_callbacks
):
    from cases import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(export_jobs, "XLSX_INLINE_MAX_ROWS", 1)
    monkeypatch.setattr(tasks.build_export, "apply_async", down)
    client.force_login(pengawas)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/penerusan/unduh.xlsx")
    assert ExportJob.objects.get().status == ExportJob.Status.DONE
