"""Benchmark: completing steps through the service layer against two anchors measured in the same run.

- bare: the same rows written with plain SQL in one committed transaction per step (the step
  closed, the next one opened, a notification for each holder of its role, the two audit
  records): the least the database can do for a completion;
- SpiffWorkflow (the SOP's own BPMN export on SpiffWorkflow 3): a DB-backed engine's cost per
  task, as an application keeps it: in one transaction the workflow is read (locked on
  PostgreSQL), deserialised, its task completed, serialised and written back.
  Its task costs about what the bare commit does (one small read, one write), so the service,
  which writes the bare rows and more, cannot come to a third of it: the ratio is printed.
The step timed is step 2 (two documents read, one field recorded, no letter), on projects made by
bench/generate.py with step 2 open: the service completes it on half of them, the bare SQL writes
on the other half. The two alternate in turns (--turns), so that the machine's speed drifting
during the run (another process, the database's own work after the data was made) weighs on both.
On SQLite a fresh file; with DATABASE_URL=postgres://... a fresh database `<db>_bench_workflow`
on that server.
Run: .venv/bin/python bench/workflow.py [--projects N] [--turns T]
"""

import argparse
import json
import time

from environment import prepare  # noqa: E402

DB_NAME = prepare("workflow")

from django.conf import settings  # noqa: E402

# As in production: no query log. prepare() starts Django with DEBUG on (no secrets to set), and
# with it every statement is copied into connection.queries, which costs the service's eight
# statements more than the bare run's four (about 7% of a completion's profile).
settings.DEBUG = False

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from report import result  # noqa: E402
from support import fresh_database  # noqa: E402

STEP = 2
WARM_UP = 10  # steps each side completes before the timed turns
FIELDS = {"hasil_pemeriksaan_kebutuhan": "Daftar kebutuhan lengkap dan jelas."}


