from netralitas.accounts.models import Role
from netralitas.accounts.scope import primary_role
from netralitas.accounts.second_factor import pending


def navigation(request):
    """The signed-in user's main role, for the menu (the memberships are read once per request), and whether the
    session still owes its second factor (then the menu is not shown: none of it would open)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_role": lambda: primary_role(user),
        "second_factor_pending": pending(request) is not None,
        "Role": Role,
    }
