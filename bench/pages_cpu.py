"""CPU per request of the busiest pages against the plain 50-row page, in one process.

On a shared machine wall time is noisy; the CPU a request costs this process is not (much). With
the Django test client signed in as the Kasie, on bench/pages.py's database for the size, it
alternates the plain page and each page (the project page over the 20 newest running projects)
and prints the median CPU per request (time.process_time), its ratio to the plain page, the
queries per request and, with --profile, Python calls per request. On PostgreSQL on this machine
it also reads the CPU the database server process serving this connection spent on each request
(/proc/<pid>/schedstat, in nanoseconds) and gives the two together against the plain page's: the
cost the server pays for a page, which is what bench/pages.py's throughput follows on a machine
whose cores serve both. Also measured: a page with no work of its own (the middleware and login),
a page that only extends base.html (the frame every signed-in page pays) and each page's bytes.

Run: DATABASE_URL=postgres://... .venv/bin/python bench/pages_cpu.py [--projects 1000] [--rounds 60]
  [--profile] [--top PATH]   (--profile: Python calls a request; --top: that page's top functions;
  SHOW_SQL=1 prints each page's statements)
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import pages  # noqa: E402  (bench/pages.py: its database, data and plain page)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--profile", action="store_true", help="also count Python calls")
    parser.add_argument("--top", help="print the top functions of this path (e.g. /tugas/)")
    args = parser.parse_args()
    url = pages._database_url(os.environ.get("DATABASE_URL", ""), args.projects)
    os.environ["DATABASE_URL"] = url
    pages._ensure_database(url, False)
    os.environ.update(pages.SERVER_ENV)
    os.environ.setdefault("SIMPATIK_VAR_DIR", str(BENCH.parent / "var" / "bench" / "var"))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from knox.models import AuthToken

    from simpatik.accounts.services import create_api_token
    from simpatik.projects.models import Project

    pages._fill(args.projects, 100)
    pages._install_urls()
    user = get_user_model().objects.get(username=pages.USER)
    web = Client()
    web.force_login(user)
    AuthToken.objects.filter(user=user).delete()  # a token per run would reach the limit
    _row, token = create_api_token(user, via="cli")
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    running = Project.objects.filter(status=Project.Status.BERJALAN).order_by("-created_at")
    ids = list(running.values_list("pk", flat=True)[:20])
    targets = [
        ("plain page (50 rows)", web, [pages.BASELINE[1]]),
        ("base.html only", web, ["/bench/base/"]),
        ("no work (middleware)", web, ["/bench/empty/"]),
    ]
    for name, path, kind in pages.PAGES:
        paths = [path.format(id=pk) for pk in ids] if "{id}" in path else [path]
        targets.append((name, api if kind == "api" else web, paths))
    queries, sizes = {}, {}
    cpu, db_cpu = {name: [] for name, _c, _p in targets}, {name: [] for name, _c, _p in targets}
    for name, client, paths in targets:
        counts = []
        for path in paths:
            client.get(path)  # warm: templates compiled, caches filled
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            counts.append(len(captured))
            sizes[name] = len(response.content)
            if os.environ.get("SHOW_SQL") and path == paths[0]:
                print(f"\n-- {path}")
                for query in captured.captured_queries:
                    print("  ", query["sql"][:300])
            if path == args.top:
                _print_top(client, path)
        queries[name] = f"{min(counts)}-{max(counts)}" if min(counts) != max(counts) else counts[0]
    for turn in range(args.rounds):
        for name, client, paths in targets:
            backend = _backend(connection)
            db_started = _backend_cpu(backend)
            started = time.process_time()
            client.get(paths[turn % len(paths)])
            cpu[name].append(time.process_time() - started)
            if backend is not None and _backend(connection) == backend:
                db_cpu[name].append(_backend_cpu(backend) - db_started)
    plain = statistics.median(cpu[targets[0][0]])
    with_db = bool(db_cpu[targets[0][0]])
    plain_total = plain + (statistics.median(db_cpu[targets[0][0]]) if with_db else 0)
    print(f"{connection.vendor}, {args.projects} projects, user {pages.USER}, {args.rounds} rounds")
    # "vs plain" as bench/pages.py gives it: requests a CPU second serves, against the plain page's.
    print(
        "page | CPU ms p50 | vs plain | queries | bytes"
        + (" | database CPU ms p50 | both vs plain" if with_db else "")
        + (" | Python calls" if args.profile else "")
    )
    for name, client, paths in targets:
        median = statistics.median(cpu[name])
        cells = [
            f"{name:22}",
            f"{median * 1000:6.2f}",
            f"{plain / median:.2f}x",
            queries[name],
            sizes[name],
        ]
        if with_db:
            database = statistics.median(db_cpu[name])
            cells += [f"{database * 1000:5.2f}", f"{plain_total / (median + database):.2f}x"]
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for turn in range(10):
                client.get(paths[turn % len(paths)])
            profile.disable()
            cells.append(f"{pstats.Stats(profile).total_calls / 10:.0f}")
        print(" | ".join(str(cell) for cell in cells))


def _backend(connection):
    """The process id of the PostgreSQL server process behind this connection, when it runs on
    this machine (its /proc is readable); else None."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    return pid if Path(f"/proc/{pid}/schedstat").exists() else None


def _backend_cpu(pid) -> float:
    """Seconds of CPU that process has run (the kernel's schedstat, in nanoseconds)."""
    if pid is None:
        return 0.0
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError):
        return 0.0


def _print_top(client, path):
    profile = cProfile.Profile()
    profile.enable()
    client.get(path)
    profile.disable()
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
