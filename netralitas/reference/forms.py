from django import forms
from django.utils.translation import gettext_lazy as _

from netralitas import forms as bounded
from netralitas.reference.models import Election


class AgencyChoices(forms.models.ModelChoiceIterator):
    """An agency field's choices (``ModelChoiceField.iterator``), named with their regency when the list spans
    several ("Dinkes — Kabupaten Gunung Mas", as a province's lists do); a regency's own list by name alone.
    The same one query as the plain choices."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        agencies = list(self.queryset.select_related("regency"))
        several = len({agency.regency_id for agency in agencies}) > 1
        for agency in agencies:
            value = forms.models.ModelChoiceIteratorValue(self.field.prepare_value(agency), agency)
            yield (value, f"{agency} — {agency.regency.name}" if several else str(agency))


def agency_choices(field: forms.ModelChoiceField, agencies) -> None:
    field.iterator = AgencyChoices  # before the queryset: setting it hands the widget its choices
    field.queryset = agencies


STAGES = {
    # stage: (label, days field, day-kind field, add the extension?)
    "lapor": (_("Batas menyampaikan laporan (sejak diketahui)"), "report_days", "report_day_kind", False),
    "temuan": (_("Batas temuan (sejak ditemukan)"), "finding_days", "finding_day_kind", False),
    "kajian": (_("Kajian awal (sejak laporan diterima)"), "review_days", "review_day_kind", False),
    "putusan": (_("Putusan (sejak registrasi)"), "decision_days", "decision_day_kind", False),
    "perpanjangan": (
        _("Putusan dengan perpanjangan (sejak registrasi)"),
        "decision_days",
        "decision_day_kind",
        True,
    ),
}


class DeadlineForm(bounded.Form):
    """Which day a statutory time limit falls on, by the rules of an election."""

    election = forms.ModelChoiceField(
        label=_("Pemilihan"),
        queryset=Election.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Pilih pemilihan dari daftar."), "required": _("Pilih pemilihan.")},
    )
    stage = forms.ChoiceField(
        label=_("Tahap"),
        choices=[(key, label) for key, (label, *_rest) in STAGES.items()],
        error_messages={"invalid_choice": _("Pilih tahap dari daftar."), "required": _("Pilih tahap.")},
    )
    start = forms.DateField(
        label=_("Tanggal awal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Tanggal tidak dikenali. Gunakan format hh/bb/tttt."),
            "required": _("Isi tanggal awal penghitungan."),
        },
    )

    def __init__(self, *args, elections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = elections
