"""Benchmark: the oversight dashboard over N projects and M audit rows, p95 against a plain
aggregate query over the same rows in the same run (issue 10: under 300 ms p95 on PostgreSQL
with 10,000 projects and 1,000,000 audit rows).

Measured, each `--repeat` times after a warm-up, as a signed-in Kadis:
- the dashboard page (GET /pengawasan/, the current month, with its SVG charts and tables),
- the same page over the last twelve months, and the JSON API (GET /api/v1/stats/);
- the baseline: one plain GROUP BY over the completed step runs of the same month (count,
  average working days, on-time count per step), the least any dashboard must ask.

Data: bench/generate.py (a province-scale generator) when it is there; until then a minimal set
made here with bulk inserts: projects walked along the SOP's own paths (loops back at the
decisions, suspensions, finished and running projects) over the last year with working-day
durations, needs, and audit rows written by one INSERT ... SELECT (not hash-chained: the
dashboard never reads the trail, they are there for the size of the database it runs in).

Run: DATABASE_URL=postgres://simpatik:simpatik@127.0.0.1:5432/x .venv/bin/python bench/dashboard.py
     [--projects 10000] [--audit 1000000] [--repeat 30] [--reuse]
With a PostgreSQL DATABASE_URL it works in a fresh database `<db>_bench_dashboard` on that
server (dropped and made again); without one, in a fresh SQLite file in a temporary directory.
Prints its account and one RESULT line per target (bench/run.py gathers them).
"""

import argparse
import datetime as dt
import random
import time

from environment import prepare  # noqa: E402

DB_NAME = prepare("dashboard")

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from support import explicit_times, fresh_database, people, result  # noqa: E402


def walk(definition, rng, created: dt.datetime, now: dt.datetime):
    """One project's runs along the SOP, from `created` until it ends or reaches `now`:
    [(step, round, opened, completed or None, working days, decision)], and its status."""
    from simpatik.core.workdays import working_days_between
    from simpatik.projects.models import Project

    runs, rounds, loops = [], {}, 0
    step, opened = definition.first_step, created
    suspend_now = rng.random() < 0.08
    while True:
        rounds[step.number] = rounds.get(step.number, 0) + 1
        waktu = step.waktu or 10
        days = max(0, round(waktu * rng.uniform(0.3, 2.6)))
        completed = opened + dt.timedelta(days=days * 1.4, hours=rng.uniform(1, 7))
        if completed >= now:
            runs.append((step, rounds[step.number], opened, None, None, None))
            return runs, Project.Status.BERJALAN
        worked = working_days_between(timezone.localdate(opened), timezone.localdate(completed))
        option = None
        if step.is_decision:
            back = [o for o in step.decisions if o.next is not None and o.next < step.number]
            stop = [o for o in step.decisions if o.next and definition.step(o.next).suspend]
            if stop and suspend_now:
                option = stop[0]
            elif back and loops < 2 and rng.random() < 0.25:
                option, loops = back[0], loops + 1
            else:
                option = next(o for o in step.decisions if o.next is None or o.next > step.number)
        runs.append((step, rounds[step.number], opened, completed, worked, option))
        target = option.next if option is not None else step.next
        if target is None:
            return runs, Project.Status.DITANGGUHKAN if step.suspend else Project.Status.SELESAI
        step, opened = definition.step(target), completed


