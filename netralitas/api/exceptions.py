"""Every API error as JSON: ``{"detail": message, "code": code, "errors": {field: [messages]}}``, in the
site's language (Indonesian). Domain errors of the apps are turned into the exceptions below at their edge
(the app's API views), so this module needs no app."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("django.request")


class Conflict(exceptions.APIException):
    """The request is valid but the referral is not at a stage that accepts it (409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("Permintaan ini tidak sesuai dengan tahap data saat ini.")
    default_code = "conflict"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy("Permintaan tidak dapat diproses.")
    default_code = "unprocessable"


MESSAGES = {
    status.HTTP_400_BAD_REQUEST: gettext_lazy("Data yang dikirim tidak valid."),
    status.HTTP_401_UNAUTHORIZED: gettext_lazy("Sertakan token API yang berlaku: 'Authorization: Bearer <token>'."),
    status.HTTP_403_FORBIDDEN: gettext_lazy("Token ini tidak berwenang untuk permintaan ini."),
    status.HTTP_404_NOT_FOUND: gettext_lazy("Data tidak ditemukan."),
    status.HTTP_405_METHOD_NOT_ALLOWED: gettext_lazy("Metode ini tidak diizinkan untuk alamat ini."),
    status.HTTP_406_NOT_ACCEPTABLE: gettext_lazy("Format jawaban yang diminta tidak tersedia."),
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: gettext_lazy("Kirim data sebagai JSON (Content-Type: application/json)."),
}


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None  # Django's debug page, with the traceback
        request = context.get("request")
        logger.error(
            "Internal Server Error: %s",
            request.path if request is not None else "?",
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        body = {"code": "server_error", "detail": _("Terjadi galat di server; coba lagi nanti."), "errors": {}}
        return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    body: dict = {"code": getattr(exc, "default_code", "error")}
    detail = exc.detail if isinstance(exc, exceptions.APIException) else None
    if isinstance(exc, exceptions.ValidationError):
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        body["detail"] = str(MESSAGES[status.HTTP_400_BAD_REQUEST])
        body["errors"] = {field: _flatten(messages) for field, messages in errors.items()}
    elif isinstance(exc, exceptions.Throttled):
        body["detail"] = _("Terlalu banyak permintaan. Coba lagi dalam %(s)d detik.") % {"s": exc.wait or 1}
    elif isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated):
        body["detail"] = str(detail) if isinstance(exc, exceptions.AuthenticationFailed) else str(MESSAGES[401])
    elif isinstance(exc, exceptions.MethodNotAllowed | exceptions.NotFound | exceptions.UnsupportedMediaType):
        body["detail"] = str(MESSAGES.get(response.status_code, detail))
    elif isinstance(exc, exceptions.NotAcceptable):
        body["detail"] = str(MESSAGES[406])
    elif isinstance(exc, exceptions.ParseError):
        body["detail"] = _("Isi permintaan bukan JSON yang sah.")
    else:
        body["detail"] = " ".join(_flatten(detail)) if detail is not None else str(MESSAGES.get(response.status_code))
    body.setdefault("errors", {})
    return Response(body, status=response.status_code, headers=_kept_headers(response))


def _kept_headers(response: Response) -> dict:
    return {k: response[k] for k in ("WWW-Authenticate", "Retry-After", "Allow") if response.has_header(k)}
