"""One password policy on every way in: the command line, allauth's forms, the admin."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from simpatik.accounts.models import User
from simpatik.accounts.tests.conftest import PASSWORD
from simpatik.audit.models import AuditRecord


@pytest.fixture
def bssn(settings):
    # What settings.py does for SIMPATIK_PASSWORD_POLICY=bssn.
    settings.SIMPATIK_PASSWORD_POLICY = "bssn"
    settings.AUTH_PASSWORD_VALIDATORS = [
        *settings.AUTH_PASSWORD_VALIDATORS,
        {"NAME": "simpatik.accounts.passwords.CompositionValidator"},
    ]
    settings.SIMPATIK_PASSWORD_MAX_AGE_DAYS = 90
    settings.SIMPATIK_PASSWORD_WARN_DAYS = 14


def add(password, *roles):
    args = ["user", "add", "budi", "--password", password]
    for role in roles:
        args += ["--role", role]
    call_command(*args)


@pytest.mark.parametrize(
    "password, reason",
    [
        ("123", "terlalu pendek"),
        ("rahasia-123", "terlalu pendek"),  # 11 characters
        ("password1234", "terlalu umum"),  # Django's common-password list
        ("Diskominfo2026", "pernah bocor"),  # the shipped breached-style list
    ],
)
def test_cli_refuses_a_weak_password_and_creates_nothing(db, password, reason):
    with pytest.raises(CommandError, match=reason):
        add(password)
    assert not User.objects.filter(username="budi").exists()


def test_default_policy_takes_a_long_passphrase_without_composition(db):
    add("kuda lari di pantai senja")
    assert User.objects.get(username="budi").check_password("kuda lari di pantai senja")


def test_bssn_policy_asks_for_composition(db, bssn):
    with pytest.raises(CommandError, match="huruf besar, huruf kecil, angka, dan simbol"):
        add("kuda lari di pantai senja")
    add("Kuda-lari-2026")
    assert User.objects.filter(username="budi").exists()


def test_the_admin_form_applies_the_same_policy(kasie):
    form = AdminPasswordChangeForm(kasie, {"password1": "pendek", "password2": "pendek"})
    assert not form.is_valid()
    assert "terlalu pendek" in str(form.errors)


def login(client, user):
    assert client.post("/masuk/", {"login": user.username, "password": PASSWORD}).status_code == 302


def test_a_user_changes_their_own_password_and_the_policy_holds(kasie):
    client = Client()
    login(client, kasie)
    page = client.get(reverse("account_change_password"))
    assert page.status_code == 200
    url = reverse("account_change_password")
    weak = client.post(
        url, {"oldpassword": PASSWORD, "password1": "pendek12", "password2": "pendek12"}
    )
    assert weak.status_code == 200 and "terlalu pendek" in weak.content.decode()
    new = "Bunga-mawar-merah-2026"
    done = client.post(url, {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert done.status_code == 302
    kasie.refresh_from_db()
    assert kasie.check_password(new) and kasie.password_changed_at is not None
    changed = AuditRecord.objects.get(action="auth.password.changed", actor=kasie)
    assert changed.object_id == str(kasie.pk) and changed.via == "web"


def test_password_reset_by_mail_is_audited(kasie):
    User.objects.filter(pk=kasie.pk).update(email="sri@kominfo.test")
    client = Client()
    assert (
        client.post(reverse("account_reset_password"), {"email": "sri@kominfo.test"}).status_code
        == 302
    )
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new = "Bunga-melati-putih-2026"
    assert client.post(form_url, {"password1": new, "password2": new}).status_code == 302
    kasie.refresh_from_db()
    assert kasie.check_password(new)
    assert AuditRecord.objects.filter(action="auth.password.reset", actor=kasie).exists()


def test_bssn_warns_before_expiry_and_forces_a_change_after(kasie, bssn):
    client = Client()
    login(client, kasie)
    User.objects.filter(pk=kasie.pk).update(password_changed_at=timezone.now() - timedelta(days=80))
    page = client.get("/tugas/")
    assert "berakhir masa berlakunya dalam 10 hari" in page.content.decode()
    User.objects.filter(pk=kasie.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    response = client.get("/tugas/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")
    assert client.get(reverse("account_change_password")).status_code == 200


def test_the_default_policy_never_expires_a_password(kasie):
    client = Client()
    login(client, kasie)
    User.objects.filter(pk=kasie.pk).update(
        password_changed_at=timezone.now() - timedelta(days=900)
    )
    assert client.get("/tugas/").status_code == 200
