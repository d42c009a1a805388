"""Roles and what they may do are the SOP file's: a revised file renames or adds a role and
permissions follow; a file that names an undeclared role or capability is refused; a caller's
`via` label never decides access; admin role changes are audited."""

import re

import pytest
from django.conf import settings
from django.test import Client

from simpatik.accounts.models import Role
from simpatik.accounts.permissions import can, roles_with, system_actor
from simpatik.audit.models import AuditRecord
from simpatik.core.errors import PermissionDenied
from simpatik.inventory import services as inventory
from simpatik.provisioning import services as provisioning
from simpatik.provisioning.models import Subdomain
from simpatik.sop.definition import DefinitionError
from simpatik.sop.services import load_definition
from simpatik.testing.personas import make_user

pytestmark = pytest.mark.django_db

SEED = settings.SIMPATIK_SOP_DEFINITION.read_text()


def _renamed(text: str, old: str, new: str) -> str:
    return re.sub(rf"\b{old}\b", new, text)


def test_renaming_a_role_in_the_file_moves_its_permissions(sop):
    kept = make_user("sri", ["kasie"])
    load_definition(_renamed(SEED, "kasie", "kasi_egov"), note="Kasie berganti kunci")
    renamed = make_user("sri2", ["kasi_egov"])
    assert roles_with("jadwalkan_presentasi") == {"kasi_egov"}
    assert can(renamed, "jadwalkan_presentasi") and can(renamed, "kelola_inventaris")
    assert not can(kept, "jadwalkan_presentasi") and not can(kept, "lihat_semua_proyek")
    assert Role.objects.get(key="kasi_egov").nama == "Kasie e-Government"


def test_a_sixth_role_is_a_change_to_the_file_alone(sop, client):
    revised = SEED.replace(
        "\n# What SIMPATIK itself may do",
        "  - key: inspektorat\n    nama: Inspektorat\n    kewenangan: [lihat_dasbor]\n"
        "\n# What SIMPATIK itself may do",
        1,
    )
    load_definition(revised, note="Inspektorat melihat dasbor")
    auditor = make_user("inspektur", ["inspektorat"])
    client.force_login(auditor)
    assert client.get("/pengawasan/").status_code == 200
    assert client.get("/inventaris/baru/").status_code == 403


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("supervises: [pengembang, teknis]", "supervises: [pengembang, auditor]"), "supervises"),
        (("kepada: kabid}", "kepada: sekdis}"), "kepada 'sekdis'"),
        (("role: kadis\n", "role: bupati\n"), "pelaksana (role) 'bupati' tidak dikenal"),
        (("kewenangan: [dorong_repositori", "kewenangan: [terbang"), "'terbang' tidak dikenal"),
        (
            (
                "kewenangan: [kelola_inventaris, kelola_penyediaan, lihat_dasbor]",
                "kewenangan: kelola",
            ),
            "sistem",
        ),
    ],
)
def test_a_file_naming_an_undeclared_role_or_capability_is_refused(db, change, message):
    old, new = change
    assert old in SEED
    with pytest.raises(DefinitionError) as refused:
        load_definition(SEED.replace(old, new, 1))
    assert message in str(refused.value)


def test_via_is_recorded_never_consulted(sop, opd, pengembang):
    with pytest.raises(PermissionDenied):
        inventory.register_application(
            actor=pengembang, data={"nama": "Aplikasi Arsip", "opd": opd}, via="workflow"
        )
    subdomain = Subdomain.objects.create(
        zone=settings.SIMPATIK_DNS_ZONE, name="arsip", record_type="A", content="10.0.0.9"
    )
    for via in ("workflow", "cli"):
        with pytest.raises(PermissionDenied):
            provisioning.publish_subdomain(subdomain, actor=pengembang, via=via)
    application = inventory.register_application(
        actor=system_actor(), data={"nama": "Aplikasi Arsip", "opd": opd}, via="workflow"
    )
    row = AuditRecord.objects.get(action="inventory.application.created")
    assert row.actor_id == system_actor().pk and row.via == "workflow"
    assert application.nama == "Aplikasi Arsip"


def test_an_admin_role_change_goes_through_the_service_and_is_audited(sop):
    admin = make_user("admin", [])
    admin.is_superuser = admin.is_staff = True
    admin.save()
    budi = make_user("budi", ["pengembang"])
    client = Client()
    client.force_login(admin)
    page = client.get(f"/admin/accounts/user/{budi.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(
        {
            "username": "budi",
            "roles": [Role.objects.get(key="teknis").pk],
            "date_joined_0": "2026-11-01",
            "date_joined_1": "08:00:00",
            "is_active": "on",
        }
    )
    data.pop("last_login", None)
    data.pop("password", None)
    response = client.post(f"/admin/accounts/user/{budi.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = AuditRecord.objects.get(action="account.roles.changed")
    assert row.actor_id == admin.pk and row.via == "admin"
    assert row.data["before"] == ["pengembang"] and row.data["after"] == ["teknis"]


def test_roles_come_from_the_file_not_the_admin(sop):
    admin = make_user("admin", [])
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client = Client()
    client.force_login(admin)
    role = Role.objects.get(key="kadis")
    response = client.post(
        f"/admin/accounts/role/{role.pk}/change/", {"key": "kepala", "nama": "Kepala"}
    )
    assert response.status_code == 403
    assert Role.objects.filter(key="kadis").exists()


def test_commands_run_as_a_named_user_checked_like_anyone(sop, kasie, pengembang, settings):
    from django.core.management import CommandError, call_command

    subdomain = Subdomain.objects.create(
        zone=settings.SIMPATIK_DNS_ZONE, name="arsip", record_type="A", content="10.0.0.9"
    )
    with pytest.raises(CommandError, match="--as"):
        call_command("dns", "publish", "arsip")
    with pytest.raises(CommandError, match="tidak berwenang"):
        call_command("dns", "publish", "arsip", "--as", pengembang.username)
    call_command("dns", "publish", "arsip", "--as", kasie.username)
    subdomain.refresh_from_db()
    assert subdomain.status == Subdomain.Status.TERBIT
    row = AuditRecord.objects.get(action="dns.subdomain.published")
    assert row.actor_id == kasie.pk and row.via == "cli"
    settings.SIMPATIK_OPERATOR = kasie.username
    call_command("dns", "publish", "arsip")
    assert AuditRecord.objects.filter(action="dns.subdomain.published").count() == 2


def test_the_user_command_needs_an_administrator_once_one_exists(sop, kasie):
    from django.core.management import CommandError, call_command

    password = "Bunga-mawar-merah-2026"
    call_command("user", "add", "pertama", "--password", password)  # a new installation's shell
    admin = make_user("admin", [])
    admin.is_superuser = admin.is_staff = True
    admin.save()
    with pytest.raises(CommandError, match="--as"):
        call_command("user", "add", "budi", "--role", "teknis", "--password", password)
    with pytest.raises(CommandError, match="bukan administrator"):
        call_command("user", "add", "budi", "--password", password, "--as", kasie.username)
    call_command("user", "add", "budi", "--role", "teknis", "--password", password, "--as", "admin")
    row = AuditRecord.objects.get(action="account.roles.changed", data__username="budi")
    assert row.actor_id == admin.pk and row.via == "cli"


def test_loading_a_new_sop_version_needs_an_administrator_once_one_exists(sop, kasie, tmp_path):
    from django.core.management import CommandError, call_command

    same = tmp_path / "sama.yaml"
    same.write_text(SEED)
    revised = tmp_path / "revisi.yaml"
    revised.write_text(SEED.replace("atasan_setelah: 2", "atasan_setelah: 3"))
    admin = make_user("admin", [])
    admin.is_superuser = admin.is_staff = True
    admin.save()
    call_command("sop", "load", str(same))  # nothing changes: nobody needed
    with pytest.raises(CommandError, match="--as"):
        call_command("sop", "load", str(revised))
    with pytest.raises(CommandError, match="bukan administrator"):
        call_command("sop", "load", str(revised), "--as", kasie.username)
    call_command("sop", "load", str(revised), "--as", "admin", "--note", "Eskalasi 3 hari")
    row = AuditRecord.objects.get(action="sop.version.loaded", data__version=2)
    assert row.actor_id == admin.pk and row.via == "cli"
