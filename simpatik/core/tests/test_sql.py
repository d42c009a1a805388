"""The hot statements written as SQL (simpatik.core.sql) read and write what the ORM would."""

import datetime as dt

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from simpatik.audit.models import AuditRecord
from simpatik.core.sql import (
    Columns,
    Read,
    fetch,
    insert,
    insert_reading,
    table,
    update,
    update_reading,
)
from simpatik.projects.models import Project, StepRun
from simpatik.sop.models import SopVersion

_FIELDS = [field.attname for field in StepRun._meta.concrete_fields]


def _as_orm_reads(obj) -> dict:
    return {name: getattr(obj, name) for name in _FIELDS}


def test_an_instance_read_as_sql_equals_the_orm_s_and_excluded_fields_load_when_touched(project):
    run = project.step_runs.get()
    StepRun.objects.filter(pk=run.pk).update(
        values={"angka": 3, "daftar": ["a", "b"]}, tepat_waktu=True, due_date=dt.date(2026, 3, 2)
    )
    runs, projects = Columns(StepRun, "r"), Columns(Project, "p")
    versions = Columns(SopVersion, "v", exclude=("data", "source"))
    sql = (
        f"SELECT {runs.sql}, {projects.sql}, {versions.sql}, 7 FROM {table(StepRun)} r "
        f"JOIN {table(Project)} p ON p.id = r.project_id "
        f"JOIN {table(SopVersion)} v ON v.id = p.sop_version_id WHERE r.id = %s"
    )
    ((read, read_project, version, extra),) = fetch(sql, [run.pk], runs, projects, versions)
    expected = StepRun.objects.get(pk=run.pk)
    assert _as_orm_reads(read) == _as_orm_reads(expected)
    assert read.values == {"angka": 3, "daftar": ["a", "b"]} and read.tepat_waktu is True
    assert read.opened_at == expected.opened_at and read.opened_at.tzinfo is not None
    assert (read_project.pk, read_project.kode, extra) == (project.pk, project.kode, 7)
    assert not read._state.adding
    assert version.get_deferred_fields() == {"data", "source"}
    assert version.data == SopVersion.objects.get(pk=version.pk).data  # loaded when touched


def test_insert_returns_computed_columns_and_update_counts_the_rows_it_changed(project):
    now = timezone.now()
    run = StepRun(
        project=project, step_number=99, role_key="kasie", opened_at=now, values={"x": [1]}
    )
    with transaction.atomic():
        next_round = (f'(SELECT MAX("round") FROM {table(StepRun)}) + 41', [])
        insert([run], computed={"round": next_round}, returning=("id", "round"))
    stored = StepRun.objects.get(pk=run.pk)
    assert (run.round, stored.round, stored.values, stored.opened_at) == (42, 42, {"x": [1]}, now)
    assert not run._state.adding

    changed = update(
        StepRun,
        {"status": StepRun.Status.SELESAI, "completed_at": now, "draft": {"y": "z"}},
        "id = %s AND status = %s",
        [run.pk, StepRun.Status.BERJALAN],
    )
    again = update(StepRun, {"reason": "x"}, "id = %s AND status = %s", [run.pk, "berjalan"])
    stored.refresh_from_db()
    assert (changed, again) == (1, 0)
    assert (stored.status, stored.completed_at, stored.draft) == ("selesai", now, {"y": "z"})


def test_many_rows_insert_in_order_in_statements_of_limited_size(project):
    with transaction.atomic():
        entries = insert(
            [
                AuditRecord(action="bench.row", actor_label=str(i), data={"i": i}, project=project)
                for i in range(1203)
            ]
        )
    ids = [entry.pk for entry in entries]
    assert ids == sorted(ids) and len(set(ids)) == 1203
    stored = AuditRecord.objects.filter(action="bench.row").order_by("id")
    assert [(r.pk, r.data["i"]) for r in stored] == [(pk, i) for i, pk in enumerate(ids)]


def test_a_row_a_left_join_did_not_find_is_none(kasie):
    from simpatik.notifications.models import Preference

    users, preferences = Columns(type(kasie), "u"), Columns(Preference, "np")
    sql = (
        f"SELECT {users.sql}, {preferences.sql} FROM {table(type(kasie))} u "
        f"LEFT JOIN {table(Preference)} np ON np.user_id = u.id WHERE u.id = %s"
    )
    assert fetch(sql, [kasie.pk], users, preferences) == [(kasie, None)]
    Preference.objects.create(user=kasie, mode=Preference.Mode.HARIAN)
    ((user, preference),) = fetch(sql, [kasie.pk], users, preferences)
    assert (user, preference.user_id, preference.mode) == (kasie, kasie.pk, "harian")


def _runs_of(project_id: int) -> Read:
    runs = Columns(StepRun, "r")
    return Read(
        columns=f"{runs.sql}, r.step_number * %s",
        column_params=[10],
        source=f"{table(StepRun)} r",
        # Not the rows written below: the read must not depend on the write (core.sql.written).
        condition="r.project_id = %s AND r.step_number < 90",
        params=[project_id],
        parts=(runs,),
        order="r.id",
    )


def test_a_write_and_the_read_beside_it_go_in_one_statement_on_postgresql(project):
    """core.sql.written: the read's rows as instances, its further columns after them; nothing
    read when the write changed no row; on SQLite, which has no write inside WITH, two
    statements."""
    opened = project.step_runs.get()
    now = timezone.now()
    run = StepRun(project=project, step_number=98, role_key="kasie", opened_at=now, round=1)
    with transaction.atomic(), CaptureQueriesContext(connection) as inserted:
        rows = insert_reading(run, _runs_of(project.pk), returning=("id", "round"))
    assert run.pk and run.round == 1 and not run._state.adding
    assert [(read.pk, read.step_number, times_ten) for read, times_ten in rows] == [
        (opened.pk, opened.step_number, opened.step_number * 10)
    ]
    assert rows[0][0].opened_at == opened.opened_at  # converted as the ORM would

    def reason(text, status, read_of=project.pk):
        """Set the run's reason where it has `status`, reading beside it."""
        where = "id = %s AND status = %s"
        return update_reading(StepRun, {"reason": text}, where, [run.pk, status], _runs_of(read_of))

    with CaptureQueriesContext(connection) as updated:
        changed, rows = reason("x", "berjalan")
    assert changed == 1 and [read.pk for read, _ in rows] == [opened.pk]
    assert StepRun.objects.get(pk=run.pk).reason == "x"
    statements = 1 if connection.vendor == "postgresql" else 2
    assert (len(inserted), len(updated)) == (statements, statements)

    # A read that finds nothing gives no rows (not the NULLs of its join).
    changed, rows = reason("y", "berjalan", read_of=project.pk + 1000)
    assert (changed, rows) == (1, [])
    # A write that changes nothing: not read.
    with CaptureQueriesContext(connection) as missed:
        changed, rows = reason("z", "selesai")
    assert (changed, rows, len(missed)) == (0, [], 1)
    assert StepRun.objects.get(pk=run.pk).reason == "y"
