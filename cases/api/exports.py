"""Referrals as CSV and XLSX, for API clients and for staff in the browser. Rows are produced one at a time
from a chunked queryset, so an export of any size runs in flat memory: CSV is streamed as it is written;
XLSX is written by openpyxl's write-only mode to a temporary file, then streamed.

Every value goes through ``netralitas.cells.cell``: a cell a spreadsheet would read as a formula (text
starting with = + - @, or a tab, carriage return or line feed) gets a leading apostrophe, so a name like
``=HYPERLINK(...)`` typed into a case shows as text, and control characters an XLSX file cannot hold are
dropped."""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime

from django.conf import settings
from django.db import connection
from django.db.models import CharField, DateTimeField, F, Func, OuterRef, Q, Value
from django.db.models.functions import JSONObject
from django.utils import timezone
from openpyxl import Workbook

from cases.api import selectors
from cases.models import CaseSubject, Evidence, Referral, ReferralResponse
from netralitas.cells import cell


def _latest(responses: list[ReferralResponse], kind: str) -> ReferralResponse | None:
    found = [r for r in responses if r.kind == kind]
    return found[-1] if found else None


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


COLUMNS: list[tuple[str, Callable[[Referral, dict], object]]] = [
    ("kode_penerusan", lambda r, x: str(r.code)),
    ("tahap", lambda r, x: r.status),
    ("lembaga", lambda r, x: r.institution.name),
    ("nomor_surat", lambda r, x: r.letter_number),
    ("tanggal_surat", lambda r, x: r.letter_date),
    ("dikirim", lambda r, x: _local(r.sent_at)),
    ("batas_rekomendasi", lambda r, x: r.response_due),
    ("batas_ppk", lambda r, x: r.ppk_due),
    ("selesai_karena", lambda r, x: r.closed_as),
    ("nomor_register", lambda r, x: r.case.number),
    ("pemilihan", lambda r, x: r.case.election.name),
    ("kode_wilayah", lambda r, x: r.case.office.region.code),
    ("wilayah", lambda r, x: r.case.office.region.name),
    ("kecamatan", lambda r, x: r.case.district.name if r.case.district else ""),
    ("tanggal_kejadian", lambda r, x: r.case.occurred_on),
    ("diterima", lambda r, x: _local(r.case.received_at)),
    ("diputus", lambda r, x: _local(r.case.decided_at)),
    ("putusan", lambda r, x: r.case.outcome),
    ("nama", lambda r, x: r.subject.person.name),
    ("nip", lambda r, x: r.subject.person.nip),
    ("status_kepegawaian", lambda r, x: r.subject.person.employment_type),
    ("jabatan", lambda r, x: r.subject.person.position),
    ("instansi", lambda r, x: r.subject.person.agency.name if r.subject.person.agency else ""),
    ("jenis_pelanggaran", lambda r, x: ";".join(t.code for t in r.subject.api_violation_types)),
    ("nomor_rekomendasi", lambda r, x: x["rec"].number if x["rec"] else ""),
    ("tanggal_rekomendasi", lambda r, x: x["rec"].date if x["rec"] else None),
    ("terbukti", lambda r, x: ("ya" if x["rec"].proven else "tidak") if x["rec"] else ""),
    ("sanksi_rekomendasi", lambda r, x: x["rec"].sanction if x["rec"] else ""),
    ("nomor_keputusan_ppk", lambda r, x: x["ppk"].number if x["ppk"] else ""),
    ("tanggal_keputusan_ppk", lambda r, x: x["ppk"].date if x["ppk"] else None),
    ("sanksi_ppk", lambda r, x: (x["ppk"].sanction or "ditolak") if x["ppk"] else ""),
    ("sanksi_dilaksanakan", lambda r, x: x["exe"].date if x["exe"] else None),
    ("sha256_bukti", lambda r, x: " ".join(e.sha256 for e in selectors.evidence_of(r) if e.sha256)),
    ("diubah", lambda r, x: _local(r.updated_at)),
]
HEADER = [name for name, _value in COLUMNS]


