"""WSGI entry point (gunicorn simpatik.wsgi; runserver loads it too)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpatik.settings")
application = get_wsgi_application()

# Before the first request: a serving process makes its first letter as fast as its tenth.
from simpatik.letters.warmup import warm  # noqa: E402

warm()
