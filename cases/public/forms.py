"""The public report form (no account): what happened, who, where and when, the evidence, the reporter."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.public.services import MAX_FILES, MAX_LINKS, offices_taking_reports
from cases.workflow.forms import DATE, DATE_ERROR, ReporterForm
from netralitas import forms as bounded

EARLIEST = date(2000, 1, 1)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,video/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class RegencyChoiceField(forms.ModelChoiceField):
    """The office, shown as the regency it serves: the public knows where it happened, not which office."""

    def label_from_instance(self, obj):
        return obj.region.name


class PublicReporterForm(ReporterForm):
    """The staff form's reporter fields and checks, with labels for the reporter themself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="pelapor", **kwargs)
        self.fields["name"].label = _("Nama lengkap")
        self.fields["phone"].help_text = _(
            "Isi telepon atau e-mail (atau keduanya) agar petugas dapat menghubungi Anda."
        )
        self.fields["email"].help_text = _("Tanda terima dan kode pelacakan dikirim ke alamat ini.")


class PublicReportForm(bounded.Form):
    office = RegencyChoiceField(
        label=_("Kabupaten/kota tempat kejadian"),
        queryset=offices_taking_reports(),
        empty_label=_("— pilih kabupaten/kota —"),
        error_messages={"required": _("Pilih kabupaten/kota tempat kejadian.")},
    )
    title = forms.CharField(
        label=_("Apa yang terjadi (satu kalimat)"),
        max_length=200,
        help_text=_("Mis. “Kepala dinas menyukai dan membagikan unggahan paslon nomor 2 di Facebook”."),
        error_messages={"required": _("Tuliskan singkat apa yang terjadi.")},
    )
    chronology = forms.CharField(
        label=_("Kronologi"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=_("Urutan kejadian: siapa berbuat apa, kapan, di mana, dan bagaimana Anda mengetahuinya."),
        error_messages={"required": _("Tuliskan kronologi kejadian.")},
    )
    place = forms.CharField(
        label=_("Tempat kejadian"),
        max_length=255,
        help_text=_("Alamat, nama acara, atau nama akun/grup media sosial."),
        error_messages={"required": _("Isi tempat kejadian.")},
    )
    occurred_on = forms.DateField(
        label=_("Tanggal kejadian"),
        widget=DATE,
        error_messages={"required": _("Isi tanggal kejadian."), "invalid": DATE_ERROR},
    )
    known_on = forms.DateField(
        label=_("Tanggal Anda mengetahuinya"),
        widget=DATE,
        help_text=_("Batas waktu melapor dihitung dari tanggal ini."),
        error_messages={"required": _("Isi tanggal Anda mengetahui kejadian."), "invalid": DATE_ERROR},
    )
    reported_name = forms.CharField(
        label=_("Nama terlapor"), max_length=150, error_messages={"required": _("Isi nama orang yang dilaporkan.")}
    )
    reported_position = forms.CharField(label=_("Jabatan / instansi terlapor"), max_length=200, required=False)
    reported_address = forms.CharField(
        label=_("Alamat terlapor"),
        max_length=255,
        required=False,
        help_text=_("Alamat rumah atau kantor, bila Anda tahu."),
    )
    reported_phone = forms.CharField(label=_("Telepon terlapor"), max_length=40, required=False)
    witnesses = forms.CharField(
        label=_("Saksi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Nama dan kontak orang yang melihat kejadian, satu per baris."),
    )
    links = forms.CharField(
        label=_("Tautan unggahan"),
        widget=forms.Textarea(attrs={"rows": 3, "inputmode": "url"}),
        required=False,
        help_text=_("Alamat unggahan, komentar atau akun di media sosial, satu per baris (paling banyak %(n)d).")
        % {"n": MAX_LINKS},
    )
    files = MultipleFileField(
        label=_("Tangkapan layar, foto, video atau dokumen"),
        required=False,
        help_text=_("Paling banyak %(n)d berkas.") % {"n": MAX_FILES},
    )
    consent_contact = forms.BooleanField(
        label=_("Saya bersedia dihubungi petugas Bawaslu tentang laporan ini."), required=False
    )
    truthful = forms.BooleanField(
        label=_("Saya menyatakan laporan ini saya buat dengan sebenar-benarnya."),
        error_messages={"required": _("Centang pernyataan kebenaran laporan.")},
    )
    # Left empty by people (it is hidden); bots fill every field.
    website = forms.CharField(required=False, label=_("Situs web"))

    def clean_known_on(self):
        known = self.cleaned_data["known_on"]
        if known > timezone.localdate():
            raise forms.ValidationError(_("Tanggal mengetahui tidak boleh setelah hari ini."))
        if known < EARLIEST:
            raise forms.ValidationError(_("Tanggal itu terlalu lama; periksa tahunnya."))
        return known

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal kejadian tidak boleh setelah hari ini."))
        if day < EARLIEST:
            raise forms.ValidationError(_("Tanggal itu terlalu lama; periksa tahunnya."))
        return day

    def clean_links(self):
        url = forms.URLField(assume_scheme="https", max_length=1000)
        links = []
        for line in self.cleaned_data["links"].splitlines():
            if line.strip():
                try:
                    links.append(url.clean(line.strip()))
                except forms.ValidationError:
                    raise forms.ValidationError(
                        _("“%(line)s” bukan alamat tautan yang lengkap (mis. https://www.facebook.com/...).")
                        % {"line": line.strip()[:80]}
                    ) from None
        if len(links) > MAX_LINKS:
            raise forms.ValidationError(_("Paling banyak %(n)d tautan.") % {"n": MAX_LINKS})
        return list(dict.fromkeys(links))

    def clean(self):
        cleaned = super().clean()
        occurred, known = cleaned.get("occurred_on"), cleaned.get("known_on")
        if occurred and known and known < occurred:
            self.add_error("known_on", _("Tanggal mengetahui tidak boleh sebelum tanggal kejadian."))
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))
