"""The database part: SQLite's online backup API, or PostgreSQL's pg_dump custom format."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from simpatik.core.backup import BackupError

# Tables whose rows make an installation "in use": restoring over them would mix two histories.
_IN_USE_TABLES = ("accounts_user", "sop_sopversion", "projects_project", "audit_auditrecord")


def _pg_env() -> dict:
    conf = connection.settings_dict
    env = dict(os.environ)
    env.update(
        PGHOST=conf.get("HOST") or "", PGPORT=str(conf.get("PORT") or ""),
        PGUSER=conf.get("USER") or "", PGPASSWORD=conf.get("PASSWORD") or "",
        PGDATABASE=conf["NAME"],
    )  # fmt: skip
    return env


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} tidak ditemukan: pasang paket postgresql-client (Debian)."
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} gagal: {result.stderr.strip()[:500]}")


def dump(directory: Path) -> str:
    """Write the database into `directory`; returns the file name."""
    if connection.in_atomic_block:
        # Inside a transaction the copy would hold uncommitted rows (and SQLite's would wait forever).
        raise BackupError("Pencadangan harus berjalan di luar transaksi basis data.")
    directory.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(directory / "simpatik.sqlite3")
        try:
            connection.connection.backup(target)  # a consistent copy while others keep writing
        finally:
            target.close()
        return "simpatik.sqlite3"
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={directory / 'simpatik.dump'}"])  # fmt: skip
        return "simpatik.dump"
    raise BackupError(f"Basis data {connection.vendor} tidak didukung.")


def is_empty() -> bool:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in _IN_USE_TABLES:
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return False
    return True


def load(path: Path, vendor: str) -> None:
    """Replace the (empty) database with the dump; the dump's kind must match the database's."""
    if vendor != connection.vendor:
        raise BackupError(
            f"Cadangan ini dari basis data {vendor}, instalasi ini memakai {connection.vendor}."
        )
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        # --clean drops the tables of a migrated but empty installation before recreating them.
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}",
              str(path)])  # fmt: skip
    connection.close()  # the next query sees the restored schema
