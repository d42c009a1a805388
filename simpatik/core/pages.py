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


def paginate_counted(
    request, rows, totals: dict, per_page: int = PER_PAGE, key=None, apart: bool = False
):
    """`paginate` with the totals read in the page's own query: each aggregate of `totals`
    (name -> Count, ...) over the whole filtered list rides on every row as a window, so the
    page and its figures take one query and one compiled statement instead of two.

    Returns (page, figures). A page past the end, or a `?page=` that is not a plain positive
    number, takes `paginate`'s way (its COUNT, then the last or first page) so the answer is the
    same as `paginate`'s.

    `rows` may be a function that builds the queryset; with `key` (everything the query and
    `totals` depend on) the page's statement is compiled once per process and key
    (core.precompiled.models_of) and the queryset is built only when it is not.

    `apart` (with `key`): the totals in a query of their own that reads only the list's
    conditions (the primary key and the filtered columns: an index-only scan where an index
    holds them), and the page without them, which stops at its last row. A window on the page's
    rows makes the database read every matching row whole before the LIMIT: for a long list
    (a user with 618 open steps) two narrow queries cost half of one wide one.
    """
    number = request.GET.get("page") or "1"
    # A plain page number a database offset can hold; anything else goes `paginate`'s way.
    if number.isascii() and number.isdigit() and len(number) <= 6 and int(number) >= 1:
        start = (int(number) - 1) * per_page
        windows = {f"window_{name}": Window(expr) for name, expr in totals.items()}
        if key is not None and apart:
            return _counted_apart(request, rows, totals, per_page, key, start, number)
        if key is not None:
            found = models_of(
                (key, start, per_page),
                lambda: _built(rows).annotate(**windows)[start : start + per_page],
            )
        else:
            found = list(_built(rows).annotate(**windows)[start : start + per_page])
        if found or number == "1":
            figures = {name: getattr(found[0], f"window_{name}") if found else 0 for name in totals}
            # The count is known: the paginator never reads its list (not built when cached).
            paginator = Paginator(() if callable(rows) else rows, per_page)
            paginator.count = figures[next(iter(totals))]
            return Page(found, int(number), paginator), figures
    rows = _built(rows)
    figures = rows.aggregate(**totals)
    return paginate(request, rows, per_page, count=figures[next(iter(totals))]), figures


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


def _counted_apart(request, rows, totals, per_page, key, start, number):
    figures = totals_of(key, lambda: _built(rows), totals)
    total = figures[next(iter(totals))]
    if start < total or number == "1":
        found = models_of((key, start, per_page), lambda: _built(rows)[start : start + per_page])
        paginator = Paginator((), per_page)
        paginator.count = total
        return Page(found, int(number), paginator), figures
    paginator = Paginator(_built(rows), per_page)
    paginator.count = total
    return paginator.get_page(request.GET.get("page")), figures


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
    number = request.GET.get("page") or "1"
    if number.isascii() and number.isdigit() and len(number) <= 6 and int(number) >= 1:
        start = (int(number) - 1) * per_page
        if key is not None:
            found = values_of(
                (key, start, per_page),
                lambda: _counted(rows(), counted)[start : start + per_page],
            )
        else:
            found = list(_counted(rows(), counted)[start : start + per_page])
        if found or number == "1":
            paginator = Paginator((), per_page)  # the count is known: its list is never read
            paginator.count = found[0][-1] if found else 0
            return Page([row[:-1] for row in found], int(number), paginator)
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


def _built(rows):
    return rows() if callable(rows) else rows


class Pagination(LimitOffsetPagination):
    """The API's lists: `{count, next, previous, results}`, 50 by default, never more than 200
    (a client asking `limit=100000` must not make one response of the whole table)."""

    default_limit = PER_PAGE
    max_limit = API_MAX_LIMIT


class CountedPagination(Pagination):
    """`Pagination` (the same `{count, next, previous, results}`) in one query: the total rides
    on the page's rows, so the list's conditions are built, compiled and sent once instead of
    twice (a COUNT, then the page).

    `count_with = "window"`: COUNT(*) OVER () on every row, as `paginate_counted` does for Tugas
    Saya; for lists bounded by their conditions (a user's open tasks), since the window joins
    every matching row before the LIMIT. `"subquery"`: the COUNT of the list's own conditions
    (without its joins for display or its order) as a scalar subquery, which both databases
    evaluate once; for long lists (every project). A page past the end counts on its own.
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
        from `build()` without a window, stopping at its last row (see paginate_counted's
        `apart`)."""
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
