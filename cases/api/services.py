"""Write-back from an institution's system: the referral services with ``via="api"`` and no user (the
client is the actor; ``_require`` is skipped for ``actor=None``), then the supervisors are told."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import ExportJob, Referral, ReferralResponse
from cases.referrals import services as referrals
from cases.workflow.services import PermissionRefused
from netralitas.accounts.models import ApiClient, Role, User
from netralitas.accounts.selectors import members_by_office
from netralitas.notify.services import Message, queue

VIA = "api"


@transaction.atomic
def api_record_recommendation(
    *, referral: Referral, client: ApiClient, number: str, date: date, proven: bool, sanction: str = "", note: str = ""
) -> Referral:
    referral = referrals.referral_record_recommendation(
        referral=referral, actor=None, number=number, date=date, proven=proven, sanction=sanction, note=note, via=VIA
    )
    notify_response(referral, client)
    return referral


@transaction.atomic
def api_record_ppk_decision(
    *,
    referral: Referral,
    client: ApiClient,
    number: str,
    date: date,
    sanction: str = "",
    refused: bool = False,
    note: str = "",
) -> Referral:
    referral = referrals.referral_record_ppk_decision(
        referral=referral, actor=None, number=number, date=date, sanction=sanction, refused=refused, note=note, via=VIA
    )
    notify_response(referral, client)
    return referral


def notify_response(referral: Referral, client: ApiClient) -> None:
    """Tell the case's assignee, whoever sent the referral and the office's coordinators that the institution
    answered (in the inbox and by e-mail, on commit). Three queries and the outbox's own."""
    response = ReferralResponse.objects.filter(referral=referral).order_by("-recorded_at", "-pk").first()
    case = referral.case
    coordinators = members_by_office([case.office_id], [Role.KOORDINATOR])[case.office_id][Role.KOORDINATOR]
    users = [uid for uid in (case.assignee_id, referral.sent_by_id, *coordinators) if uid]
    queue(
        [
            Message(
                template="referral_response",
                key=f"referral:{referral.pk}:response:{response.pk}",
                context={
                    "kind": response.kind,
                    "kind_label": response.get_kind_display(),
                    "institution": referral.institution.short_name or referral.institution.name,
                    "client": client.name,
                    "person": referral.subject.person.name,
                    "case_number": case.number,
                    "number": response.number,
                    "date": response.date.isoformat(),
                    "proven": response.proven,
                    "refused": response.refused,
                    "sanction": response.get_sanction_display() if response.sanction else "",
                    "stage": referral.get_status_display(),
                },
                users=list(dict.fromkeys(users)),
                url=reverse("cases:referral", args=[referral.code]),
                office_id=case.office_id,
            )
        ]
    )


@transaction.atomic
def export_job_create(*, user: User, institution: int | None) -> ExportJob:
    """A pending XLSX export of the referrals ``user`` sees, optionally for one institution."""
    if not user.is_active:
        raise PermissionRefused(_("Akun Anda tidak aktif."))
    return ExportJob.objects.create(requested_by=user, filters={"institution": institution})


def export_job_claim(*, job_id: int) -> bool:
    """Take a pending job for building (compare-and-set): False when another worker has it already."""
    return bool(
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(status=ExportJob.Status.RUNNING)
    )


def export_job_progress(*, job_id: int, done: int | None = None, total: int | None = None) -> None:
    """The progress bar's figures of a running job (each its own short write, read by the polling page)."""
    values = {name: value for name, value in (("done", done), ("total", total)) if value is not None}
    if any(value < 0 for value in values.values()):
        raise ValueError("progress figures are counts")
    if values:
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(**values)


def export_job_finish(*, job_id: int, file_name: str, total: int) -> None:
    ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.DONE, file=file_name, done=total, finished_at=timezone.now()
    )


def export_job_fail(*, job_id: int, error: str) -> None:
    ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )
