"""The migrations to Indonesian codes keep every row: old values rewritten, renamed fields kept.

Runs the real migrations on the test database (SQLite or PostgreSQL): back to the state before
them, rows written with the old codes, forward, and back again.
"""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = {
    "projects": "0004_merge_drafts_and_need_attachments",
    "provisioning": "0001_initial",
    "letters": "0002_letter_rounds_signing_states",
    "inventory": "0002_index_revision",
    "sop": "0001_initial",
    "notifications": "0001_notifications_deliveries_preferences",
}
AFTER = {
    "projects": "0006_rename_aktif_tepat_waktu",
    "provisioning": "0002_repository_status_menunggu_siap_gagal",
    "letters": "0003_rename_signed_ditandatangani",
    "inventory": "0003_rename_archived_diarsipkan",
    "sop": "0002_rename_is_active_berlaku",
    "notifications": "0002_rename_digest_ringkasan",
}


def migrate(nodes: dict):
    """Migrate the named apps to these nodes (the others stay at their newest); their models."""
    executor = MigrationExecutor(connection)
    leaves = dict(executor.loader.graph.leaf_nodes())
    targets = list({**leaves, **nodes}.items())
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before(transactional_db):
    old = migrate(BEFORE)
    yield old
    migrate({})  # every app back at its newest migration for the tests that follow


def _write_old_rows(old):
    User = old.get_model("accounts", "User")
    user = User.objects.create(username="lama", password="!")
    opd = old.get_model("accounts", "Opd").objects.create(kode="bkpsdm", nama="BKPSDM")
    sop = old.get_model("sop", "SopVersion").objects.create(
        kode="sop", version=1, judul="SOP", data={}, source="", sha256="0" * 64, is_active=True
    )
    Project = old.get_model("projects", "Project")
    projects = [
        Project.objects.create(
            kode=f"PRJ-{n}", nama=f"Aplikasi {n}", opd=opd, sop_version=sop, created_by=user
        )
        for n in range(3)
    ]
    now = timezone.now()
    StepRun = old.get_model("projects", "StepRun")
    for number, status, on_time in [(1, "done", True), (2, "done", False), (3, "open", None)]:
        StepRun.objects.create(
            project=projects[0],
            step_number=number,
            role_key="kasie",
            status=status,
            opened_at=now,
            on_time=on_time,
        )
    StepRun.objects.create(
        project=projects[1], step_number=3, role_key="kasie", status="open", opened_at=now
    )
    Member = old.get_model("projects", "ProjectMember")
    Member.objects.create(project=projects[0], user=user, role_key="pengembang", active=False)
    Member.objects.create(project=projects[1], user=user, role_key="pengembang", active=True)
    Repository = old.get_model("provisioning", "Repository")
    for project, status in zip(projects, ["pending", "ready", "failed"], strict=True):
        Repository.objects.create(
            project=project, provider="local", name=project.kode.lower(), status=status
        )
    Application = old.get_model("inventory", "Application")
    gone = Application.objects.create(nama="Lama", opd=opd, archived=True)
    live = Application.objects.create(nama="Baru", opd=opd, archived=False)
    old.get_model("inventory", "Integration").objects.create(
        source=live, target=gone, data="pegawai", archived=True
    )
    Letter = old.get_model("letters", "Letter")
    for n, signed in enumerate([True, False], start=1):
        Letter.objects.create(
            kind="surat",
            title="Surat",
            number=f"000/{n}/2026",
            year=2026,
            sequence=n,
            date=dt.date(2026, 11, 2),
            path=f"surat-{n}.pdf",
            sha256=str(n) * 64,
            size=1,
            signed=signed,
            signer=user,
            signer_name="Lama",
            signer_position="Kepala",
            verification_code=f"ABCDEFGHIJ{n}",
        )
    notification = old.get_model("notifications", "Notification").objects.create(
        recipient=user, event="task.assigned", key="k", message="m"
    )
    Delivery = old.get_model("notifications", "Delivery")
    Delivery.objects.create(notification=notification, channel="email", digest=True)
    Delivery.objects.create(notification=notification, channel="chat", digest=False)


def _codes(state, new: bool):
    """What the rows hold, read through the models of one side of the migrations."""

    def rows(app, model, *fields):
        queryset = state.get_model(app, model).objects.order_by("pk")
        return list(queryset.values_list(*fields))

    names = (
        ["aktif", "tepat_waktu", "diarsipkan", "ditandatangani", "berlaku", "ringkasan"]
        if new
        else ["active", "on_time", "archived", "signed", "is_active", "digest"]
    )
    active, on_time, archived, signed, is_active, digest = names
    return {
        "steps": rows("projects", "StepRun", "step_number", "status", on_time),
        "members": rows("projects", "ProjectMember", active),
        "repositories": rows("provisioning", "Repository", "status"),
        "applications": rows("inventory", "Application", "nama", archived),
        "integrations": rows("inventory", "Integration", archived),
        "letters": rows("letters", "Letter", signed),
        "sop": rows("sop", "SopVersion", is_active),
        "deliveries": rows("notifications", "Delivery", "channel", digest),
    }


OLD = {
    "steps": [(1, "done", True), (2, "done", False), (3, "open", None), (3, "open", None)],
    "members": [(False,), (True,)],
    "repositories": [("pending",), ("ready",), ("failed",)],
    "applications": [("Lama", True), ("Baru", False)],
    "integrations": [(True,)],
    "letters": [(True,), (False,)],
    "sop": [(True,)],
    "deliveries": [("email", True), ("chat", False)],
}
NEW = {
    **OLD,
    "steps": [
        (1, "selesai", True),
        (2, "selesai", False),
        (3, "berjalan", None),
        (3, "berjalan", None),
    ],
    "repositories": [("menunggu",), ("siap",), ("gagal",)],
}


def test_old_codes_are_rewritten_and_renamed_fields_keep_their_values(before):
    _write_old_rows(before)
    assert _codes(before, new=False) == OLD

    after = migrate(AFTER)
    assert _codes(after, new=True) == NEW
    # The partial unique index follows the new value: a second running run is still refused.
    StepRun = after.get_model("projects", "StepRun")
    run = StepRun.objects.get(project__kode="PRJ-0", step_number=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        StepRun.objects.create(
            project=run.project,
            step_number=3,
            round=2,
            role_key="kasie",
            status=run.status,
            opened_at=timezone.now(),
        )

    back = migrate(BEFORE)
    assert _codes(back, new=False) == OLD
