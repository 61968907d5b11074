"""Celery tasks of the case register: the reminder sweeps (schedules in django-celery-beat)."""

from celery import shared_task

from cases import reminders
from cases.evidence import verification
from cases.public import services as public


@shared_task(name="cases.sweep_case_deadlines")
def sweep_case_deadlines() -> dict:
    return reminders.sweep_case_deadlines()


@shared_task(name="cases.sweep_referral_clocks")
def sweep_referral_clocks() -> dict:
    return reminders.sweep_referral_clocks()


@shared_task(name="cases.purge_pending_uploads")
def purge_pending_uploads() -> int:
    """Files kept for public report submits that were never completed, older than a day."""
    return public.purge_pending_uploads()


@shared_task(name="cases.build_export")
def build_export(job_id: int) -> str:
    from cases.api.export_jobs import export_job_run

    return export_job_run(job_id)


@shared_task(name="cases.verify_evidence_files")
def verify_evidence_files() -> dict:
    """A slice of the stored evidence files against their SHA-256; admins are told of any missing or altered."""
    return verification.verify_evidence_batch().as_dict()
