"""Importing an inventory spreadsheet: a preview of every row, then an all-or-nothing write.

The preview says which column went where (by a header synonym or a person's choice), which OPD
each way of writing an OPD was matched to and how sure the match is, and the class of each
developer text. A person corrects any of these (`Choices`) and sees the preview again; nothing is
written until they confirm. A row is `new`, `update` (with its changes), `unchanged` or `error`
(the column and why). A blank cell leaves the field as it is, so importing the same file twice
changes nothing the second time: OPDs made and aliases learnt by the first import are found by
name the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import require
from simpatik.audit.services import record
from simpatik.core.errors import ValidationError
from simpatik.core.input_guard import is_number
from simpatik.inventory import services
from simpatik.inventory.fields import CHOICE_SYNONYMS, COLUMNS, HEADER_LABELS, IGNORED_HEADERS
from simpatik.inventory.matching import (
    DeveloperClassifier,
    DeveloperSource,
    OpdMatch,
    OpdMatcher,
    norm,
)
from simpatik.inventory.models import Application
from simpatik.inventory.spreadsheet import (
    header_label,
    locate_columns,
    normalize_header,
    read_table,
)

_CHOICES = {
    "jenis": Application.Jenis,
    "kategori": Application.Kategori,
    "status": Application.Status,
    "platform": Application.Platform,
    "hosting": Application.Hosting,
    "lisensi": Application.Lisensi,
}
_YES = {"ya", "y", "yes", "true", "1", "publik", "tampil"}
_NO = {"tidak", "t", "no", "false", "0", "internal", ""}
_LABEL = HEADER_LABELS
STATUSES = ("new", "update", "unchanged", "error")


def field_label(name: str) -> str:
    label = str(Application._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


@dataclass
class Choices:
    """A person's corrections to a preview; empty means "as SIMPATIK recognised it"."""

    # column index (from the web form) or header text/letter (from --map) -> field, "" to ignore
    columns: dict = field(default_factory=dict)
    opds: dict[str, str] = field(default_factory=dict)  # OPD text key -> OPD id, "baru" or ""
    developers: dict[str, str] = field(default_factory=dict)  # developer text key -> class
    create_opds: bool = False  # every OPD not recognised becomes a new OPD (--create-opd)

    def as_dict(self) -> dict:
        return {
            "columns": {str(k): v for k, v in self.columns.items()},
            "opds": dict(self.opds),
            "developers": dict(self.developers),
            "create_opds": self.create_opds,
        }

    @classmethod
    def from_dict(cls, data: dict, *, indexed: bool = True) -> Choices:
        columns = {}
        for key, value in (data.get("columns") or {}).items():
            columns[int(key) if indexed and str(key).isdigit() else key] = str(value)
        return cls(
            columns=columns,
            opds={str(k): str(v) for k, v in (data.get("opds") or {}).items()},
            developers={str(k): str(v) for k, v in (data.get("developers") or {}).items()},
            create_opds=bool(data.get("create_opds")),
        )


@dataclass
class Column:
    """A column of the file and the field it is read into ("" when it is not read)."""

    index: int
    header: str
    target: str = ""  # the field
    source: str = ""  # sinonim, pilihan, nomor, tidak dikenal, diabaikan
    samples: list[str] = field(default_factory=list)

    @property
    def letter(self) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.index + 1)

    @property
    def field_label(self) -> str:
        return field_label(self.target) if self.target else ""

    @property
    def source_label(self) -> str:
        return {
            "sinonim": _("dikenali dari judulnya"),
            "pilihan": _("pilihan Anda"),
            "nomor": _("nomor urut, diabaikan"),
            "diabaikan": _("diabaikan atas pilihan Anda"),
        }.get(self.source, _("tidak dikenal, diabaikan"))


@dataclass
class Row:
    number: int  # the row number people see in the spreadsheet (1-based)
    status: str = "new"  # new, update, unchanged, error
    data: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    changes: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    application: Application | None = None
    opd_key: str = ""

    @property
    def nama(self) -> str:
        return str(self.data.get("nama", ""))


@dataclass
class NewOpd:
    """An OPD the import will make when confirmed."""

    nama: str

    @property
    def pk(self):
        return None

    def __str__(self):
        return self.nama


