"""Backup → wipe → restore → identical, on SQLite and on PostgreSQL (no marker: both run it)."""

import hashlib
import io
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from simpatik.audit.models import AuditRecord
from simpatik.audit.services import verify_chain
from simpatik.core.backup import archive
from simpatik.letters import pki
from simpatik.letters.models import Letter
from simpatik.projects.models import Document, Project
from simpatik.provisioning.dns.zonefile import current_serial
from simpatik.testing.walker import complete_current, open_run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def installation(settings, tmp_path):
    """The directories of one installation, all under this test's tmp_path."""
    settings.SIMPATIK_PKI_DIR = tmp_path / "pki"
    settings.SIMPATIK_GIT_ROOT = tmp_path / "git"
    settings.SIMPATIK_DNS_ZONEFILE_PATH = str(tmp_path / "zona.db")
    yield tmp_path
    if not connection.introspection.table_names():
        call_command("migrate", verbosity=0)  # a wiped database, for the tests that follow


def _walk_to_the_end(project, team):
    pki.init_ca()
    for _ in range(60):
        project.refresh_from_db()
        run = open_run(project)
        if run is None:
            # The steps' background work (the repository, the subdomain) by a worker, as live.
            call_command("worker", "--once", "--no-schedule", "--interval", "0")
            return
        complete_current(project, team)  # steps with letters issue them, signed by the local CA
    raise AssertionError("the project did not finish")


def _sha(handle) -> str:
    with handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _refs(git_root: Path) -> dict:
    return {
        repo.name: subprocess.run(
            ["git", "for-each-ref", "--format=%(refname) %(objectname)"],
            cwd=repo, capture_output=True, text=True, check=True,
        ).stdout
        for repo in sorted(git_root.glob("*.git"))
    }  # fmt: skip


def _snapshot(settings) -> dict:
    return {
        "projects": list(Project.objects.order_by("pk").values("pk", "kode", "nama", "status")),
        "documents": [(d.pk, d.sha256, _sha(d.open())) for d in Document.objects.order_by("pk")],
        "letters": [(x.number, x.sha256, _sha(x.open())) for x in Letter.objects.order_by("pk")],
        "audit": verify_chain(),
        "refs": _refs(Path(settings.SIMPATIK_GIT_ROOT)),
        "serial": current_serial(settings.SIMPATIK_DNS_ZONE),
        "zonefile": Path(settings.SIMPATIK_DNS_ZONEFILE_PATH).read_text(),
    }


def _wipe(settings):
    """A new, empty installation: a database without a single table, and no files."""
    if connection.vendor == "sqlite":
        empty = sqlite3.connect(":memory:")
        empty.backup(connection.connection)
        empty.close()
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    assert connection.introspection.table_names() == []
    for path in archive.directories().values():
        subprocess.run(["rm", "-rf", str(path)], check=True)
    Path(settings.SIMPATIK_DNS_ZONEFILE_PATH).unlink(missing_ok=True)


def _signature_valid(letter, tmp_path) -> bool:
    ca_file = tmp_path / "ca-dipulihkan.pem"
    ca_file.write_bytes(pki.ca_certificate_pem())
    context = ValidationContext(
        trust_roots=[load_cert_from_pemder(str(ca_file))], allow_fetching=False
    )
    with letter.open() as handle:
        signature = PdfFileReader(io.BytesIO(handle.read())).embedded_signatures[0]
    status = validate_pdf_signature(signature, context)
    return status.intact and status.valid and status.trusted


def test_backup_wipe_restore_gives_back_the_same_installation(
    installation, settings, project, team, tmp_path
):
    _walk_to_the_end(project, team)
    before = _snapshot(settings)
    assert before["projects"][0]["status"] == Project.Status.SELESAI
    assert before["letters"] and before["refs"] and before["audit"][1] is None
    backup = tmp_path / "cadangan" / "simpatik-1.tar.gz"
    call_command("backup", str(backup))

    _wipe(settings)
    out = io.StringIO()
    call_command("restore", str(backup), stdout=out)

    assert _snapshot(settings) == before
    assert all(
        _signature_valid(letter, tmp_path) for letter in Letter.objects.filter(ditandatangani=True)
    )
    assert Letter.objects.filter(ditandatangani=True).exists()
    assert "git fsck: semua repositori utuh" in out.getvalue()
    assert "Jejak audit utuh" in out.getvalue()
    with tarfile.open(backup) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json"
    assert any(n.startswith("sop/") and n.endswith(".yaml") for n in names)
    assert "dns/zone.txt" in names and any(n.startswith("pki/") for n in names)


def test_restore_refuses_an_installation_in_use_and_changes_nothing(
    installation, project, tmp_path
):
    backup = tmp_path / "b.tar.gz"
    call_command("backup", str(backup))
    records = AuditRecord.objects.count()
    with pytest.raises(CommandError, match="instalasi kosong"):
        call_command("restore", str(backup))
    assert AuditRecord.objects.count() == records


def test_restore_refuses_an_archive_whose_file_changed_before_writing_anything(
    installation, settings, project, tmp_path
):
    backup = tmp_path / "b.tar.gz"
    call_command("backup", str(backup))
    tampered = tmp_path / "diubah.tar.gz"
    with tarfile.open(backup) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            if member.isdir():
                target.addfile(member)
                continue
            data = source.extractfile(member).read()
            if member.name == "dns/zone.txt":
                data += b"evil 60 IN A 203.0.113.9\n"
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    _wipe(settings)
    with pytest.raises(CommandError, match="berubah: dns/zone.txt"):
        call_command("restore", str(tampered))
    assert connection.introspection.table_names() == []


def test_keep_leaves_only_the_newest_archives(installation, sop, tmp_path):
    folder = tmp_path / "harian"
    folder.mkdir()
    for age, name in enumerate(["simpatik-a.tar.gz", "simpatik-b.tar.gz", "lain.tar.gz"]):
        (folder / name).write_text("x")
        os.utime(folder / name, (1_000_000 + age, 1_000_000 + age))
    call_command("backup", str(folder), "--keep", "2")
    kept = sorted(p.name for p in folder.iterdir())
    assert "simpatik-a.tar.gz" not in kept and "simpatik-b.tar.gz" in kept
    assert "lain.tar.gz" in kept and len([k for k in kept if k.startswith("simpatik-")]) == 2