def minimal_data(projects: int, audit_rows: int, seed: int = 1) -> dict:
    """The smallest honest stand-in for bench/generate.py: see the module's docstring."""
    from simpatik.accounts.models import Opd
    from simpatik.audit.models import AuditRecord
    from simpatik.core.workdays import add_working_days
    from simpatik.projects.models import Need, Project, StepRun
    from simpatik.sop.services import active_version, load_definition

    load_definition(settings.SIMPATIK_SOP_DEFINITION.read_text())
    version = active_version()
    definition = version.definition
    rng = random.Random(seed)
    holders = people()
    starter = holders[definition.first_step.role][0]
    opds = Opd.objects.bulk_create(
        [Opd(kode=f"bench{i}", nama=f"OPD Bench {i}", singkatan=f"OB{i}") for i in range(30)]
    )
    now = timezone.now()
    counts = {"projects": 0, "step_runs": 0, "needs": 0}
    chunk = 500
    for first in range(0, projects, chunk):
        size = min(chunk, projects - first)
        plans = []
        for index in range(first, first + size):
            created = now - dt.timedelta(days=rng.uniform(1, 365))
            runs, status = walk(definition, rng, created, now)
            plans.append((index, created, runs, status, rng.choice(opds)))
        with transaction.atomic(), explicit_times(Need, Project):
            needs = Need.objects.bulk_create(
                [
                    Need(
                        nomor=f"BENCH-{index:06d}",
                        judul=f"Aplikasi {index}",
                        opd=opd,
                        latar_belakang="Bench",
                        created_by=starter,
                        status=Need.Status.DIPROSES,
                        created_at=created - dt.timedelta(days=rng.uniform(1, 20)),
                    )
                    for index, created, _runs, _status, opd in plans
                ]
            )
            made = Project.objects.bulk_create(
                [
                    Project(
                        kode=f"BENCH-{index:06d}",
                        nama=f"Aplikasi Bench {index}",
                        opd=opd,
                        need=need,
                        sop_version=version,
                        status=status,
                        created_by=starter,
                        created_at=created,
                        finished_at=runs[-1][3] if status == Project.Status.SELESAI else None,
                    )
                    for (index, created, runs, status, opd), need in zip(plans, needs, strict=True)
                ]
            )
            rows = []
            for project, (_index, _created, runs, _status, _opd) in zip(made, plans, strict=True):
                for step, round_, opened, completed, worked, option in runs:
                    due = (
                        add_working_days(timezone.localdate(opened), step.waktu)
                        if step.waktu
                        else None
                    )
                    person = rng.choice(holders[step.role])
                    rows.append(
                        StepRun(
                            project=project,
                            step_number=step.number,
                            round=round_,
                            role_key=step.role,
                            status=StepRun.Status.SELESAI if completed else StepRun.Status.BERJALAN,
                            opened_at=opened,
                            due_date=due,
                            completed_at=completed,
                            completed_by=person if completed else None,
                            assignee=person if not completed and rng.random() < 0.6 else None,
                            decision=option.value if option is not None else "",
                            working_days=worked,
                            tepat_waktu=(timezone.localdate(completed) <= due)
                            if completed and due
                            else None,
                        )
                    )
            StepRun.objects.bulk_create(rows, batch_size=5000)
        counts["projects"] += size
        counts["needs"] += size
        counts["step_runs"] += len(rows)
        print(f"  {counts['projects']}/{projects} projects", flush=True)
    counts["audit_records"] = _audit_rows(AuditRecord, Project, starter, audit_rows)
    return counts


def _audit_rows(AuditRecord, Project, actor, total: int) -> int:
    """`total` audit rows in one INSERT ... SELECT, spread over the projects and the year."""
    table = AuditRecord._meta.db_table
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    low, high = ids[0], ids[-1]
    span = high - low + 1
    columns = (
        "at, actor_id, actor_label, action, project_id, step_number, object_type, object_id, "
        "data, reason, request_id, via, prev_hash, hash"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT "
                "now() - (g %% 365) * interval '1 day' - (g %% 86400) * interval '1 second', "
                "%s, 'Bench', (ARRAY['project.step.opened', 'project.step.completed', "
                "'document.uploaded'])[1 + g %% 3], %s + (g %% %s), 1 + g %% 18, '', '', "
                "'{}'::jsonb, '', '', 'bench', md5((g - 1)::text) || md5(g::text), "
                "md5(g::text) || md5((g + 1)::text) FROM generate_series(1, %s) AS g",
                [actor.pk, low, span, total],
            )
            cursor.execute(f"ANALYZE {table}")
            cursor.execute("ANALYZE")
        else:
            cursor.execute(
                f"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < %s) "
                f"INSERT INTO {table} ({columns}) SELECT "
                "datetime('now', '-' || (g %% 365) || ' days'), %s, 'Bench', "
                "CASE g %% 3 WHEN 0 THEN 'project.step.opened' WHEN 1 THEN "
                "'project.step.completed' ELSE 'document.uploaded' END, %s + (g %% %s), "
                "1 + g %% 18, '', '', '{}', '', '', 'bench', hex(randomblob(32)), "
                "hex(randomblob(32)) FROM s",
                [total, actor.pk, low, span],
            )
            cursor.execute("ANALYZE")
    return total


