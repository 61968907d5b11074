from django.contrib import admin

from netralitas.notify.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only view for system operators; office admins use the outbox page (scoped to their region)."""

    list_display = [
        "created_at",
        "template",
        "recipient",
        "email",
        "api_client",
        "channel",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "channel", "template"]
    search_fields = ["dedupe_key", "email", "recipient__username", "api_client__code"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
