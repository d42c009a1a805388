"""Long lists one page at a time, the same way on every page and in every API list.

Pages of 50 rows. The total is an exact COUNT over the list's own filtered query: every list is
scoped by an index (`visible_to` without DISTINCT, a recipient, a project), so the count reads an
index rather than sorting rows, and it answers "halaman N dari M" and the API's `count`.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, Value, Window
from django.db.models.expressions import RawSQL
from rest_framework.pagination import LimitOffsetPagination

from simpatik.core.precompiled import models_of, values_of

PER_PAGE = 50
API_MAX_LIMIT = 200


def paginate(request, rows, per_page: int = PER_PAGE, count: int | None = None):
    """The page named by `?page=` (the first for a missing or bad number, the last past the end).

    `count`: the total when the caller already has it (counted with other figures in one query).
    """
    paginator = Paginator(rows, per_page)
    if count is not None:
        paginator.count = count  # a cached property: the paginator then runs no COUNT of its own
    return paginator.get_page(request.GET.get("page"))


def _page_number(request) -> int | None:
    """`?page=` as a plain page number a database offset can hold (a missing one is 1); None for
    anything else, which goes `paginate`'s way (the first or the last page)."""
    number = request.GET.get("page") or "1"
    if number.isascii() and number.isdigit() and len(number) <= 6 and int(number) >= 1:
        return int(number)
    return None


def paginate_counted(
    request, rows, totals: dict, key, per_page: int = PER_PAGE, fields=None, make=None
):
    """`paginate` with figures over the whole filtered list (`totals`: name -> Count, ...),
    both statements compiled once per process and `key` (everything the list depends on;
    core.precompiled): the figures in one aggregate statement that reads only the list's
    conditions (an index-only scan where an index holds them, `totals_of`), and the page without
    them, which stops at its last row. A window on the page's rows would make the database read
    every matching row whole before the LIMIT: for a long list (a user with 618 open steps) two
    narrow queries cost half of one wide one. `rows` is a function that builds the queryset.

    `fields` and `make`: the page is read as `values_list(*fields)` (the joins those fields
    need, the page's alone) and each of its rows is `make(*values)`: no model instances for a
    list that prints a few columns.

    Returns (page, figures). A page past the end, or a `?page=` that is not a plain positive
    number, takes `paginate`'s way (the last or the first page), so the answer is the same.
    """
    figures = totals_of(key, rows, totals)
    total = figures[next(iter(totals))]
    listed = rows if make is None else lambda: rows().values_list(*fields)
    number = _page_number(request)
    if number is not None and (number == 1 or (number - 1) * per_page < total):
        start = (number - 1) * per_page
        read = models_of if make is None else values_of
        found = read((key, start, per_page), lambda: listed()[start : start + per_page])
        paginator = Paginator((), per_page)  # the count is known: its list is never read
        paginator.count = total
        page = Page(found, number, paginator)
    else:
        page = paginate(request, listed(), per_page, count=total)
    if make is not None:
        page.object_list = [make(*values) for values in page.object_list]
    return page, figures


def totals_of(key, rows, totals: dict) -> dict:
    """The aggregates `totals` (name -> Count, ...) of the queryset `rows()` builds, in one
    aggregate query of the list's own conditions (no display joins, no order), its statement
    compiled once per process for `key` (core.precompiled.values_of)."""
    found = values_of(
        (key, "totals", tuple(totals)),
        lambda: (
            rows()
            .order_by()
            .annotate(_all=Value(1, output_field=IntegerField()))
            .values("_all")  # a constant: no GROUP BY, one row even of an empty list
            .annotate(**totals)
            .values_list(*totals)
        ),
    )
    return dict(zip(totals, found[0], strict=True)) if found else dict.fromkeys(totals, 0)


