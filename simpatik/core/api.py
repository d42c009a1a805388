"""API plumbing shared by every app: errors as JSON {code, detail}, never a 500 for bad input."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from simpatik.core.errors import SimpatikError


def error_response(code: str, detail, http_status: int, **extra) -> Response:
    body = {"code": code, "detail": detail}
    body.update(extra)
    return Response(body, status=http_status)


def exception_handler(exc, context):
    if isinstance(exc, SimpatikError):
        return error_response(exc.code, exc.message, exc.status, **exc.data)
    if isinstance(exc, Http404):
        return error_response("not_found", _("Data tidak ditemukan."), status.HTTP_404_NOT_FOUND)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return error_response(
            "not_authenticated",
            _("Anda harus masuk (login) terlebih dahulu."),
            status.HTTP_401_UNAUTHORIZED,
        )
    if isinstance(exc, exceptions.PermissionDenied):
        return error_response("forbidden", _("Anda tidak berwenang."), status.HTTP_403_FORBIDDEN)
    if isinstance(exc, exceptions.ValidationError):
        return error_response(
            "invalid",
            _("Data yang dikirim tidak valid."),
            status.HTTP_400_BAD_REQUEST,
            errors=exc.detail,
        )
    if isinstance(exc, exceptions.ParseError | exceptions.UnsupportedMediaType):
        return error_response("bad_request", _("Permintaan tidak dapat dibaca."), 400)
    response = drf_handler(exc, context)
    if response is not None:
        response.data = {"code": getattr(exc, "default_code", "error"), "detail": str(exc)}
    return response
