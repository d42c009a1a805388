"""Before Django starts: a database benchmark's own database and data folder.

With a PostgreSQL DATABASE_URL naming database <db> the benchmark works in `<db>_bench_<name>` on
that server; without one, in a SQLite file in a fresh temporary folder. Returns the database's name."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def prepare(name: str) -> str:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpatik.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("SIMPATIK_VAR_DIR", tempfile.mkdtemp(prefix=f"simpatik-bench-{name}-"))
    url = os.environ.get("DATABASE_URL", "")
    # Named after the configured database, so runs against different databases never drop each
    # other's (simpatik -> simpatik_bench_<name>, as before).
    base = url.rpartition("/")[2].partition("?")[0] if url.startswith("postgres") else ""
    database = f"{base or 'simpatik'}_bench_{name}"
    if url.startswith("postgres"):
        os.environ["DATABASE_URL"] = f"{url.rpartition('/')[0]}/{database}"
    import django

    django.setup()
    return database