def _service(runs):
    """Complete these runs through the service layer, as a web worker would: a function of a
    slice of them that returns its (wall, CPU) seconds."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from simpatik.projects import services

    actor = get_user_model().objects.get(username="kabid")
    actor.role_keys()
    # As in a web worker, which has loaded its URLconf (every app's views) before the first
    # completion: the step opened links to its project page, and the first reverse() outside a
    # request imports all of it, about 0.4-0.8 s of CPU once, 2-4 ms a step over 200 steps.
    reverse("projects:project", args=[runs[0].project_id])

    def run(part):
        started, cpu = time.perf_counter(), time.process_time()
        for step_run in part:
            services.complete_step(step_run, actor=actor, fields=FIELDS)
        return time.perf_counter() - started, time.process_time() - cpu

    return run


def _bare(runs):
    """The rows one completion writes, with plain SQL: UPDATE the run, INSERT the next run, a
    notification for each holder of its role (one multi-row INSERT, as the service writes them)
    and the two audit records, committed, per step. A function of a slice of the runs, as
    _service."""
    from django.contrib.auth import get_user_model

    from simpatik.audit.models import AuditRecord
    from simpatik.notifications.models import Notification
    from simpatik.projects.models import StepRun

    people = dict(get_user_model().objects.values_list("username", "id"))
    actor = people["kabid"]
    # Step 3's role, as the service notifies it.
    recipients = list(
        get_user_model()
        .objects.filter(roles__key="kasie", is_active=True)
        .values_list("id", flat=True)
    )
    table_of = {m: m._meta.db_table for m in (StepRun, Notification, AuditRecord)}
    runs_table, notes, audit = table_of[StepRun], table_of[Notification], table_of[AuditRecord]
    values = json.dumps(FIELDS)
    data = json.dumps({"round": 1, "decision": None, "fields": FIELDS, "documents": {}})
    note_row = "(%s, 'tugas.baru', %s, %s, 99, %s, '/', %s)"
    audit_row = (
        "(%s, %s, 'Bench', 'project.step.completed', %s, 99, 'projects.steprun', %s, %s, "
        "'', '', 'web', %s, %s)"
    )
    now = timezone.now()

    def run(part):
        started, cpu = time.perf_counter(), time.process_time()
        for step_run in part:
            run_id, project_id = step_run.pk, step_run.project_id
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {runs_table} SET status = %s, completed_at = %s, completed_by_id = %s, "
                    "\"values\" = %s, draft = '{}' WHERE id = %s AND status = 'berjalan'",
                    ["selesai", now, actor, values, run_id],
                )
                cursor.execute(
                    f"INSERT INTO {runs_table} (project_id, step_number, round, role_key, status, "
                    "opened_at, decision, reason, \"values\", draft) VALUES (%s, 99, 1, 'kasie', "
                    "'berjalan', %s, '', '', '{}', '{}')",
                    [project_id, now],
                )
                cursor.execute(
                    f"INSERT INTO {notes} (recipient_id, event, key, project_id, step_number, "
                    f"message, url, created_at) VALUES {', '.join([note_row] * len(recipients))}",
                    [
                        value
                        for recipient in recipients
                        for value in (recipient, f"bare:{run_id}", project_id, "Langkah 99.", now)
                    ],
                )
                cursor.execute(
                    f"INSERT INTO {audit} (at, actor_id, actor_label, action, project_id, "
                    "step_number, object_type, object_id, data, reason, request_id, via, "
                    f"prev_hash, hash) VALUES {audit_row}, {audit_row}",
                    [now, actor, project_id, str(run_id), data, "0" * 64, "1" * 64] * 2,
                )
        return time.perf_counter() - started, time.process_time() - cpu

    return run


def _alternated(projects: int, turns: int) -> tuple[int, tuple, tuple]:
    """Step 2 open on 2 x `projects` projects; the service and the bare SQL take every other one
    and alternate in `turns` turns. Returns the steps each made and their summed (wall, CPU)."""
    from generate import generate

    from simpatik.projects.models import StepRun

    generate(2 * (projects + WARM_UP), audit_per_project=20, open_step=STEP)
    runs = list(
        StepRun.objects.filter(status="berjalan", step_number=STEP)
        .select_related("project")
        .order_by("id")
    )
    mine, theirs = runs[0::2], runs[1::2]
    service, bare = _service(mine), _bare(theirs)
    # Both warm, as a web worker is after its first requests: the first completions of the
    # process read the SOP's definition, compile and prepare their statements. Not counted.
    warm = WARM_UP
    service(mine[:warm])
    bare(theirs[:warm])
    mine, theirs = mine[warm:], theirs[warm:]
    totals = {"service": [0.0, 0.0], "bare": [0.0, 0.0]}
    size = -(-len(mine) // turns)
    ratios = []
    for turn in range(turns):
        part = slice(turn * size, (turn + 1) * size)
        walls = {}
        for name, run, rows in (("service", service, mine), ("bare", bare, theirs)):
            wall, cpu = run(rows[part])
            walls[name] = wall
            totals[name][0] += wall
            totals[name][1] += cpu
        ratios.append(walls["service"] / walls["bare"])
    # A stall of the machine or the database (a checkpoint) in one turn shows here: the ratio
    # printed as the result is of the totals, whatever the turns say.
    print("ratio service / bare per turn: " + ", ".join(f"{r:.2f}" for r in ratios))
    return len(mine), tuple(totals["service"]), tuple(totals["bare"])


def _spiff_run(count: int) -> float:
    """SpiffWorkflow's cost per task, its state kept in the database as applications keep it."""
    from SpiffWorkflow.bpmn.parser import BpmnParser
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState

    from simpatik.sop.services import active_version
    from simpatik.sop.sheet.bpmn import to_bpmn

    parser = BpmnParser()
    parser.add_bpmn_str(to_bpmn(active_version()))
    (process_id,) = parser.get_process_ids()
    spec = parser.get_spec(process_id)
    serializer = BpmnWorkflowSerializer()

    def complete_ready(workflow):
        task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        task.run()
        workflow.do_engine_steps()

    key = "integer PRIMARY KEY" if connection.vendor == "sqlite" else "serial PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_spiff_workflow (id {key}, state text NOT NULL)")
        for _ in range(count):
            workflow = BpmnWorkflow(spec)
            workflow.do_engine_steps()
            complete_ready(workflow)  # step 1 done: step 2 is the ready task, as in the service run
            cursor.execute(
                "INSERT INTO bench_spiff_workflow (state) VALUES (%s)",
                [serializer.serialize_json(workflow)],
            )
        cursor.execute("SELECT id FROM bench_spiff_workflow ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    started = time.perf_counter()
    for workflow_id in ids:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT state FROM bench_spiff_workflow WHERE id = %s{lock}", [workflow_id]
            )
            workflow = serializer.deserialize_json(cursor.fetchone()[0])
            complete_ready(workflow)
            cursor.execute(
                "UPDATE bench_spiff_workflow SET state = %s WHERE id = %s",
                [serializer.serialize_json(workflow), workflow_id],
            )
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--turns", type=int, default=4)
    args = parser.parse_args()
    fresh_database(DB_NAME)
    steps, (service_seconds, service_cpu), (bare_seconds, bare_cpu) = _alternated(
        args.projects, args.turns
    )
    spiff_seconds = _spiff_run(steps)
    database = connection.vendor
    print(f"database: {database}")
    for label, seconds in (
        ("service layer (complete_step)", service_seconds),
        ("bare SQL, the same rows", bare_seconds),
        ("SpiffWorkflow, state in the database", spiff_seconds),
    ):
        print(f"{label}: {steps} steps in {seconds:.3f} s = {steps / seconds:.0f} steps/s")
    # On a shared machine wall times swing with the load; this process's own CPU time does not
    # (on SQLite it includes the database's work, on PostgreSQL only the client's).
    print(
        f"CPU of this process per step: service layer {service_cpu / steps * 1000:.2f} ms, "
        f"bare SQL {bare_cpu / steps * 1000:.2f} ms"
    )
    bare_ratio, spiff_ratio = service_seconds / bare_seconds, service_seconds / spiff_seconds
    print(f"ratio service / bare: {bare_ratio:.2f} (target <= 3)")
    print(f"ratio service / SpiffWorkflow: {spiff_ratio:.2f} (target <= 0.33)")
    result("workflow", "step completion / bare SQL", database, bare_ratio, "<= 3", bare_ratio <= 3)
    result(
        "workflow",
        "step completion / SpiffWorkflow task",
        database,
        spiff_ratio,
        "<= 0.33",
        spiff_ratio <= 1 / 3,
    )


if __name__ == "__main__":
    main()
