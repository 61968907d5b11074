"""The evidence form. It validates input and hands clean values to ``cases.evidence.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Case,
    Evidence,
    StepDocument,
)
from cases.workflow.forms import DATETIME, DATETIME_ERROR
from netralitas import forms as bounded
from netralitas.reference.models import CandidatePair


class EvidenceForm(bounded.ModelForm):
    upload = forms.FileField(label=_("Berkas"), required=False)
    url = forms.URLField(
        label=_("Tautan"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        error_messages={"invalid": _("Tautan tidak valid: salin alamat lengkap, mis. https://facebook.com/...")},
    )

    interactions = forms.MultipleChoiceField(
        label=_("Interaksi"),
        choices=Evidence.Interaction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pilih semua yang dilakukan pada unggahan ini, mis. menyukai dan berkomentar."),
        error_messages={"invalid_choice": _("Pilih interaksi dari daftar.")},
    )

    class Meta:
        model = Evidence
        fields = Evidence.DESCRIBED_BY
        widgets = {"captured_at": DATETIME, "comment_text": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "captured_at": {"invalid": DATETIME_ERROR},
            "gesture_fingers": {"max_value": _("Jumlah jari paling banyak 10.")},
        }

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = case.subjects.select_related("person")
        self.fields["subject"].empty_label = _("— seluruh perkara —")
        self.fields["candidate_pair"].queryset = CandidatePair.objects.filter(election=case.election)
        self.fields["candidate_pair"].empty_label = _("— tidak ada / tidak diketahui —")
        self.fields["platform"].help_text = _("Dikenali otomatis dari tautan bila dikosongkan.")

    FILE_KINDS = (Evidence.Kind.SCREENSHOT, Evidence.Kind.PHOTO, Evidence.Kind.VIDEO, Evidence.Kind.DOCUMENT)

    def clean(self):
        cleaned = super().clean()
        kind, upload, url = cleaned.get("kind"), cleaned.get("upload"), cleaned.get("url")
        if kind in self.FILE_KINDS and not upload and not self.has_error("upload"):
            self.add_error("upload", _("Bukti jenis ini berupa berkas: unggah berkasnya (tautan boleh ditambahkan)."))
        elif kind == Evidence.Kind.LINK and not url and not self.has_error("url"):
            self.add_error("url", _("Isi tautan bukti."))
        fingers = cleaned.get("gesture_fingers")
        if fingers is not None and fingers > 10:
            self.add_error("gesture_fingers", _("Jumlah jari paling banyak 10."))
        return cleaned

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DocumentForm(bounded.Form):
    """A step's signed document: its kind (the case's or the referral's), number, date and file."""

    kind = forms.ChoiceField(label=_("Jenis dokumen"), error_messages={"required": _("Pilih jenis dokumen.")})
    number = forms.CharField(label=_("Nomor"), max_length=120, required=False)
    dated = forms.DateField(
        label=_("Tanggal dokumen"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Isi tanggal dokumen."), "invalid": _("Tanggal tidak dikenali.")},
    )
    upload = forms.FileField(
        label=_("Berkas (PDF atau hasil pindai)"), error_messages={"required": _("Unggah berkas dokumennya.")}
    )

    def __init__(self, *args, referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(StepDocument.Kind.choices)
        self.fields["kind"].choices = [("", "—"), *((kind, labels[kind]) for kind in StepDocument.kinds_for(referral))]
