"""Inserting many rows that a unique constraint may already hold, many rows a statement.

`bulk_create(ignore_conflicts=True)` prepares every value of every row through the ORM, which
costs more than the database's own work when a sweep writes tens of thousands of rows. Here
only the kinds of value the driver cannot take as they are (datetimes, JSON) go through their
field; the rest are passed as given. `ON CONFLICT DO NOTHING` is the same on PostgreSQL and
SQLite (3.24+): a row another worker wrote first is skipped, never doubled. Rows are not read back: the caller selects what it needs by key.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

_PREPARED = ("DateTimeField", "DateField", "JSONField")
ROWS = 5000  # rows a statement on PostgreSQL


def insert_ignoring_conflicts(model, fields: list[str], rows: list[tuple]) -> None:
    """INSERT each row (values in the order of `fields`), skipping rows that break a unique
    constraint. Every other field takes its default (a creation time: now), as in `save`."""
    if not rows:
        return
    columns = [model._meta.get_field(name) for name in fields]
    rest = [
        field
        for field in model._meta.concrete_fields
        if field not in columns and not field.primary_key
    ]
    fixed = tuple(_default(field) for field in rest)
    columns += rest
    rows = [row + fixed for row in rows]
    prepared = [
        (index, column)
        for index, column in enumerate(columns)
        if column.get_internal_type() in _PREPARED
    ]
    if prepared:
        rows = [_prepare(row, prepared) for row in rows]
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) ".format(
        quote(model._meta.db_table), ", ".join(quote(column.column) for column in columns)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # In-process: one statement prepared once and stepped per row is the fastest way.
            values = "VALUES ({})".format(", ".join(["%s"] * len(columns)))
            cursor.executemany(f"{head}{values} ON CONFLICT DO NOTHING", rows)
            return
        # Over the network: one array a column (unnest), so a statement of thousands of rows
        # carries a parameter per column and is one round trip; the driver's work does not
        # grow with placeholders.
        arrays = ", ".join(f"%s::{column.db_type(connection)}[]" for column in columns)
        for first in range(0, len(rows), ROWS):
            chunk = rows[first : first + ROWS]
            cursor.execute(
                f"{head}SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING",
                [list(values) for values in zip(*chunk, strict=True)],
            )


def _default(field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


def _prepare(row: tuple, prepared) -> tuple:
    values = list(row)
    for index, column in prepared:
        values[index] = column.get_db_prep_save(values[index], connection)
    return tuple(values)
