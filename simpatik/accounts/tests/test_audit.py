"""Every authentication event and every change of a user's roles or OPD is in the audit trail."""

from django.contrib.admin.sites import site
from django.core.management import call_command
from django.test import Client

from simpatik.accounts.models import Role, User
from simpatik.accounts.tests.conftest import PASSWORD
from simpatik.audit.models import AuditRecord


def test_login_success_failure_and_logout_are_recorded(kasie):
    client = Client()
    client.post("/masuk/", {"login": "kasie", "password": "salah-sekali"})
    failed = AuditRecord.objects.get(action="auth.login.failed")
    assert failed.via == "web" and failed.actor is None
    assert failed.data == {
        "username": "kasie",
        "address": "127.0.0.1",
        "reason": "invalid_credentials",
    }
    client.post("/masuk/", {"login": "kasie", "password": PASSWORD})
    assert AuditRecord.objects.filter(action="auth.login.succeeded", actor=kasie).count() == 1
    client.post("/keluar/")
    assert AuditRecord.objects.filter(action="auth.logout", actor=kasie).count() == 1


def test_a_failed_login_with_a_nul_byte_is_a_clean_answer(db):
    # The input guard refuses a NUL byte before the login form reads it: a clean 400 page.
    response = Client().post("/masuk/", {"login": "ka\x00sie", "password": "x"})
    assert response.status_code == 400
    assert "_auth_user_id" not in Client().session


def test_role_and_opd_changes_in_the_admin_are_recorded(kasie, opd):
    admin = User.objects.create_superuser("admin", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    admin_form = client.get(f"/admin/accounts/user/{kasie.pk}/change/")
    assert admin_form.status_code == 200
    form = admin_form.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in {"roles", "groups", "user_permissions", "password"}
    }
    data.update(
        {
            "date_joined_0": kasie.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": kasie.date_joined.strftime("%H:%M:%S"),
            "roles": [Role.objects.get(key="kabid").pk],
            "opd": opd.pk,
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(f"/admin/accounts/user/{kasie.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    kasie.refresh_from_db()
    assert kasie.opd == opd and set(kasie.roles.values_list("key", flat=True)) == {"kabid"}
    roles = AuditRecord.objects.get(action="account.roles.changed")
    assert (roles.actor, roles.via) == (admin, "admin")
    assert roles.data == {"username": "kasie", "before": ["kasie"], "after": ["kabid"]}
    opd_change = AuditRecord.objects.get(action="account.opd.changed")
    assert opd_change.data == {"username": "kasie", "before": None, "after": opd.kode}
    # Saving again without changes records nothing more.
    client.post(f"/admin/accounts/user/{kasie.pk}/change/", data)
    assert AuditRecord.objects.filter(action__startswith="account.").count() == 2
    assert site.is_registered(User)


def test_role_changes_by_the_command_are_recorded(kasie):
    call_command("user", "add", "kasie", "--role", "kabid", "--password", "Bunga-mawar-merah-2026")
    change = AuditRecord.objects.get(action="account.roles.changed")
    assert change.via == "cli" and change.data["after"] == ["kabid", "kasie"]


def test_the_admin_login_goes_through_masuk(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")
