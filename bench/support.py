"""What the database benchmarks share: a fresh database of their own, history with past
creation times, the SOP's people, and the RESULT line bench/run.py gathers. Import it after
django.setup()."""

import contextlib
import json

from django.conf import settings
from django.core.management import call_command
from django.db import connection

try:
    from report import result  # bench/report.py, where the other benchmarks have it
except ImportError:

    def result(bench, measure, database, value, target, met):
        """One line per measured target: bench/run.py prints them as one table."""
        line = {"bench": bench, "measure": measure, "database": database}
        line |= {"value": round(value, 3), "target": target, "met": bool(met)}
        print("RESULT " + json.dumps(line, ensure_ascii=False), flush=True)


def fresh_database(name: str) -> None:
    """Drop and make the benchmark's own database (PostgreSQL), then migrate."""
    if connection.vendor == "postgresql":
        import psycopg

        params = settings.DATABASES["default"]
        admin = psycopg.connect(
            host=params["HOST"],
            port=params["PORT"],
            user=params["USER"],
            password=params["PASSWORD"],
            dbname="postgres",
            autocommit=True,
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        admin.close()
    call_command("migrate", verbosity=0)


@contextlib.contextmanager
def explicit_times(*models):
    """Let bulk inserts keep the creation times they are given (history in the past)."""
    fields = [model._meta.get_field("created_at") for model in models]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def people():
    """Holders of every SOP role: the personas and a few more developers and technical staff."""
    from simpatik.testing.personas import PERSONAS, make_user

    by_role: dict[str, list] = {}
    for name, (first, last, roles) in PERSONAS.items():
        user = make_user(name, roles, first_name=first, last_name=last)
        user.email = f"{name}@bench.invalid"
        user.save(update_fields=["email"])
        for role in roles:
            by_role.setdefault(role, []).append(user)
    for role, users in list(by_role.items()):
        for index in range(2, 5):
            user = make_user(
                f"{role}{index}", [role], first_name=role.title(), last_name=str(index)
            )
            users.append(user)
    return by_role
