from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Periksa keduanya (huruf besar dan kecil dibedakan)."),
        "inactive": _("Akun ini dinonaktifkan. Hubungi admin kantor Anda."),
    }
