#!/usr/bin/env python
"""Django's manage.py for developers working in a checkout: DEBUG on unless set otherwise.

Production runs the `simpatik` command and gunicorn (simpatik.wsgi), which keep the strict rule
that DEBUG=false needs a SECRET_KEY; a developer's `manage.py makemigrations` needs no secret.
"""

import os

from simpatik.cli import main

if __name__ == "__main__":
    os.environ.setdefault("DEBUG", "true")
    main()
