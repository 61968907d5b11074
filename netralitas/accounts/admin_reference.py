"""The admin of the reference data (regions, offices, agencies, elections, institutions, non-working days),
each list and choice limited to the office admin's regions: registered by ``accounts.admin``, which holds the
scope rules, so that the reference app imports nothing of accounts."""

import json

from django.contrib import admin

from netralitas.accounts.admin_scope import RegionScopedAdmin
from netralitas.reference.models import (
    Agency,
    CandidatePair,
    CandidatePerson,
    Election,
    EscalationRung,
    Institution,
    NonWorkingDay,
    Office,
    Region,
)


@admin.register(Region)
class RegionAdmin(RegionScopedAdmin):
    scope_field = "code"
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Office)
class OfficeAdmin(RegionScopedAdmin):
    scope_field = "region__code"
    list_display = ["name", "region", "city", "email"]
    search_fields = ["name", "region__name", "region__code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


@admin.register(Agency)
class AgencyAdmin(RegionScopedAdmin):
    scope_field = "regency__code"
    list_display = ["name", "short_name", "kind", "regency", "is_active"]
    list_filter = ["kind", "is_active", "regency"]
    search_fields = ["name", "short_name"]
    list_select_related = ["regency"]
    autocomplete_fields = ["regency"]


class CandidatePairInline(admin.TabularInline):
    model = CandidatePair
    extra = 0
    show_change_link = True  # the pair's page lists its people


class CandidatePersonInline(admin.TabularInline):
    model = CandidatePerson
    extra = 1
    autocomplete_fields = ["holds_office"]


@admin.register(CandidatePair)
class CandidatePairAdmin(RegionScopedAdmin):
    """A pair's people: the candidates (an incumbent regent is marked as holding the PPK office) and their
    campaign team; saving them refreshes the conflict-of-interest flag of the election's open referrals."""

    scope_field = "election__region__code"
    list_display = ["__str__", "election"]
    search_fields = ["head_name", "deputy_name", "people__name"]
    list_select_related = ["election"]
    inlines = [CandidatePersonInline]


@admin.register(EscalationRung)
class EscalationRungAdmin(admin.ModelAdmin):
    """The escalation ladder: national reference data (docs/workflow.md names the source of each rung)."""

    list_display = ["position", "name", "days", "addressee", "requests_block", "is_active"]
    list_display_links = ["name"]
    ordering = ["position"]


@admin.register(Election)
class ElectionAdmin(RegionScopedAdmin):
    scope_field = "region__code"
    list_display = ["name", "kind", "year", "region", "voting_day"]
    list_filter = ["kind", "year"]
    search_fields = ["name", "region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    inlines = [CandidatePairInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "year", "region", "voting_day"]}),
        (
            "Aturan tenggat",
            {
                "description": "Jumlah hari dan jenis hari (kalender atau kerja) untuk setiap tahap penanganan.",
                "fields": [
                    ("report_days", "report_day_kind"),
                    ("finding_days", "finding_day_kind"),
                    ("review_days", "review_day_kind"),
                    ("decision_days", "decision_day_kind"),
                    "extension_days",
                    "reports_close_at",
                ],
            },
        ),
    ]

    class Media:
        js = ["js/election_admin.js"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "kind":
            # The add form refills the deadline rules when the kind changes (static/js/election_admin.js).
            rules = {str(kind): values for kind, values in Election.DEFAULT_RULES.items()}
            field.widget.attrs["data-default-rules"] = json.dumps(rules, default=str)
        return field

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        kind = initial.get("kind") or Election.Kind.PILKADA
        return {**Election.default_rules(kind), "kind": kind, **initial}


@admin.register(Institution)
class InstitutionAdmin(RegionScopedAdmin):
    scope_field = "region__code"
    list_display = ["name", "short_name", "kind", "region", "active_from", "active_until", "successor"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["region", "successor"]
    autocomplete_fields = ["region", "successor"]
    prepopulated_fields = {"code": ["short_name"]}


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(RegionScopedAdmin):
    scope_field = "region__code"
    list_display = ["date", "name", "kind", "region"]
    list_filter = ["kind", "date"]
    search_fields = ["name"]
    date_hierarchy = "date"
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
