"""WSGI entry point (gunicorn simpatik.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpatik.settings")
application = get_wsgi_application()
