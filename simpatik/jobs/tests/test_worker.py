"""Real worker processes: a job survives `kill -9` of its worker and runs again, once; two
workers start each periodic job once. On SQLite (a file) and on PostgreSQL."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

SIMPATIK = [sys.executable, "-m", "simpatik.cli"]


def _env(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        SIMPATIK_JOB_MODULES="simpatik.jobs.tests.probe",
        SIMPATIK_TASK_BACKEND="database",
        SIMPATIK_SCHEDULER_TICK_SECONDS="1",
        LOG_LEVEL="ERROR",
    )
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """One SQLite file migrated by `simpatik migrate` for the whole run; each test works on a copy.

    Migrating a file costs ~10 s here (a commit, and its fsync, per migration); the copy is the
    same database a fresh `migrate` makes."""
    directory = tmp_path_factory.mktemp("migrated")
    database = directory / "db.sqlite3"
    env = _env({"DATABASE_URL": f"sqlite:///{database}", "SIMPATIK_VAR_DIR": str(directory)})
    subprocess.run([*SIMPATIK, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    return database


def sqlite_install(migrated_sqlite, tmp_path, **extra):
    database = tmp_path / "db.sqlite3"
    shutil.copyfile(migrated_sqlite, database)
    return _env(
        {"DATABASE_URL": f"sqlite:///{database}", "SIMPATIK_VAR_DIR": str(tmp_path), **extra}
    )


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgres", marks=[pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
        ),
    ]
)
def install(request, tmp_path):
    """Environment for `simpatik` processes sharing one database with this test."""
    if request.param == "sqlite":
        return sqlite_install(request.getfixturevalue("migrated_sqlite"), tmp_path)
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL variant runs in the PostgreSQL pass of make test")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return _env({"DATABASE_URL": url, "SIMPATIK_VAR_DIR": str(tmp_path)})


def shell(env, code: str):
    result = subprocess.run(
        [*SIMPATIK, "shell", "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def wait_for(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_job_whose_worker_is_killed_runs_again_once(install, tmp_path):
    marker, release = tmp_path / "marker.txt", tmp_path / "release"
    job_id = shell(
        install,
        "import json; from simpatik.jobs import services; "
        f"j = services.enqueue('test.marker', kwargs={{'path': {str(marker)!r}, 'wait_for': {str(release)!r}}}); "
        "print(json.dumps(j.pk))",
    )
    worker = subprocess.Popen(
        [*SIMPATIK, "worker", "--no-schedule", "--interval", "0.2"],
        env=install,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert wait_for(lambda: marker.exists() and "mulai" in marker.read_text())
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    state = shell(
        install,
        f"import json; from simpatik.jobs.models import Job; j = Job.objects.get(pk={job_id}); print(json.dumps([j.status, j.attempts]))",
    )
    assert state == ["berjalan", 1]  # the dead worker's claim is still there

    time.sleep(2.2)  # past the job's max_runtime: the next worker puts it back
    release.touch()
    subprocess.run(
        [*SIMPATIK, "worker", "--once", "--no-schedule"],
        env=install,
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert marker.read_text() == "mulai\nmulai\nselesai\n"
    state = shell(
        install,
        f"import json; from simpatik.jobs.models import Job; j = Job.objects.get(pk={job_id}); print(json.dumps([j.status, j.attempts]))",
    )
    assert state == ["berhasil", 2]


def test_two_workers_start_each_periodic_job_once(install):
    workers = [
        subprocess.Popen(
            [*SIMPATIK, "worker", "--once"],
            env=install,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    runs, jobs, done = shell(
        install,
        "import json; from simpatik.jobs.models import Job, PeriodicRun; "
        "print(json.dumps([PeriodicRun.objects.count(), Job.objects.filter(key__startswith='jadwal:').count(), "
        "Job.objects.filter(key__startswith='jadwal:', status='berhasil', attempts=1).count()]))",
    )
    from simpatik.jobs.schedule import SCHEDULE

    assert runs == jobs == done == len(SCHEDULE)


def test_the_same_job_code_runs_on_redis_rq_workers(migrated_sqlite, tmp_path):
    """SIMPATIK_TASK_BACKEND=rq: any number of workers share one Redis; the code is unchanged."""
    import uuid

    env = sqlite_install(
        migrated_sqlite,
        tmp_path,
        SIMPATIK_TASK_BACKEND="rq",
        # A queue of our own in Redis database 7, so parallel runs never share one.
        SIMPATIK_REDIS_URL="redis://127.0.0.1:6379/7",
        SIMPATIK_TASK_QUEUE=f"simpatik-test-{uuid.uuid4().hex[:8]}",
    )
    marker = tmp_path / "marker.txt"
    job_id = shell(
        env,
        "import json; from simpatik.jobs import services; "
        f"j = services.enqueue('test.marker', kwargs={{'path': {str(marker)!r}}}); "
        "print(json.dumps(j.pk))",
    )
    worker = subprocess.run(
        [*SIMPATIK, "worker", "--once", "--no-schedule"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    assert marker.read_text() == "mulai\nselesai\n"
    state = shell(
        env,
        "import json; from simpatik.jobs.models import Job; "
        f"j = Job.objects.get(pk={job_id}); print(json.dumps([j.status, j.attempts]))",
    )
    assert state == ["berhasil", 1]