def row_values(referral: Referral) -> list:
    responses = selectors.responses_of(referral)
    extra = {
        "rec": _latest(responses, ReferralResponse.Kind.RECOMMENDATION),
        "ppk": _latest(responses, ReferralResponse.Kind.PPK_DECISION),
        "exe": _latest(responses, ReferralResponse.Kind.EXECUTION),
    }
    return [cell(value(referral, extra)) for _name, value in COLUMNS]


def rows(queryset) -> Iterator[list]:
    for referral in selectors.export_rows(queryset):
        yield row_values(referral)


class _Echo:
    def write(self, value):
        return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_lines(queryset) -> Iterator[str]:
    """The CSV, line by line (UTF-8 with a BOM so that spreadsheet programs read the names right). On
    PostgreSQL each row is one tuple of a single query, already text (``flat_rows``); elsewhere it is built from
    model objects (``rows``), with the same result."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    if connection.vendor == "postgresql":
        for texts in flat_rows(queryset):
            yield writer.writerow(texts)
    else:
        for values in rows(queryset):
            yield writer.writerow([_text(v) for v in values])


# --- The same rows from one query (PostgreSQL) --------------------------------------------------------------
# Building ten model objects per referral (the case, its office, the person ...) and their prefetched
# relations holds an export to about 1,400 rows a second; one tuple per row from a single query, with the
# latest responses, the violation types and the evidence hashes as correlated subqueries, is several times
# faster and needs only the cursor's chunk in memory.

# The row as text: dates and times are written by PostgreSQL (in the site's time zone for times), so the rows
# need no date parsing and converting in Python; ``cell`` guards the free text typed by people.
FLAT_FIELDS = [
    "code", "status", "institution__name", "letter_number", "x_letter_date", "x_sent_at", "x_response_due",
    "x_ppk_due", "closed_as", "case__number", "case__election__name", "case__office__region__code",
    "case__office__region__name", "case__district__name", "x_occurred_on", "x_received_at", "x_decided_at",
    "case__outcome", "subject__person__name", "subject__person__nip", "subject__person__employment_type",
    "subject__person__position", "subject__person__agency__name", "x_types", "x_responses", "x_hashes",
    "x_updated_at",
]  # fmt: skip


def _day_text(field: str) -> Func:
    """A date as ``_text`` writes it (ISO)."""
    return Func(F(field), Value("YYYY-MM-DD"), function="to_char", output_field=CharField())


def _moment_text(field: str) -> Func:
    """A moment as ``_text(_local(...))`` writes it: the site's local time, to the minute."""
    local = Func(Value(settings.TIME_ZONE), F(field), function="timezone", output_field=DateTimeField())
    return Func(local, Value("YYYY-MM-DD HH24:MI"), function="to_char", output_field=CharField())


def _responses_in_order():
    """The responses of the referral and of the one it was transferred from, oldest first, as one array of
    JSON objects: one correlated subquery per row (eight, one per response cell, cost the export a third of
    its time); the latest of each kind is picked in Python."""
    from django.contrib.postgres.expressions import ArraySubquery

    return ArraySubquery(
        ReferralResponse.objects.filter(Q(referral=OuterRef("pk")) | Q(referral=OuterRef("transferred_from")))
        .order_by("recorded_at", "pk")
        .values(j=JSONObject(kind="kind", number="number", date="date", proven="proven", sanction="sanction"))
    )


def _latest_of_each_kind(responses) -> dict[str, dict]:
    latest = {}
    for response in responses or ():
        if isinstance(response, str):  # a driver that hands JSON over as text
            response = json.loads(response)
        latest[response["kind"]] = response
    return latest


