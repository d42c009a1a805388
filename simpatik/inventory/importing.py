"""Importing an inventory spreadsheet: a preview of every row, then an all-or-nothing write.

A row is `new`, `update` (with its changes), `unchanged` or `error` (the column and why). A blank
cell leaves the field as it is, so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction

from simpatik.accounts.models import Opd
from simpatik.audit.services import record
from simpatik.core.errors import ValidationError
from simpatik.core.input_guard import is_number
from simpatik.inventory import services
from simpatik.inventory.fields import HEADER_LABELS
from simpatik.inventory.models import Application
from simpatik.inventory.spreadsheet import locate_columns, normalize_header, read_table

_CHOICES = {
    "jenis": Application.Jenis,
    "kategori": Application.Kategori,
    "pengembang": Application.Pengembang,
    "status": Application.Status,
    "platform": Application.Platform,
    "hosting": Application.Hosting,
}
_YES = {"ya", "y", "yes", "true", "1", "publik", "tampil"}
_NO = {"tidak", "t", "no", "false", "0", "internal", ""}
_LABEL = HEADER_LABELS


@dataclass
class Row:
    number: int  # the row number people see in the spreadsheet (1-based)
    status: str = "new"  # new, update, unchanged, error
    data: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    changes: dict = field(default_factory=dict)
    application: Application | None = None

    @property
    def nama(self) -> str:
        return str(self.data.get("nama", ""))


@dataclass
class Preview:
    sha256: str
    rows: list[Row]
    unknown_headers: list[str]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict:
        return {status: self.count(status) for status in ("new", "update", "unchanged", "error")}

    @property
    def has_errors(self) -> bool:
        return any(row.status == "error" for row in self.rows)


def _opd_lookup() -> dict[str, Opd]:
    found = {}
    for opd in Opd.objects.all():
        for key in (opd.kode, opd.nama, opd.singkatan):
            if key:
                found[normalize_header(key)] = opd
    return found


def _choice(kind, text: str) -> str:
    wanted = normalize_header(text)
    for value, label in kind.choices:
        if wanted in {normalize_header(value), normalize_header(label)}:
            return value
    raise ValueError(
        f"nilai '{text}' tidak dikenal (pilih: {', '.join(str(label) for _v, label in kind.choices)})"
    )


def _date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"tanggal '{text}' tidak dikenal (gunakan TTTT-BB-HH atau HH/BB/TTTT)")


def _clean(field_name: str, text: str, opds: dict):
    if field_name == "opd":
        opd = opds.get(normalize_header(text))
        if opd is None:
            raise ValueError(f"OPD '{text}' tidak dikenal")
        return opd
    if field_name in _CHOICES:
        return _choice(_CHOICES[field_name], text)
    if field_name in {"tahun_dibangun", "tahun_pengembangan"}:
        if not is_number(text) or not 1970 <= int(text) <= 2100:
            raise ValueError(f"tahun '{text}' tidak valid")
        return int(text)
    if field_name == "registrasi_ulang":
        return _date(text)
    if field_name == "pj_email":
        try:
            validate_email(text)
        except DjangoValidationError as exc:
            raise ValueError(f"email '{text}' tidak valid") from exc
        return text
    if field_name == "publik":
        lowered = text.strip().lower()
        if lowered in _YES:
            return True
        if lowered in _NO:
            return False
        raise ValueError(f"isi 'ya' atau 'tidak', bukan '{text}'")
    limit = Application._meta.get_field(field_name).max_length
    if limit and len(text) > limit:
        raise ValueError(f"terlalu panjang (paling banyak {limit} huruf)")
    return text


def plan(filename: str, content: bytes) -> Preview:
    rows = read_table(filename, content)
    header_index, columns, unknown = locate_columns(rows)
    opds = _opd_lookup()
    existing = {
        (app.opd_id, app.nama.lower()): app
        for app in Application.objects.active().select_related("opd")
    }
    seen: set[tuple] = set()
    planned: list[Row] = []
    for offset, cells in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in cells):
            continue  # blank rows between blocks are common in hand-kept sheets
        row = Row(number=offset)
        failed: set[str] = set()
        for index, field_name in columns.items():
            text = cells[index].strip() if index < len(cells) else ""
            if not text:
                continue
            try:
                row.data[field_name] = _clean(field_name, text, opds)
            except ValueError as exc:
                failed.add(field_name)
                row.errors.append((rows[header_index][index] or _LABEL[field_name], str(exc)))
        for required in ("nama", "opd"):
            if required not in row.data and required not in failed:
                row.errors.append((_LABEL[required], "wajib diisi"))
        if not row.errors:
            key = (row.data["opd"].pk, row.nama.lower())
            if key in seen:
                row.errors.append(
                    ("Nama Aplikasi", "aplikasi yang sama sudah ada di baris sebelumnya")
                )
            seen.add(key)
            row.application = existing.get(key)
        if row.errors:
            row.status = "error"
        elif row.application is not None:
            row.changes = {
                f: [getattr(row.application, f), v]
                for f, v in row.data.items()
                if f not in {"nama", "opd"} and getattr(row.application, f) != v
            }
            row.status = "update" if row.changes else "unchanged"
        planned.append(row)
    return Preview(hashlib.sha256(content).hexdigest(), planned, unknown)


def apply(
    preview: Preview, *, actor, valid_only: bool = False, via: str = "web", filename: str = ""
) -> dict:
    """Write the previewed rows in one transaction; with errors, only when valid_only is chosen."""
    if preview.has_errors and not valid_only:
        raise ValidationError(
            f"Ada {preview.count('error')} baris bermasalah: tidak ada yang diimpor. "
            "Perbaiki berkasnya atau pilih impor baris yang valid saja.",
            code="import_has_errors",
        )
    created = updated = 0
    with transaction.atomic():
        for row in preview.rows:
            if row.status == "new":
                services.register_application(actor=actor, data=row.data, via=via)
                created += 1
            elif row.status == "update":
                changes = {f: row.data[f] for f in row.changes}
                services.update_application(
                    row.application,
                    actor=actor,
                    changes=changes,
                    via=via,
                    reason=f"Impor {filename} baris {row.number}",
                )
                updated += 1
        summary = {
            "file": filename,
            "sha256": preview.sha256,
            "created": created,
            "updated": updated,
            "unchanged": preview.count("unchanged"),
            "skipped_errors": preview.count("error"),
        }
        record("inventory.import", actor=actor, via=via, data=summary)
    return summary
