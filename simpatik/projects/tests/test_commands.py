import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from simpatik.audit.models import AuditRecord
from simpatik.projects.models import Project


def test_demo_load_is_idempotent_and_leaves_projects_at_different_steps(sop, capsys):
    call_command("demo", "load")
    call_command("demo", "load")
    assert "sudah ada" in capsys.readouterr().out
    assert Project.objects.count() == 3
    open_steps = sorted(
        Project.objects.get(nama=nama).step_runs.get(status="berjalan").step_number
        for nama in Project.objects.values_list("nama", flat=True)
    )
    assert open_steps == [3, 11, 13]
    user = get_user_model().objects.get(username="kabid")
    assert user.check_password("Demo-Simpatik-2026") and "kabid" in user.role_keys()
    assert AuditRecord.objects.filter(via="demo", action="project.started").count() == 3
    from simpatik.inventory.models import Application, Integration

    # The sample spreadsheet (6) and the regency's own sheet (6 more, SIMPEG updated, and the row
    # whose developer nobody could classify left for the import page to ask about).
    assert Application.objects.filter(project__isnull=True).count() == 12
    assert Application.objects.get(singkatan="SIMPEG").pengembang == "diskominfo"
    from simpatik.accounts.models import Opd

    assert Opd.objects.filter(nama="Dinas Komunikasi dan Informatika").count() == 1
    assert not Opd.objects.filter(nama="Dinas Pertanian").exists()
    # Two demo projects are past step 8, so their applications are in the inventory, in development.
    assert set(
        Application.objects.filter(project__isnull=False).values_list("status", flat=True)
    ) == {"pengembangan"}
    assert Application.objects.filter(project__isnull=False).count() == 2
    assert Integration.objects.count() == 1
    assert (
        AuditRecord.objects.filter(action="inventory.import").count() == 4
    )  # the second load changed nothing
    assert AuditRecord.objects.filter(action="inventory.opd.created").count() == 1


def test_user_add_command_creates_a_user_with_roles_and_is_audited(sop, opd):
    call_command(
        "user",
        "add",
        "budi",
        "--role",
        "kasie",
        "--opd",
        opd.kode,
        "--password",
        "Rahasia-2026!",
        "--nama",
        "Budi Santoso",
        "--nip",
        "19800101 200501 1 001",
    )
    user = get_user_model().objects.get(username="budi")
    assert (user.first_name, user.last_name, user.opd) == ("Budi", "Santoso", opd)
    assert "kasie" in user.role_keys() and user.check_password("Rahasia-2026!")
    record = AuditRecord.objects.get(action="account.user.saved")
    assert record.via == "cli" and record.request_id


def test_user_add_refuses_an_unknown_role(sop):
    with pytest.raises(CommandError, match="Peran tidak dikenal: bupati"):
        call_command("user", "add", "x", "--role", "bupati", "--password", "p")
    assert not get_user_model().objects.filter(username="x").exists()


def test_demo_load_makes_a_user_for_every_role_of_every_sop(second_sop):
    User = get_user_model()
    call_command("demo", "load")
    scoped = User.objects.get(username="opd_pengelola")  # the test SOP's OPD-scoped role
    assert scoped.role_keys() == {"opd_pengelola"} and scoped.opd is not None
    assert User.objects.get(username="kasie").role_keys() == {"kasie"}  # shared, not doubled
