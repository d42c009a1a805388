"""Web plumbing shared by every app: domain errors become pages with the right status."""

from functools import wraps

from django.shortcuts import render

from simpatik.core.errors import Conflict, NotFound, PermissionDenied, SimpatikError


def error_page(request, error: SimpatikError, status: int | None = None):
    return render(request, "error.html", {"error": error}, status=status or error.status)


def domain_errors(view):
    """Turn a refusal from a service into its page: 403, 404 or 409; never a 500."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (PermissionDenied, NotFound, Conflict) as error:
            return error_page(request, error)

    return wrapper