@dataclass
class Preview:
    sha256: str
    rows: list[Row]
    columns: list[Column] = field(default_factory=list)
    opds: list[OpdMatch] = field(default_factory=list)
    developers: list[DeveloperSource] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kind: str = ""

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict:
        return {status: self.count(status) for status in STATUSES}

    @property
    def has_errors(self) -> bool:
        return any(row.status == "error" for row in self.rows)

    @property
    def unknown_headers(self) -> list[str]:
        return [c.header for c in self.columns if c.source == "tidak dikenal"]

    @property
    def new_opds(self) -> list[OpdMatch]:
        return [match for match in self.opds if match.create]

    @property
    def open_questions(self) -> int:
        """OPD and developer texts still waiting for a person's answer."""
        return sum(1 for m in self.opds if m.opd is None and not m.create) + sum(
            1 for d in self.developers if not d.klass
        )


def _choice(name: str, text: str) -> str:
    kind = _CHOICES[name]
    wanted = normalize_header(text)
    for value, label in kind.choices:
        if wanted in {normalize_header(value), normalize_header(label)}:
            return value
    for value, words in CHOICE_SYNONYMS.get(name, {}).items():
        if wanted in words:
            return value
    raise ValueError(
        _("nilai '%(text)s' tidak dikenal (pilih: %(choices)s)")
        % {"text": text, "choices": ", ".join(str(label) for _v, label in kind.choices)}
    )


def _date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(
        _("tanggal '%(text)s' tidak dikenal (gunakan TTTT-BB-HH atau HH/BB/TTTT)") % {"text": text}
    )


def _text_field(field_name: str, text: str) -> str:
    limit = Application._meta.get_field(field_name).max_length
    if limit and len(text) > limit:
        raise ValueError(_("terlalu panjang (paling banyak %(n)d huruf)") % {"n": limit})
    return text


def _clean(field_name: str, text: str):
    if field_name in _CHOICES:
        return _choice(field_name, text)
    if field_name in {"tahun_dibangun", "tahun_pengembangan"}:
        if not is_number(text) or not 1970 <= int(text) <= 2100:
            raise ValueError(_("tahun '%(text)s' tidak valid") % {"text": text})
        return int(text)
    if field_name == "registrasi_ulang":
        return _date(text)
    if field_name == "pj_email":
        try:
            validate_email(text)
        except DjangoValidationError as exc:
            raise ValueError(_("email '%(text)s' tidak valid") % {"text": text}) from exc
        return text
    if field_name == "publik":
        lowered = text.strip().lower()
        if lowered in _YES:
            return True
        if lowered in _NO:
            return False
        raise ValueError(_("isi 'ya' atau 'tidak', bukan '%(text)s'") % {"text": text})
    return _text_field(field_name, text)


def _mapping_error(message: str) -> ValidationError:
    return ValidationError(message, code="mapping_invalid")


def _column_index(key, header: list[str], labels: list[str]) -> int:
    """A column named by its index, its header text, its letter (C) or its number (3)."""
    if isinstance(key, int):
        if 0 <= key < len(header):
            return key
        raise _mapping_error(_("Kolom ke-%(n)d tidak ada di berkas.") % {"n": key + 1})
    wanted = normalize_header(key)
    found = [
        i
        for i in range(len(header))
        if wanted and wanted in {normalize_header(header[i]), normalize_header(labels[i])}
    ]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise _mapping_error(
            _("Ada lebih dari satu kolom '%(name)s': sebut dengan hurufnya (mis. C=opd).")
            % {"name": key}
        )
    if re.fullmatch(r"[A-Za-z]{1,2}", key.strip()):
        from openpyxl.utils import column_index_from_string

        index = column_index_from_string(key.strip().upper()) - 1
    elif key.strip().isdigit():
        index = int(key.strip()) - 1
    else:
        raise _mapping_error(
            _("Kolom '%(name)s' tidak ada di baris judul (ada: %(headers)s).")
            % {"name": key, "headers": ", ".join(h for h in labels if h)}
        )
    return _column_index(index, header, labels)


