"""Loaded with `-p` before Django's settings: the environment every test run starts from.

Production refuses to start without a secret key (settings), so the suite brings a test-only one.
The test client and live server speak plain HTTP: no redirect to HTTPS there.
"""

import os

os.environ.setdefault("SECRET_KEY", "simpatik-tests-only-not-a-real-secret-0123456789abcdef")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SIMPATIK_KEY_ENCRYPTION_KEY", "simpatik-tests-only-key-encryption-key")
