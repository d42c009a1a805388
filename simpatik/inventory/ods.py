"""Reading the first sheet of an OpenDocument spreadsheet (.ods, LibreOffice's own format).

content.xml is streamed, never held whole: Calc writes the empty rest of a sheet as one row
"repeated 1,048,000 times" with a cell "repeated 1,024 times", so repetitions of empty cells
and rows are counted, not expanded, and only what lies before the last value is materialised.
A merged cell's value is copied into the cells it covers (Calc writes them as
covered-table-cell), as the .xlsx reader does, so a title or an OPD merged down several rows
reads the same on each. The archive itself has been checked (size, ratio, members, no DTD)
before this runs.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import ParseError, iterparse

from django.utils.translation import gettext as _

from simpatik.core.errors import ValidationError

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = f"{{{_TABLE}}}table"
ROW = f"{{{_TABLE}}}table-row"
CELL = f"{{{_TABLE}}}table-cell"
COVERED = f"{{{_TABLE}}}covered-table-cell"
ROWS_REPEATED = f"{{{_TABLE}}}number-rows-repeated"
COLUMNS_REPEATED = f"{{{_TABLE}}}number-columns-repeated"
ROWS_SPANNED = f"{{{_TABLE}}}number-rows-spanned"
COLUMNS_SPANNED = f"{{{_TABLE}}}number-columns-spanned"
VALUE_TYPE = f"{{{_OFFICE}}}value-type"
PARAGRAPH = f"{{{_TEXT}}}p"
SPACES = f"{{{_TEXT}}}s"
TAB = f"{{{_TEXT}}}tab"
LINE_BREAK = f"{{{_TEXT}}}line-break"
MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _count(value: str | None) -> int:
    """A repetition or span attribute; anything but a positive number counts as 1."""
    if value and value.isascii() and value.isdigit():
        return max(int(value), 1)
    return 1


def _text(element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == SPACES:
            parts.append(" " * min(_count(child.get(f"{{{_TEXT}}}c")), 1000))
        elif child.tag == TAB:
            parts.append("\t")
        elif child.tag == LINE_BREAK:
            parts.append("\n")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _value(cell) -> str:
    kind = cell.get(VALUE_TYPE)
    if kind in {"float", "percentage", "currency"}:
        raw = cell.get(f"{{{_OFFICE}}}value", "")
        try:
            number = float(raw)
        except ValueError:
            return raw.strip()
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else raw.strip()
    if kind == "date":
        return cell.get(f"{{{_OFFICE}}}date-value", "")[:10]
    if kind == "boolean":
        return cell.get(f"{{{_OFFICE}}}boolean-value", "")
    paragraphs = [_text(p) for p in cell if p.tag == PARAGRAPH]
    return "\n".join(paragraphs).strip()


class _Sheet:
    """Rows as they are read; `spans` holds, per column, the merged value still covering it."""

    def __init__(self, max_rows: int, max_columns: int):
        self.max_rows, self.max_columns = max_rows, max_columns
        self.rows: list[list[str]] = []
        self.blank = 0  # empty rows read but not yet materialised
        self.dropped = 0  # rows with values beyond max_rows
        self.spans: dict[int, tuple[int, str]] = {}  # column -> (last row covered, value)

    @property
    def position(self) -> int:
        return len(self.rows) + self.blank

    def cells(self, row) -> list[str]:
        here = self.position
        out: list[str] = []
        column = empty = 0
        for cell in row:
            if cell.tag not in (CELL, COVERED):
                continue
            repeat = _count(cell.get(COLUMNS_REPEATED))
            for offset in range(min(repeat, max(self.max_columns - column, 0))):
                value = self._cell_value(cell, here, column + offset)
                if value:
                    out.extend([""] * empty)
                    empty = 0
                    out.append(value)
                else:
                    empty += 1
            column += repeat
        return out

    def _cell_value(self, cell, row: int, column: int) -> str:
        if cell.tag == COVERED:
            last, value = self.spans.get(column, (-1, ""))
            return value if last >= row else ""
        value = _value(cell)
        rows, columns = _count(cell.get(ROWS_SPANNED)), _count(cell.get(COLUMNS_SPANNED))
        if value and (rows > 1 or columns > 1):
            for covered in range(column, min(column + columns, self.max_columns)):
                self.spans[covered] = (row + rows - 1, value)
        return value

    def add(self, cells: list[str], repeat: int) -> None:
        if not cells:
            self.blank += repeat
            return
        for _copy in range(repeat):
            if self.position >= self.max_rows:
                self.dropped += repeat - _copy
                return
            self.rows.extend([] for _blank in range(self.blank))
            self.blank = 0
            self.rows.append(list(cells))


def read_ods(content: bytes, *, max_rows: int, max_columns: int) -> tuple[list[list[str]], int]:
    """(rows of the first sheet as text, how many rows with values lay beyond max_rows)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open("content.xml") as xml:
            sheet = _Sheet(max_rows, max_columns)
            open_elements: list = []
            tables = rows_open = 0
            for event, element in iterparse(xml, events=("start", "end")):
                if event == "start":
                    open_elements.append(element)
                    tables += element.tag == TABLE
                    rows_open += element.tag == ROW
                    continue
                open_elements.pop()
                if element.tag == TABLE:
                    break  # only the first sheet is the inventory
                if element.tag == ROW:
                    rows_open -= 1
                    if tables == 1:
                        sheet.add(sheet.cells(element), _count(element.get(ROWS_REPEATED)))
                # What has been read is dropped at once, so memory stays flat however long the
                # sheet is; what is inside an open row is kept until the row ends.
                if open_elements and not rows_open:
                    open_elements[-1].remove(element)
    except (KeyError, ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ValidationError(
            _("Berkas .ods tidak dapat dibaca (rusak atau dilindungi kata sandi)."),
            code="file_unreadable",
        ) from exc
    return sheet.rows, sheet.dropped
