"""Request bodies are refused from their declared length, before a byte of them is read.

Without this a 300 MB upload was accepted into a temporary file and only then refused by the
document check. Django itself reads nothing of a body sent without Content-Length (chunked), so
the only reader of such bodies, git's smart HTTP push, counts them itself (provisioning.git_http).
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def limit_for(path: str) -> int:
    if path.startswith("/git/"):
        return settings.SIMPATIK_MAX_GIT_PUSH_MB * 1024 * 1024
    return settings.SIMPATIK_MAX_REQUEST_MB * 1024 * 1024


def too_large(request, limit: int) -> HttpResponse:
    detail = _("Kiriman terlalu besar: paling banyak %(mb)d MB sekali kirim.") % {
        "mb": limit // (1024 * 1024)
    }
    wants_json = request.path.startswith("/api/") or "json" in request.headers.get("Accept", "")
    if wants_json:
        response = JsonResponse({"code": "request_too_large", "detail": detail}, status=413)
    else:
        response = HttpResponse(render_to_string("413.html", {"detail": detail}), status=413)
    # Answered before CommonMiddleware: say the length, or a client reading this answer while
    # the server still waits for the body it declared would wait for the connection to close.
    response["Content-Length"] = str(len(response.content))
    return response


class BodyLimitMiddleware:
    """First in MIDDLEWARE: answers 413 from CONTENT_LENGTH alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            length = -1
        limit = limit_for(request.path)
        if length < 0 or length > limit:
            return too_large(request, limit)
        return self.get_response(request)
