"""Benchmark: completing steps through the service layer vs. the bare database work of the same rows.

Prints steps/s for both and their ratio, on SQLite (a fresh file) and, where DATABASE_URL points
at PostgreSQL, on a fresh database there. The baseline is measured in the same run.
Run: .venv/bin/python bench/workflow.py [--projects N]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpatik.settings")
_tmp = tempfile.mkdtemp(prefix="simpatik-bench-")
os.environ.setdefault("SIMPATIK_VAR_DIR", _tmp)
_pg_url = os.environ.get("DATABASE_URL", "")
if _pg_url.startswith("postgres"):
    base, _, _name = _pg_url.rpartition("/")
    os.environ["DATABASE_URL"] = f"{base}/simpatik_bench"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402


def _prepare_database():
    if connection.vendor == "postgresql":
        import psycopg

        params = settings.DATABASES["default"]
        admin = psycopg.connect(
            host=params["HOST"],
            port=params["PORT"],
            user=params["USER"],
            password=params["PASSWORD"],
            dbname="postgres",
            autocommit=True,
        )
        admin.execute("DROP DATABASE IF EXISTS simpatik_bench")
        admin.execute("CREATE DATABASE simpatik_bench")
        admin.close()
    call_command("migrate", verbosity=0)


def _service_run(projects: int) -> tuple[int, float]:
    from simpatik.accounts.models import Opd
    from simpatik.projects import services
    from simpatik.projects.models import StepRun
    from simpatik.sop.services import load_definition
    from simpatik.testing.personas import PERSONAS, make_user

    load_definition(settings.SIMPATIK_SOP_DEFINITION.read_text())
    opd, _ = Opd.objects.get_or_create(kode="bench", defaults={"nama": "OPD Bench"})
    users = {name: make_user(name, roles) for name, (_f, _l, roles) in PERSONAS.items()}
    runs = [
        services.start_project(actor=users["kadis"], nama=f"Bench {i}", opd=opd)
        for i in range(projects)
    ]
    # Step 3 needs only a field that step 2 recorded, and produces one document: complete steps
    # 1-3 without documents by using a definition-free path is not possible, so time steps whose
    # Kelengkapan are fields: step 1 (with its Surat Perintah uploaded beforehand) and onward.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from simpatik.testing.walker import sample_pdf

    for project in runs:
        run = project.step_runs.get()
        services.upload_document(
            run,
            actor=users["kadis"],
            key="surat_perintah",
            uploaded=SimpleUploadedFile("sp.pdf", sample_pdf("sp")),
        )
    open_runs = list(StepRun.objects.filter(status="berjalan").select_related("project"))
    started = time.perf_counter()
    for run in open_runs:
        services.complete_step(run, actor=users["kadis"], fields={"rujukan_usulan": "Surat 1"})
    elapsed = time.perf_counter() - started
    return len(open_runs), elapsed


def _bare_run(count: int) -> float:
    """One UPDATE (close the step) and one INSERT (open the next), committed, per step."""
    from simpatik.projects.models import StepRun

    ids = list(StepRun.objects.filter(status="berjalan").values_list("id", "project_id")[:count])
    table = StepRun._meta.db_table
    now = timezone.now()
    started = time.perf_counter()
    for run_id, project_id in ids:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET status = 'selesai', completed_at = %s WHERE id = %s",
                    [now, run_id],
                )
                cursor.execute(
                    f"INSERT INTO {table} (project_id, step_number, round, role_key, status, opened_at, "
                    "decision, reason, \"values\") VALUES (%s, 99, 1, 'kabid', 'berjalan', %s, '', '', '{}')",
                    [project_id, now],
                )
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200)
    args = parser.parse_args()
    _prepare_database()
    steps, service_seconds = _service_run(args.projects)
    bare_seconds = _bare_run(steps)
    ratio = service_seconds / bare_seconds
    print(f"database: {connection.vendor}")
    print(
        f"service layer: {steps} steps in {service_seconds:.3f} s = {steps / service_seconds:.0f} steps/s"
    )
    print(
        f"bare UPDATE+INSERT: {steps} steps in {bare_seconds:.3f} s = {steps / bare_seconds:.0f} steps/s"
    )
    print(f"ratio (service / bare): {ratio:.2f} (target <= 3)")


if __name__ == "__main__":
    main()
