"""The busiest statements (a step completion's) written as SQL, with model instances in and out.

Building a statement with the ORM costs about a millisecond of Python each time, more than the
database takes to run it, and a completion makes seven. Here a statement's tables and column
lists are made once per process from the models' own metadata (the joins and conditions written
around them name their few columns, and the tests of those statements break if one is renamed);
values go in through their fields (`get_db_prep_save`: JSON, datetimes on SQLite) and come out
through the converters the ORM applies, so an instance read here equals one a queryset reads.
"""

from __future__ import annotations

import dataclasses
import functools

from django.db import DEFAULT_DB_ALIAS, connection, connections


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model) -> str:
    return quote(model._meta.db_table)


class Columns:
    """A model's columns in a SELECT under a table alias, and how a row's values become an
    instance (`exclude`: fields left deferred, loaded only if touched)."""

    def __init__(self, model, alias: str, *, exclude: tuple[str, ...] = ()):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if f.name not in exclude]
        self.attnames = [f.attname for f in self.fields]
        self.sql = ", ".join(f"{alias}.{quote(f.column)}" for f in self.fields)
        self._alias = alias
        self._pk = self.fields.index(model._meta.pk)
        self._converters: dict[str, list] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def converters(self, db) -> list:
        """The columns whose values the ORM's compiler converts (on PostgreSQL hardly any), with
        what it applies."""
        found = self._converters.get(db.vendor)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self._alias)
                applied = db.ops.get_db_converters(column) + column.get_db_converters(db)
                if applied:
                    found.append((index, column, applied))
            self._converters[db.vendor] = found
        return found

    def instance(self, row, start: int = 0, db=connection):
        """The instance held by `row[start:start + len(self)]`; None when its primary key is
        NULL (a LEFT JOIN that found no row), as select_related leaves it."""
        values = list(row[start : start + len(self.fields)])
        if values[self._pk] is None:
            return None
        for index, column, applied in self.converters(db):
            for convert in applied:
                values[index] = convert(values[index], column, db)
        return self.model.from_db(db.alias, self.attnames, values)


def fetch(sql: str, params, *parts: Columns) -> list[tuple]:
    """Each row as a tuple of instances, one per part, the row's further values after them."""
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _instances(rows, parts, db)


def _instances(rows, parts, db) -> list[tuple]:
    found = []
    for row in rows:
        start, objects = 0, []
        for part in parts:
            objects.append(part.instance(row, start, db))
            start += len(part)
        found.append((*objects, *row[start:]))
    return found


@dataclasses.dataclass(frozen=True)
class Read:
    """A SELECT in parts, so that it can run alone or ride along with a write (`written`):
    `columns` (with `column_params`) over `source` WHERE `condition` (with `params`), rows as
    instances of `parts` followed by any further columns."""

    columns: str
    source: str
    condition: str
    params: list
    parts: tuple
    order: str = ""
    column_params: list = dataclasses.field(default_factory=list)

    def sql(self) -> tuple[str, list]:
        order = f" ORDER BY {self.order}" if self.order else ""
        sql = f"SELECT {self.columns} FROM {self.source} WHERE {self.condition}{order}"
        return sql, [*self.column_params, *self.params]

    def rows(self) -> list[tuple]:
        sql, params = self.sql()
        return fetch(sql, params, *self.parts)


def written(write: str, params, width: int, read: Read | None) -> tuple[tuple | None, list]:
    """Run a write that RETURNs `width` columns of at most one row, and `read`: the returned
    values (None when the write changed no row) and the read's rows (not read then).

    On PostgreSQL in one statement, a round trip fewer on the busiest path: the read joins the
    write's WITH. SQLite has no write inside WITH: two statements. The read must not depend on
    the write: on PostgreSQL it sees the database as the statement started, on SQLite after it.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if read is None or db.vendor != "postgresql":
        with db.cursor() as cursor:
            cursor.execute(write, params)
            row = next(iter(cursor.fetchall()), None)
        if row is None or read is None:
            return row, []
        return row, read.rows()
    order = f" ORDER BY {read.order}" if read.order else ""
    # Tables joined together are bracketed to join the write's row; a table alone may not be.
    source = f"({read.source})" if " JOIN " in read.source else read.source
    sql = (
        f"WITH written AS ({write}) SELECT written.*, {read.columns} FROM written "
        f"LEFT JOIN {source} ON {read.condition}{order}"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, [*params, *read.column_params, *read.params])
        rows = cursor.fetchall()
    if not rows:
        return None, []
    # A write with nothing to join gives one row of NULLs on the read's side: no instance.
    found = _instances([row[width:] for row in rows], read.parts, db)
    return rows[0][:width], [row for row in found if row[0] is not None]


_ROWS = 500
# Kinds of value the drivers take as they are (what their fields' preparation returns unchanged);
# any other (datetimes, JSON, decimals…) goes through its field as in the ORM.
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "SlugField",
    "TextField",
}


@functools.cache
def _insert_shape(model, computed: tuple[str, ...], returning: tuple[str, ...]):
    """The statement's head, its fields (whether each needs its field's preparation) and the
    attributes its RETURNING sets: the same for every insert of that shape."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.name in computed]
    columns = ", ".join(quote(f.column) for f in fields)
    back = ", ".join(quote(model._meta.get_field(name).column) for name in returning)
    shape = [(f, f.name in computed, f.get_internal_type() not in _AS_IS) for f in fields]
    attnames = [model._meta.get_field(name).attname for name in returning]
    return (
        f"INSERT INTO {table(model)} ({columns}) VALUES {{rows}} RETURNING {back}",
        shape,
        attnames,
    )


