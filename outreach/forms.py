from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from netralitas import forms as bounded
from netralitas.reference.forms import agency_choices
from netralitas.reference.models import Agency
from outreach.models import OutreachSession, SessionKind, SessionStatus

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_ERROR = _("Waktu tidak dikenali. Gunakan format hh/bb/tttt jj.mm.")
WEEKDAYS = [("MO", _("Senin")), ("TU", _("Selasa")), ("WE", _("Rabu")), ("TH", _("Kamis")), ("FR", _("Jumat")),
            ("SA", _("Sabtu")), ("SU", _("Minggu"))]  # fmt: skip


class SessionForm(bounded.ModelForm):
    agencies = forms.ModelMultipleChoiceField(
        label=_("OPD yang diundang"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    accept_conflicts = forms.BooleanField(label=_("Tetap simpan meskipun bentrok"), required=False)
    online_link = forms.URLField(
        label=_("Tautan daring"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Tautan tidak valid: salin alamat lengkap, mis. https://zoom.us/...")},
    )

    class Meta:
        model = OutreachSession
        fields = ["kind", "title", "topic", "start", "end", "venue", "online_link", "speakers", "expected_participants"]
        widgets = {"start": DATETIME, "end": DATETIME, "topic": forms.Textarea(attrs={"rows": 3}),
                   "speakers": forms.Textarea(attrs={"rows": 2})}  # fmt: skip
        error_messages = {
            "start": {"invalid": DATETIME_ERROR, "required": _("Isi waktu mulai.")},
            "end": {"invalid": DATETIME_ERROR, "required": _("Isi waktu selesai.")},
            "title": {"required": _("Isi judul kegiatan.")},
        }

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        agency_choices(self.fields["agencies"], agencies)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("Waktu selesai harus sesudah waktu mulai."))
        return cleaned

    def _get_validation_exclusions(self):
        excluded = super()._get_validation_exclusions()
        excluded.add("end")  # checked above with a clearer message than the constraint's
        return excluded

    def service_fields(self) -> dict:
        """What ``services.session_create`` takes of the form (not the conflict override)."""
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "agencies"]}


class SeriesForm(bounded.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=SessionKind.choices, initial=SessionKind.CEREMONY)
    title = forms.CharField(label=_("Judul"), max_length=200, error_messages={"required": _("Isi judul.")})
    topic = forms.CharField(label=_("Pesan / pokok bahasan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    weekday = forms.ChoiceField(label=_("Setiap hari"), choices=WEEKDAYS)
    first_start = forms.DateTimeField(
        label=_("Mulai pertama"),
        widget=DATETIME,
        error_messages={"invalid": DATETIME_ERROR, "required": _("Isi waktu mulai pertama.")},
    )
    duration_minutes = forms.IntegerField(label=_("Durasi (menit)"), min_value=5, max_value=600, initial=30)
    until = forms.DateField(
        label=_("Sampai tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Isi tanggal akhir (mis. hari pemungutan suara).")},
    )
    venue = forms.CharField(label=_("Tempat"), required=False, max_length=255)
    agencies = forms.ModelMultipleChoiceField(
        label=_("OPD yang diundang"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        agency_choices(self.fields["agencies"], agencies)

    def clean(self):
        cleaned = super().clean()
        first, until = cleaned.get("first_start"), cleaned.get("until")
        if first and until and until < first.date():
            self.add_error("until", _("Tanggal akhir harus sesudah mulai pertama."))
        return cleaned

    def service_fields(self) -> dict:
        """What ``services.series_create`` takes of the form: the fields, the weekday as an RFC 5545 rule."""
        fields = {name: value for name, value in self.cleaned_data.items() if name != "weekday"}
        return {**fields, "rule": f"FREQ=WEEKLY;BYDAY={self.cleaned_data['weekday']}"}


class StatusForm(bounded.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SessionStatus.choices)
    reason = forms.CharField(label=_("Alasan (untuk ditunda/dibatalkan)"), required=False, max_length=255)
    minutes = forms.CharField(label=_("Notulen"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class AttendanceForm(bounded.Form):
    agency = forms.ModelChoiceField(label=_("OPD"), queryset=Agency.objects.none())
    people_reached = forms.IntegerField(label=_("Jumlah hadir"), min_value=0)
    asn_count = forms.IntegerField(label=_("Di antaranya ASN"), min_value=0, initial=0)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        agency_choices(self.fields["agency"], agencies)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("asn_count") or 0) > (cleaned.get("people_reached") or 0):
            self.add_error("asn_count", _("Jumlah ASN tidak boleh melebihi jumlah hadir."))
        return cleaned


class RescheduleForm(bounded.Form):
    start = forms.DateTimeField(label=_("Mulai"), widget=DATETIME, error_messages={"invalid": DATETIME_ERROR})
    end = forms.DateTimeField(label=_("Selesai"), widget=DATETIME, error_messages={"invalid": DATETIME_ERROR})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("Waktu selesai harus sesudah waktu mulai."))
        return cleaned


class OfficialForm(bounded.Form):
    agency = forms.ModelChoiceField(label=_("OPD"), queryset=Agency.objects.none())
    name = forms.CharField(label=_("Nama pejabat"), max_length=150, error_messages={"required": _("Isi nama pejabat.")})
    email = forms.EmailField(
        label=_("E-mail"),
        error_messages={"required": _("Isi e-mail pejabat."), "invalid": _("Alamat e-mail tidak valid.")},
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        agency_choices(self.fields["agency"], agencies)


class MaterialForm(bounded.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=[("materi", _("Materi")), ("foto", _("Foto kegiatan")),
                                                          ("lainnya", _("Lainnya"))])  # fmt: skip
    title = forms.CharField(label=_("Judul"), max_length=200, required=False)
    upload = forms.FileField(label=_("Berkas"), error_messages={"required": _("Pilih berkas.")})


class FollowUpForm(bounded.Form):
    description = forms.CharField(
        label=_("Tindak lanjut"), max_length=255, error_messages={"required": _("Isi tindak lanjut.")}
    )
    owner = forms.CharField(
        label=_("Penanggung jawab"), max_length=150, error_messages={"required": _("Isi penanggung jawab.")}
    )
    due_on = forms.DateField(
        label=_("Batas waktu"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Isi batas waktu."), "invalid": _("Tanggal tidak dikenali.")},
    )
