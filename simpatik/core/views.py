"""Web plumbing shared by every app: domain errors become pages with the right status."""

import json
import logging
from functools import wraps

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from simpatik.core.errors import SimpatikError
from simpatik.core.input_guard import loads_bounded


def error_page(request, error: SimpatikError, status: int | None = None):
    return render(request, "error.html", {"error": error}, status=status or error.status)


def domain_errors(view):
    """Turn a refusal from a service into its page: 400, 403, 404 or 409; never a 500."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SimpatikError as error:
            return error_page(request, error)

    return wrapper


CSP_REPORT_MAX_BYTES = 16 * 1024
csp_log = logging.getLogger("simpatik.csp")


@csrf_exempt
@require_POST
def csp_report(request):
    """Browsers report Content-Security-Policy violations here; they go to the log, bounded."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        report = loads_bounded(request.body or b"{}")
    except ValueError:
        return HttpResponse(status=400)
    body = report.get("csp-report", report) if isinstance(report, dict) else report
    csp_log.warning("Pelanggaran CSP: %s", json.dumps(body, ensure_ascii=False)[:2000])
    return HttpResponse(status=204)
