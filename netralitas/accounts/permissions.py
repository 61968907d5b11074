"""Role checks for views. Scope (which region) is the selectors' business; these say who may do what."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from netralitas.accounts.scope import has_role


def role_required(*roles: str):
    """The view needs a signed-in user holding one of ``roles`` in some office; others get 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not (request.user.is_superuser or has_role(request.user, *roles)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
