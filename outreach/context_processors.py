"""The outreach calendar's stored values by name, for templates (``s.status == SessionStatus.CANCELLED``)."""

from outreach.models import SessionKind, SessionStatus


def choices(request):
    return {"SessionKind": SessionKind, "SessionStatus": SessionStatus}
