"""Benchmark: the daily deadline sweep (simpatik/notifications/deadlines.py) over N open steps,
against the bare work of the same notices in the same run (issue 10: 10,000 open steps in
under 10 s).

The open steps are due around the sweep's day in thirds: due in one working day (a reminder),
one working day late (the holder's daily notice) and three working days late (the notice and an
escalation to the nearest supervising role). Half are assigned to a person, half wait for their
role. Everyone has an e-mail address, so each notice also makes its delivery and its job, as in
an office.

Measured: the first sweep of the day (every notice new), the same sweep again (a second worker
or a retry: nothing is sent twice), and the baseline: reading the same open steps and inserting
one notification per step in one statement, rolled back (the least a sweep can do).

Data: N projects of one open step each, made here with bulk inserts (bench/generate.py makes
projects at every stage; this sweep wants every open step near its deadline).

Run: DATABASE_URL=postgres://simpatik:simpatik@127.0.0.1:5432/x .venv/bin/python bench/sweep.py
     [--steps 10000]
With a PostgreSQL DATABASE_URL it works in a fresh database `<db>_bench_sweep` on that
server (dropped and made again); without one, in a fresh SQLite file in a temporary directory.
"""

import argparse
import datetime as dt
import random
import time

from environment import prepare  # noqa: E402

DB_NAME = prepare("sweep")

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from support import explicit_times, fresh_database, people, result  # noqa: E402


def working_days_before(day: dt.date, days: int) -> dt.date:
    from simpatik.core.workdays import working_days_between

    found = day
    while working_days_between(found, day) < days:
        found -= dt.timedelta(days=1)
    return found


def open_steps(count: int, today: dt.date, seed: int = 1) -> None:
    from simpatik.accounts.models import Opd
    from simpatik.core.workdays import add_working_days
    from simpatik.projects.models import Project, StepRun
    from simpatik.sop.services import active_version, load_definition

    load_definition(settings.SIMPATIK_SOP_DEFINITION.read_text())
    version = active_version()
    steps = [step for step in version.definition.steps if step.waktu]
    holders = people()
    starter = holders[version.definition.first_step.role][0]
    rng = random.Random(seed)
    opds = Opd.objects.bulk_create(
        [Opd(kode=f"bench{i}", nama=f"OPD Bench {i}", singkatan=f"OB{i}") for i in range(30)]
    )
    dues = [
        add_working_days(today, 1),
        working_days_before(today, 1),
        working_days_before(today, 3),
    ]
    now = timezone.now()
    for first in range(0, count, 1000):
        size = min(1000, count - first)
        with transaction.atomic(), explicit_times(Project):
            projects = Project.objects.bulk_create(
                [
                    Project(
                        kode=f"SWEEP-{index:06d}",
                        nama=f"Aplikasi Sweep {index}",
                        opd=rng.choice(opds),
                        sop_version=version,
                        created_by=starter,
                        created_at=now - dt.timedelta(days=30),
                    )
                    for index in range(first, first + size)
                ]
            )
            runs = []
            for index, project in enumerate(projects, start=first):
                step = steps[index % len(steps)]
                due = dues[index % 3]
                runs.append(
                    StepRun(
                        project=project,
                        step_number=step.number,
                        role_key=step.role,
                        opened_at=now - dt.timedelta(days=10),
                        due_date=due,
                        assignee=rng.choice(holders[step.role]) if index % 2 else None,
                    )
                )
            StepRun.objects.bulk_create(runs)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def baseline(today: dt.date) -> float:
    """Read the open steps due by the sweep's horizon and insert one notice each, rolled back."""
    from django.contrib.auth import get_user_model

    from simpatik.core.workdays import add_working_days
    from simpatik.notifications.models import Notification
    from simpatik.projects.models import Project, StepRun

    anyone = get_user_model().objects.filter(is_active=True).first()
    started = time.perf_counter()
    with transaction.atomic():
        runs = list(
            StepRun.objects.filter(
                status=StepRun.Status.BERJALAN,
                project__status=Project.Status.BERJALAN,
                due_date__isnull=False,
                due_date__lte=add_working_days(today, 5),
            ).select_related("project")
        )
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=run.assignee_id or anyone.pk,
                    event="tenggat.lewat",
                    key=f"bench:{run.pk}",
                    project=run.project,
                    step_number=run.step_number,
                    message=f"Langkah {run.step_number} proyek {run.project.nama} terlambat.",
                )
                for run in runs
            ],
            batch_size=2000,
        )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=10_000)
    args = parser.parse_args()

    from simpatik.core.workdays import add_working_days
    from simpatik.jobs.models import Job
    from simpatik.notifications.deadlines import sweep
    from simpatik.notifications.models import Delivery, Notification

    fresh_database(DB_NAME)
    today = add_working_days(timezone.localdate(), 0)
    started = time.perf_counter()
    open_steps(args.steps, today)
    print(f"data (made here): {args.steps} open steps in {time.perf_counter() - started:.0f} s")
    database = connection.vendor

    bare = baseline(today)
    started = time.perf_counter()
    counts = sweep(today)
    first = time.perf_counter() - started
    made = (Notification.objects.count(), Delivery.objects.count(), Job.objects.count())
    started = time.perf_counter()
    again = sweep(today)
    second = time.perf_counter() - started
    assert Notification.objects.count() == made[0], "the second sweep notified again"

    print(f"database: {database}; sweep day {today.isoformat()}")
    print(
        f"first sweep:  {first:6.2f} s  {counts}; {made[0]} notifications, "
        f"{made[1]} deliveries, {made[2]} jobs"
    )
    print(f"second sweep: {second:6.2f} s  {again} (nothing new)")
    print(f"baseline (read + one INSERT of {args.steps} notices): {bare:6.2f} s")
    print(f"ratio first / baseline: {first / bare:.1f}; second / baseline: {second / bare:.1f}")
    result("sweep", "first sweep / bare read+insert", database, first / bare, "-", True)
    result("sweep", f"first sweep of {args.steps} steps (s)", database, first, "< 10 s", first < 10)
    result("sweep", "second sweep (s)", database, second, "< 10 s", second < 10)


if __name__ == "__main__":
    main()
