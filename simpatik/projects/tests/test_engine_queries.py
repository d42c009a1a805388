"""What completing a step costs the database: each statement is here with what it is for, so a
change that adds a round trip to the busiest action breaks this test (bench/workflow.py times it).
Each is written out as SQL (simpatik/core/sql.py): building them with the ORM cost more Python
than the database spent running them."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simpatik.projects import services
from simpatik.projects.models import StepRun
from simpatik.testing.walker import sample_pdf, walk_to

PLAIN_COMPLETION = [
    "SAVEPOINT",  # the service's transaction (BEGIN IMMEDIATE outside a test)
    "SELECT projects_steprun",  # the run, locked, with its project and SOP version
    # closed, only if still open (of two people, one wins); with it, only the documents the step
    # names, to check its Kelengkapan (a refusal rolls the closing back)
    "UPDATE projects_steprun + SELECT projects_document",
    # the next step opened, its round counted in the INSERT and returned; with it, who holds the
    # next step's role, with their notification settings and whether the role has a chat group
    "INSERT projects_steprun + SELECT accounts_user",
    "INSERT notifications_notification",  # their task notifications, one statement
    # the audit chain's head; on PostgreSQL the chain is locked in the same round trip, a query of
    # two statements (audit.chain.locked_head)
    "SELECT audit_auditrecord",
    "INSERT audit_auditrecord",  # both audit records (completed, opened), one statement
    "RELEASE SAVEPOINT",  # commit
]
# Not read for this completion: berita acara waiting for the actor's second signature (the
# actor holds no role a second party is chosen from), nor the role's chat group on its own.


def _as_run(shapes: list[str]) -> list[str]:
    """PostgreSQL runs a write and the read beside it as one statement (core.sql.written);
    SQLite, which has no write inside WITH, as two: the same list, each pair run apart."""
    if connection.vendor == "postgresql":
        return shapes
    return [part for shape in shapes for part in shape.split(" + ")]


def _shape(sql: str) -> str:
    """A statement as its verb and table: `SELECT projects_steprun`; a write with a read beside
    it (WITH written AS (...) SELECT ...) as both: `UPDATE projects_steprun + SELECT ...`."""
    if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
        return sql.rsplit(" ", 1)[0]
    if "pg_advisory_xact_lock" in sql:
        return "SELECT pg_advisory_xact_lock"
    beside = re.match(r"WITH written AS \((.*)\) (SELECT .*)$", sql, re.S)
    if beside:
        read = re.search(r'FROM written LEFT JOIN \(?"(\w+)"', beside.group(2))
        return f"{_shape(beside.group(1))} + SELECT {read.group(1)}"
    verb = sql.split(" ", 1)[0]
    while re.search(r"\([^()]*\)", sql):  # subqueries aside: the statement's own table
        sql = re.sub(r"\([^()]*\)", "", sql)
    table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', sql)
    return f"{verb} {table.group(1) if table else '?'}"


def test_a_plain_step_completion_makes_only_the_statements_it_needs(project, team):
    kabid = team[1]
    run = walk_to(project, team, 2)  # step 2: reads two documents, records one field
    upload = SimpleUploadedFile("daftar.pdf", sample_pdf("daftar"), "application/pdf")
    services.upload_document(run, actor=kabid, key="daftar_kebutuhan", uploaded=upload)
    run = StepRun.objects.select_related("project").get(pk=run.pk)
    kabid.role_keys()  # known before the action, as in a request whose view checked them
    with CaptureQueriesContext(connection) as captured:
        services.complete_step(run, actor=kabid, fields={"hasil_pemeriksaan_kebutuhan": "Lengkap"})
    shapes = [_shape(q["sql"]) for q in captured.captured_queries]
    if connection.vendor == "postgresql":  # the chain's lock and head: one query, two statements
        index = shapes.index("SELECT pg_advisory_xact_lock")
        lock, read = captured.captured_queries[index]["sql"].split("; ")
        assert lock.startswith("SELECT pg_advisory_xact_lock(")
        shapes[index] = _shape(read)
    assert shapes == _as_run(PLAIN_COMPLETION)
    opened = project.step_runs.get(status="berjalan")
    assert (opened.step_number, opened.round) == (3, 1)
    assert (
        project.audit_records.filter(action="project.step.opened", step_number=3)
        .get()
        .data["round"]
        == 1
    )
