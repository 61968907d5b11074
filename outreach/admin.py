from django.contrib import admin

from netralitas.accounts.admin_scope import RegionScopedAdmin
from outreach.models import Attendance, CalendarToken, Invitation, OutreachSession, Series


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    autocomplete_fields = ["agency"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(OutreachSession)
class OutreachSessionAdmin(RegionScopedAdmin):
    scope_field = "office__region__code"
    list_display = ["title", "kind", "start", "venue", "status", "series"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "venue", "speakers"]
    date_hierarchy = "start"
    list_select_related = ["series"]
    readonly_fields = ["series", "occurrence_start", "moved"]
    inlines = [InvitationInline, AttendanceInline]


@admin.register(Series)
class SeriesAdmin(RegionScopedAdmin):
    scope_field = "office__region__code"
    list_display = ["title", "kind", "rule", "first_start", "until"]
    readonly_fields = ["rule", "first_start", "until"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """Tokens are listed and revoked here; they are created with `manage.py calendar_token`."""

    list_display = ["label", "user", "agency", "created_at", "revoked_at"]
    readonly_fields = ["token_hash", "user", "agency", "created_at"]

    def has_add_permission(self, request):
        return False