def settle():
    """What autovacuum does to a live database after a bulk load: statistics for the planner,
    and on PostgreSQL the visibility map, without which an index-only scan (the dashboard's
    aggregates over StepRun's covering index) still reads every table page. Some servers run
    with autovacuum off (a shared development one did), so the benchmark does it itself."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("projects_steprun", "projects_project", "projects_need"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("ANALYZE")


def data(projects: int, audit_rows: int) -> tuple[str, dict]:
    try:
        from generate import generate  # bench/generate.py, once it is on this branch
    except ImportError:
        return "minimal (made here)", minimal_data(projects, audit_rows)
    counts = generate(projects, audit_per_project=max(1, audit_rows // max(projects, 1)))
    return "bench/generate.py", counts


def timings(function, repeat: int) -> list[float]:
    for _ in range(3):
        function()
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        found.append(time.perf_counter() - started)
    return sorted(found)


def pct(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--audit", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the data a previous run left in its database"
    )
    args = parser.parse_args()

    from django.contrib.auth import get_user_model
    from django.test import Client

    from simpatik.audit.models import AuditRecord
    from simpatik.oversight.stats import default_filters
    from simpatik.projects.models import Project, StepRun

    if not args.reuse:
        fresh_database(DB_NAME)
        started = time.perf_counter()
        source, counts = data(args.projects, args.audit)
        print(f"data ({source}): {counts} in {time.perf_counter() - started:.0f} s")
    settle()  # also for --reuse: data left by a run before this step was never vacuumed
    database = connection.vendor
    print(
        f"database: {database}; {Project.objects.count()} projects, "
        f"{StepRun.objects.count()} step runs, {AuditRecord.objects.count()} audit rows"
    )

    client = Client()
    viewer = get_user_model().objects.get(username="kadis")
    client.force_login(viewer)
    month = default_filters()
    year = f"?dari={(timezone.localdate() - dt.timedelta(days=364)).isoformat()}"

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    first, last = month.range
    table = StepRun._meta.db_table

    def plain():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT step_number, COUNT(*), AVG(working_days), "
                f"SUM(CASE WHEN tepat_waktu THEN 1 ELSE 0 END) FROM {table} "
                "WHERE status = %s AND completed_at >= %s AND completed_at < %s "
                "GROUP BY step_number",
                [StepRun.Status.SELESAI, first, last],
            )
            cursor.fetchall()

    measured = {
        "page (this month)": timings(get("/pengawasan/"), args.repeat),
        "page (12 months)": timings(get("/pengawasan/" + year), args.repeat),
        "API /api/v1/stats/": timings(get("/api/v1/stats/"), args.repeat),
        "plain aggregate": timings(plain, args.repeat),
    }
    base = pct(measured["plain aggregate"], 0.95)
    for name, values in measured.items():
        p50, p95 = pct(values, 0.5), pct(values, 0.95)
        print(
            f"{name:22} p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  "
            f"ratio p95/plain {p95 / base:6.1f}"
        )
    page = pct(measured["page (this month)"], 0.95)
    result("dashboard", "page p95 / plain aggregate p95", database, page / base, "-", True)
    result("dashboard", "page p95 (ms)", database, page * 1000, "< 300 ms", page < 0.3)
    yearly = pct(measured["page (12 months)"], 0.95)
    result("dashboard", "12-month page p95 (ms)", database, yearly * 1000, "< 300 ms", yearly < 0.3)


if __name__ == "__main__":
    main()
