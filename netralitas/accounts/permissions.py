"""Role checks for views. Scope (which region) is the selectors' business; these say who may do what."""

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from netralitas.accounts.roles import READ_ONLY
from netralitas.accounts.scope import has_role, roles_of


def role_required(roles: Iterable[str]):
    """The view needs a signed-in user holding one of ``roles`` (a set of ``accounts.roles``) in some office;
    others get 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not (request.user.is_superuser or has_role(request.user, roles)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def is_read_only(user) -> bool:
    """Whether every membership of ``user`` is a read-only role (pemkab). A user who also holds a staff role in
    some office, and a superuser, are not read-only; a user without memberships has nothing to write anyway."""
    if not user.is_authenticated or user.is_superuser:
        return False
    roles = roles_of(user)
    return bool(roles) and roles <= READ_ONLY
