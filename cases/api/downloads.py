"""Staff downloads of the referrals in the user's scope (names and NIP: staff only), in the API's one
representation (``cases.api.exports``): the CSV at once, the XLSX at once when small, else built by a worker
while a page shows its progress. Web pages behind the staff session, not API views."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from cases.api import export_jobs
from cases.api import selectors as api_selectors
from cases.api.exports import csv_response, xlsx_response
from cases.api.selectors import ReferralFilters
from netralitas.accounts.permissions import role_required
from netralitas.accounts.roles import STAFF
from netralitas.files import stored_file_response


def _export_filters(request) -> ReferralFilters:
    institution = request.GET.get("lembaga") or request.POST.get("lembaga") or ""
    return ReferralFilters(institution=int(institution) if institution.isdigit() else None)


@role_required(STAFF)
def referral_export_csv(request):
    queryset = export_jobs.referrals_for_export(request.user, _export_filters(request))
    return csv_response(queryset, "penerusan")


@require_POST
@role_required(STAFF)
def referral_export_xlsx(request):
    """Small exports come back at once; a large one is built by a worker while the page shows its progress."""
    filters = _export_filters(request)
    queryset = export_jobs.referrals_for_export(request.user, filters)
    if export_jobs.fits_inline(queryset):
        return xlsx_response(queryset, "penerusan")
    job = export_jobs.export_job_start(user=request.user, filters=filters)
    return redirect("cases:export_job", code=job.code)


@role_required(STAFF)
def export_job(request, code):
    job = api_selectors.export_job_of(request.user, code)
    template = "cases/_export_job.html" if request.htmx else "cases/export_job.html"
    response = render(request, template, {"job": job})
    patch_vary_headers(response, ["HX-Request"])
    return response


@role_required(STAFF)
def export_job_file(request, code):
    job = api_selectors.export_job_of(request.user, code, done=True)
    return stored_file_response(job.file, filename=job.file.name.rsplit("/", 1)[-1], cache="private, no-store")
