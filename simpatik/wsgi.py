"""WSGI entry point (gunicorn simpatik.wsgi; runserver loads it too)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpatik.settings")
application = get_wsgi_application()


def _refuse_misconfiguration() -> None:
    """gunicorn does not run Django's system checks: a misspelt provider or signer setting must
    stop the start with its message, not fail at the first repository or letter."""
    from django.core.checks import ERROR, run_checks
    from django.core.exceptions import ImproperlyConfigured

    serious = [message for message in run_checks() if message.level >= ERROR]
    if serious:
        raise ImproperlyConfigured("\n".join(str(message) for message in serious))


_refuse_misconfiguration()

# Before the first request: a serving process makes its first letter as fast as its tenth.
from simpatik.letters.warmup import warm  # noqa: E402

warm()
