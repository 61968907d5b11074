from django.contrib import admin

from cases.models import ViolationType


@admin.register(ViolationType)
class ViolationTypeAdmin(admin.ModelAdmin):
    """The SKB 2022 taxonomy; the system operator keeps it up to date when the rules change."""

    list_display = ["code", "name", "discipline_track", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["code", "name"]
