"""The sign-in audit: one SignInEvent row per sign-in, failed sign-in, lockout, sign-out and second-factor step.

Password sign-ins are recorded from Django's authentication signals, so every way in (the login page, the admin
site's login page) is covered by one place; django-axes' lockout signal gives the lockouts. The second factor,
the idle timeout and the device changes call ``record_sign_in_event`` themselves.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models import QuerySet

from netralitas.accounts.models import Membership, SignInEvent, SignInOutcome, User
from netralitas.accounts.roles import OFFICE_ADMINS
from netralitas.accounts.scope import has_role, region_filter
from netralitas.clientip import client_ip

USER_AGENT_LENGTH = SignInEvent._meta.get_field("user_agent").max_length
USERNAME_LENGTH = SignInEvent._meta.get_field("username").max_length
# Marks a failure that django-axes should count but that is recorded here as a second-factor failure.
SECOND_FACTOR_CREDENTIAL = "second_factor"


def _address(request) -> str | None:
    address = client_ip(request) if request is not None else None
    try:
        validate_ipv46_address(address or "")
    except ValidationError:
        return None
    return address


def record_sign_in_event(*, request, outcome: str, user: User | None = None, username: str = "") -> SignInEvent:
    """Write one audit row: who (the user, or the username typed when there is no such user), what, when, from
    which address (``netralitas.clientip``) and browser (truncated). One INSERT."""
    if user is not None and not username:
        username = user.get_username()
    agent = request.headers.get("User-Agent", "") if request is not None else ""
    return SignInEvent.objects.create(
        user=user,
        username=(username or "")[:USERNAME_LENGTH],
        outcome=outcome,
        ip_address=_address(request),
        user_agent=agent[:USER_AGENT_LENGTH],
    )


def _user_named(username: str) -> User | None:
    if not username:
        return None
    return get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first()


def on_logged_in(sender, request, user, **kwargs):
    record_sign_in_event(request=request, outcome=SignInOutcome.SIGNED_IN, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    if credentials.get(SECOND_FACTOR_CREDENTIAL):
        return  # recorded as a second-factor failure by the code page
    if request is not None and getattr(request, "axes_locked_out", False):
        return  # recorded as a lockout (axes' signal, below)
    username = credentials.get("username") or ""
    record_sign_in_event(request=request, outcome=SignInOutcome.FAILED, user=_user_named(username), username=username)


def on_locked_out(sender, request, username=None, **kwargs):
    username = username or ""
    record_sign_in_event(
        request=request, outcome=SignInOutcome.LOCKED_OUT, user=_user_named(username), username=username
    )


def on_logged_out(sender, request, user, **kwargs):
    if user is not None and user.is_authenticated:
        record_sign_in_event(request=request, outcome=SignInOutcome.SIGNED_OUT, user=user)


def connect_signals() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="accounts.audit.logged_in")
    user_login_failed.connect(on_login_failed, dispatch_uid="accounts.audit.login_failed")
    user_logged_out.connect(on_logged_out, dispatch_uid="accounts.audit.logged_out")
    user_locked_out.connect(on_locked_out, dispatch_uid="accounts.audit.locked_out")


# --- Reads ----------------------------------------------------------------------------------------------


def may_see_sign_in_activity(user: User) -> bool:
    return user.is_superuser or has_role(user, OFFICE_ADMINS)


def sign_in_events_visible_to(user: User) -> QuerySet[SignInEvent]:
    """An office admin sees the activity of the users who hold a membership in an office of their region (as
    the outbox page is scoped); attempts on usernames that do not exist belong to no office and are seen by
    system operators only, like everything else."""
    rows = SignInEvent.objects.all()
    if user.is_superuser:
        return rows
    members = Membership.objects.filter(region_filter(user, "office__region__code", roles=OFFICE_ADMINS))
    return rows.filter(user_id__in=members.values("user_id"))


def sign_in_activity(user: User, *, outcome: str = "", username: str = "") -> QuerySet[SignInEvent]:
    """The activity the office admin's page lists: ``sign_in_events_visible_to``, optionally of one outcome
    or one username (as typed, any case)."""
    rows = sign_in_events_visible_to(user)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if username:
        rows = rows.filter(username__iexact=username)
    return rows.select_related("user")


def sign_in_events_of(user: User) -> QuerySet[SignInEvent]:
    """A person's own activity, for their account page."""
    return SignInEvent.objects.filter(user=user)