def insert(objs: list, *, computed: dict | None = None, returning: tuple[str, ...] = ("id",)):
    """INSERT unsaved instances of one model, 500 a statement, as `bulk_create` would, and set
    the returned integer columns on them (`RETURNING`: PostgreSQL, SQLite 3.35+).

    `computed`: {field name: (SQL expression, params)} written instead of the instance's value
    (the same for every row)."""
    for first in range(0, len(objs), _ROWS):  # a statement's parameters are limited
        _insert(objs[first : first + _ROWS], computed or {}, returning)
    return objs


def _insert_statement(objs: list, computed: dict, returning: tuple[str, ...], db):
    head, shape, attnames = _insert_shape(type(objs[0]), tuple(sorted(computed)), returning)
    row_sql, params = [], []
    for obj in objs:
        placeholders = []
        for field_, is_computed, prepared in shape:
            if is_computed:
                expression, expression_params = computed[field_.name]
                placeholders.append(expression)
                params.extend(expression_params)
            else:
                placeholders.append("%s")
                value = field_.pre_save(obj, True)
                params.append(field_.get_db_prep_save(value, db) if prepared else value)
        row_sql.append(f"({', '.join(placeholders)})")
    return head.format(rows=", ".join(row_sql)), params, attnames


def _inserted(objs: list, rows, attnames, db) -> None:
    for obj, row in zip(objs, rows, strict=True):
        for attname, value in zip(attnames, row, strict=True):
            setattr(obj, attname, value)
        obj._state.adding, obj._state.db = False, db.alias


def _insert(objs: list, computed: dict, returning: tuple[str, ...]) -> None:
    db = connections[DEFAULT_DB_ALIAS]
    sql, params, attnames = _insert_statement(objs, computed, returning, db)
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    _inserted(objs, rows, attnames, db)


def insert_reading(obj, read: Read | None, *, computed=None, returning=("id",)) -> list[tuple]:
    """insert() of one instance, with `read` in the same round trip on PostgreSQL (written):
    the read's rows."""
    db = connections[DEFAULT_DB_ALIAS]
    sql, params, attnames = _insert_statement([obj], computed or {}, returning, db)
    row, rows = written(sql, params, len(returning), read)
    _inserted([obj], [row], attnames, db)
    return rows


def update(model, values: dict, where: str, params) -> int:
    """UPDATE the model's rows matching `where` (SQL over its columns) with {attname: value};
    returns how many rows changed."""
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        cursor.execute(*_update_statement(model, values, where, params, db))
        return cursor.rowcount


def update_reading(model, values: dict, where: str, params, read: Read | None):
    """update() of at most one row, with `read` in the same round trip on PostgreSQL (written):
    (rows changed, the read's rows; not read when none changed)."""
    db = connections[DEFAULT_DB_ALIAS]
    sql, all_params = _update_statement(model, values, where, params, db)
    row, rows = written(f"{sql} RETURNING 1", all_params, 1, read)
    return (0 if row is None else 1), rows


def _update_statement(model, values: dict, where: str, params, db):
    head, shape = _update_shape(model, tuple(values))
    prepared = [
        field_.get_db_prep_save(value, db) if needs else value
        for (field_, needs), value in zip(shape, values.values(), strict=True)
    ]
    return f"{head} WHERE {where}", [*prepared, *params]


@functools.cache
def _update_shape(model, attnames: tuple[str, ...]):
    fields = {f.attname: f for f in model._meta.concrete_fields}
    assignments = ", ".join(f"{quote(fields[name].column)} = %s" for name in attnames)
    shape = [(fields[name], fields[name].get_internal_type() not in _AS_IS) for name in attnames]
    return f"UPDATE {table(model)} SET {assignments}", shape
