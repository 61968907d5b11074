"""Forms of the referral pages; they hand clean values to ``cases.referrals.services``."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    CRIME_STATUSES,
    FORWARDED_SUBJECT_OUTCOMES,
    CaseSubject,
    Referral,
    ReferralResponse,
    ReferralStatus,
    Sanction,
    Succession,
    sanctions_for,
)
from cases.referrals.services import CRIME_STEPS
from cases.workflow.forms import DATE, DATE_ERROR
from netralitas import forms as bounded
from netralitas.reference.models import Institution


class ReferralDraftForm(bounded.Form):
    subjects = forms.ModelMultipleChoiceField(
        label=_("Terlapor yang diteruskan"),
        queryset=CaseSubject.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sedikitnya satu terlapor.")},
    )
    institution = forms.ModelChoiceField(
        label=_("Lembaga tujuan"),
        queryset=Institution.objects.all(),
        error_messages={"required": _("Pilih lembaga tujuan.")},
    )
    channel = forms.ChoiceField(label=_("Saluran"), choices=Referral.Channel.choices)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = case.subjects.filter(outcome__in=FORWARDED_SUBJECT_OUTCOMES).select_related(
            "person", "case__office"
        )
        self.fields["subjects"].label_from_instance = lambda s: (
            f"{s.person.name} ({s.person.get_employment_type_display()}{', NIP ' + s.person.nip if s.person.nip else ''}"
            f"; {s.get_outcome_display().lower()})"
        )
        today = timezone.localdate()
        self.fields["institution"].queryset = Institution.objects.filter(
            Q(region__isnull=True) | Q(region__code__in=case.office.region.ancestor_codes)
        ).order_by("name")
        self.fields["institution"].label_from_instance = lambda i: institution_label(i, today)


def institution_label(institution: Institution, today) -> str:
    if institution.active_until and today > institution.active_until:
        return f"{institution.name} — {_('tidak aktif sejak')} {institution.active_until:%d/%m/%Y}"
    if institution.active_from and today < institution.active_from:
        return f"{institution.name} — {_('aktif mulai')} {institution.active_from:%d/%m/%Y}"
    return institution.name


class ReferralSendForm(bounded.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    letter_number = forms.CharField(
        label=_("Nomor surat"), max_length=120, error_messages={"required": _("Isi nomor surat penerusan.")}
    )
    letter_date = forms.DateField(
        label=_("Tanggal surat"),
        widget=DATE,
        error_messages={"required": _("Isi tanggal surat."), "invalid": DATE_ERROR},
    )
    channel = forms.ChoiceField(label=_("Saluran"), choices=Referral.Channel.choices)


class ResponseForm(bounded.Form):
    """One form for the four responses; ``kind`` decides which fields count."""

    number = forms.CharField(label=_("Nomor surat / keputusan"), required=False, max_length=120)
    date = forms.DateField(
        label=_("Tanggal"), widget=DATE, error_messages={"required": _("Isi tanggal."), "invalid": DATE_ERROR}
    )
    proven = forms.TypedChoiceField(
        label=_("Hasil rekomendasi"),
        choices=[("", "—"), ("1", _("Terbukti melanggar")), ("0", _("Tidak terbukti"))],
        coerce=lambda v: v == "1",
        required=False,
    )
    sanction = forms.ChoiceField(label=_("Sanksi"), choices=[("", "—"), *Sanction.choices], required=False)
    refused = forms.BooleanField(label=_("PPK tidak menjatuhkan sanksi"), required=False)
    note = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kind: str, employment_type: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        K = ReferralResponse.Kind
        if employment_type:  # a village head's sanctions for a village head, the others for everyone else
            self.fields["sanction"].choices = [("", "—"), *sanctions_for(employment_type)]
        if kind not in (K.RECOMMENDATION, K.VERDICT):
            del self.fields["proven"]
        if kind not in (K.RECOMMENDATION, K.PPK_DECISION):
            del self.fields["sanction"]
        if kind != K.PPK_DECISION:
            del self.fields["refused"]
        if kind == K.EXECUTION:
            del self.fields["number"]
        if kind == K.RECOMMENDATION:
            self.fields["sanction"].label = _("Sanksi yang direkomendasikan")
        if kind == K.PPK_DECISION:
            self.fields["sanction"].label = _("Sanksi yang dijatuhkan")
        if kind == K.VERDICT:
            self.fields["proven"].label = _("Isi putusan")
            self.fields["proven"].choices = [("", "—"), ("1", _("Terbukti bersalah")), ("0", _("Tidak terbukti"))]
            self.fields["number"].label = _("Nomor putusan pengadilan")
            self.fields["note"].label = _("Amar putusan (pidana yang dijatuhkan)")
        if kind == K.INVESTIGATION:
            self.fields["number"].label = _("Nomor surat perintah penyidikan / SPDP")
        if kind == K.DISCONTINUED:
            self.fields["note"].label = _("Alasan penghentian")

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date")
        if day and day > timezone.localdate():
            self.add_error("date", _("Tanggal tidak boleh di masa depan."))
        if "proven" in self.fields and self.data.get(self.add_prefix("proven"), "") == "":
            self.add_error(
                "proven", _("Pilih hasil rekomendasi.") if self.kind == "rekomendasi" else _("Pilih isi putusan.")
            )
        return cleaned


RESPONSE_FOR_STATUS = {
    ReferralStatus.SENT: [ReferralResponse.Kind.ACKNOWLEDGED, ReferralResponse.Kind.RECOMMENDATION],
    ReferralStatus.AWAITING_PPK: [ReferralResponse.Kind.PPK_DECISION],
    ReferralStatus.SANCTIONED: [ReferralResponse.Kind.EXECUTION],
    # an election crime at Sentra Gakkumdu: its acknowledgement once forwarded, then the stages its rule allows
    **{
        status: [
            *([ReferralResponse.Kind.ACKNOWLEDGED] if status == ReferralStatus.CRIME_FORWARDED else []),
            *(kind for kind, (sources, _next) in CRIME_STEPS.items() if status in sources),
        ]
        for status in CRIME_STATUSES
    },
}


class EscalationForm(bounded.Form):
    rung = forms.IntegerField(widget=forms.HiddenInput)
    letter_number = forms.CharField(
        label=_("Nomor surat"), max_length=120, error_messages={"required": _("Isi nomor surat.")}
    )
    letter_date = forms.DateField(
        label=_("Tanggal surat"),
        widget=DATE,
        error_messages={"required": _("Isi tanggal surat."), "invalid": DATE_ERROR},
    )


class EscalationAnswerForm(bounded.Form):
    KINDS = [
        ("answer", _("Jawaban atas surat")),
        ("blocked", _("BKN memblokir data kepegawaian")),
        ("unblocked", _("BKN membuka blokir")),
    ]
    kind = forms.ChoiceField(label=_("Yang dicatat"), choices=KINDS)
    date = forms.DateField(
        label=_("Tanggal"), widget=DATE, error_messages={"required": _("Isi tanggalnya."), "invalid": DATE_ERROR}
    )
    number = forms.CharField(label=_("Nomor surat jawaban"), max_length=120, required=False)
    note = forms.CharField(
        label=_("Isi jawaban / keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, escalation, **kwargs):
        super().__init__(*args, **kwargs)
        if not escalation.rung.requests_block:
            self.fields["kind"].choices = self.KINDS[:1]


class SuccessionForm(bounded.Form):
    predecessor = forms.ModelChoiceField(
        label=_("Lembaga yang digantikan"),
        queryset=Institution.objects.filter(succession__isnull=True).order_by("name"),
        error_messages={"required": _("Pilih lembaga yang digantikan.")},
    )
    successor = forms.ModelChoiceField(
        label=_("Lembaga penerus"),
        queryset=Institution.objects.order_by("name"),
        error_messages={"required": _("Pilih lembaga penerus.")},
    )
    effective_on = forms.DateField(
        label=_("Berlaku sejak"),
        widget=DATE,
        help_text=_("Hari pertama lembaga penerus menangani penerusan."),
        error_messages={"required": _("Isi tanggal berlaku."), "invalid": DATE_ERROR},
    )
    legal_basis = forms.CharField(
        label=_("Dasar hukum"),
        max_length=300,
        help_text=_("Mis. “UU 20/2023; Perpres 91/2024 dan 92/2024”."),
        error_messages={"required": _("Isi dasar hukum suksesi.")},
    )
    clock = forms.ChoiceField(
        label=_("Batas rekomendasi penerusan yang masih menunggu"),
        choices=Succession.Clock.choices,
        initial=Succession.Clock.RESTART,
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
