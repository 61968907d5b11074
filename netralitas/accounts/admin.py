from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from netralitas.accounts.admin_scope import ADMIN_ROLES, RegionScopedAdmin, admin_region_filter, scoped_choices
from netralitas.accounts.models import Membership, Role, User
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
        return queryset.filter(admin_region_filter(request, "memberships__office__region__code")).distinct()

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


__all__ = ["ADMIN_ROLES"]
