"""Brute force is slowed on all three doors by one counter that every process shares."""

import base64

import pytest
from django.test import Client
from rest_framework.test import APIClient

from simpatik.accounts.models import AuthFailure
from simpatik.accounts.tests.conftest import PASSWORD
from simpatik.audit.models import AuditRecord


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.SIMPATIK_LOGIN_MAX_PER_ACCOUNT = 3
    settings.SIMPATIK_LOGIN_MAX_PER_ADDRESS = 6
    settings.SIMPATIK_LOGIN_LOCK_MINUTES = 15


def web_login(client, username, password, **extra):
    return client.post("/masuk/", {"login": username, "password": password}, **extra)


def token_login(username, password, **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json", **extra
    )


def basic(username, password):
    raw = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {raw}"}


def test_web_login_refuses_even_the_right_password_after_too_many_failures(kasie):
    client = Client()
    for _ in range(3):
        response = web_login(client, "kasie", "salah-sekali")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = web_login(client, "kasie", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert AuditRecord.objects.filter(action="auth.login.refused", via="web").count() == 1


def test_the_right_password_works_before_the_limit(kasie):
    client = Client()
    web_login(client, "kasie", "salah-sekali")
    response = web_login(client, "kasie", PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(kasie.pk)
    # A success restarts the account's counter, not the address's.
    assert not AuthFailure.objects.filter(scope="account", key="kasie").exists()
    assert AuthFailure.objects.filter(scope="address").count() == 1


def test_token_endpoint_is_locked_by_failures_on_the_web_form(kasie):
    """One counter: failures on /masuk/ lock the API token door for that account too."""
    client = Client()
    for _ in range(3):
        web_login(client, "kasie", "salah-sekali")
    response = token_login("kasie", PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_failures"


def test_git_basic_auth_is_locked_after_failures_and_the_password_is_refused(kasie):
    client = Client()
    for _ in range(3):
        assert client.get("/git/x.git/info/refs", **basic("kasie", "salah")).status_code == 401
    response = client.get("/git/x.git/info/refs", **basic("kasie", PASSWORD))
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    failures = AuditRecord.objects.filter(action="auth.login.failed", via="git")
    assert failures.count() == 3 and failures.first().data["username"] == "kasie"


def test_rotating_x_forwarded_for_does_not_escape_the_address_counter(kasie, kabid):
    """Without a trusted proxy the header is ignored: guesses on many names from one address
    fill the address counter whatever the header says."""
    names = ["a1", "a2", "a3", "a4", "a5", "a6"]
    for number, name in enumerate(names):
        response = token_login(name, "salah", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
        assert response.status_code == 400
    response = token_login("kabid", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429
    assert set(AuthFailure.objects.filter(scope="address").values_list("key", flat=True)) == {
        "127.0.0.1"
    }


def test_x_forwarded_for_from_a_trusted_proxy_names_the_client(settings, kabid):
    settings.SIMPATIK_TRUSTED_PROXIES = ["127.0.0.0/8"]
    for number in range(6):
        token_login(f"x{number}", "salah", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert token_login("kabid", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # Another client behind the same proxy is not locked out by the first one's guesses.
    assert token_login("kabid", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
    # A client cannot hide behind a forged hop: the proxy appends the real address last.
    forged = token_login("kabid", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7")
    assert forged.status_code == 429


def test_counter_is_in_the_database_so_every_process_sees_it(kasie):
    """Two clients (as two worker processes would be) share the rows."""
    first, second = Client(), Client()
    web_login(first, "kasie", "salah-1")
    web_login(second, "kasie", "salah-2")
    token_login("kasie", "salah-3")
    assert AuthFailure.objects.filter(scope="account", key="kasie").count() == 3
    assert web_login(Client(), "kasie", PASSWORD).status_code == 200  # refused, form again


def test_the_lock_expires_with_its_window(kasie):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(3):
        token_login("kasie", "salah")
    assert token_login("kasie", PASSWORD).status_code == 429
    AuthFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert token_login("kasie", PASSWORD).status_code == 200


def test_hostile_names_are_counted_and_audited_cleanly(db):
    # A NUL byte is refused by the input guard before any door counts it: a clean 400.
    response = token_login("ka\x00sie", "x\x00y")
    assert response.status_code == 400 and response.json()["code"] == "nul_character"
    response = Client().get("/git/x.git/info/refs", **basic("ka\x00sie", "pw"))
    assert response.status_code == 400
    # Other odd names reach the counter and are audited as typed, safely.
    response = token_login("ka<b>sie" + "é" * 3, "x")
    assert response.status_code == 400
    record = AuditRecord.objects.get(action="auth.login.failed", via="api")
    assert record.data["username"].startswith("ka<b>sie")
