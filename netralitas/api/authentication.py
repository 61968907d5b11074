from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from netralitas.accounts.tokens import TokenRefused, api_token_check


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>``. ``request.user`` is the ApiClient, ``request.auth`` the ApiToken."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() not in ("bearer", "token"):
            raise exceptions.AuthenticationFailed(_("Kirim token sebagai 'Authorization: Bearer <token>'."))
        try:
            token = api_token_check(parts[1])
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        request._request.api_token = token  # read by the request log, which runs after the view
        return token.client, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document describes the token (Swagger UI's "Authorize" button)."""

    target_class = ApiTokenAuthentication
    name = "BearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": _("Token klien API: 'Authorization: Bearer ntr_…'.")}
