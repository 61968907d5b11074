from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def isodate(value):
    """A date or date-time stored as ISO text in a message's context, back as an object (local time)."""
    if not value or not isinstance(value, str):
        return value
    try:
        if "T" in value:
            parsed = datetime.fromisoformat(value)
            return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
        return date.fromisoformat(value)
    except ValueError:
        return value
