"""The dashboard's figures as an XLSX workbook: one sheet per figure, the same numbers as the page.

Figures only: the PPK follow-up list (names) stays on the page, so a forwarded spreadsheet carries none.
Names of agencies, regions and elections are typed by people: every value goes through
``netralitas.cells.cell`` (no formula, no character that breaks the file)."""

from __future__ import annotations

from io import BytesIO

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dashboard.followup import SPANS, FollowUp
from dashboard.selectors import Figures, Period
from netralitas.cells import cells


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for heading in sheet[1]:
        heading.font = Font(bold=True)
    for row in rows:
        sheet.append(cells(row))
    sheet.column_dimensions["A"].width = 48
    for letter in "BCDEFG"[: len(header) - 1]:
        sheet.column_dimensions[letter].width = 16
    return sheet


def _followup_sheet(workbook, followup: FollowUp) -> None:
    """The follow-up rates: the whole scope, the provinces and the regencies ranked by rate, the bodies."""
    header = [
        _("Tingkat"),
        _("Nama"),
        _("Direkomendasikan"),
        _("Diputus PPK"),
        _("Sanksi dijatuhkan"),
        _("Dilaksanakan"),
        _("Tidak disanksi PPK"),
        _("Melewati batas PPK"),
        _("Tingkat tindak lanjut (%)"),
        *(_("Median hari kerja: %(stage)s") % {"stage": label} for *_rest, label in SPANS),
    ]
    groups = [
        (_("Semua"), [followup.total]),
        (_("Provinsi"), followup.provinces),
        (_("Kabupaten/kota"), followup.regencies),
        (_("Lembaga"), followup.bodies),
    ]
    rows = [
        (
            level,
            r.label,
            r.recommended,
            r.decided,
            r.sanctioned,
            r.executed,
            r.refused,
            r.overdue,
            r.rate,
            *(span["median"] for span in r.median_list()),
        )
        for level, group in groups
        for r in group
    ]
    rows.append(())
    rows.append(
        (
            _(
                "Tingkat tindak lanjut = dijatuhi sanksi oleh PPK (sudah atau belum dilaksanakan) ÷ direkomendasikan "
                "sanksinya oleh lembaga (terbukti). Median dalam hari kerja."
            ),
        )
    )
    sheet = _sheet(workbook, _("Tindak lanjut"), header, rows)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 40


def workbook_bytes(
    figures: Figures, period: Period, *, scope_label: str, made_on, followup: FollowUp | None = None
) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Ringkasan")
    summary.append(cells([_("Dasbor netralitas ASN"), scope_label]))
    summary["A1"].font = Font(bold=True)
    summary.append([_("Dibuat"), date_format(made_on, "j F Y")])
    summary.append(cells([_("Pemilihan"), period.election.name if period.election else _("Semua pemilihan")]))
    summary.append([_("Diterima dari"), date_format(period.start, "j F Y") if period.start else "—"])
    summary.append([_("Diterima sampai"), date_format(period.end, "j F Y") if period.end else "—"])
    summary.append([])
    summary.append([_("Perkara"), figures.total_cases])
    summary.append([_("Perkara berjalan"), figures.open_cases])
    summary.append([_("Perkara melewati batas waktu"), figures.overdue_cases])
    summary.append([_("Terlapor"), figures.total_subjects])
    summary.append([_("Terlapor terbukti melanggar"), figures.proven_subjects])
    for row in figures.overdue_referrals:
        summary.append(cells([row.label, row.value]))
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 40

    _sheet(workbook, _("Status perkara"), [_("Status"), _("Perkara")], ((r.label, r.value) for r in figures.by_status))
    _sheet(
        workbook,
        _("Jenis pelanggaran"),
        [_("Jenis pelanggaran"), _("Kode"), _("Terlapor"), _("Terbukti")],
        ((r.label, r.extra["code"], r.value, r.extra["proven"]) for r in figures.by_type),
    )
    _sheet(
        workbook,
        _("OPD"),
        [_("Perangkat daerah (OPD)"), _("Terlapor"), _("Terbukti")],
        ((r.label, r.value, r.extra["proven"]) for r in figures.by_agency),
    )
    _sheet(
        workbook,
        _("Status kepegawaian"),
        [_("Status kepegawaian"), _("Terlapor"), _("Terbukti")],
        ((r.label, r.value, r.extra["proven"]) for r in figures.by_employment),
    )
    _sheet(
        workbook, _("Per bulan"), [_("Bulan diterima"), _("Perkara")], ((r.label, r.value) for r in figures.by_month)
    )
    _sheet(
        workbook, _("Penerusan"), [_("Tahap penerusan"), _("Penerusan")], ((r.label, r.value) for r in figures.pipeline)
    )
    _sheet(
        workbook,
        _("Pencegahan per OPD"),
        [
            _("Perangkat daerah (OPD)"),
            _("Sosialisasi diikuti"),
            _("Orang dijangkau"),
            _("ASN dijangkau"),
            _("Terlapor"),
            _("Terbukti"),
        ],
        (
            (p["name"], p["sessions_held"], p["people_reached"], p["asn_reached"], p["subjects"], p["proven"])
            for p in figures.prevention
        ),
    )
    _sheet(
        workbook,
        _("Per kabupaten-kota"),
        [_("Kabupaten/kota"), _("Perkara"), _("Berjalan"), _("Melewati batas"), _("Menunggu keputusan PPK")],
        (
            (r["office__region__name"], r["cases"], r["open"], r["overdue"], r["awaiting_ppk"])
            for r in figures.per_regency
        ),
    )
    if followup is not None:
        _followup_sheet(workbook, followup)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
