"""API plumbing shared by every app: errors as JSON {code, detail}, never a 500 for bad input."""

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, renderers, serializers, status
from rest_framework.response import Response
from rest_framework.utils import encoders
from rest_framework.views import exception_handler as drf_handler

from simpatik.core.errors import SimpatikError
from simpatik.core.input_guard import is_number


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


def _whole_number(data):
    """A whole number as a person or a program writes it: an int (not true/false) or a text of
    the digits 0-9; None for anything else (1.9 read as 1, "٣" or "５" read as 3 or 5)."""
    if isinstance(data, bool):
        return None
    if isinstance(data, int):
        return data
    if isinstance(data, str) and is_number(data.strip()):
        return int(data.strip())
    return None


class RecordId(serializers.PrimaryKeyRelatedField):
    """A record named by its id, written as a whole number with the digits 0-9."""

    default_error_messages = {
        "required": gettext_lazy("Wajib diisi."),
        "does_not_exist": gettext_lazy("Tidak ada data dengan id %(pk_value)s."),
        "incorrect_type": gettext_lazy("Harus berupa nomor (id) dengan angka 0-9."),
    }

    def to_internal_value(self, data):
        number = _whole_number(data)
        if number is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(number)


class WholeNumber(serializers.IntegerField):
    """serializers.IntegerField without its int() of any text: the digits 0-9 only."""

    default_error_messages = {
        "invalid": gettext_lazy("Harus berupa bilangan bulat dengan angka 0-9.")
    }

    def to_internal_value(self, data):
        number = _whole_number(data)
        if number is None:
            self.fail("invalid")
        return super().to_internal_value(number)


class PlainDate(serializers.DateField):
    """serializers.DateField for a date written with the digits 0-9 ("９９９９-01-01" was read)."""

    def to_internal_value(self, value):
        if isinstance(value, str) and not value.isascii():
            self.fail("invalid", format="TTTT-BB-HH")
        return super().to_internal_value(value)


class LocalTimeEncoder(encoders.JSONEncoder):
    """Times in the regency's own offset (+08:00, WITA), as the serializers already write them:
    answers built as dicts (a step's runs, the history, a draft) wrote UTC ("Z") beside them."""

    def default(self, obj):
        if isinstance(obj, datetime.datetime) and timezone.is_aware(obj):
            return timezone.localtime(obj).isoformat()
        return super().default(obj)


class JSONRenderer(renderers.JSONRenderer):
    encoder_class = LocalTimeEncoder
