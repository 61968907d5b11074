"""Forms of the case pages. They validate input and hand clean values to ``cases.workflow.services``; they never
save models themselves."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Case,
    CaseSource,
    CaseStatus,
    CaseSubject,
    ClarificationMeeting,
    EmploymentType,
    Person,
    Reporter,
    ViolationType,
)
from cases.workflow.nip import parse_nip
from netralitas import forms as bounded
from netralitas.reference.forms import agency_choices
from netralitas.reference.models import Agency, Office, Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_ERROR = _("Tanggal tidak dikenali. Gunakan format hh/bb/tttt.")
DATETIME_ERROR = _("Waktu tidak dikenali. Gunakan format hh/bb/tttt jj.mm.")


class CaseForm(bounded.ModelForm):
    """Intake and edit of a case's description and of the initial-review checklist."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Case
        fields = [
            "election",
            "title",
            "chronology",
            "occurred_on",
            "district",
            "place",
            "known_on",
            "received_at",
            "assignee",
            *Case.FORMAL_REQUIREMENTS,
            *Case.MATERIAL_REQUIREMENTS,
        ]
        widgets = {
            "occurred_on": DATE,
            "known_on": DATE,
            "received_at": DATETIME,
            "chronology": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "occurred_on": {"invalid": DATE_ERROR},
            "known_on": {"invalid": DATE_ERROR, "required": _("Isi tanggal kejadian diketahui atau ditemukan.")},
            "received_at": {"invalid": DATETIME_ERROR, "required": _("Isi waktu laporan diterima.")},
            "title": {"required": _("Isi ringkasan singkat perkara.")},
            "chronology": {"required": _("Isi kronologi kejadian.")},
            "election": {"required": _("Pilih pemilihan."), "invalid_choice": _("Pilih pemilihan dari daftar.")},
        }
        labels = {"known_on": _("Tanggal diketahui / ditemukan"), "received_at": _("Waktu diterima / dicatat")}
        help_texts = {
            "known_on": _("Hari pelapor mengetahui kejadian, atau hari pengawas menemukannya: awal batas waktu lapor."),
            "title": _("Satu kalimat, mis. “ASN Dinas Pendidikan menyukai unggahan paslon 2”."),
        }

    def __init__(self, *args, source: str, office: Office, elections, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["election"].queryset = elections
        self.fields["election"].empty_label = None
        self.fields["district"].queryset = Region.objects.filter(
            level=Region.Level.DISTRICT, code__startswith=f"{office.region.code}."
        ).order_by("name")
        self.fields["district"].empty_label = _("— pilih kecamatan —")
        self.fields["assignee"].queryset = staff
        self.fields["assignee"].empty_label = _("— belum ditetapkan —")
        self.fields["received_at"].required = False
        if not self.instance.pk:
            self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        else:
            del self.fields["election"]
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
            if self.instance.status != CaseStatus.RECEIVED:
                for name in ("known_on", "received_at", *Case.FORMAL_REQUIREMENTS, *Case.MATERIAL_REQUIREMENTS):
                    self.fields[name].disabled = True
        if source == CaseSource.FINDING:
            for name in ("req_reporter_identity", "req_signature"):
                del self.fields[name]
        within = self.fields["req_within_time"]
        within.disabled = True
        within.help_text = _("Dihitung otomatis dari tanggal diketahui dan waktu diterima menurut aturan pemilihan.")
        self.requirement_fields = [
            self[name] for name in (*Case.FORMAL_REQUIREMENTS, *Case.MATERIAL_REQUIREMENTS) if name in self.fields
        ]

    def clean_received_at(self):
        return self.cleaned_data.get("received_at") or timezone.now()

    def clean(self):
        cleaned = super().clean()
        known, received, occurred = cleaned.get("known_on"), cleaned.get("received_at"), cleaned.get("occurred_on")
        if known and received and known > timezone.localdate(received):
            self.add_error("known_on", _("Tanggal diketahui tidak boleh sesudah laporan diterima."))
        if occurred and known and occurred > known:
            self.add_error("occurred_on", _("Kejadian tidak mungkin sesudah tanggal diketahui."))
        if received and received > timezone.now() + timezone.timedelta(minutes=5):
            self.add_error("received_at", _("Waktu diterima tidak boleh di masa depan."))
        return cleaned

    def service_fields(self) -> dict:
        names = [n for n in self.Meta.fields if n in self.fields and n != "election" and not self.fields[n].disabled]
        return {name: self.cleaned_data[name] for name in names}


class ReporterForm(bounded.ModelForm):
    class Meta:
        model = Reporter
        fields = Reporter.FIELDS
        widgets = {"birth_date": DATE}
        error_messages = {
            "name": {"required": _("Isi nama pelapor.")},
            "address": {"required": _("Isi alamat pelapor.")},
            "birth_date": {"invalid": DATE_ERROR},
            "email": {"invalid": _("Alamat e-mail tidak valid.")},
        }

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born and born >= timezone.localdate():
            raise forms.ValidationError(_("Tanggal lahir harus sebelum hari ini."))
        return born

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not re.fullmatch(r"\+?[0-9][0-9 ()-]{5,}", phone):
            raise forms.ValidationError(_("Nomor telepon hanya berisi angka, spasi, tanda +, - atau kurung."))
        return phone

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.has_error("phone"):
            self.add_error("phone", _("Isi telepon atau e-mail pelapor agar dapat dihubungi."))
        return cleaned


class TransitionForm(bounded.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    at = forms.DateTimeField(
        label=_("Waktu langkah"),
        widget=DATETIME,
        required=False,  # empty: now
        help_text=_("Kapan langkah ini terjadi (mis. tanggal rapat pleno), bukan kapan dicatat di sini."),
        error_messages={"invalid": DATETIME_ERROR},
    )
    reason = forms.CharField(label=_("Alasan"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    handed_over_to = forms.ModelChoiceField(label=_("Kantor tujuan"), queryset=Office.objects.none(), required=False)

    def __init__(self, *args, transition, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        if transition.name == "decide":
            self.fields["at"].label = _("Waktu rapat pleno")
        if transition.reason_label:
            self.fields["reason"].label = transition.reason_label
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _("Isi %(what)s.") % {
                "what": str(transition.reason_label).lower()
            }
        else:
            self.fields["reason"].label = _("Catatan (tidak wajib)")
        if transition.name != "hand_over":
            del self.fields["handed_over_to"]
        else:
            from cases.workflow.services import related_offices

            self.fields["handed_over_to"].queryset = related_offices(case.office)
            self.fields["handed_over_to"].required = True
            self.fields["handed_over_to"].error_messages["required"] = _("Pilih kantor tujuan pelimpahan.")


class ExtendForm(bounded.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Alasan perpanjangan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Isi alasan perpanjangan.")},
    )


class DeleteForm(bounded.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Alasan penghapusan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dicatat di riwayat perkara bersama nama Anda."),
        error_messages={"required": _("Isi alasan penghapusan perkara.")},
    )


class RestoreForm(bounded.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Alasan pemulihan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Isi alasan pemulihan perkara.")},
    )


class PersonForm(bounded.ModelForm):
    # Wider than 18 so a NIP typed with its usual spaces ("1985 0312 2010 01 1 004") is not cut off.
    nip = forms.CharField(
        label=_("NIP"),
        required=False,
        max_length=24,
        help_text=_("18 angka, boleh dengan spasi; kosongkan bila bukan ASN atau belum diketahui."),
        error_messages={"max_length": _("NIP harus 18 angka (tanpa titik atau huruf).")},
    )

    class Meta:
        model = Person
        fields = ["name", "nip", "employment_type", "position", "rank", "agency", "employer_note", "address"]
        error_messages = {
            "name": {"required": _("Isi nama terlapor.")},
            "employment_type": {"required": _("Pilih status kepegawaian.")},
        }

    def __init__(self, *args, regencies, visible_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.visible_people = visible_people
        agency_choices(
            self.fields["agency"], Agency.objects.filter(regency__in=regencies, is_active=True).order_by("name")
        )
        self.fields["agency"].empty_label = _("— pilih OPD —")
        self.fields["employment_type"].choices = [("", _("— pilih status —")), *EmploymentType.choices]

    def clean_nip(self):
        raw = self.cleaned_data.get("nip", "")
        if not raw.strip():
            return ""
        nip = parse_nip(raw).value
        existing = Person.objects.filter(nip=nip).exclude(pk=self.instance.pk).first()
        if existing and self.visible_people.filter(pk=existing.pk).exists():
            raise forms.ValidationError(
                _("NIP ini sudah tercatat atas nama %(name)s: cari NIP itu di kolom pencarian, lalu pilih orangnya."),
                params={"name": existing.name},
            )
        if existing:
            # Recorded by an office outside the user's scope: neither the name nor the cases are shown; the
            # province office, which sees both, links the person.
            raise forms.ValidationError(
                _("NIP ini sudah tercatat oleh kantor Bawaslu lain. Minta Bawaslu provinsi menambahkan terlapor ini.")
            )
        return nip

    def clean(self):
        cleaned = super().clean()
        kind, nip = cleaned.get("employment_type"), cleaned.get("nip")
        if kind in (EmploymentType.HONORER, EmploymentType.KEPALA_DESA) and nip:
            self.add_error("nip", _("Tenaga honorer dan kepala desa tidak memiliki NIP ASN; kosongkan isian ini."))
        return cleaned


class SubjectForm(bounded.ModelForm):
    class Meta:
        model = CaseSubject
        fields = ["violation_types", "outcome", "note"]
        widgets = {"violation_types": forms.CheckboxSelectMultiple, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["violation_types"].queryset = ViolationType.objects.filter(is_active=True)
        if self.instance.case_id and self.instance.case.status == CaseStatus.RECEIVED:
            self.fields["outcome"].disabled = True
            self.fields["outcome"].help_text = _("Hasil ditetapkan setelah registrasi dan klarifikasi.")


class NewSubjectTypesForm(bounded.Form):
    violation_types = forms.ModelMultipleChoiceField(
        label=_("Dugaan jenis pelanggaran"),
        queryset=ViolationType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(bounded.ModelForm):
    class Meta:
        model = ClarificationMeeting
        fields = ["invitee_role", "subject", "invitee_name", "scheduled_at", "place"]
        widgets = {"scheduled_at": DATETIME}
        error_messages = {
            "scheduled_at": {"invalid": DATETIME_ERROR, "required": _("Isi waktu klarifikasi.")},
            "invitee_name": {"required": _("Isi nama yang diundang.")},
            "place": {"required": _("Isi tempat klarifikasi.")},
        }

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = case.subjects.select_related("person")
        self.fields["subject"].empty_label = _("— bukan terlapor —")
        self.fields["subject"].required = False


class MeetingRecordForm(bounded.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ClarificationMeeting.Status.choices)
    minutes = forms.CharField(
        label=_("Berita acara / keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ClarificationMeeting.Status.HELD and not (cleaned.get("minutes") or "").strip():
            self.add_error("minutes", _("Isi berita acara klarifikasi yang dilaksanakan."))
        return cleaned


class AssignForm(bounded.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    assignee = forms.ModelChoiceField(label=_("Penanggung jawab"), queryset=None, required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff
        self.fields["assignee"].empty_label = _("— belum ditetapkan —")
