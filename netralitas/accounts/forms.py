from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from netralitas import forms as bounded
from netralitas.accounts.onboarding import NewPilkada, NewUser, OnboardingError, agencies_from_sheet, agency_row
from netralitas.forms import BoundedInputMixin


class LoginForm(BoundedInputMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Periksa keduanya (huruf besar dan kecil dibedakan)."),
        "inactive": _("Akun ini dinonaktifkan. Hubungi admin kantor Anda."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")
        self.fields["username"].error_messages["required"] = _("Isi nama pengguna.")
        self.fields["password"].error_messages["required"] = _("Isi kata sandi.")


class CodeForm(bounded.Form):
    """The second step of signing in: the app's 6-digit code, or a backup code."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=20,
        help_text=_("6 angka dari aplikasi autentikator, atau salah satu kode cadangan (8 huruf dan angka)."),
        error_messages={"required": _("Isi kode verifikasi.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class SetupCodeForm(bounded.Form):
    code = forms.CharField(
        label=_("Kode dari aplikasi"),
        max_length=10,
        help_text=_("6 angka yang sekarang tampil di aplikasi autentikator untuk Netralitas."),
        error_messages={"required": _("Isi kode dari aplikasi.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class PasswordConfirmForm(bounded.Form):
    """Re-entering the password before a change to the second factor (a session left open is not enough)."""

    password = forms.CharField(
        label=_("Kata sandi Anda"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Isi kata sandi Anda.")},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Kata sandi salah."), code="wrong_password")
        return password


def _lines(text: str) -> list[list[str]]:
    """The non-empty lines of a text area, each split on ";" (or tabs, as pasted from a spreadsheet)."""
    rows = []
    for line in text.splitlines():
        if line.strip():
            rows.append([part.strip() for part in line.replace("\t", ";").split(";")])
    return rows


class RegencyForm(bounded.Form):
    """A new regency, its office and first users (``netralitas.accounts.onboarding.regency_add``). The lists
    are text areas, one item per line, so that a list pasted from a spreadsheet is kept as typed when the
    page is shown again; an uploaded agency spreadsheet is read into its text area for the same reason."""

    province = forms.ModelChoiceField(
        label=_("Provinsi"), queryset=None, empty_label=None, error_messages={"required": _("Pilih provinsi.")}
    )
    code = forms.CharField(
        label=_("Kode wilayah (Kemendagri)"),
        max_length=5,
        help_text=_("Mis. 62.03 untuk Kabupaten Kapuas."),
        error_messages={"required": _("Isi kode wilayah.")},
    )
    is_city = forms.TypedChoiceField(
        label=_("Jenis"),
        choices=[("0", _("Kabupaten")), ("1", _("Kota"))],
        coerce=lambda value: value == "1",
        initial="0",
    )
    name = forms.CharField(
        label=_("Nama"),
        max_length=100,
        help_text=_("Tanpa “Kabupaten”/“Kota”, mis. Kapuas."),
        error_messages={"required": _("Isi nama kabupaten/kota.")},
    )
    districts = forms.CharField(
        label=_("Kecamatan"),
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "62.03.01 Selat\n62.03.02 Kapuas Hilir"}),
        help_text=_("Satu kecamatan per baris: kode, spasi, nama."),
        error_messages={"required": _("Isi sedikitnya satu kecamatan.")},
    )
    address = forms.CharField(label=_("Alamat kantor Bawaslu"), max_length=255, required=False)
    city = forms.CharField(label=_("Kota (untuk surat)"), max_length=80, required=False)
    phone = forms.CharField(label=_("Telepon kantor"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("E-mail kantor"), required=False, error_messages={"invalid": _("Alamat e-mail tidak sah.")}
    )
    users = forms.CharField(
        label=_("Pengguna pertama"),
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "budi.koord; Budi Santoso; budi@contoh.go.id; koordinator"}
        ),
        help_text=_(
            "Satu pengguna per baris: nama pengguna; nama lengkap; e-mail; peran (koordinator, pengawas, admin atau "
            "pemkab). Setiap pengguna menerima e-mail untuk membuat kata sandinya sendiri."
        ),
        error_messages={"required": _("Isi sedikitnya satu pengguna pertama.")},
    )
    agencies = forms.CharField(
        label=_("Instansi (OPD) pemerintah daerah"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "Dinas Pendidikan; Disdik; dinas"}),
        help_text=_("Satu instansi per baris: nama; singkatan; jenis (tidak wajib)."),
    )
    agency_sheet = forms.FileField(
        label=_("Atau unggah daftar instansi (XLSX/CSV)"),
        required=False,
        help_text=_("Kolom: nama, singkatan, jenis. Isinya dipindahkan ke daftar di atas sebelum disimpan."),
    )
    pilkada = forms.BooleanField(label=_("Buat Pilkada untuk kabupaten/kota ini"), required=False)
    pilkada_name = forms.CharField(
        label=_("Nama Pilkada"),
        max_length=200,
        required=False,
        help_text=_("Kosongkan untuk “Pemilihan Bupati dan Wakil Bupati <nama> <tahun>” (kota: Wali Kota)."),
    )
    pilkada_year = forms.IntegerField(label=_("Tahun Pilkada"), required=False, min_value=2000, max_value=2100)
    pilkada_voting_day = forms.DateField(
        label=_("Hari pemungutan suara"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak dikenali. Gunakan format hh/bb/tttt.")},
    )

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        self.fields["province"].label_from_instance = lambda office: office.region.name

    def clean_districts(self):
        districts = []
        for line in self.cleaned_data["districts"].splitlines():
            if line.strip():
                code, _sep, name = line.strip().partition(" ")
                if not name.strip():
                    raise forms.ValidationError(_("Baris “%(line)s”: tulis kode, spasi, lalu nama.") % {"line": line})
                districts.append((code.strip(), name.strip()))
        return districts

    def clean_users(self):
        users = []
        for row in _lines(self.cleaned_data["users"]):
            if len(row) != 4:
                raise forms.ValidationError(
                    _("Baris “%(line)s”: tulis nama pengguna; nama lengkap; e-mail; peran.") % {"line": "; ".join(row)}
                )
            users.append(NewUser(username=row[0], full_name=row[1], email=row[2], role=row[3].lower()))
        return users

    def clean(self):
        cleaned = super().clean()
        sheet = cleaned.get("agency_sheet")
        if sheet:
            try:
                rows = agencies_from_sheet(sheet)
            except OnboardingError as error:
                self.add_error("agency_sheet", str(error))
            else:  # the sheet's rows join the list, where they stay if the page is shown again
                text = "\n".join("; ".join(part for part in row if part) for row in rows)
                self.data = self.data.copy()
                self.data[self.add_prefix("agencies")] = "\n".join(p for p in (cleaned.get("agencies"), text) if p)
                cleaned["agencies"] = self.data[self.add_prefix("agencies")]
        cleaned["agencies"] = [agency_row(row) for row in _lines(cleaned.get("agencies") or "")]
        cleaned["pilkada_proposal"] = None
        if cleaned.get("pilkada"):
            if not cleaned.get("pilkada_year"):
                self.add_error("pilkada_year", _("Isi tahun Pilkada."))
            if not cleaned.get("pilkada_voting_day"):
                self.add_error("pilkada_voting_day", _("Isi hari pemungutan suara."))
            if cleaned.get("pilkada_year") and cleaned.get("pilkada_voting_day"):
                cleaned["pilkada_proposal"] = NewPilkada(
                    name=cleaned.get("pilkada_name", ""),
                    year=cleaned["pilkada_year"],
                    voting_day=cleaned["pilkada_voting_day"],
                )
        return cleaned