def paginate_listed(request, rows, key, per_page: int = PER_PAGE, counted=None):
    """`paginate` over a `values_list` in one query whose statement is compiled once per process
    and `key` (core.precompiled.values_of), for long lists (every project): the total is the
    COUNT of the list's own conditions (without its joins for display or its order) as a scalar
    subquery, which the database evaluates once, where a window would make it read every row
    before the page's LIMIT. `rows` is a function that builds the queryset; `key` holds
    everything the query depends on (None: a query seldom asked twice, such as a text search,
    is built every time rather than push other pages' statements out of the process's cache).
    The page's rows are the values_list's tuples. A page past the end, or a `?page=` that is not
    a plain positive number, takes `paginate`'s way (its COUNT, then the last or first page), so
    the answer is the same. `counted`: a function that builds the list's conditions alone, for
    the COUNT (a join the page needs for display, such as the OPD's name, made PostgreSQL join
    every project to count them: 2.5 of the 3 ms at 10,000 projects).
    """
    number = _page_number(request)
    if number is not None:
        start = (number - 1) * per_page
        if key is not None:
            found = values_of(
                (key, start, per_page),
                lambda: _counted(rows(), counted)[start : start + per_page],
            )
        else:
            found = list(_counted(rows(), counted)[start : start + per_page])
        if found or number == 1:
            paginator = Paginator((), per_page)  # the count is known: its list is never read
            paginator.count = found[0][-1] if found else 0
            return Page([row[:-1] for row in found], number, paginator)
    page = paginate(request, rows(), per_page)
    page.object_list = list(page.object_list)
    return page


def _counted(rows, counted=None):
    try:
        listed = counted() if counted is not None else rows
        sql, params = listed.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # conditions nothing can meet: values_of() reads no rows
        return rows.none()
    return rows.annotate(listed_total=RawSQL(f"SELECT COUNT(*) FROM ({sql}) listed", params))


class Pagination(LimitOffsetPagination):
    """The API's lists: `{count, next, previous, results}`, 50 by default, never more than 200
    (a client asking `limit=100000` must not make one response of the whole table)."""

    default_limit = PER_PAGE
    max_limit = API_MAX_LIMIT


class CountedPagination(Pagination):
    """`Pagination` (the same `{count, next, previous, results}`) in one query: the total rides
    on the page's rows, so the list's conditions are built, compiled and sent once instead of
    twice (a COUNT, then the page).

    `count_with = "window"`: COUNT(*) OVER () on every row; for lists bounded by their
    conditions (a user's open tasks), since the window joins every matching row before the
    LIMIT. `"subquery"`: the COUNT of the list's own conditions (without its joins for display
    or its order) as a scalar subquery, which both databases evaluate once; for long lists
    (every project). A page past the end counts on its own.
    """

    count_with = "window"

    def paginate_queryset(self, queryset, request, view=None):
        if not hasattr(queryset, "query"):  # a list: nothing to save
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None
        self.offset = self.get_offset(request)
        if self.count_with == "window":
            total = Window(Count("pk"))
        else:
            sql, params = queryset.order_by().values("pk").query.sql_with_params()
            total = RawSQL(f"SELECT COUNT(*) FROM ({sql}) listed", params)
        rows = list(queryset.annotate(listed_total=total)[self.offset : self.offset + self.limit])
        if rows:
            self.count = rows[0].listed_total
        else:
            self.count = 0 if self.offset == 0 else self.get_count(queryset)
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        return rows

    def paginate_compiled(self, request, build, *, count, key):
        """`paginate_queryset` for a list whose statements are compiled once per process and
        `key` (core.precompiled.models_of; `key` holds everything the list depends on): the total
        from `count()`, the list's conditions alone, in a narrow query of its own, and the page
        from `build()` without a window, stopping at its last row (as `paginate_counted`)."""
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        self.count = totals_of(key, count, {"total": Count("pk")})["total"]
        if self.offset >= self.count:
            return []
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        start, end = self.offset, self.offset + self.limit
        return models_of((key, start, end), lambda: build()[start:end])


class SubqueryCountedPagination(CountedPagination):
    count_with = "subquery"


def paginated_response(view, request, rows, serialize):
    """For API views that build their rows by hand: the same shape as the generic lists.

    `rows` is a queryset (or list); only the page's rows reach `serialize`.
    """
    paginator = Pagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response([serialize(row) for row in page])
