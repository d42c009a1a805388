"""Reading the regency's inventory spreadsheets (.xlsx, .csv) and writing exports.

Real sheets have a title above the table, merged group headers ("Penanggung Jawab" over Nama,
Jabatan, NIP), blank rows and headers written many ways. The header row is the row whose cells
match the most known headers; a merged group title above a column is tried as a prefix.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from simpatik.core.cells import neutralize_row, restore
from simpatik.core.errors import ValidationError
from simpatik.inventory.fields import COLUMNS, HEADER_VARIANTS

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


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """All rows of the first sheet as text, merged cells filled with their value."""
    name = (filename or "").lower()
    if name.endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        return _read_xlsx(content)
    if name.endswith(".csv") or name.endswith(".txt") or not name:
        return _read_csv(content)
    raise ValidationError("Jenis berkas tidak didukung: gunakan .xlsx atau .csv.", code="file_type")


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError("Berkas .xlsx tidak dapat dibaca.", code="file_unreadable") from exc
    sheet = book.worksheets[0]
    rows = [[restore(_cell(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = restore(_cell(sheet.cell(merged.min_row, merged.min_col).value))
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                rows[r - 1][c - 1] = value
    return rows


def _read_csv(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    return [[restore(cell.strip()) for cell in row] for row in reader]


def _match_row(row: list[str], above: list[str] | None) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, cell in enumerate(row):
        header = normalize_header(cell)
        group = normalize_header(above[index]) if above and index < len(above) else ""
        field = None
        if group and group != header:
            field = _VARIANTS.get(f"{group} {header}")
        field = field or _VARIANTS.get(header)
        if field and field not in found.values():
            found[index] = field
    return found


def locate_columns(rows: list[list[str]]) -> tuple[int, dict[int, str], list[str]]:
    """(header row index, {column index: field}, unknown header texts)."""
    best = (-1, {})
    for index, row in enumerate(rows[:20]):
        matched = _match_row(row, rows[index - 1] if index else None)
        if len(matched) > len(best[1]):
            best = (index, matched)
    header_index, columns = best
    if header_index < 0 or "nama" not in columns.values():
        raise ValidationError(
            'Baris judul kolom tidak ditemukan: berkas harus punya kolom "Nama Aplikasi".',
            code="no_header",
        )
    unknown = [cell for i, cell in enumerate(rows[header_index]) if cell and i not in columns]
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
