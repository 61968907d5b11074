"""Referral exports for staff in the browser: their scope, as CSV (streamed) or XLSX (directly when small,
by a worker with a progress bar when large). The rows and columns are the API's (``cases.api.exports``); the
job's row is written by ``cases.api.services`` (``export_job_*``)."""

from __future__ import annotations

import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from cases.api import exports
from cases.api import services as api_services
from cases.api.selectors import ReferralFilters, filtered
from cases.models import ExportJob
from cases.referrals import selectors as referral_selectors
from netralitas.accounts.models import User

logger = logging.getLogger(__name__)

XLSX_INLINE_MAX_ROWS = 2000  # more rows than this are built by a worker


def referrals_for_export(user: User, filters: ReferralFilters):
    return filtered(referral_selectors.referrals_visible_to(user), filters)


def fits_inline(queryset) -> bool:
    """Whether an XLSX export is small enough to be built in the request (one count)."""
    return queryset.count() <= XLSX_INLINE_MAX_ROWS


def filters_from_json(data: dict) -> ReferralFilters:
    return ReferralFilters(institution=data.get("institution"))


def export_job_start(*, user: User, filters: ReferralFilters) -> ExportJob:
    """Ask for a background XLSX. The worker is handed the job once it is committed; a broker that cannot be
    reached means the export is built right here instead (slower for the person waiting, but done)."""
    from cases.tasks import build_export

    job = api_services.export_job_create(user=user, institution=filters.institution)

    def hand_over():
        try:
            build_export.apply_async(args=[job.pk], retry=False)
        except Exception as exc:  # the broker is down
            logger.warning("export %s built in the request: broker unreachable (%s)", job.pk, exc.__class__.__name__)
            export_job_run(job.pk)

    transaction.on_commit(hand_over)
    return job


def export_job_run(job_id: int) -> str:
    """Build the file of a pending job; returns its final status. A job taken by another worker is left alone."""
    if not api_services.export_job_claim(job_id=job_id):
        return "skipped"
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    queryset = referrals_for_export(job.requested_by, filters_from_json(job.filters))
    try:
        total = queryset.count()
        api_services.export_job_progress(job_id=job_id, total=total)
        with tempfile.TemporaryFile() as handle:
            exports.write_xlsx(
                queryset, handle, progress=lambda n: api_services.export_job_progress(job_id=job_id, done=n), every=500
            )
            handle.seek(0)
            job.file.save(f"penerusan-{timezone.localtime():%Y%m%d-%H%M}-{job.code}.xlsx", File(handle), save=False)
    except Exception as exc:
        logger.exception("export %s failed", job_id)
        api_services.export_job_fail(job_id=job_id, error=f"{exc.__class__.__name__}: {exc}")
        return ExportJob.Status.FAILED
    api_services.export_job_finish(job_id=job_id, file_name=job.file.name, total=total)
    return ExportJob.Status.DONE
