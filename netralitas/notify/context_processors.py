"""The outbox's stored values by name, for templates (``n.status == NotificationStatus.FAILED``)."""

from netralitas.notify.models import Channel, Status


def choices(request):
    return {"NotificationChannel": Channel, "NotificationStatus": Status}
