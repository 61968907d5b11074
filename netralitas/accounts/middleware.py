"""Middleware of the accounts: read-only roles are read-only on every URL (enforced once here so that a new
view cannot forget it); an idle session ends; a session that owes its second factor reaches only the code page."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

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


class IdleSessionMiddleware:
    """Ends a signed-in session after ``SESSION_IDLE_MINUTES`` without a request (0: never for inactivity).
    The person lands on the login page with a message, and returns to the page they asked for after signing in.

    The time of the last request is kept in the session at a one-minute grain, so a busy session is written
    at most once a minute, not on every request."""

    SESSION_KEY = "netralitas_last_seen"
    GRAIN_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.SESSION_IDLE_MINUTES * 60
        user = getattr(request, "user", None)
        if limit and user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.SESSION_KEY)
            if last_seen is not None and now - last_seen > limit:
                return self._expire(request, user)
            if last_seen is None or now - last_seen >= self.GRAIN_SECONDS:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)

    def _expire(self, request, user):
        from netralitas.accounts.audit import record_sign_in_event
        from netralitas.accounts.models import SignInOutcome

        record_sign_in_event(request=request, outcome=SignInOutcome.IDLE_TIMEOUT, user=user)
        # Not django.contrib.auth.logout: that would record a sign-out the person did not make.
        request.session.flush()
        request.user = AnonymousUser()
        messages.info(
            request,
            ngettext(
                "Sesi Anda berakhir karena tidak ada aktivitas selama %(n)d menit. Silakan masuk lagi.",
                "Sesi Anda berakhir karena tidak ada aktivitas selama %(n)d menit. Silakan masuk lagi.",
                settings.SESSION_IDLE_MINUTES,
            )
            % {"n": settings.SESSION_IDLE_MINUTES},
        )
        return redirect_to_login(_return_path(request))


def _return_path(request) -> str:
    """Where to come back to after signing in: the page asked for, or for a form sent (POST), the page it was
    sent from when that is this site."""
    if request.method in SAFE_METHODS:
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return resolve_url("accounts:home")


class SecondFactorMiddleware:
    """A session that owes its second factor reaches nothing but the code page (or, where the office requires
    the second factor and the user has none yet, the set-up page), signing out, and the pages open to everyone.
    The REST API authenticates by client token, never by session, and is not concerned."""

    ALWAYS_OPEN = frozenset({"accounts:logout", "healthz"})
    OPEN_WHILE = {
        "verify": frozenset({"accounts:otp_verify"}),
        "enrol": frozenset({"accounts:otp_setup"}),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from netralitas.accounts import second_factor

        owed = second_factor.pending(request)
        if owed is None or not request.user.is_authenticated:
            return None
        if request.path_info.startswith("/api/"):
            return None
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if name in self.ALWAYS_OPEN or name in self.OPEN_WHILE.get(owed, ()):
            return None
        target = "accounts:otp_verify" if owed == second_factor.VERIFY else "accounts:otp_setup"
        response = redirect_to_login(_return_path(request), login_url=target)
        if request.htmx:
            # an htmx request of a page opened before: the whole window goes to the code page, not a corner of it
            return HttpResponseClientRedirect(response["Location"])
        return response
