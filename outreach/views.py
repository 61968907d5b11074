from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache

from outreach import ics, selectors
from outreach.models import CalendarToken
from outreach.services import hash_token


@never_cache
def calendar_feed(request, token):
    """The .ics feed behind a secret, revocable token (no login: calendar applications cannot sign in)."""
    record = (
        CalendarToken.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("user", "agency")
        .first()
    )
    if record is None or (record.user_id and not record.user.is_active):
        raise Http404
    name = f"Sosialisasi Netralitas — {record.agency or record.user.display_name}"
    body = ics.feed(selectors.feed_sessions(record), name=name, domain=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="netralitas.ics"'
    return response
