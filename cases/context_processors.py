"""The case register's stored values by name, for templates: ``{% if case.status == CaseStatus.RECEIVED %}``
rather than the stored string, so a renamed value is renamed in one place. The message templates (e-mail and
inbox) get the same names (``CasesConfig.ready``)."""

from cases.models import CaseSource, CaseStatus, ExportJob, Integrity, ReferralStatus, ResponseKind

CHOICES = {
    "CaseSource": CaseSource,
    "CaseStatus": CaseStatus,
    "ExportStatus": ExportJob.Status,
    "Integrity": Integrity,
    "ReferralStatus": ReferralStatus,
    "ResponseKind": ResponseKind,
}


def choices(request):
    return CHOICES
