from netralitas.accounts.scope import primary_role


def navigation(request):
    """The signed-in user's main role, for the menu (the memberships are read once per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_role": lambda: primary_role(user)}
