from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.db import models, transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from netralitas.accounts import (  # noqa: F401 (admin_reference registers the reference data's admin)
    admin_reference,
    tokens,
    webhooks,
)
from netralitas.accounts.admin_scope import (
    RegionScopedAdmin,
    admin_region_filter,
    managed_users,
    scoped_choices,
)
from netralitas.accounts.models import (
    ApiClient,
    ApiRequestLog,
    ApiScope,
    ApiToken,
    Membership,
    Role,
    SignInEvent,
    User,
)
from netralitas.reference.models import Office

PRIVILEGED_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Office and not request.user.is_superuser:
            kwargs["queryset"] = scoped_choices(request, Office)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("office")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(admin_region_filter(request, "office__region__code"))


class UserCreationWithMembershipForm(UserCreationForm):
    """A new user is created with their first membership, so an office admin never creates an account
    that floats outside every office."""

    office = forms.ModelChoiceField(label=_("Kantor"), queryset=Office.objects.none())
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "email")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Profil"), {"fields": ["full_name", "position", "phone"]}),
    ]
    add_form = UserCreationWithMembershipForm
    add_fieldsets = [
        (None, {"fields": ["username", "full_name", "email", "office", "role", "password1", "password2"]}),
    ]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=managed_users(request).values("pk"))

    def get_inline_instances(self, request, obj=None):
        # The add form takes the first membership in its own fields; more are added on the change form.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [f for f in PRIVILEGED_FIELDS if f not in readonly]
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and "office" in form.base_fields:
            form.base_fields["office"].queryset = (
                Office.objects.all() if request.user.is_superuser else scoped_choices(request, Office)
            )
        return form

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and "office" in form.cleaned_data:
            Membership.objects.create(user=obj, office=form.cleaned_data["office"], role=form.cleaned_data["role"])


@admin.register(Membership)
class MembershipAdmin(RegionScopedAdmin):
    scope_field = "office__region__code"
    list_display = ["user", "office", "role", "created_at"]
    list_filter = ["role", "office"]
    search_fields = ["user__username", "user__full_name", "office__name"]
    list_select_related = ["user", "office"]
    autocomplete_fields = ["user", "office"]


# --- API clients: national, so for system operators (superusers) only; office admins do not see them. ----


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    can_delete = False
    fields = ["prefix", "label", "scope", "expires_at", "revoked_at", "created_at"]
    readonly_fields = ["prefix", "scope", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False  # a token is made by the actions above the list, which show it once


def _make_token(scope):
    def action(modeladmin, request, queryset):
        for client in queryset:
            row, secret = tokens.api_token_create(client=client, scope=scope, label=_("dibuat di admin"))
            modeladmin.message_user(
                request,
                _(
                    "Token baru untuk %(client)s (%(scope)s), berlaku sampai %(until)s. Salin sekarang, token ini "
                    "tidak dapat ditampilkan lagi: %(token)s"
                )
                % {
                    "client": client,
                    "scope": row.get_scope_display(),
                    "until": f"{row.expires_at:%d-%m-%Y}",
                    "token": secret,
                },
                messages.WARNING,
            )

    action.__name__ = f"make_token_{scope}"
    action.short_description = _("Buat token baru (%(scope)s)") % {"scope": ApiScope(scope).label}
    return action


def _show_secret(modeladmin, request, client, secret):
    modeladmin.message_user(
        request,
        _(
            "Rahasia webhook untuk %(client)s. Salin sekarang dan serahkan kepada pengelola sistem penerima, "
            "rahasia ini tidak ditampilkan lagi: %(secret)s"
        )
        % {"client": client, "secret": secret},
        messages.WARNING,
    )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "institution", "office", "has_webhook", "is_active", "created_at"]
    list_filter = ["institution", "is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["institution", "office"]
    readonly_fields = ["webhook_secret_hint", "webhook_log"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [ApiTokenInline]
    actions = [_make_token(ApiScope.READ), _make_token(ApiScope.READ_WRITE), "renew_webhook_secret"]

    @admin.display(description=_("webhook"), boolean=True)
    def has_webhook(self, obj):
        return bool(obj.webhook_url)

    @admin.display(description=_("rahasia webhook"))
    def webhook_secret_hint(self, obj):
        if obj is None or not obj.webhook_secret:
            return _("Belum ada: dibuat saat alamat webhook disimpan.")
        return _("%(hint)s (ditampilkan sekali saat dibuat; buat yang baru lewat tindakan di daftar klien)") % {
            "hint": webhooks.secret_hint(obj.webhook_secret)
        }

    @admin.display(description=_("log pengiriman webhook"))
    def webhook_log(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        url = f"{reverse('notify:outbox')}?saluran=webhook&klien={obj.pk}&status="
        return format_html('<a href="{}">{}</a>', url, _("Buka di kotak keluar"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.webhook_url and not obj.webhook_secret:
            _show_secret(self, request, obj, webhooks.webhook_secret_renew(client=obj))

    @admin.action(description=_("Buat rahasia webhook baru (yang lama tidak berlaku lagi)"))
    def renew_webhook_secret(self, request, queryset):
        for client in queryset:
            _show_secret(self, request, client, webhooks.webhook_secret_renew(client=client))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "client", "scope", "expires_at", "revoked_at", "created_at"]
    list_filter = ["scope", "client"]
    list_select_related = ["client"]
    readonly_fields = ["client", "prefix", "key_hash", "scope", "created_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Cabut token terpilih"))
    def revoke(self, request, queryset):
        for token in queryset:
            tokens.api_token_revoke(token=token)
        self.message_user(request, _("Token dicabut."))


@admin.register(ApiRequestLog)
class ApiRequestLogAdmin(admin.ModelAdmin):
    list_display = ["at", "client", "method", "path", "status", "duration_ms"]
    list_filter = ["client", "method", "status"]
    list_select_related = ["client"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """Append-only: read, never added, changed or deleted here (the nightly purge removes old rows)."""

    list_display = ["at", "username", "outcome", "ip_address", "user_agent"]
    list_filter = ["outcome"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
