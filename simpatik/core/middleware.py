"""Request plumbing: an id for the audit trail, the language, and the guard against hostile input."""

import re

from django.conf import settings
from django.contrib.auth import get_user
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from simpatik.core.context import request_id_scope, request_memo_scope
from simpatik.core.input_guard import check_headers, check_request

_SAFE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        with (
            request_id_scope(incoming if _SAFE.match(incoming) else None) as rid,
            request_memo_scope(),
        ):
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


class FormOnlyPageMiddleware:
    """A page opened at an address that only takes a form's sending (after a refused action the
    address bar keeps it; a reload or the language switch then opens it) says so in the user's
    language and links back, where Django answers 405 with an empty body the browser shows as
    its own error page. The API keeps its 405."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.method in ("GET", "HEAD")
            and not request.path.startswith("/api/")
            and not response.content
        ):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


class InputGuardMiddleware:
    """Refuse hostile input (NUL bytes, non-numbers, deep JSON) before a view or the database.

    Placed before the session and authentication middleware, so a NUL byte in a cookie or a
    Basic auth header never reaches a database query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = check_request(request)
        if refusal is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": refusal.code, "detail": refusal.message}, status=refusal.status
            )
        if check_headers(request.META) is None:
            # Cookies are clean: the page may show who is signed in (a NUL in the session cookie
            # would otherwise reach the session query).
            request.user = SimpleLazyObject(lambda: get_user(request))
        return render(request, "error.html", {"error": refusal}, status=refusal.status)
