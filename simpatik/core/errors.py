"""Domain errors: a stable code for programs, an Indonesian message for people."""


class SimpatikError(Exception):
    """Base of every refusal the services make; views turn it into a 4xx, never a 500."""

    status = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, data: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.data = data or {}


class ValidationError(SimpatikError):
    status = 400
    default_code = "invalid"


class PermissionDenied(SimpatikError):
    status = 403
    default_code = "forbidden"


class NotFound(SimpatikError):
    status = 404
    default_code = "not_found"


class Conflict(SimpatikError):
    status = 409
    default_code = "conflict"
