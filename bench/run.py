"""Run every benchmark and print one table: each target, its ratio (or figure) and whether it is met.

Each benchmark measures its own baseline in the same run and prints its account; the table at the
end gathers their `RESULT` lines (bench/report.py). Database benchmarks run on SQLite and, with
--postgres URL (`make bench` passes PG_TEST_URL), on PostgreSQL too.
Run: .venv/bin/python bench/run.py [--postgres postgres://user:pass@host:5432/name]
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# (script, arguments, runs on both databases?)
BENCHMARKS = [
    ("workflow.py", [], True),
    ("letters.py", [], False),
    ("similar.py", [], False),
    ("dashboard.py", [], True),  # the scale: 10,000 projects, 1,000,000 audit rows
    ("sweep.py", [], True),  # 10,000 open steps
]


def _run(script: str, args: list[str], database_url: str | None) -> list[dict]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    where = "PostgreSQL" if database_url else "SQLite"
    print(f"\n== {script} ({where})", flush=True)
    process = subprocess.Popen(
        [sys.executable, str(BENCH / script), *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    results = []
    for line in process.stdout:
        if line.startswith("RESULT "):
            results.append(json.loads(line[len("RESULT ") :]))
        else:
            print("   " + line, end="", flush=True)
    if process.wait() != 0:
        results.append(
            {
                "bench": script.removesuffix(".py"),
                "measure": f"failed (exit {process.returncode})",
                "database": where.lower(),
                "value": float("nan"),
                "target": "-",
                "met": False,
            }
        )
    return results


def _table(rows: list[dict]) -> str:
    header = ("bench", "measure", "database", "ratio", "target", "met")
    cells = [
        (
            r["bench"],
            r["measure"],
            r["database"],
            f"{r['value']:.2f}",
            r["target"],
            "yes" if r["met"] else "NO",
        )
        for r in rows
    ]
    widths = [max(len(str(c[i])) for c in [header, *cells]) for i in range(len(header))]

    def line(values):
        return (
            "| " + " | ".join(str(v).ljust(w) for v, w in zip(values, widths, strict=True)) + " |"
        )

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(c) for c in cells)])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="PostgreSQL URL for the database benchmarks")
    args = parser.parse_args()
    rows = []
    for script, script_args, both in BENCHMARKS:
        rows += _run(script, script_args, None)
        if both and args.postgres:
            rows += _run(script, script_args, args.postgres)
    print()
    print(_table(rows))
    met = sum(r["met"] for r in rows)
    print(f"\n{met} of {len(rows)} targets met")


if __name__ == "__main__":
    main()
