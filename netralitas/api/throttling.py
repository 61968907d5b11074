from django.conf import settings
from django.core.cache import cache as default_cache
from rest_framework.throttling import SimpleRateThrottle

from netralitas.accounts.models import ApiClient


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per API client (whatever token or address it uses), at the client's own rate or
    ``API_THROTTLE_RATE``. Counted in Django's default cache: Redis, shared by the web processes, when
    ``CACHE_URL`` names one (a Redis that fails lets the request through)."""

    scope = "api_client"
    cache = default_cache  # caches["default"], looked up on each use

    def __init__(self):
        pass  # the rate depends on the client, so it is read in allow_request

    def get_cache_key(self, request, view):
        if not isinstance(request.user, ApiClient):
            return None
        return f"throttle_api_client_{request.user.pk}"

    def allow_request(self, request, view):
        client = request.user if isinstance(request.user, ApiClient) else None
        self.rate = (client.throttle_rate if client else "") or settings.API_THROTTLE_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
