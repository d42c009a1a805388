"""One line per measured target, which `bench/run.py` gathers into the table `make bench` prints.

A benchmark prints its own account for people, and for each target a line
`RESULT {"bench": ..., "measure": ..., "database": ..., "value": ..., "target": ..., "met": ...}`.
"""

import json


def result(bench: str, measure: str, database: str, value: float, target: str, met: bool) -> None:
    line = {
        "bench": bench,
        "measure": measure,
        "database": database,
        "value": round(value, 3),
        "target": target,
        "met": bool(met),
    }
    print("RESULT " + json.dumps(line, ensure_ascii=False), flush=True)
