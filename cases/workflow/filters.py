"""The case list's filters, all in the query string so a filtered list can be bookmarked and shared."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStatus, CaseSubject, EmploymentType, ViolationType
from cases.workflow.selectors import due_soon_filter, overdue_filter
from netralitas.reference.forms import agency_choices
from netralitas.reference.models import Agency, Election, Region


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices, empty_label=_("Semua status"))
    election = django_filters.ModelChoiceFilter(
        label=_("Pemilihan"), queryset=Election.objects.none(), empty_label=_("Semua pemilihan")
    )
    # The filters on subjects are EXISTS conditions, not joins: a case is listed once without a DISTINCT
    # over the whole row, and PostgreSQL stops at the first matching subject.
    violation_type = django_filters.ModelChoiceFilter(
        label=_("Jenis pelanggaran"),
        method="filter_subjects",
        queryset=ViolationType.objects.all(),
        empty_label=_("Semua jenis"),
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("OPD"),
        method="filter_subjects",
        queryset=Agency.objects.none(),
        empty_label=_("Semua OPD"),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=Region.objects.none(), empty_label=_("Semua kecamatan")
    )
    employment_type = django_filters.ChoiceFilter(
        label=_("Status kepegawaian"),
        method="filter_subjects",
        choices=EmploymentType.choices,
        empty_label=_("Semua"),
    )
    assignee = django_filters.ChoiceFilter(
        label=_("Penanggung jawab"), method="filter_assignee", choices=[], empty_label=_("Siapa saja")
    )
    due = django_filters.ChoiceFilter(
        label=_("Tenggat"),
        method="filter_due",
        choices=[("overdue", _("Terlambat")), ("soon", _("Jatuh tempo ≤ 2 hari"))],
        empty_label=_("Semua"),
    )

    def __init__(self, data=None, *args, user, elections, agencies, districts, staff, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.filters["election"].queryset = elections
        self.filters["agency"].queryset = agencies
        self.filters["district"].queryset = districts
        self.filters["assignee"].extra["choices"] = [("me", _("Saya")), ("none", _("Belum ditetapkan"))] + [
            (str(u.pk), u.display_name) for u in staff
        ]
        agency_choices(self.form.fields["agency"], agencies)  # the form is made here, from the filters above

    SUBJECT_CONDITIONS = {
        "violation_type": "violation_types",
        "agency": "person__agency",
        "employment_type": "person__employment_type",
    }

    def filter_subjects(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        subjects = CaseSubject.objects.filter(case=OuterRef("pk"), **{self.SUBJECT_CONDITIONS[name]: value})
        return queryset.filter(Exists(subjects))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        named = CaseSubject.objects.filter(
            Q(person__name__icontains=value) | Q(person__nip__startswith=value), case=OuterRef("pk")
        )
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value) | Exists(named))

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=value) if value.isdigit() else queryset.none()

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(overdue_filter(today))
        if value == "soon":
            return queryset.filter(due_soon_filter(today))
        return queryset
