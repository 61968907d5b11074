"""Referrals as CSV and XLSX, for API clients and for staff in the browser: the columns are
``serializers.ReferralColumns``, the rows ``selectors.export_rows`` (a chunk at a time through a server-side
cursor), so an export of any size runs in flat memory: CSV is streamed as it is written; XLSX is written by
openpyxl's write-only mode to a temporary file, then streamed.

Every value goes through ``netralitas.cells.cell`` (``cells``, a row at a time): a cell a spreadsheet would read as a formula (text
starting with = + - @, or a tab, carriage return or line feed) gets a leading apostrophe, so a name like
``=HYPERLINK(...)`` typed into a case shows as text, and control characters an XLSX file cannot hold are
dropped."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, datetime

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

from cases.api import selectors
from cases.api.serializers import ReferralColumns
from netralitas.cells import cells

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = list(ReferralColumns().fields)


def rows(queryset) -> Iterator[list]:
    """The export's rows of ``queryset``, as Python values (dates, local times, text)."""
    columns = ReferralColumns()
    for referral in selectors.export_rows(queryset, columns.read_fields()):
        yield cells(columns.to_representation(referral).values())


class _Echo:
    def write(self, value):
        return value


def _text(value) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(" ", "minutes")  # 2024-10-21 09:00
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_lines(queryset) -> Iterator[str]:
    """The CSV, line by line (UTF-8 with a BOM so that spreadsheet programs read the names right)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for values in rows(queryset):
        yield writer.writerow([v if v.__class__ is str else _text(v) for v in values])


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


def _filename(stem: str, ext: str) -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.{ext}"


def _blocks(lines: Iterator[str], size: int = 1 << 16) -> Iterator[bytes]:
    """The lines in blocks of about 64 KB: the server writes the socket once a block, not once a line."""
    block, length = [], 0
    for line in lines:
        block.append(line)
        length += len(line)
        if length >= size:
            yield "".join(block).encode("utf-8")
            block, length = [], 0
    if block:
        yield "".join(block).encode("utf-8")


def csv_response(queryset, stem: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_blocks(csv_lines(queryset)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "csv")}"'
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(queryset, stem: str) -> FileResponse:
    """The XLSX from a temporary file (on disk past 8 MB), streamed by the FileResponse, which closes it."""
    handle = tempfile.SpooledTemporaryFile(max_size=8_000_000)  # noqa: SIM115 (closed by the FileResponse)
    write_xlsx(queryset, handle)
    handle.seek(0)
    response = FileResponse(handle, content_type=XLSX_TYPE, as_attachment=True, filename=_filename(stem, "xlsx"))
    response["Cache-Control"] = "private, no-store"
    return response
