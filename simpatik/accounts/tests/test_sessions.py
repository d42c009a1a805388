"""Web sessions end after 30 idle minutes and 12 hours in any case; cookies are locked down."""

import time

from django.test import Client

from simpatik.accounts.tests.conftest import PASSWORD
from simpatik.audit.models import AuditRecord


def logged_in(user):
    client = Client()
    response = client.post("/masuk/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client, response


def shift(client, key, seconds):
    session = client.session
    session[key] -= seconds
    session.save()


def test_session_ends_after_idle_timeout(kasie, settings):
    settings.SIMPATIK_SESSION_IDLE_MINUTES = 30
    client, _response = logged_in(kasie)
    shift(client, "simpatik_seen_at", 29 * 60)
    assert client.get("/tugas/").status_code == 200  # still within the limit, and refreshed
    shift(client, "simpatik_seen_at", 31 * 60)
    response = client.get("/tugas/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/masuk/")
    assert "tidak ada aktivitas selama 30 menit" in response.content.decode()
    expired = AuditRecord.objects.get(action="auth.session.expired", actor=kasie)
    assert expired.reason == "idle"


def test_session_ends_after_its_absolute_lifetime_even_when_active(kasie, settings):
    settings.SIMPATIK_SESSION_MAX_HOURS = 12
    client, _response = logged_in(kasie)
    shift(client, "simpatik_auth_at", 12 * 3600 + 1)
    session = client.session
    session["simpatik_seen_at"] = time.time()  # active a moment ago
    session.save()
    response = client.get("/tugas/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")
    assert AuditRecord.objects.get(action="auth.session.expired").reason == "max_age"


def test_cookies_are_secure_httponly_and_samesite_with_hsts(kasie):
    # The suite runs with DEBUG off, as production does.
    client, response = logged_in(kasie)
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # ends with the browser; the server limits it anyway
    response = client.get("/tugas/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    csrf = Client().get("/masuk/").cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
