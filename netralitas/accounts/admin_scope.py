"""The admin site for office administrators: every list and every choice limited to their offices' regions.

Superusers (system operators) see everything. A staff user who is not a superuser sees only rows whose
region lies under an office where they hold the ``admin`` role, can only pick offices, regions, agencies
and elections from that scope, and can never grant staff or superuser rights or permissions.
"""

from django.contrib import admin
from django.db.models import Q

from netralitas.accounts.roles import OFFICE_ADMINS
from netralitas.accounts.scope import offices_visible_to, region_filter, regions_visible_to


def admin_region_filter(request, field: str) -> Q:
    return region_filter(request.user, field, roles=OFFICE_ADMINS)


class RegionScopedAdmin(admin.ModelAdmin):
    #: path from the model to a region code, e.g. "office__region__code"; None leaves rows unfiltered
    scope_field: str | None = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or self.scope_field is None:
            return queryset
        return queryset.filter(admin_region_filter(request, self.scope_field)).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            scoped = scoped_choices(request, db_field.related_model)
            if scoped is not None:
                kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def managed_users(request):
    """The accounts an office admin manages: those with a membership under the admin's offices, never a system
    operator's (superuser). The user list and every choice of a user (a membership's) start here; without
    it, an admin could attach any account to the office and then set its password."""
    from netralitas.accounts.models import User

    return User.objects.filter(admin_region_filter(request, "memberships__office__region__code"), is_superuser=False)


def scoped_choices(request, model):
    """The rows of ``model`` an office admin may pick, or None when the model is not region-bound."""
    from netralitas.accounts.models import User
    from netralitas.reference.models import Agency, Election, Office, Region

    if model is User:
        return managed_users(request).distinct()
    if model is Office:
        return offices_visible_to(request.user, roles=OFFICE_ADMINS)
    if model is Region:
        return regions_visible_to(request.user, roles=OFFICE_ADMINS)
    if model is Agency:
        return Agency.objects.filter(admin_region_filter(request, "regency__code"))
    if model is Election:
        return Election.objects.filter(admin_region_filter(request, "region__code"))
    return None
