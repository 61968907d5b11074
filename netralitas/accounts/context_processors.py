from netralitas.accounts.scope import primary_role


def navigation(request):
    """The signed-in user's main role, for the menu. Computed once per request, only when a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def role():
        if not hasattr(request, "_primary_role"):
            request._primary_role = primary_role(user)
        return request._primary_role

    return {"nav_role": role}
