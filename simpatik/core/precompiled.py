"""Small queries every request asks, compiled by the ORM once per process instead of every time.

Measured (bench/pages_cpu.py): the roles of the signed-in user (a UNION of own roles and today's
delegations) cost the ORM about 1,300 Python calls to build and compile on every page and every
API call, the database a fraction of a millisecond to answer. A `Precompiled` query is still
written with the ORM (one place for its meaning); it is compiled once with stand-in values, and
each call sends the same statement with its own values in their places.

Only for queries whose SQL does not change with their values: no lists of varying length, no
condition left out for some values. The stand-ins must reach the statement as parameters; a
stand-in the compiler wrote into the SQL text, or did not use at all, is refused at once.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import threading
from functools import cache
from operator import itemgetter

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import get_related_populators
from django.db.models.query_utils import DeferredAttribute

from simpatik.core.kept import Kept


class Precompiled:
    """`build(**stand_ins)` -> a queryset of plain values (`values_list`, `count()`-free)."""

    def __init__(self, build, **stand_ins):
        self._build = build
        self._stand_ins = stand_ins
        self._compiled: tuple | None = None  # (sql, slots, database alias)
        self._lock = threading.Lock()

    def _compile(self):
        queryset = self._build(**self._stand_ins)
        alias = queryset.db
        sql, params = queryset.query.get_compiler(using=alias).as_sql()
        return sql, self._slots(sql, params), alias

    def _slots(self, sql, params) -> list:
        slots, found = [], set()
        for value in params:
            name = self._slot_of(value)
            if name is not None:
                found.add(name)
            slots.append((name, value))
        missing = set(self._stand_ins) - found
        inlined = [name for name, value in self._stand_ins.items() if str(value) in sql]
        if missing or inlined:
            raise ValueError(
                f"stand-ins not sent as parameters: {sorted(missing | set(inlined))}: {sql}"
            )
        return slots

    def _slot_of(self, value):
        for name, stand_in in self._stand_ins.items():
            # SQLite's adapter sends dates as text: the stand-in's text is the same slot.
            if value == stand_in or (isinstance(stand_in, dt.date) and value == str(stand_in)):
                return name
        return None

    def rows(self, **values) -> list[tuple]:
        """The rows for these values (as the queryset would give them, unconverted)."""
        compiled = self._compiled
        if compiled is None:
            with self._lock:
                if self._compiled is None:
                    self._compiled = self._compile()
                compiled = self._compiled
        sql, slots, alias = compiled
        connection = connections[alias]
        params = [_adapt(connection, values[name]) if name else fixed for name, fixed in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def values(self, **values) -> list[tuple]:
        """`rows` as the queryset gives them: each column through the database's converters
        (SQLite answers dates and times as text)."""
        rows = self.rows(**values)
        compiler = self.__dict__.get("_converting")
        if compiler is None:
            queryset = self._build(**self._stand_ins)
            compiler = queryset.query.get_compiler(using=queryset.db)
            compiler.as_sql()  # fills the compiler's columns, whose converters apply
            self._converting = compiler
        return list(compiler.results_iter([rows], tuple_expected=True))


class PrecompiledModels(Precompiled):
    """As Precompiled, for a queryset of model instances (select_related and annotations
    allowed, no prefetch_related): `models(**values)` gives the instances the queryset would."""

    def _compile(self):
        queryset = self._build(**self._stand_ins)
        if queryset._prefetch_related_lookups:
            raise ValueError("PrecompiledModels reads no prefetch_related lookups")
        alias = queryset.db
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        self._reader = _Reader(compiler, alias)
        return sql, self._slots(sql, params), alias

    def models(self, **values) -> list:
        rows = self.rows(**values)
        return self._reader.instances(rows)


class _Reader:
    """Django's ModelIterable over rows already fetched (the model, its select_related objects
    and the annotations, with the database's converters applied), with what it works out for
    every call worked out once for a compiled statement: the columns' converters, the related
    objects' populators and where each part of a row is."""

    def __init__(self, compiler, db):
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        self.db, self.model = db, klass_info["model"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.names = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, db)
        self.annotations = list((compiler.annotation_col_map or {}).items())
        self.width = compiler.col_count
        self.cut = compiler.has_extra_select  # columns the ordering needed, as execute_sql drops
        converters = compiler.get_converters([c[0] for c in select[: self.width]])
        self.converters = list(converters.items())

    def instances(self, rows) -> list:
        db, model, start, end, names = self.db, self.model, self.start, self.end, self.names
        if self.cut:
            rows = [row[: self.width] for row in rows]
        if self.converters:
            rows = list(self._converted(rows, connections[db]))
        # Whether a receiver now listens is asked on every call (_maker).
        make, populators = _maker(model), [_Populator(p) for p in self.populators]
        found = []
        for row in rows:
            obj = make(db, names, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def _converted(self, rows, connection):
        for row in map(list, rows):
            for position, (converters, expression) in self.converters:
                value = row[position]
                for convert in converters:
                    value = convert(value, expression, connection)
                row[position] = value
            yield row


def _adapt(connection, value):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return connection.ops.adapt_datefield_value(value)
    return value


# --- a list's page, compiled once per everything it depends on ----------------------------------

_PAGES = Kept(512)  # statements kept per process (a few KB each), the least recently used go


def models_of(key, build) -> list:
    """The model instances of `build()` (a sliced queryset, select_related allowed, no
    prefetch_related), its statement compiled once per process for `key`.

    `key` must hold everything the query depends on (for a permission-scoped list: the user,
    their roles and delegations today, their OPD, the SOP versions, the filters, the date and the
    page), so that a statement is never reused where another would be built. Building and
    compiling Tugas Saya's "may act on this step" query cost the ORM about 5,600 Python calls, the
    database a few milliseconds; a person reloading the page pays it once a day per page.
    """
    compiler, rows, reader = _kept_rows(key, build, _Reader)
    return reader.instances(rows) if rows else []


def _kept_rows(key, build, read=None):
    """(compiler, rows as fetched, `read(compiler, db)`) of `build()`'s statement, compiled once
    per process for `key` (the least recently used go)."""
    entry = _PAGES.get(key)
    if entry is None:
        queryset = build()
        if queryset._prefetch_related_lookups:
            raise ValueError("a kept statement reads no prefetch_related lookups")
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = "", ()
        reader = read(compiler, queryset.db) if read and sql else None
        if sql:
            sql, params = shared_plan(queryset.db, sql, params)
        entry = _PAGES.put(key, (queryset.db, compiler, sql, tuple(params), reader))
    db, compiler, sql, params, reader = entry
    if not sql:
        return compiler, [], reader
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        return compiler, cursor.fetchall(), reader


_PLACEHOLDER = re.compile(r"%%|%s")


def shared_plan(db, sql: str, params) -> tuple[str, list]:
    """On PostgreSQL, `sql` with its text and date values written in as literals, its numbers
    left as parameters: one statement, and one plan, for everyone whose list has the same shape.

    A list's texts and dates (role keys, statuses, today) decide how the database should read it:
    as parameters they left PostgreSQL planning the statement again on every request (a generic
    plan that knows no role read all open steps at 10,000 projects: 22 ms against 0.8). Its
    numbers say whose list it is (user, OPD, SOP version ids): they stay parameters, so that from
    its sixth use on a connection the statement runs on its cached plan, whoever asks
    (bench/pages_cpu.py: a third of Tugas Saya's database time was planning). psycopg quotes the
    literals; SQLite, which plans each statement anew anyway, is given the statement unchanged.
    """
    connection = connections[db]
    if connection.vendor != "postgresql":
        return sql, list(params)
    from psycopg.sql import Literal

    connection.ensure_connection()
    values, kept = iter(params), []

    def place(match):
        if match.group() == "%%":
            return "%%"
        value = next(values)
        if isinstance(value, (str, dt.date)) and not isinstance(value, bool):
            literal = Literal(value).as_bytes(connection.connection).decode()
            return literal.replace("%", "%%")
        kept.append(value)
        return "%s"

    return _PLACEHOLDER.sub(place, sql), kept


def _maker(model):
    """`model.from_db`, or the same instance made a quarter as dearly when nothing can tell.

    `Model.__init__` for a row sets each loaded field with setattr, sends pre_init/post_init and
    leaves deferred fields unset; a list page makes 100-150 instances. Where the model keeps
    Django's own __init__ and from_db, no signal has a receiver for it, and each loaded field's
    class attribute is one of Django's deferred-loading descriptors (whose __set__, for a
    foreign key, only forgets a cached object a new instance does not have), filling the
    instance's __dict__ gives the same object.
    """
    plain = (
        _plain_class(model)
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
    )
    if not plain:
        return model.from_db

    def make(db, names, values):
        obj = model.__new__(model)
        state = ModelState()
        state.adding, state.db = False, db
        obj.__dict__.update(zip(names, values, strict=True))
        obj._state = state
        return obj

    return make


@cache
def _plain_class(model) -> bool:
    return (
        model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__
        and all(
            type(inspect.getattr_static(model, field.attname, None)) in _PLAIN_DESCRIPTORS
            for field in model._meta.concrete_fields
        )
    )


_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


class _Populator:
    """Django's RelatedPopulator (one select_related model of a row) making its instances as
    `_maker` does."""

    def __init__(self, populator):
        self.take = populator.reorder_for_init or itemgetter(
            slice(populator.cols_start, populator.cols_end)
        )
        self.db, self.names, self.pk_idx = populator.db, populator.init_list, populator.pk_idx
        self.make = _maker(populator.model_cls)
        self.related = [_Populator(p) for p in populator.related_populators]
        self.local_setter, self.remote_setter = populator.local_setter, populator.remote_setter

    def populate(self, row, from_obj):
        data = self.take(row)
        obj = None
        if data[self.pk_idx] is not None:
            obj = self.make(self.db, self.names, data)
            for populator in self.related:
                populator.populate(row, obj)
        self.local_setter(from_obj, obj)
        if obj is not None:
            self.remote_setter(obj, from_obj)


def values_of(key, build) -> list[tuple]:
    """`models_of` for a `values_list` queryset: its rows as tuples (the database's converters
    applied), without building a model instance per row (half a list page's fetch)."""
    compiler, rows, _reader = _kept_rows(("values_of", key), build)  # never a models_of() entry
    if compiler.has_extra_select:  # columns the ordering needed, as execute_sql drops them
        rows = [row[: compiler.col_count] for row in rows]
    return list(compiler.results_iter([rows], tuple_expected=True)) if rows else []


def forget_pages() -> None:
    """Drop every compiled page statement (tests that change what a key cannot see)."""
    _PAGES.clear()
