"""Gives every request an id (or keeps a sane one sent by a proxy) for the audit trail."""

import re

from django.conf import settings
from django.utils import translation

from simpatik.core.context import request_id_scope

_SAFE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        with request_id_scope(incoming if _SAFE.match(incoming) else None) as rid:
            request.request_id = rid
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            return response


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose another language (cookie set by /i18n/setlang/).

    The browser's Accept-Language is ignored on purpose: a regency system speaks Indonesian to
    every civil servant whose browser happens to be set to English.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class PermissionsPolicyMiddleware:
    """Browser features SIMPATIK never uses (camera, microphone, location...) are off everywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.SIMPATIK_PERMISSIONS_POLICY)
        return response
