"""The census field as a table on the step page: one row of cells per application, so that OPD
staff never type JSON. The cells post as `<key>-<i>-<column>`; `rows_json` assembles them into
exactly the JSON the validator (`inventory.sensus_aplikasi`) checks, so services and the API are
unchanged, and `table` turns a stored or posted answer back into rows with each validator message
next to the cell it concerns."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from simpatik.core.input_guard import is_number, loads_bounded
from simpatik.inventory.census import (
    ROW_FIELDS,
    VALIDATOR,
    RowError,
    parse_rows,
    posted_count,
    row_errors,
    table_refused,
)
from simpatik.inventory.census_notes import is_notes, note_for, parse_notes
from simpatik.inventory.models import Application

SPARE_ROWS = 2  # empty rows offered below the list for applications not yet recorded
MAX_FORM_ROWS = 400  # a posted row count beyond this is not a form's


def is_census(item) -> bool:
    return getattr(item, "validate", None) == VALIDATOR or (
        isinstance(item, dict) and item.get("validate") == VALIDATOR
    )


def _cells(post, key, index) -> dict:
    return {name: post.get(f"{key}-{index}-{name}", "") for name in ("id", *ROW_FIELDS)}


def _blank(cells) -> bool:
    return not any(
        str(cells.get(name, "")).strip()
        for name in ("id", "nama", "singkatan", "versi", "deskripsi", "url")
    )


def posted_rows(post, key) -> list[dict] | None:
    """Each posted row's cells as typed (spare rows included); None when the table was not sent."""
    count = posted_count(post, key, MAX_FORM_ROWS) if f"{key}-baris" in post else None
    if count is None:
        return None
    return [_cells(post, key, index) for index in range(count)]


def _as_row(cells) -> dict:
    row = {name: cells[name] for name in ROW_FIELDS}
    text = str(cells.get("id", "")).strip()
    if text:
        row["id"] = int(text) if is_number(text) else text  # not "٢" (read as 2), nor 40 digits
    return row


def rows_json(post, key) -> str | None:
    """The JSON answer the posted cells stand for (blank rows left out); None when not sent."""
    if f"{key}-baris" not in post:
        return None
    cells = posted_rows(post, key)
    if cells is None:
        raise table_refused(key)
    return json.dumps([_as_row(c) for c in cells if not _blank(c)], ensure_ascii=False)


def _rows_of_value(value) -> list[dict] | None:
    try:
        rows = loads_bounded(value) if isinstance(value, str) and value.strip() else []
    except ValueError:
        return None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        return None
    default = {"status": Application.Status.AKTIF.value}  # what the status select shows
    return [
        {
            name: str(row[name]) if row.get(name) is not None else default.get(name, "")
            for name in ("id", *ROW_FIELDS)
        }
        for row in rows
    ]


def table(key, value, posted=None, notes=()) -> dict | None:
    """The rows the table shows (posted cells, else the stored JSON) with their messages, plus
    spare empty rows; None when the value is no list of rows (the form then shows plain text)."""
    rows = posted_rows(posted, key) if posted is not None else None
    if rows is None:
        rows = _rows_of_value(value)
        # A draft of more rows than the form can send back (kept through the API) is shown as
        # its text: as a table every send of it would be refused.
        if rows is None or len(rows) + SPARE_ROWS > MAX_FORM_ROWS:
            return None
    # Rows left blank are not kept: each failed send would otherwise add its spare rows again.
    rows = [cells for cells in rows if not _blank(cells)]
    answer = [_as_row(cells) for cells in rows]
    errors = {}
    try:
        parse_rows(json.dumps(answer, ensure_ascii=False))
    except RowError:  # every bad row at once, each message at its cell
        for exc in row_errors(answer):
            errors[(exc.row - 1, exc.field or "nama")] = str(exc)
    except ValueError:
        pass  # about the list as a whole: shown next to the field
    rows = rows + [dict.fromkeys(("id", *ROW_FIELDS), "") for _n in range(SPARE_ROWS)]
    return {
        "rows": [
            {
                "index": index,
                "cells": cells,
                "errors": {col: msg for (i, col), msg in errors.items() if i == index},
                "note": note_for(cells, list(notes)) if notes else "",
            }
            for index, cells in enumerate(rows)
        ],
        "count": len(rows),
        "statuses": Application.Status.choices,
        "status_values": Application.Status.values,
        "platforms": Application.Platform.choices,
        "platform_values": Application.Platform.values,
        "columns": {
            name: str(Application._meta.get_field(name).verbose_name) for name in ROW_FIELDS
        },
        "new_label": _("baru"),
    }


def readonly_rows(value) -> list[dict] | None:
    """A stored answer's rows to read (the Kasie's check): each with its labels; None when the
    value is no list of rows (the page then shows it as text)."""
    rows = _rows_of_value(value) if value else None
    if rows is None:
        return None
    statuses = dict(Application.Status.choices)
    platforms = dict(Application.Platform.choices)
    return [
        {
            **row,
            "status_label": statuses.get(row["status"], row["status"]),
            "platform_label": platforms.get(row["platform"], row["platform"]),
        }
        for row in rows
    ]


def add_rows(detail) -> None:
    """Give the step page's census requirements their rows to read (the web page only: the API
    keeps the value as the JSON text it takes)."""
    for req in (detail or {}).get("requirements", ()):
        if req.get("kind") == "field" and is_census(req):
            req["rows"] = readonly_rows(req.get("value"))
        elif req.get("kind") == "field" and is_notes(req) and req.get("value"):
            try:
                req["notes"] = parse_notes(req["value"])
            except ValueError:
                pass  # shown as the text it is
