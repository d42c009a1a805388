"""Reading the regency's inventory spreadsheets (.xlsx, .ods, .csv) and writing exports.

Real sheets have a title above the table, merged group headers ("Penanggung Jawab" over Nama,
Jabatan, NIP), a "No." column, blank rows and headers written many ways. The header row is the
row whose cells match the most known headers; a merged group title above a column is tried as a
prefix. An uploaded .xlsx or .ods is a zip and is hostile until checked: its size once inflated,
its ratio and its members are capped (simpatik.core.archives), and an XML member that declares a
DTD is refused before any XML parser sees it (no entity expansion, no external entities).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from simpatik.core import archives
from simpatik.core.cells import neutralize_row, restore
from simpatik.core.errors import ValidationError
from simpatik.inventory.fields import COLUMNS, HEADER_VARIANTS, IGNORED_HEADERS
from simpatik.inventory.ods import MIMETYPE, read_ods

# An inventory is hundreds of rows; these bounds keep a hostile or broken file from costing more.
MAX_ROWS = 5000
MAX_COLUMNS = 100
_MAX_INFLATED = 64 * 1024 * 1024
_MAX_MEMBERS = 2000
_PROLOG_CAP = 64 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls

_VARIANTS = {}
for _field, _names in HEADER_VARIANTS.items():
    for _name in _names:
        _VARIANTS[_name] = _field
for _sub, _field in [
    ("nama", "pj_nama"),
    ("jabatan", "pj_jabatan"),
    ("nip", "pj_nip"),
    ("telepon", "pj_telepon"),
    ("no hp", "pj_telepon"),
    ("email", "pj_email"),
]:
    _VARIANTS[f"penanggung jawab {_sub}"] = _field
    _VARIANTS[f"pj {_sub}"] = _field
for _field in COLUMNS:
    _VARIANTS.setdefault(_field.replace("_", " "), _field)


def normalize_header(text) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).split())


@dataclass
class Table:
    """The first sheet as text, and what the reader had to leave out."""

    rows: list[list[str]]
    kind: str  # csv, xlsx, ods
    notes: list[str] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def kind_of(filename: str, content: bytes) -> str:
    """csv, xlsx or ods, from the content (a zip's members), else from the name."""
    name = (filename or "").lower()
    if content[:4] == b"PK\x03\x04":
        return _zip_kind(content)
    if content[:8] == _OLE or name.endswith(".xls"):
        raise ValidationError(
            _("Berkas .xls (Excel lama) tidak didukung: simpan sebagai .xlsx, .ods atau .csv."),
            code="file_type",
        )
    if name.endswith((".xlsx", ".ods")):
        raise ValidationError(
            _("Berkas %(name)s rusak atau bukan spreadsheet.") % {"name": filename[-100:]},
            code="file_unreadable",
        )
    if not name or name.endswith((".csv", ".txt")):
        return "csv"
    raise ValidationError(
        _("Jenis berkas tidak didukung: gunakan .xlsx, .ods atau .csv."), code="file_type"
    )


def _zip_kind(content: bytes) -> str:
    limits = archives.Limits.from_settings()
    limits = archives.Limits(
        inflated=min(limits.inflated, _MAX_INFLATED),
        ratio=limits.ratio,
        members=min(limits.members, _MAX_MEMBERS),
    )
    archives.check_zip(io.BytesIO(content), content, limits)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                _refuse_dtd(archive, info)
        mimetype = None
        if "mimetype" in names:
            mimetype = archives.read_member(archive, archive.getinfo("mimetype"), 200)
        if mimetype is not None and mimetype.strip() == MIMETYPE and "content.xml" in names:
            return "ods"
        if "xl/workbook.xml" in names:
            return "xlsx"
    raise ValidationError(_("Berkas zip ini bukan spreadsheet .xlsx atau .ods."), code="file_type")


def _refuse_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Office files never declare a DTD; one that does is built to make a parser expand entities."""
    with archive.open(info) as member:
        head = member.read(_PROLOG_CAP)
    root = re.search(rb"<[A-Za-z_]", head)
    prolog = head[: root.start()] if root else head
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog or (root is None and head.strip()):
        raise ValidationError(
            _("Berkas spreadsheet memuat deklarasi XML yang tidak diizinkan (DTD)."),
            code="file_unsafe",
        )


def read_table(filename: str, content: bytes) -> Table:
    """All rows of the first sheet as text, merged cells filled with their value."""
    kind = kind_of(filename, content)
    if kind == "xlsx":
        return _read_xlsx(content)
    if kind == "ods":
        rows, dropped = read_ods(content, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
        rows = [[restore(cell) for cell in row] for row in rows]
        return Table(rows, "ods", _dropped_note(dropped))
    return _read_csv(content)


def _dropped_note(dropped: int) -> list[str]:
    if not dropped:
        return []
    return [
        _("%(n)d baris berisi setelah baris %(max)d tidak dibaca: bagi berkasnya menjadi beberapa.")
        % {"n": dropped, "max": MAX_ROWS}
    ]


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), data_only=True)
        sheet = book.worksheets[0]
        # Bounded on purpose: openpyxl makes a cell for every position it is asked about, and one
        # formatted cell at XFD1048576 would otherwise mean seventeen billion of them.
        height, width = min(sheet.max_row, MAX_ROWS), min(sheet.max_column, MAX_COLUMNS)
        rows = [
            [restore(_cell(v)) for v in row]
            for row in sheet.iter_rows(max_row=height, max_col=width, values_only=True)
        ]
        merges = list(sheet.merged_cells.ranges)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(
            _("Berkas .xlsx tidak dapat dibaca."), code="file_unreadable"
        ) from exc
    for merged in merges:
        if merged.min_row > height or merged.min_col > width:
            continue
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, min(merged.max_row, height) + 1):
            for c in range(merged.min_col, min(merged.max_col, width) + 1):
                rows[r - 1][c - 1] = value
    notes = []
    if sheet.max_row > MAX_ROWS:
        notes.append(
            _("Lembar ini lebih panjang dari %(max)d baris: baris setelahnya tidak dibaca.")
            % {"max": MAX_ROWS}
        )
    return Table(rows, "xlsx", notes)


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")  # every byte is a character: never fails


def _delimiter(text: str) -> str:
    """Comma, semicolon (Excel in Indonesian) or tab: the one that splits most lines alike."""
    sample = "\n".join(text.splitlines()[:50])
    best, chosen = (0, 0), ","
    for candidate in (",", ";", "\t"):
        widths = [
            len(r) for r in csv.reader(io.StringIO(sample), delimiter=candidate) if len(r) > 1
        ]
        if widths:
            width, lines = Counter(widths).most_common(1)[0]
            if (lines, width) > best:
                best, chosen = (lines, width), candidate
    return chosen


def _read_csv(content: bytes) -> Table:
    text = _decode(content).replace("\x00", "")
    rows, dropped = [], 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)):
            if len(rows) >= MAX_ROWS:
                dropped += any(cell.strip() for cell in row)
                continue
            rows.append([restore(cell.strip()) for cell in row[:MAX_COLUMNS]])
    except csv.Error as exc:
        raise ValidationError(
            _("Berkas CSV tidak dapat dibaca: %(error)s") % {"error": exc}, code="file_unreadable"
        ) from exc
    return Table(rows, "csv", _dropped_note(dropped))


def _match_row(row: list[str], above: list[str] | None, extra: dict) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, cell in enumerate(row):
        header = normalize_header(cell)
        group = normalize_header(above[index]) if above and index < len(above) else ""
        field_name = extra.get(header)
        if field_name is None and group and group != header:
            field_name = _VARIANTS.get(f"{group} {header}")
        field_name = field_name or _VARIANTS.get(header)
        if field_name and field_name not in found.values():
            found[index] = field_name
    return found


def header_label(rows: list[list[str]], header_index: int, index: int) -> str:
    """A column's header as people see it, with its merged group title when it has one."""
    header = rows[header_index][index] if index < len(rows[header_index]) else ""
    above = rows[header_index - 1] if header_index else []
    group = above[index] if index < len(above) else ""
    if (
        group
        and normalize_header(group) != normalize_header(header)
        and _VARIANTS.get(f"{normalize_header(group)} {normalize_header(header)}")
    ):
        return f"{group} {header}"
    return header


def locate_columns(
    rows: list[list[str]], extra: dict[str, str] | None = None
) -> tuple[int, dict[int, str], list[str]]:
    """(header row index, {column index: field}, unknown header texts).

    `extra` maps more header texts (normalized) to fields: the names a person gave with --map.
    """
    extra = extra or {}
    best = (-1, {})
    for index, row in enumerate(rows[:20]):
        matched = _match_row(row, rows[index - 1] if index else None, extra)
        if len(matched) > len(best[1]):
            best = (index, matched)
    header_index, columns = best
    if header_index < 0:
        raise ValidationError(
            _('Baris judul kolom tidak ditemukan: berkas harus punya kolom "Nama Aplikasi".'),
            code="no_header",
        )
    unknown = [
        cell
        for i, cell in enumerate(rows[header_index])
        if cell and i not in columns and normalize_header(cell) not in IGNORED_HEADERS
    ]
    return header_index, columns, unknown


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(neutralize_row(headers))
    writer.writerows(neutralize_row(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(headers: list[str], rows: list[list], title: str = "Inventaris") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(neutralize_row(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(neutralize_row(row))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
