from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

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
