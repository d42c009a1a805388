"""API tokens: hashed, expiring, listed and revoked by their owner, dead with the password."""

from datetime import timedelta

from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from simpatik.accounts.tests.conftest import PASSWORD
from simpatik.audit.models import AuditRecord


def obtain(user):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def with_token(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_token_is_stored_hashed_and_expires_in_30_days(kasie):
    body = obtain(kasie)
    token = body["token"]
    row = AuthToken.objects.get(user=kasie)
    assert token not in (row.digest, row.token_key) and len(token) == 64
    lifetime = row.expiry - timezone.now()
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)
    assert body["expiry"]
    assert with_token(token).get("/api/v1/me/").json()["username"] == "kasie"
    assert AuditRecord.objects.filter(action="auth.token.created", actor=kasie).count() == 1


def test_an_expired_token_is_refused(kasie):
    token = obtain(kasie)["token"]
    AuthToken.objects.filter(user=kasie).update(expiry=timezone.now() - timedelta(seconds=1))
    response = with_token(token).get("/api/v1/me/")
    assert response.status_code == 401
    assert not AuthToken.objects.filter(user=kasie).exists()  # knox deletes it on use


def test_owner_lists_and_revokes_tokens(kasie, kabid):
    first, second = obtain(kasie)["token"], obtain(kasie)["token"]
    obtain(kabid)
    client = with_token(first)
    listed = client.get("/api/v1/auth/tokens/").json()
    assert len(listed) == 2 and sum(item["current"] for item in listed) == 1
    assert all(set(item) == {"id", "created", "expiry", "current"} for item in listed)
    other = next(item["id"] for item in listed if not item["current"])
    assert client.delete(f"/api/v1/auth/tokens/{other}/").status_code == 204
    assert with_token(second).get("/api/v1/me/").status_code == 401
    # Another user's token is not found, not revoked.
    kabid_key = AuthToken.objects.get(user=kabid).token_key
    assert client.delete(f"/api/v1/auth/tokens/{kabid_key}/").status_code == 404
    assert AuthToken.objects.filter(user=kabid).exists()
    assert AuditRecord.objects.filter(action="auth.token.revoked", actor=kasie).count() == 1


def test_logout_revokes_the_current_token(kasie):
    token = obtain(kasie)["token"]
    client = with_token(token)
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_all_tokens_die_when_the_password_changes(kasie):
    token = obtain(kasie)["token"]
    obtain(kasie)
    kasie.set_password("Kata-sandi-baru-2026")
    kasie.save()
    assert with_token(token).get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user=kasie).exists()
    revoked = AuditRecord.objects.get(action="auth.token.revoked", reason="password_changed")
    assert revoked.data["count"] == 2


def test_hostile_token_headers_are_a_clean_401(kasie):
    for header in ["Token " + "é" * 10, "Token " + "g" * 64]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        assert client.get("/api/v1/me/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token \x00abc")
    response = client.get("/api/v1/me/")  # refused by the input guard before authentication
    assert response.status_code == 400 and response.json()["code"] == "nul_character"


def test_a_token_works_as_git_password_and_a_revoked_one_does_not(kasie):
    import base64

    from django.test import Client

    token = obtain(kasie)["token"]
    auth = base64.b64encode(f"kasie:{token}".encode()).decode()
    response = Client().get("/git/nope.git/info/refs", HTTP_AUTHORIZATION=f"Basic {auth}")
    assert response.status_code == 404  # authenticated; the repository does not exist
    AuthToken.objects.filter(user=kasie).delete()
    response = Client().get("/git/nope.git/info/refs", HTTP_AUTHORIZATION=f"Basic {auth}")
    assert response.status_code == 401
