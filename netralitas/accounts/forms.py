from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from netralitas import forms as bounded
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
