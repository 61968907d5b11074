"""The filters of the referral list and exports (django-filter): bad values are a 400 with a message per
parameter, in the site's language, and drf-spectacular documents each parameter from here."""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field

from cases.models import Referral, ReferralStatus
from netralitas.accounts.scope import under_codes
from netralitas.forms import Form

REGION_PATTERN = r"^[0-9]{2}(\.[0-9]{2}){0,2}$"


class ReferralFilterForm(Form):
    """Dates between 1900 and 2100, text bounded (``netralitas.forms.Form``); the range in order."""

    def clean(self):
        data = super().clean()
        if data.get("sent_from") and data.get("sent_to") and data["sent_from"] > data["sent_to"]:
            self.add_error("sent_to", _("Tanggal akhir sebelum tanggal awal."))
        return data


class ReferralFilter(django_filters.FilterSet):
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        help_text=gettext_lazy("Hanya yang berubah sesudah waktu ini (ISO 8601; tanpa zona waktu dibaca sebagai WIB)."),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ReferralStatus.choices,
        distinct=False,  # a column of the referral itself: no row twice, and no DISTINCT over the page's JSON
        help_text=gettext_lazy("Tahap; boleh diulang."),
    )
    election = extend_schema_field({"type": "integer", "minimum": 1, "description": gettext_lazy("Id pemilihan.")})(
        django_filters.NumberFilter(field_name="case__election_id", min_value=1, decimal_places=0)
    )
    region = extend_schema_field(
        {
            "type": "string",
            "minLength": 1,
            "pattern": REGION_PATTERN,
            "description": gettext_lazy("Kode wilayah Kemendagri, mis. 62.10."),
        }
    )(
        django_filters.CharFilter(
            method="in_region",
            validators=[RegexValidator(REGION_PATTERN, gettext_lazy("Tulis kode wilayah seperti 62 atau 62.10."))],
        )
    )
    sent_from = django_filters.DateFilter(
        field_name="letter_date",
        lookup_expr="gte",
        help_text=gettext_lazy("Tanggal surat penerusan sejak."),
    )
    sent_to = django_filters.DateFilter(
        field_name="letter_date",
        lookup_expr="lte",
        help_text=gettext_lazy("Tanggal surat penerusan sampai."),
    )

    class Meta:
        model = Referral
        fields: list[str] = []
        form = ReferralFilterForm

    def in_region(self, queryset, name, value):
        return queryset.filter(under_codes([value], "case__office__region__code"))
