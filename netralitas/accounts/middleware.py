"""Read-only roles are read-only on every URL, enforced once here so that a new view cannot forget it."""

from django.conf import settings
from django.core.exceptions import PermissionDenied

from netralitas.accounts.permissions import is_read_only

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class ReadOnlyRoleMiddleware:
    """Refuses with 403 any request that could change data (POST, PUT, PATCH, DELETE, anything not safe) from a
    user whose only roles are read-only (pemkab), whatever the view. The URL names in
    ``settings.READ_ONLY_ROLE_WRITABLE_URL_NAMES`` (the user's own account: sign out, password) are let through.
    Safe requests cost nothing here; a write costs the memberships query the view would make anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS:
            return None
        user = getattr(request, "user", None)
        if user is None or not is_read_only(user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in settings.READ_ONLY_ROLE_WRITABLE_URL_NAMES:
            return None
        raise PermissionDenied
