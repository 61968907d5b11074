"""The case register's stored values by name, for templates: ``{% if case.status == CaseStatus.RECEIVED %}``
rather than the stored string, so a renamed value is renamed in one place."""

from cases.models import CaseSource, CaseStatus, ExportJob, ReferralStatus


def choices(request):
    return {
        "CaseSource": CaseSource,
        "CaseStatus": CaseStatus,
        "ExportStatus": ExportJob.Status,
        "ReferralStatus": ReferralStatus,
    }
