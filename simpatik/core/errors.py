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


def check_lengths(model, **values) -> None:
    """Refuse text longer than its model field holds (services that take text without a form)."""
    from django.utils.text import capfirst
    from django.utils.translation import gettext as _

    for name, value in values.items():
        field = model._meta.get_field(name)
        if value and field.max_length and len(value) > field.max_length:
            raise ValidationError(
                _("%(label)s terlalu panjang: paling banyak %(limit)d karakter, terisi %(n)d.")
                % {
                    "label": capfirst(str(field.verbose_name)),
                    "limit": field.max_length,
                    "n": len(value),
                },
                code="too_long",
                data={"field": name},
            )
