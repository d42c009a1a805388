"""Benchmark: the busiest pages against a plain Django page that lists 50 rows of the same database.

For each data size (default 1,000 and 10,000 projects) it serves SIMPATIK through gunicorn as
deployed (deploy/gunicorn.conf.py: 2 workers, gthread) and drives it from 16 keep-alive
connections: the plain page (a view defined here: 50 projects with their OPD, behind the same
middleware and login) and, in turn with it, Tugas Saya, /proyek/, /proyek/<id>/, /api/v1/tasks/
and /api/v1/projects/, each for --seconds in --turns turns (plain, page, plain, page...: a drift
in the machine's speed weighs on both alike). It prints p50, p99 and requests/s, each page's
requests/s as a ratio of the plain page's measured in turn with it, each page's query count at
every size, and how p50 and the query count grow from the smallest size to the largest.

Run: .venv/bin/python bench/pages.py [--projects 1000,10000] [--connections 16] [--seconds 10] [--turns 4]
Without DATABASE_URL on SQLite (var/bench/pages-<n>.sqlite3), with a PostgreSQL DATABASE_URL on
<name>_pages_<n> beside it. The databases are kept between runs (building 10,000 projects takes
minutes); --fresh rebuilds them. They are filled by bench/generate.py when it is there, else by a
smaller stand-in here (projects at every step with teams, repositories and usulan; no audit rows).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
USER = "kasie"  # holds a role with many open steps and sees every project
BASELINE = ("plain page (50 rows)", "/bench/plain/", "web")
PAGES = [
    ("Tugas Saya", "/tugas/", "web"),
    ("/proyek/", "/proyek/", "web"),
    ("/proyek/<id>/", "/proyek/{id}/", "web"),
    ("/api/v1/tasks/", "/api/v1/tasks/", "api"),
    ("/api/v1/projects/", "/api/v1/projects/", "api"),
]
# A production-like process (DEBUG off: no query log, no debug pages) that speaks plain HTTP.
SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "SIMPATIK_KEY_ENCRYPTION_KEY": "bench-only-key-encryption-key",
    "SECURE_SSL_REDIRECT": "false",
    "SIMPATIK_SECURE_COOKIES": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "LOG_LEVEL": "ERROR",
    "DJANGO_SETTINGS_MODULE": "simpatik.settings",
}


def plain(request):
    """The baseline: 50 projects with their OPD, newest first, in a small template."""
    from django.http import HttpResponse
    from django.template import Context

    from simpatik.projects.models import Project

    rows = Project.objects.select_related("opd").order_by("-created_at", "-id")[:50]
    return HttpResponse(PLAIN.render(Context({"rows": rows})))


PLAIN_TEMPLATE = (
    "<!doctype html><title>Proyek</title><table>{% for p in rows %}<tr>"
    '<td><a href="/proyek/{{ p.pk }}/">{{ p.kode }}</a></td><td>{{ p.nama }}</td>'
    "<td>{{ p.opd.nama }}</td><td>{{ p.get_status_display }}</td></tr>{% endfor %}</table>"
)
PLAIN = None
BASE_TEMPLATE = '{% extends "base.html" %}{% block content %}<p>Isi</p>{% endblock %}'
BASE = None
urlpatterns: list = []


def base_page(request):
    """A page that only extends base.html: what every signed-in HTML page pays for its frame."""
    from django.http import HttpResponse

    return HttpResponse(BASE.render({}, request))


def empty_page(request):
    """A signed-in page with no work of its own: what the middleware and login cost a request."""
    from django.http import HttpResponse

    return HttpResponse("ok")


def _install_urls():
    """SIMPATIK's URLs plus the plain page, as this module's URLconf."""
    global PLAIN, BASE, urlpatterns
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.template import Template, engines
    from django.urls import clear_url_caches, include, path

    PLAIN = Template(PLAIN_TEMPLATE)
    BASE = engines["django"].from_string(BASE_TEMPLATE)
    urlpatterns = [
        path("bench/plain/", login_required(plain)),
        path("bench/base/", login_required(base_page)),
        path("bench/empty/", login_required(empty_page)),
        path("", include("simpatik.urls")),
    ]
    settings.ROOT_URLCONF = __name__
    clear_url_caches()


if __name__ != "__main__" and os.environ.get("SIMPATIK_BENCH_SERVE") == "1":
    # Imported by gunicorn (`pages:application`): the app, with the plain page beside it.
    sys.path.insert(0, str(REPO))
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    _install_urls()


# --- the databases ------------------------------------------------------------------------------


def _database_url(base: str, projects: int) -> str:
    if base.startswith("postgres"):
        prefix, _, name = base.rpartition("/")
        return f"{prefix}/{name}_pages_{projects}"
    return f"sqlite:///{REPO / 'var' / 'bench' / f'pages-{projects}.sqlite3'}"


def _ensure_database(url: str, fresh: bool) -> None:
    """Create the size's database if missing (or when --fresh), before Django connects."""
    if url.startswith("postgres"):
        import psycopg

        prefix, _, name = url.rpartition("/")
        with psycopg.connect(f"{prefix}/postgres", autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if exists and fresh:
                admin.execute(f'DROP DATABASE "{name}"')
            if fresh or not exists:
                admin.execute(f'CREATE DATABASE "{name}"')
        return
    path = Path(url.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    if fresh and path.exists():
        path.unlink()


def _fill(projects: int, audit_per_project: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from simpatik.projects.models import Project

    call_command("migrate", verbosity=0)
    have = Project.objects.count()
    started = time.perf_counter()
    if have >= projects:
        print(f"  {have} projects already there: reused", flush=True)
    else:
        try:
            from generate import generate  # bench/generate.py, the shared data generator
        except ImportError:
            generate = None
        if generate is not None:
            generate(projects - have, audit_per_project=audit_per_project, out=sys.stdout)
        else:
            _stand_in_generate(projects - have)
        print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)
    # Fresh bulk inserts have no planner statistics until autovacuum comes by: PostgreSQL then
    # plans for empty tables (Tugas Saya's late steps took 9 s instead of 20 ms here).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _stand_in_generate(projects: int) -> None:
    """Until bench/generate.py is there: projects at every step of the SOP (due dates from a
    month late to a month ahead, some without), a team for a third, a repository for half, an
    usulan for half, spread over 30 OPDs; bulk inserts through the models."""
    import datetime as dt
    import random

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from simpatik.accounts.models import Opd
    from simpatik.projects.models import Need, Project
    from simpatik.sop.services import active_version, load_definition
    from simpatik.testing.lists import add_needs, add_projects
    from simpatik.testing.personas import PERSONAS, make_user

    try:
        definition = active_version().definition
    except Exception:  # noqa: BLE001 - NotFound on an empty database: load the shipped SOP
        load_definition(settings.SIMPATIK_SOP_DEFINITION.read_text())
        definition = active_version().definition
    users = {name: make_user(name, roles) for name, (_f, _l, roles) in PERSONAS.items()}
    Opd.objects.bulk_create(
        [Opd(kode=f"bench-{i:02d}", nama=f"Dinas Bench {i:02d}") for i in range(30)],
        ignore_conflicts=True,
    )
    opds = list(Opd.objects.filter(kode__startswith="bench-"))
    rng = random.Random(1)
    today = timezone.localdate()
    chunk = 100
    for start in range(0, projects, chunk):
        with transaction.atomic():
            step = rng.choice(definition.steps)
            team = users[next(n for n, (_f, _l, r) in PERSONAS.items() if step.role in r)]
            made = add_projects(
                min(chunk, projects - start),
                opd=rng.choice(opds),
                creator=users["kadis"],
                step=step,
                due=lambda _i: (
                    None if rng.random() < 0.1 else today + dt.timedelta(days=rng.randint(-30, 30))
                ),
                member=team if rng.random() < 0.33 else None,
                repository=rng.random() < 0.5,
            )
            if rng.random() < 0.5:
                needs = add_needs(len(made), opd=made[0].opd, creator=users["kadis"])
                for project, need in zip(made, needs, strict=True):
                    project.need = need
                Project.objects.bulk_update(made, ["need"])
                Need.objects.filter(pk__in=[n.pk for n in needs]).update(
                    status=Need.Status.DIPROSES
                )
        print(f"  {min(start + chunk, projects)}/{projects} projects", flush=True)


# --- measuring ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(port: int):
    env = {**os.environ, **SERVER_ENV}
    env.update(
        SIMPATIK_BENCH_SERVE="1",
        SIMPATIK_BIND=f"127.0.0.1:{port}",
        SIMPATIK_WEB_WORKERS="2",
        PYTHONPATH=os.pathsep.join([str(REPO), str(BENCH)]),
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [
            str(gunicorn),
            "--config",
            str(REPO / "deploy" / "gunicorn.conf.py"),
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
            "pages:application",
        ],
        env=env,
        cwd=str(BENCH),
        stdout=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status in (200, 503):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def _load(port, paths, headers, connections, seconds) -> dict:
    """`connections` threads, each on one keep-alive connection, GET the paths in turn."""
    deadline = time.perf_counter() + seconds
    timings: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def worker(offset):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, turn = [], offset
        while time.perf_counter() < deadline:
            path = paths[turn % len(paths)]
            turn += 1
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if ok:
                mine.append(time.perf_counter() - began)
            else:
                with lock:
                    failures[0] += 1
        with lock:
            timings.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _figures(timings, failures[0], time.perf_counter() - started)


def _figures(timings, failures, elapsed) -> dict:
    timings = sorted(timings)
    count = len(timings)
    return {
        "requests": count,
        "failures": failures,
        "rps": count / elapsed,
        "p50": statistics.median(timings) * 1000 if timings else float("nan"),
        "p99": timings[min(count - 1, int(count * 0.99))] * 1000 if timings else float("nan"),
        "elapsed": elapsed,
        "timings": timings,
    }


def _joined(runs) -> dict:
    """Several runs of one page as one: every request's time, the requests over all the time."""
    return _figures(
        [t for run in runs for t in run["timings"]],
        sum(run["failures"] for run in runs),
        sum(run["elapsed"] for run in runs),
    )


def _child(args) -> None:
    """One data size: fill (or reuse) its database, count queries, serve and measure."""
    url = os.environ["DATABASE_URL"]
    _ensure_database(url, args.fresh)
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("SIMPATIK_VAR_DIR", str(REPO / "var" / "bench" / "var"))
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from simpatik.accounts.services import create_api_token
    from simpatik.projects.models import Project

    print(f"  database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    _fill(args.size, args.audit_per_project)
    _install_urls()
    user = get_user_model().objects.get(username=USER)
    client = Client()
    client.force_login(user)  # a real session row: the server reads the same table
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    _row, token = create_api_token(user, via="cli")
    headers = {
        "web": {"Cookie": cookie, "Host": "127.0.0.1"},
        "api": {"Authorization": f"Token {token}", "Host": "127.0.0.1"},
    }
    running = list(
        Project.objects.filter(status=Project.Status.BERJALAN)
        .order_by("-created_at")
        .values_list("pk", flat=True)[:20]
    )
    rows = []
    for name, path, kind in [BASELINE, *PAGES]:
        paths = [path.format(id=pk) for pk in running] if "{id}" in path else [path]
        extra = {"HTTP_AUTHORIZATION": headers["api"]["Authorization"]} if kind == "api" else {}
        caller = Client() if kind == "api" else client
        caller.get(paths[0], **extra)
        with CaptureQueriesContext(connection) as captured:
            response = caller.get(paths[0], **extra)
        if response.status_code != 200:
            raise SystemExit(f"{paths[0]} answered {response.status_code}")
        rows.append({"page": name, "paths": paths, "kind": kind, "queries": len(captured)})
    connection.close()

    port = _free_port()
    server = _start_server(port)
    try:
        baseline = rows[0]
        slice_ = args.seconds / args.turns
        _load(port, baseline["paths"], headers["web"], args.connections, 1)  # warm the workers
        for row in rows[1:]:
            _load(port, row["paths"], headers[row["kind"]], args.connections, 1)
            # The plain page and the page in turns (--turns each, --seconds in all): a machine
            # whose speed drifts (a shared host, a worker restarting) then weighs on both alike.
            plain_runs, page_runs = [], []
            for _turn in range(args.turns):
                plain_runs.append(
                    _load(port, baseline["paths"], headers["web"], args.connections, slice_)
                )
                page_runs.append(
                    _load(port, row["paths"], headers[row["kind"]], args.connections, slice_)
                )
            plain_run, page_run = _joined(plain_runs), _joined(page_runs)
            del plain_run["timings"], page_run["timings"]
            row.update(page_run)
            row["baseline"] = plain_run
            row["ratio"] = page_run["rps"] / plain_run["rps"] if plain_run["rps"] else float("nan")
            print(
                f"  {row['page']:22} {page_run['rps']:7.1f} req/s  p50 {page_run['p50']:7.1f} ms"
                f"  p99 {page_run['p99']:7.1f} ms  | plain {plain_run['rps']:7.1f} req/s"
                f"  p50 {plain_run['p50']:6.1f} ms  -> {row['ratio']:.2f}x"
                f"  ({row['queries']} queries{', FAILURES ' + str(page_run['failures']) if page_run['failures'] else ''})",
                flush=True,
            )
        last = _load(port, baseline["paths"], headers["web"], args.connections, args.seconds)
        del last["timings"]
        baseline.update(last)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("ROWS " + json.dumps({"size": args.size, "vendor": connection.vendor, "rows": rows}))


def _result(measure, database, value, target, met):
    """A line for bench/run.py's table (the same shape as the other benchmarks print)."""
    line = {
        "bench": "pages",
        "measure": measure,
        "database": database,
        "value": round(value, 3),
        "target": target,
        "met": bool(met),
    }
    print("RESULT " + json.dumps(line, ensure_ascii=False), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", default="1000,10000", help="data sizes, comma-separated")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--turns", type=int, default=4, help="plain page / page alternations")
    parser.add_argument("--audit-per-project", type=int, default=100)
    parser.add_argument("--fresh", action="store_true", help="rebuild the databases")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # one size, in a child
    args = parser.parse_args()
    if args.size:
        return _child(args)

    base = os.environ.get("DATABASE_URL", "")
    sizes = sorted(int(size) for size in args.projects.split(","))
    results = {}
    for size in sizes:
        url = _database_url(base, size)
        print(f"\n== {size} projects", flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--size", str(size), *sys.argv[1:]],
            env={**os.environ, "DATABASE_URL": url},
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        for line in child.stdout.splitlines():
            if line.startswith("ROWS "):
                results[size] = json.loads(line[5:])
            else:
                print(line, flush=True)
        if child.returncode != 0:
            raise SystemExit(f"the {size}-project run failed (exit {child.returncode})")

    vendor = results[sizes[-1]]["vendor"]
    database = "postgresql" if vendor == "postgresql" else "sqlite"
    largest = {row["page"]: row for row in results[sizes[-1]]["rows"]}
    smallest = {row["page"]: row for row in results[sizes[0]]["rows"]}
    print(f"\n{database}, {args.connections} connections, gunicorn 2 workers, user {USER}")
    header = ["page"] + [f"queries {s}" for s in sizes]
    header += ["req/s", "p50 ms", "p99 ms", "vs plain", f"p50 {sizes[-1]}/{sizes[0]}"]
    print(" | ".join(header))
    results_lines = []
    for name, _path, _kind in [BASELINE, *PAGES]:
        big, small = largest[name], smallest[name]
        growth = big["p50"] / small["p50"] if small.get("p50") else float("nan")
        cells = [f"{name:22}"] + [
            str({r["page"]: r for r in results[s]["rows"]}[name]["queries"]) for s in sizes
        ]
        cells += [
            f"{big['rps']:.1f}",
            f"{big['p50']:.1f}",
            f"{big['p99']:.1f}",
            f"{big['ratio']:.2f}x" if "ratio" in big else "1.00x",
            f"{growth:.2f}x",
        ]
        print(" | ".join(cells))
        if name == BASELINE[0]:
            continue
        ratio = big["ratio"]
        results_lines.append((f"{name} req/s vs plain page", ratio, ">= 0.8", ratio >= 0.8))
        results_lines.append((f"{name} p99 ms", big["p99"], "< 150", big["p99"] < 150))
        if len(sizes) > 1:
            span = f"{sizes[-1]} / {sizes[0]} projects"
            results_lines.append((f"{name} p50 {span}", growth, "<= 1.3", growth <= 1.3))
            queries = big["queries"] / small["queries"]
            results_lines.append((f"{name} queries {span}", queries, "= 1", queries <= 1))
    for measure, value, target, met in results_lines:
        _result(measure, database, value, target, met)


if __name__ == "__main__":
    main()
