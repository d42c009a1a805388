"""Second factor: TOTP enrolment and login, recovery codes, and who must use it."""

from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from simpatik.accounts.tests.conftest import PASSWORD
from simpatik.audit.models import AuditRecord


def login(client, user):
    return client.post("/masuk/", {"login": user.username, "password": PASSWORD})


@pytest.fixture
def enrol_totp(django_capture_on_commit_callbacks):
    def enrol(client, user):
        # allauth announces the new authenticator on commit, where the audit receiver runs.
        with django_capture_on_commit_callbacks(execute=True):
            return _enrol(client, user)

    return enrol


def _enrol(client, user) -> str:
    """Enrol TOTP as a user would: log in, confirm the password again, scan, type a code."""
    assert login(client, user).status_code == 302
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert client.post(response["Location"], {"password": PASSWORD}).status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.content
    return secret


def recovery_codes(user) -> list[str]:
    return Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()


def test_totp_enrolment_then_login_asks_for_the_code(kasie, enrol_totp):
    secret = enrol_totp(Client(), kasie)
    assert AuditRecord.objects.filter(action="auth.mfa.enabled", actor=kasie).exists()
    client = Client()
    response = login(client, kasie)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone does not log in
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    code = pyotp.TOTP(secret).now()
    if code == "000000":  # one chance in a million
        code = pyotp.TOTP(secret).at(timezone.now() + timedelta(seconds=30))
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.session["_auth_user_id"] == str(kasie.pk)
    assert AuditRecord.objects.filter(action="auth.login.succeeded", actor=kasie).count() == 2


def test_a_recovery_code_works_once(kasie, enrol_totp):
    enrol_totp(Client(), kasie)
    code = recovery_codes(kasie)[0]
    first = Client()
    login(first, kasie)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert first.session["_auth_user_id"] == str(kasie.pk)
    second = Client()
    login(second, kasie)
    assert second.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in second.session


def test_token_endpoint_asks_for_the_second_factor(kasie, enrol_totp):
    secret = enrol_totp(Client(), kasie)
    api = APIClient()
    body = {"username": "kasie", "password": PASSWORD}
    refused = api.post("/api/v1/auth/token/", body, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "mfa_code_required"
    body["code"] = pyotp.TOTP(secret).now()
    assert api.post("/api/v1/auth/token/", body, format="json").status_code == 200


def test_git_refuses_a_bare_password_once_mfa_is_on(kasie, enrol_totp):
    import base64

    enrol_totp(Client(), kasie)
    auth = base64.b64encode(f"kasie:{PASSWORD}".encode()).decode()
    response = Client().get("/git/nope.git/info/refs", HTTP_AUTHORIZATION=f"Basic {auth}")
    assert response.status_code == 401


@pytest.fixture
def past_grace(settings):
    settings.SIMPATIK_MFA_GRACE_DAYS = 14

    def expire(user):
        type(user).objects.filter(pk=user.pk).update(
            mfa_grace_from=timezone.now() - timedelta(days=15)
        )

    return expire


def test_an_official_without_mfa_is_sent_to_enrol_after_the_grace_period(
    kasie, past_grace, enrol_totp
):
    client = Client()
    login(client, kasie)  # the first login starts the grace period
    response = client.get("/tugas/")
    assert response.status_code == 200
    assert "Aktifkan dalam 14 hari lagi" in response.content.decode()
    past_grace(kasie)
    response = client.get("/tugas/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
    assert client.get(reverse("mfa_index")).status_code == 200  # the way out stays open
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "mfa_enrolment_required"
    enrol_totp(client, kasie)
    assert client.get("/tugas/").status_code == 200


def test_password_only_doors_close_for_an_official_past_grace(kasie, past_grace):
    import base64

    past_grace(kasie)
    body = {"username": "kasie", "password": PASSWORD}
    response = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 403 and response.json()["code"] == "mfa_enrolment_required"
    auth = base64.b64encode(f"kasie:{PASSWORD}".encode()).decode()
    response = Client().get("/git/nope.git/info/refs", HTTP_AUTHORIZATION=f"Basic {auth}")
    assert response.status_code == 401


def test_opd_staff_are_not_forced(opd_user, past_grace):
    client = Client()
    login(client, opd_user)
    past_grace(opd_user)
    response = client.get("/tugas/")
    assert response.status_code == 200
    assert "verifikasi dua langkah" not in response.content.decode()


def test_administrators_are_forced_too(db, past_grace, settings):
    from simpatik.testing.personas import make_user

    admin = make_user("admin", [], password=PASSWORD)
    type(admin).objects.filter(pk=admin.pk).update(is_staff=True)
    client = Client()
    login(client, admin)
    past_grace(admin)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/")["Location"] == reverse("mfa_index")


def test_roles_come_from_the_active_sop_definition(kasie, past_grace):
    """A role the SOP no longer names does not oblige anyone (no role literal in the code)."""
    from simpatik.accounts.mfa import diskominfo_role_keys, mfa_required
    from simpatik.sop.models import SopVersion

    assert {"kadis", "kabid", "kasie", "pengembang", "teknis"} <= diskominfo_role_keys()
    assert mfa_required(kasie)
    SopVersion.objects.update(berlaku=False)
    assert not mfa_required(kasie)


def test_removing_totp_is_audited(kasie, enrol_totp, django_capture_on_commit_callbacks):
    client = Client()
    enrol_totp(client, kasie)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=kasie, type="totp").exists()
    assert AuditRecord.objects.filter(action="auth.mfa.disabled", actor=kasie).exists()