def flat_rows(queryset) -> Iterator[list]:
    from django.contrib.postgres.aggregates import StringAgg

    acts = (
        CaseSubject.violation_types.through.objects.filter(casesubject_id=OuterRef("subject_id"))
        .order_by()
        .values("casesubject_id")
        .annotate(
            codes=StringAgg("violationtype__code", ";", order_by=("violationtype__sort_order", "violationtype__code"))
        )
        .values("codes")
    )
    hashes = (
        Evidence.objects.filter(
            Q(subject_id=OuterRef("subject_id")) | Q(subject__isnull=True), case_id=OuterRef("case_id")
        )
        .exclude(sha256="")
        .order_by()
        .values("case_id")
        .annotate(h=StringAgg("sha256", " ", order_by=("uploaded_at", "pk")))
        .values("h")
    )
    K = ReferralResponse.Kind
    annotated = queryset.order_by("updated_at", "pk").annotate(
        x_types=acts,
        x_hashes=hashes,
        x_responses=_responses_in_order(),
        x_letter_date=_day_text("letter_date"),
        x_response_due=_day_text("response_due"),
        x_ppk_due=_day_text("ppk_due"),
        x_occurred_on=_day_text("case__occurred_on"),
        x_sent_at=_moment_text("sent_at"),
        x_received_at=_moment_text("case__received_at"),
        x_decided_at=_moment_text("case__decided_at"),
        x_updated_at=_moment_text("updated_at"),
    )
    nothing = {}
    for (code, status, institution, letter_number, letter_date, sent_at, response_due, ppk_due, closed_as, number,
         election, region_code, region_name, district, occurred_on, received_at, decided_at, outcome, name, nip,
         employment, position, agency, types, responses, hashes, updated_at) in annotated.values_list(
            *FLAT_FIELDS).iterator(chunk_size=5000):  # fmt: skip
        latest = _latest_of_each_kind(responses)
        rec = latest.get(K.RECOMMENDATION, nothing)
        ppk = latest.get(K.PPK_DECISION, nothing)
        rec_date, ppk_date = rec.get("date"), ppk.get("date")
        # codes, choices, dates and hashes are written as they are; what people typed goes through ``cell``
        yield [
            str(code), status, cell(institution), cell(letter_number), letter_date or "", sent_at or "",
            response_due or "", ppk_due or "", closed_as, cell(number), cell(election), region_code,
            cell(region_name), cell(district or ""), occurred_on or "", received_at or "", decided_at or "", outcome,
            cell(name), cell(nip), employment, cell(position), cell(agency or ""), types or "",
            cell(rec.get("number") or "") if rec_date else "", rec_date or "",
            ("ya" if rec.get("proven") else "tidak") if rec_date else "", rec.get("sanction") or "" if rec_date else "",
            cell(ppk.get("number") or "") if ppk_date else "", ppk_date or "",
            (ppk.get("sanction") or "ditolak") if ppk_date else "",
            latest.get(K.EXECUTION, nothing).get("date") or "", hashes or "", updated_at or "",
        ]  # fmt: skip


def write_xlsx(queryset, target, *, progress: Callable[[int], None] | None = None, every: int = 500) -> int:
    """Write the XLSX to ``target`` (a path or a binary file); returns the number of rows. ``progress`` is
    told the count every ``every`` rows (the background export's progress bar)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Penerusan")
    sheet.append(HEADER)
    count = 0
    for values in rows(queryset):
        sheet.append(values)
        count += 1
        if progress and count % every == 0:
            progress(count)
    book.save(target)
    return count


def xlsx_file(queryset) -> tempfile.SpooledTemporaryFile:
    """The XLSX in a temporary file (on disk past 8 MB), rewound, for a FileResponse to stream."""
    handle = tempfile.SpooledTemporaryFile(max_size=8_000_000)  # noqa: SIM115 (closed by the FileResponse)
    write_xlsx(queryset, handle)
    handle.seek(0)
    return handle


def lines_of(items: Iterable[str]) -> Iterator[bytes]:
    for item in items:
        yield item.encode("utf-8")