def _columns(rows, header_index, auto, choices: Choices) -> list[Column]:
    header = rows[header_index]
    labels = [header_label(rows, header_index, i) for i in range(len(header))]
    mapping = dict(auto)
    source = dict.fromkeys(auto, "sinonim")
    chosen: dict[str, int] = {}
    for key, wanted in choices.columns.items():
        index = _column_index(key, header, labels)
        if wanted and wanted not in COLUMNS:
            raise _mapping_error(
                _("Kolom tujuan '%(field)s' tidak dikenal (pilih: %(fields)s).")
                % {"field": wanted, "fields": ", ".join(COLUMNS)}
            )
        if wanted and wanted in chosen and chosen[wanted] != index:
            raise _mapping_error(
                _("%(field)s dipilih untuk dua kolom: %(a)s dan %(b)s.")
                % {
                    "field": field_label(wanted),
                    "a": labels[chosen[wanted]] or chosen[wanted] + 1,
                    "b": labels[index] or index + 1,
                }
            )
        if wanted:
            chosen[wanted] = index
            # A person's choice beats a header recognised by synonym for the same field.
            for other, name in list(mapping.items()):
                if name == wanted and other != index:
                    del mapping[other]
                    source[other] = "diabaikan"
            mapping[index], source[index] = wanted, "pilihan"
        elif index in mapping:
            del mapping[index]
            source[index] = "diabaikan"
    columns = []
    for index, label in enumerate(labels):
        if not label and index not in mapping:
            continue
        how = source.get(index)
        if how is None:
            how = "nomor" if normalize_header(label) in IGNORED_HEADERS else "tidak dikenal"
        samples = []
        for row in rows[header_index + 1 :]:
            if index < len(row) and row[index].strip() and len(samples) < 3:
                samples.append(row[index].strip()[:60])
        columns.append(Column(index, label, mapping.get(index, ""), how, samples))
    return columns


def plan(filename: str, content: bytes, choices: Choices | None = None) -> Preview:
    choices = choices or Choices()
    table = read_table(filename, content)
    rows = table.rows
    extra = {normalize_header(k): v for k, v in choices.columns.items() if isinstance(k, str) and v}
    header_index, auto, _unknown = locate_columns(rows, extra)
    columns = _columns(rows, header_index, auto, choices)
    mapping = {c.index: c.target for c in columns if c.target}
    if "nama" not in mapping.values():
        raise ValidationError(
            _('Kolom "Nama Aplikasi" tidak ditemukan: pilih kolom yang berisi nama aplikasi.'),
            code="no_header",
        )
    labels = {c.index: c.header or _LABEL[c.target] for c in columns}
    data_rows = [
        (number, cells)
        for number, cells in enumerate(rows[header_index + 1 :], start=header_index + 2)
        if any(cell.strip() for cell in cells)  # blank rows between blocks are common
    ]

    def cell(cells, index):
        return cells[index].strip() if index < len(cells) else ""

    opd_matcher = OpdMatcher()
    classifier = DeveloperClassifier(opd_matcher)
    opds: dict[str, OpdMatch] = {}
    developers: dict[str, DeveloperSource] = {}
    for _number, cells in data_rows:
        for index, name in mapping.items():
            text = cell(cells, index)
            key = normalize_header(text)
            if not key:
                continue
            if name == "opd" and key not in opds:
                opds[key] = opd_matcher.match(text)
            elif name == "pengembang" and key not in developers:
                developers[key] = classifier.classify(text)
    for key, match in opds.items():
        if key in choices.opds:
            try:
                opd_matcher.by_choice(match, choices.opds[key])
            except ValueError as exc:
                raise _mapping_error(
                    _("OPD pilihan untuk '%(text)s' tidak ditemukan.") % {"text": match.text}
                ) from exc
        elif choices.create_opds and match.opd is None:
            match.method = "baru"
    for key, source in developers.items():
        if key in choices.developers:
            wanted = choices.developers[key]
            if wanted and wanted not in Application.Pengembang.values:
                raise _mapping_error(
                    _("Kelas pengembang '%(value)s' tidak dikenal.") % {"value": wanted}
                )
            if wanted != source.klass:
                source.klass, source.reason, source.chosen = wanted, _("pilihan Anda"), True
    named: dict[str, str] = {}
    for match in opds.values():
        if match.create:
            match.new_name = named.setdefault(norm(match.text) or match.key, match.text)

    existing = {
        (app.opd_id, app.nama.lower()): app
        for app in Application.objects.active().select_related("opd")
    }
    seen: set[tuple] = set()
    planned: list[Row] = []
    for number, cells in data_rows:
        row = Row(number=number)
        failed: set[str] = set()
        developer_name = ""
        for index, name in mapping.items():
            text = cell(cells, index)
            if not text:
                continue
            try:
                if name == "opd":
                    match = opds[normalize_header(text)]
                    match.rows.append(number)
                    row.opd_key = match.key
                    row.data["opd"] = _opd_value(match)
                elif name == "pengembang":
                    source = developers[normalize_header(text)]
                    source.rows.append(number)
                    if not source.klass:
                        raise ValueError(
                            _("sumber pengembang '%(text)s' belum diketahui: pilih kelasnya")
                            % {"text": text}
                        )
                    row.data["pengembang"] = source.klass
                    if not source.class_only:
                        developer_name = _text_field("pengembang_nama", text)
                else:
                    row.data[name] = _clean(name, text)
            except ValueError as exc:
                failed.add(name)
                row.errors.append((labels[index], str(exc)))
        if developer_name and "pengembang_nama" not in row.data:
            row.data["pengembang_nama"] = developer_name
        for required in ("nama", "opd"):
            if required not in row.data and required not in failed:
                row.errors.append((_LABEL[required], _("wajib diisi")))
        if not row.errors:
            opd = row.data["opd"]
            key = (opd.pk or f"baru:{normalize_header(opd)}", row.nama.lower())
            if key in seen:
                row.errors.append(
                    (_LABEL["nama"], _("aplikasi yang sama sudah ada di baris sebelumnya"))
                )
            seen.add(key)
            row.application = existing.get(key)
            if isinstance(opd, NewOpd):
                row.notes.append(_("OPD baru, dibuat saat disimpan: %(opd)s") % {"opd": opd})
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
    return Preview(
        hashlib.sha256(content).hexdigest(),
        planned,
        columns=columns,
        opds=list(opds.values()),
        developers=list(developers.values()),
        notes=table.notes,
        kind=table.kind,
    )


