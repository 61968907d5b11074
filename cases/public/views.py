"""The public pages: report a suspected violation (no account) and follow it by its tracking code."""

from __future__ import annotations

import logging
from datetime import date

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.evidence import services as evidence_services
from cases.models import CaseSource
from cases.public import services as public
from cases.public.forms import PublicReporterForm, PublicReportForm
from cases.workflow import deadlines, services
from netralitas.reference.models import Office

logger = logging.getLogger(__name__)


def _report_page(request, form, reporter_form, pending, *, status=200, error=""):
    return render(
        request,
        "cases/public/report.html",
        {
            "form": form,
            "reporter_form": reporter_form,
            "pending": pending,
            "pending_signed": public.sign_pending(pending),
            "error": error,
            "limit": public.MAX_FILES,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def report(request):
    if request.method != "POST":
        return _report_page(request, PublicReportForm(), PublicReporterForm(), [])
    form = PublicReportForm(request.POST, request.FILES)
    reporter_form = PublicReporterForm(request.POST)
    pending = public.unsign_pending(request.POST.get("berkas_tersimpan", ""))
    client = public.client_hash(request)
    if form.is_bot:
        # the hidden field was filled: a bot (or a browser's autofill): keep what was typed, store nothing
        form.data = form.data.copy()
        form.data["website"] = ""
        return _report_page(
            request,
            form,
            reporter_form,
            pending,
            status=400,
            error=_("Laporan belum dapat diterima. Periksa isian, lalu kirim lagi."),
        )
    again_at = public.limit_reached(client)
    if again_at:
        # over the hourly limit: store nothing new; what was typed stays in the form
        form.is_valid()
        reporter_form.is_valid()
        return _report_page(request, form, reporter_form, pending, status=429, error=str(public.RateLimited(again_at)))
    # Keep every acceptable new file first, so that no refusal below loses it.
    refused_files = []
    fresh = []
    for upload in request.FILES.getlist("files"):
        try:
            evidence_services.check_upload(upload)
        except services.RejectedFile as error:
            refused_files.append(str(error))
        else:
            fresh.append(upload)
    if len(pending) + len(fresh) > public.MAX_FILES:
        refused_files.append(
            _("Paling banyak %(n)d berkas; berkas selebihnya tidak disimpan.") % {"n": public.MAX_FILES}
        )
        fresh = fresh[: max(public.MAX_FILES - len(pending), 0)]
    allowed = public.stash_allowance(client, len(fresh))
    if allowed < len(fresh):
        refused_files.append(_("Terlalu banyak berkas dari alamat jaringan ini dalam satu jam; coba lagi nanti."))
        fresh = fresh[:allowed]
    try:
        pending = public.stash_uploads(fresh, pending)
    except OSError as error:
        logger.error("storage refused to keep the files of a public report: %s", error)
        form.is_valid()
        reporter_form.is_valid()
        return _report_page(
            request,
            form,
            reporter_form,
            pending,
            status=503,
            error=str(services.StorageFailed(", ".join(upload.name for upload in fresh))),
        )
    form_ok = form.is_valid()
    reporter_ok = reporter_form.is_valid()
    for message in refused_files:
        form.add_error("files", message)
    if not (form_ok and reporter_ok) or refused_files:
        return _report_page(request, form, reporter_form, pending, status=400)
    data = form.cleaned_data
    opened = public.open_pending(pending)
    if len(opened) < len(pending):
        kept = {handle.name for handle in opened}
        lost = [p for p in pending if p.name not in kept]
        form.add_error(
            "files",
            _("Berkas yang disimpan sementara sudah tidak ada (disimpan paling lama sehari): %(names)s. Unggah lagi.")
            % {"names": ", ".join(p.name for p in lost)},
        )
        for handle in opened:
            handle.close()
        return _report_page(request, form, reporter_form, [p for p in pending if p not in lost], status=400)
    try:
        created = public.public_report_submit(
            office=data["office"],
            reporter=reporter_form.cleaned_data,
            reported={k: data[k] for k in public.REPORTED_FIELDS},
            title=data["title"],
            chronology=data["chronology"],
            place=data["place"],
            occurred_on=data["occurred_on"],
            known_on=data["known_on"],
            witnesses=data["witnesses"],
            consent_contact=data["consent_contact"],
            uploads=opened,
            links=data["links"],
            client=client,
        )
    except public.RateLimited as error:
        return _report_page(request, form, reporter_form, pending, status=429, error=str(error))
    except services.StorageFailed as error:
        # nothing was recorded and the evidence files written before the refusal were deleted; the kept
        # files stay listed in the form, so sending again needs no new upload
        return _report_page(request, form, reporter_form, pending, status=503, error=str(error))
    except services.CaseError as error:
        return _report_page(request, form, reporter_form, pending, status=400, error=str(error))
    finally:
        for handle in opened:
            handle.close()
    public.discard_pending(pending)
    request.session["public_report_sent"] = created.tracking_code
    return redirect("cases:public_status", code=created.tracking_code)


@require_GET
def report_due(request):
    """The last day to report, for the office and the day the reporter learnt of it (htmx fragment)."""
    due = late = None
    election = None
    try:
        office = public.offices_taking_reports().get(pk=int(request.GET.get("office", "")))
        known = date.fromisoformat(request.GET.get("known_on", ""))
        if not date(2000, 1, 1) <= known <= timezone.localdate():
            raise ValueError
    except (ValueError, Office.DoesNotExist):
        office = known = None
    if office is not None:
        election = public.election_for(office)
        if election is not None:
            due = deadlines.report_due(election, CaseSource.REPORT, known, office.region)
            late = due < timezone.localdate()
    return render(request, "cases/public/_report_due.html", {"due": due, "late": late, "election": election})


@require_GET
def status_lookup(request):
    code = request.GET.get("kode", "").strip()[:40]
    if code:
        normalized = public.normalize_code(code)
        if normalized and public.tracking_code_known(normalized):
            return redirect("cases:public_status", code=normalized)
        return render(
            request,
            "cases/public/status_lookup.html",
            {"code": code, "error": _("Kode pelacakan itu tidak ditemukan. Periksa lagi huruf dan angkanya.")},
            status=404,
        )
    return render(request, "cases/public/status_lookup.html", {"code": ""})


@require_GET
def status(request, code):
    report_row = public.reports_for_code(code).first()
    if report_row is None:
        raise Http404
    just_sent = request.session.pop("public_report_sent", None) == report_row.tracking_code
    case = report_row.case
    return render(
        request,
        "cases/public/status.html",
        {
            "report": report_row,
            "stage": public.public_stage(case),
            "office": case.office,
            "received_on": timezone.localtime(report_row.submitted_at),
            "just_sent": just_sent,
        },
    )
