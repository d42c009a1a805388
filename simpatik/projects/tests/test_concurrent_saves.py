"""Several people saving at once on the default SQLite database never see "database is locked".

The suite's SQLite database lives in memory (shared cache), where SQLite locks tables instead of
waiting, so this test copies it into a file and gives each thread its own connection to that file,
built from the settings production uses (WAL, busy timeout, IMMEDIATE transactions). On
PostgreSQL the same work runs over the test database, each thread with its own connection.
"""

import sqlite3
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from simpatik.audit.models import AuditRecord
from simpatik.audit.services import verify_chain
from simpatik.projects import services
from simpatik.projects.models import Need, Project, StepRun

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
ROUNDS = 3


class FileDatabase:
    """The test database copied into a file, and connections to it for the threads that call."""

    def __init__(self, path):
        self.path = path
        self.memory = connections["default"]

    def copy(self):
        """Take what the test has made so far (committed: transaction=True) into the file."""
        connection.ensure_connection()
        target = sqlite3.connect(self.path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def use(self):
        """Point this thread's default connection at the file, with the production OPTIONS."""
        wrapper = type(self.memory)(
            {**self.memory.settings_dict, "NAME": str(self.path)}, "default"
        )
        connections["default"] = wrapper  # the handler keeps one connection per thread
        return wrapper


@pytest.fixture
def database(tmp_path):
    """SQLite: a file (the in-memory suite database would lock tables instead of waiting).
    PostgreSQL: the test database itself, each thread with its own connection."""
    if connection.vendor != "sqlite":
        yield None
        return
    files = FileDatabase(tmp_path / "simpatik.sqlite3")
    yield files
    if connections["default"] is not files.memory:
        connections["default"].close()
        connections["default"] = files.memory


def _in_threads(database, work):
    barrier = threading.Barrier(THREADS)
    errors = []

    def run(index):
        if database is not None:
            database.use()
        try:
            barrier.wait(timeout=10)
            work(index)
        except Exception as exc:  # noqa: BLE001 - the test reports what each thread hit
            errors.append((index, exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_simultaneous_saves_all_land_without_locked_errors(database, kadis, opd_user, opd):
    projects = [
        services.start_project(actor=kadis, nama=f"Aplikasi {i}", opd=opd) for i in range(THREADS)
    ]
    runs = [project.step_runs.get() for project in projects]
    audit_before = AuditRecord.objects.count()
    if database is not None:
        database.copy()

    def work(index):
        for n in range(ROUNDS):
            # Each thread: a request from the OPD, a project started by the Kadis and a draft
            # typed into its own project's open step; the first two share the yearly counters.
            services.submit_need(
                actor=opd_user, judul=f"Usulan {index}-{n}", latar_belakang="Kebutuhan layanan"
            )
            services.start_project(actor=kadis, nama=f"Aplikasi {index}-{n}", opd=opd)
            services.engine.save_draft(
                StepRun.objects.get(pk=runs[index].pk),
                actor=kadis,
                fields={"rujukan_usulan": f"Surat {index}-{n}"},
            )

    errors = _in_threads(database, work)
    assert errors == []

    if database is not None:
        database.use()  # read back what the threads wrote, from the same file
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    year = timezone.localdate().year
    numbers = sorted(int(n.rsplit("-", 1)[1]) for n in Need.objects.values_list("nomor", flat=True))
    assert numbers == list(range(1, THREADS * ROUNDS + 1))  # gapless, none twice
    codes = sorted(Project.objects.values_list("kode", flat=True))
    assert codes == [f"PRJ-{year}-{n:04d}" for n in range(1, THREADS * (ROUNDS + 1) + 1)]
    for index, run in enumerate(runs):
        assert StepRun.objects.get(pk=run.pk).draft == {"rujukan_usulan": f"Surat {index}-2"}
    # need.submitted + project.started + step.opened per round, and one record per draft saved.
    assert AuditRecord.objects.count() == audit_before + THREADS * ROUNDS * 4
    checked, broken, _reason = verify_chain()
    assert broken is None and checked == AuditRecord.objects.count()