def _opd_value(match: OpdMatch):
    if match.opd is not None:
        return match.opd
    if match.create:
        if len(match.text) > 200:
            raise ValueError(_("nama OPD baru terlalu panjang (paling banyak 200 huruf)"))
        return NewOpd(match.new_name)
    hint = ", ".join(f"{opd} ({score})" for opd, score in match.suggestions)
    if hint:
        return _raise(
            _("OPD '%(text)s' belum dikenal (mirip: %(hint)s): pilih OPD-nya atau jadikan OPD baru")
            % {"text": match.text, "hint": hint}
        )
    return _raise(
        _("OPD '%(text)s' belum dikenal: pilih OPD-nya atau jadikan OPD baru")
        % {"text": match.text}
    )


def _raise(message: str):
    raise ValueError(message)


def apply(
    preview: Preview, *, actor, valid_only: bool = False, via: str = "web", filename: str = ""
) -> dict:
    """Write the previewed rows in one transaction; with errors, only when valid_only is chosen.

    OPDs the preview proposed are made, and OPD names matched by acronym, similarity or a
    person's choice are kept as aliases, only for rows that are written or found unchanged.
    """
    require(actor, "kelola_inventaris", message=_("Anda tidak berwenang mengubah inventaris."))
    if preview.has_errors and not valid_only:
        raise ValidationError(
            _(
                "Ada %(n)d baris bermasalah: tidak ada yang diimpor. "
                "Perbaiki berkasnya atau pilih impor baris yang valid saja."
            )
            % {"n": preview.count("error")},
            code="import_has_errors",
        )
    kept = [row for row in preview.rows if row.status != "error"]
    used = Counter(row.opd_key for row in kept)
    created = updated = 0
    with transaction.atomic():
        made, learnt = {}, []
        for match in preview.opds:
            if match.create and used[match.key]:
                if match.new_name not in made:
                    made[match.new_name] = services.create_opd(
                        actor=actor, nama=match.new_name, via=via
                    )
                opd = made[match.new_name]
                if normalize_header(match.text) != normalize_header(opd.nama):
                    services.learn_opd_alias(actor=actor, opd=opd, text=match.text, via=via)
                    learnt.append(f"{match.text} → {opd}")
            elif match.learnt and used[match.key]:
                if services.learn_opd_alias(actor=actor, opd=match.opd, text=match.text, via=via):
                    learnt.append(f"{match.text} → {match.opd}")
        for row in kept:
            data = dict(row.data)
            if isinstance(data.get("opd"), NewOpd):
                data["opd"] = made[data["opd"].nama]
            if row.status == "new":
                services.register_application(actor=actor, data=data, via=via)
                created += 1
            elif row.status == "update":
                changes = {f: data[f] for f in row.changes}
                services.update_application(
                    row.application,
                    actor=actor,
                    changes=changes,
                    via=via,
                    reason=_("Impor %(file)s baris %(row)d")
                    % {"file": filename, "row": row.number},
                )
                updated += 1
        summary = {
            "file": filename,
            "sha256": preview.sha256,
            "created": created,
            "updated": updated,
            "unchanged": preview.count("unchanged"),
            "skipped_errors": preview.count("error"),
            "opds_created": [opd.nama for opd in made.values()],
            "aliases": learnt,
        }
        record("inventory.import", actor=actor, via=via, data=summary)
    return summary
