from django import forms
from django.utils.translation import gettext_lazy as _

from netralitas import forms as bounded

DATE_ERRORS = {"invalid": _("Tanggal tidak dikenali. Gunakan format tttt-bb-hh, mis. 2024-11-27.")}


class DashboardFilterForm(bounded.Form):
    """The dashboard's filter, in the query string: ``?pemilihan=<id>&dari=2024-09-01&sampai=2024-12-31``."""

    pemilihan = forms.TypedChoiceField(
        label=_("Pemilihan"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Pemilihan itu tidak ada atau tidak termasuk wilayah Anda.")},
    )
    dari = forms.DateField(
        label=_("Diterima dari"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )
    sampai = forms.DateField(
        label=_("sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )

    def __init__(self, *args, elections, **kwargs):
        super().__init__(*args, **kwargs)
        # The elections were read once by the view (they are listed on the page too): no query here.
        self.elections = {e.pk: e for e in elections}
        self.fields["pemilihan"].choices = [("", _("Semua pemilihan"))] + [(e.pk, e.name) for e in elections]

    def clean(self):
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start and end and start > end:
            raise forms.ValidationError(_("Tanggal awal periode harus sebelum atau sama dengan tanggal akhirnya."))
        return data

    @property
    def election(self):
        return self.elections.get(self.cleaned_data.get("pemilihan"))
