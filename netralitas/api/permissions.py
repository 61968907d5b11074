from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from netralitas.accounts.models import ApiClient, ApiToken


class IsApiClient(permissions.BasePermission):
    """A request made with a valid client token; writes need a read-write token."""

    message = _("Token ini hanya boleh membaca; tanggapan dikirim dengan token baca-tulis.")

    def has_permission(self, request, view):
        if not isinstance(request.user, ApiClient) or not isinstance(request.auth, ApiToken):
            return False
        return request.method in permissions.SAFE_METHODS or request.auth.can_write
