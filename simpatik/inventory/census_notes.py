"""The Kasie's notes per application when verifying an OPD's census part (SOP Inventarisasi
Aplikasi: "accept / return with notes per application").

The notes are a step field (`validate: inventory.catatan_sensus`) holding JSON rows
[{"id": 12, "nama": "SIMPEG", "catatan": "URL belum diisi"}], one per application that has a
note, so they are stored with the step's run and its audit record like any other field, and the
API takes them as text. An application is named by its inventory id, or by its name while it is
new (the OPD's answer may be reordered on its next round). On the web the verification form
shows a note box beside each application of the answer being verified; the OPD's returned task
shows each note beside its application.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from simpatik.core.input_guard import loads_bounded
from simpatik.inventory.census import MAX_ID, MAX_ROWS, posted_count, table_refused

VALIDATOR = "inventory.catatan_sensus"
MAX_NOTE = 1000


def is_notes(item) -> bool:
    return getattr(item, "validate", None) == VALIDATOR or (
        isinstance(item, dict) and item.get("validate") == VALIDATOR
    )


def parse_notes(text) -> list[dict]:
    """The notes of a verification, cleaned (empty notes left out); ValueError when bad."""
    if text in (None, ""):
        return []
    try:
        rows = loads_bounded(text) if isinstance(text, str) else None
    except ValueError as exc:
        raise ValueError(_("catatan per aplikasi bukan daftar yang sah (format JSON)")) from exc
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        raise ValueError(
            _("catatan per aplikasi harus berupa daftar (paling banyak %(n)d)") % {"n": MAX_ROWS}
        )
    cleaned = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or set(row) - {"id", "nama", "catatan"}:
            raise ValueError(
                _("catatan baris %(n)d: harus berisi id, nama dan catatan") % {"n": number}
            )
        nama, catatan, ident = row.get("nama"), row.get("catatan"), row.get("id")
        if not isinstance(nama, str) or not nama.strip() or not isinstance(catatan, str):
            raise ValueError(
                _("catatan baris %(n)d: nama aplikasi dan catatan berupa teks") % {"n": number}
            )
        if "\x00" in nama + catatan or len(catatan) > MAX_NOTE:
            raise ValueError(
                _("catatan baris %(n)d: paling panjang %(max)d karakter")
                % {"n": number, "max": MAX_NOTE}
            )
        if ident is not None and (
            isinstance(ident, bool) or not isinstance(ident, int) or not 1 <= ident <= MAX_ID
        ):
            raise ValueError(_("catatan baris %(n)d: id aplikasi tidak sah") % {"n": number})
        if catatan.strip():
            note = {"nama": nama.strip(), "catatan": catatan.strip()}
            cleaned.append({"id": ident, **note} if ident is not None else note)
    return cleaned


def check_notes(value, project) -> None:
    """The validator of the notes field (`validate: inventory.catatan_sensus`)."""
    parse_notes(value)


def _notes_or_none(value) -> list[dict]:
    try:
        return parse_notes(value)
    except ValueError:
        return []


def note_for(row: dict, notes: list[dict]) -> str:
    """The note on an application row: by its inventory id, else by its name."""
    ident = str(row.get("id") or "")
    name = str(row.get("nama") or "").strip().casefold()
    for note in notes:
        if ident and str(note.get("id") or "") == ident:
            return note["catatan"]
    for note in notes:
        if not note.get("id") and name and note["nama"].casefold() == name:
            return note["catatan"]
    return ""


def notes_of(step, values) -> list[dict]:
    """The notes a completed verification run recorded (its returned task shows them)."""
    found = []
    for item in step.hasil:
        if item.kind == "field" and is_notes(item):
            found += _notes_or_none((values or {}).get(item.key))
    return found


# The verification form: a note box beside each application of the answer being verified.


def _posted(post, key) -> list[dict] | None:
    count = posted_count(post, key, MAX_ROWS) if f"{key}-baris" in post else None
    if count is None:
        return None
    return [
        {name: post.get(f"{key}-{index}-{name}", "") for name in ("id", "nama", "catatan")}
        for index in range(count)
    ]


def notes_json(post, key) -> str | None:
    """The JSON the note boxes stand for (empty notes left out); None when not sent."""
    if f"{key}-baris" not in post:
        return None
    rows = _posted(post, key)
    if rows is None:
        raise table_refused(key)
    notes = []
    for row in rows:
        if not str(row["catatan"]).strip():
            continue
        ident = str(row["id"]).strip()
        note = {"nama": row["nama"], "catatan": row["catatan"]}
        notes.append({"id": int(ident), **note} if ident.isdigit() and len(ident) < 19 else note)
    return json.dumps(notes, ensure_ascii=False)


def notes_table(key, answer_rows, shown, posted=None) -> dict | None:
    """A row per application of the answer being verified, with the note typed or stored;
    None when there is no answer to verify (the form then shows the plain field); no rows
    for an answer with no application (nothing to note, and no JSON to type)."""
    if answer_rows is None:
        return None
    typed = _posted(posted, key) if posted is not None else None
    stored = _notes_or_none(shown) if typed is None else []
    rows = []
    for index, row in enumerate(answer_rows):
        note = typed[index]["catatan"] if typed and index < len(typed) else note_for(row, stored)
        rows.append({"index": index, "id": row.get("id") or "", "nama": row["nama"], "note": note})
    return {"rows": rows, "count": len(rows)}
