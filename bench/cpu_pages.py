"""CPU per request of the HTML list pages against the plain 50-row page, in one process.

bench/pages.py measures throughput through gunicorn, which on a shared machine mostly measures the
neighbours. This one asks the same pages through Django's test client (the full middleware stack,
signed in as the same user, DEBUG off) against the database pages.py built, alternating the pages
so that a change of load touches all of them alike, and prints per page: the median CPU time of
the process per request (time.process_time, which other processes' load barely moves), its ratio
to the plain page's, the Python function calls of one request (cProfile) and its queries.

Run (after bench/pages.py has built the database once, or with --fill):
  DATABASE_URL=postgres://.../simpatik_x .venv/bin/python bench/cpu_pages.py [--projects 1000]
  [--rounds 40] [--profile /tugas/]   (the last prints that page's top functions)
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
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import pages  # noqa: E402  (bench/pages.py: its database naming, settings and plain page)

PATHS = ["/bench/plain/", "/bench/base/", "/tugas/", "/proyek/"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--paths", default=",".join(PATHS))
    parser.add_argument("--profile", help="print the top functions of this path")
    parser.add_argument("--fill", action="store_true", help="build the database if missing")
    args = parser.parse_args()

    url = pages._database_url(os.environ.get("DATABASE_URL", ""), args.projects)
    os.environ["DATABASE_URL"] = url
    os.environ.update(pages.SERVER_ENV)
    os.environ.setdefault("SIMPATIK_VAR_DIR", str(BENCH.parent / "var" / "bench" / "var"))
    if args.fill:
        pages._ensure_database(url, fresh=False)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if args.fill:
        pages._fill(args.projects, 100)
    pages._install_urls()
    client = Client()
    client.force_login(get_user_model().objects.get(username=pages.USER))
    paths = args.paths.split(",")
    print(f"{connection.vendor} {connection.settings_dict['NAME']}, user {pages.USER}")

    def get(path):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return response

    facts = {}
    for path in paths:
        get(path)  # warm: templates compiled, caches filled
        with CaptureQueriesContext(connection) as captured:
            response = get(path)
        # Read now: the next request's request_started signal empties Django's query log.
        sql = [query["sql"] for query in captured.captured_queries]
        profiler = cProfile.Profile()
        profiler.enable()
        get(path)
        profiler.disable()
        stats = pstats.Stats(profiler)
        facts[path] = {
            "queries": len(sql),
            "sql": sql,
            "calls": stats.total_calls,
            # Calls of Python functions (builtins such as isinstance are cheap): a steadier
            # measure of the work than time on a loaded machine.
            "py_calls": sum(row[1] for key, row in stats.stats.items() if key[0] != "~"),
            "bytes": len(response.content),
            "cpu": [],
        }
        if path == args.profile:
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)

    for _round in range(args.rounds):
        for path in paths:
            began = time.process_time()
            get(path)
            facts[path]["cpu"].append((time.process_time() - began) * 1000)

    plain = statistics.median(facts[paths[0]]["cpu"])
    print(
        f"{'page':16} {'cpu ms p50':>10} {'vs plain':>9} {'calls':>8} {'py calls':>8}"
        f" {'queries':>8} {'bytes':>8}"
    )
    for path in paths:
        fact = facts[path]
        cpu = statistics.median(fact["cpu"])
        print(
            f"{path:16} {cpu:10.2f} {cpu / plain:8.2f}x {fact['calls']:8d} {fact['py_calls']:8d}"
            f" {fact['queries']:8d}"
            f" {fact['bytes']:8d}"
        )
    if os.environ.get("SHOW_SQL"):
        for path in paths:
            print(f"\n-- {path}")
            for sql in facts[path]["sql"]:
                print("  ", sql[:300])


if __name__ == "__main__":
    main()
