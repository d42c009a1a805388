"""The census of the regency's applications (SOP Inventarisasi Aplikasi, draft): each OPD's part
holds its applications as JSON rows in the step field that names `validate: inventory.sensus_aplikasi`.

A row: {"id": 12, "nama": "...", "status": "aktif", ...}; no "id" for an application not yet in
the inventory; a column left out keeps what the inventory has (or its default). The rows are checked strictly when typed and when the part completes; once every
part is verified, `apply_census` writes them into the inventory through its services, which
record every change with its before and after values.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import system_actor
from simpatik.core.errors import Conflict, ValidationError
from simpatik.core.input_guard import loads_bounded
from simpatik.inventory import services
from simpatik.inventory.models import Application

VALIDATOR = "inventory.sensus_aplikasi"
# What an OPD confirms or corrects per application; the rest of a record stays Diskominfo's.
ROW_FIELDS = ("nama", "singkatan", "versi", "deskripsi", "status", "url", "platform")
MAX_ROWS = 300
MAX_ID = 2**63 - 1  # a bigger id is no row of the database (and would overflow its query)


class RowError(ValueError):
    """A bad row: the message for people, plus the row (1-based) and column it concerns, so that
    a form can put the message next to its cell (`field` None: the row as a whole)."""

    def __init__(self, message, row: int, field: str | None = None):
        super().__init__(message)
        self.row, self.field = row, field


def parse_rows(text) -> list[dict]:
    """The rows of a census answer, cleaned; ValueError with a message for people when bad."""
    try:
        rows = loads_bounded(text) if isinstance(text, str) else None
    except ValueError as exc:
        raise ValueError(_("bukan daftar aplikasi yang sah (format JSON)")) from exc
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        raise ValueError(_("harus berupa daftar aplikasi (paling banyak %(n)d)") % {"n": MAX_ROWS})
    cleaned = []
    for result in _checked(rows):
        if isinstance(result, RowError):
            raise result
        cleaned.append(result)
    return cleaned


def row_errors(rows: list) -> list[RowError]:
    """Every bad row's problem, where parse_rows stops at the first: a form shows them all."""
    return [result for result in _checked(rows) if isinstance(result, RowError)]


def _checked(rows: list):
    """Each row cleaned, or the RowError that makes it bad (written twice included)."""
    names, ids = set(), set()
    for number, row in enumerate(rows, start=1):
        try:
            clean = _row(number, row)
        except RowError as exc:
            yield exc
            continue
        name = clean["nama"].casefold()
        if name in names or (clean.get("id") and clean["id"] in ids):
            yield RowError(
                _("baris %(n)d: aplikasi ditulis dua kali") % {"n": number}, number, "nama"
            )
            continue
        names.add(name)
        ids.add(clean.get("id"))
        yield clean


def _row(number: int, row) -> dict:
    if not isinstance(row, dict):
        raise RowError(_("baris %(n)d: harus berupa data satu aplikasi") % {"n": number}, number)
    unknown = sorted(str(key) for key in set(row) - {"id", *ROW_FIELDS})
    if unknown:
        raise RowError(
            _("baris %(n)d: kolom tidak dikenal: %(f)s") % {"n": number, "f": ", ".join(unknown)},
            number,
        )
    if not isinstance(row.get("nama"), str) or not row["nama"].strip():
        raise RowError(_("baris %(n)d: nama aplikasi wajib diisi") % {"n": number}, number, "nama")
    clean = {}
    if row.get("id") is not None:
        if (
            not isinstance(row["id"], int)
            or isinstance(row["id"], bool)
            or not 1 <= row["id"] <= MAX_ID
        ):
            raise RowError(_("baris %(n)d: id aplikasi tidak sah") % {"n": number}, number, "id")
        clean["id"] = row["id"]
    for name in ROW_FIELDS:
        if name not in row:
            continue  # unchanged (a new application takes the inventory's default)
        value = row[name]
        if not isinstance(value, str) or "\x00" in value:
            raise RowError(
                _("baris %(n)d: %(f)s harus berupa teks") % {"n": number, "f": name}, number, name
            )
        field = Application._meta.get_field(name)
        try:
            clean[name] = field.clean(value.strip(), None)
        except DjangoValidationError as exc:
            raise RowError(
                _("baris %(n)d: %(f)s: %(e)s")
                % {"n": number, "f": field.verbose_name, "e": "; ".join(exc.messages)},
                number,
                name,
            ) from exc
    return clean


def check_value(value, project) -> None:
    """The validator of the census field (`validate: inventory.sensus_aplikasi`)."""
    parse_rows(value)


def _census_items(step):
    return [item for item in step.hasil if item.kind == "field" and item.validate == VALIDATOR]


def rows_of_inventory(opd) -> list[dict]:
    applications = Application.objects.active().filter(opd=opd).order_by("nama", "id")
    return [
        {"id": app.pk, **{name: getattr(app, name) or "" for name in ROW_FIELDS}}
        for app in applications
    ]


def suggested_rows(run, item) -> str | None:
    """An OPD's part starts from its last answer in this census, else from the inventory."""
    if item.validate != VALIDATOR or not run.opd_id or not run.is_open:
        return None
    earlier = (
        run.project.step_runs.filter(step_number=run.step_number, opd_id=run.opd_id)
        .exclude(completed_at=None)
        .order_by("-completed_at", "-id")
        .values_list("values", flat=True)
        .first()
    )
    if earlier and earlier.get(item.key):
        return earlier[item.key]
    return json.dumps(rows_of_inventory(run.opd), ensure_ascii=False, indent=1)


def check_completion(run, *, values, decision, passphrase) -> None:
    """Each row with an id names an application of this OPD that is still in the inventory."""
    for item in _census_items(run.step):
        if not run.opd_id or not values.get(item.key):
            continue
        ids = {row["id"] for row in parse_rows(values[item.key]) if "id" in row}
        own = set(
            Application.objects.active()
            .filter(opd_id=run.opd_id, pk__in=ids)
            .values_list("pk", flat=True)
        )
        rows = parse_rows(values[item.key])
        new_names = {row["nama"].casefold() for row in rows if "id" not in row}
        taken = Application.objects.active().filter(opd_id=run.opd_id).exclude(pk__in=ids)
        clash = sorted(app.nama for app in taken if app.nama.casefold() in new_names)
        if clash:
            raise ValidationError(
                _("Aplikasi %(names)s sudah ada di inventaris %(opd)s: ubah barisnya (dengan id).")
                % {"names": ", ".join(clash), "opd": run.opd.nama},
                code="sensus_invalid",
            )
        if ids - own:
            raise ValidationError(
                _("Daftar aplikasi menyebut aplikasi yang bukan milik %(opd)s: id %(ids)s.")
                % {"opd": run.opd.nama, "ids": ", ".join(map(str, sorted(ids - own)))},
                code="sensus_invalid",
            )


def answers(project) -> list[tuple[object, list[dict]]]:
    """(opd, rows) of each OPD's latest completed answer in the census project."""
    from simpatik.projects.services.fanout import parts

    found = []
    for step in project.definition.steps:
        for item in _census_items(step):
            for part in parts(project, step.number):
                last = (
                    project.step_runs.filter(step_number=step.number, opd_id=part.opd_id)
                    .exclude(completed_at=None)
                    .order_by("-completed_at", "-id")
                    .first()
                )
                if last is not None and last.values.get(item.key):
                    found.append((part.opd, parse_rows(last.values[item.key])))
    return found


def apply_census(project, run, actor, via) -> None:
    """Effect `inventory.apply_census`: the verified rows update or add applications."""
    reason = _("Inventarisasi aplikasi %(kode)s") % {"kode": project.kode}
    for opd, rows in answers(project):
        for row in rows:
            changes = {name: row[name] for name in ROW_FIELDS if name in row}
            if "id" in row:
                application = Application.objects.active().filter(pk=row["id"], opd=opd).first()
                if application is None:
                    raise Conflict(
                        _("Aplikasi id %(id)s tidak lagi ada di inventaris %(opd)s.")
                        % {"id": row["id"], "opd": opd.nama},
                        code="sensus_stale",
                    )
                services.update_application(
                    application,
                    actor=system_actor(),
                    changes=changes,
                    via="workflow",
                    reason=reason,
                )
            else:
                services.register_application(
                    actor=system_actor(), via="workflow", data={**changes, "opd": opd}
                )


def summary(project) -> list[dict]:
    """Per OPD, what its verified answer holds: for the census's recapitulation report."""
    rows = []
    for opd, answer in answers(project):
        rows.append(
            {
                "opd": opd.nama,
                "jumlah": len(answer),
                "baru": sum(1 for row in answer if "id" not in row),
                "aktif": sum(1 for row in answer if row.get("status", "aktif") == "aktif"),
                "aplikasi": ", ".join(row["nama"] for row in answer),
            }
        )
    return rows


def publish_census(project, run, actor, via) -> None:
    """Effect `inventory.publish_census`: when the Kadis ticks `publikasi_katalog`, the census's
    active applications are shown in the public catalogue (UU 14/2008)."""
    if not (run.values or {}).get("publikasi_katalog"):
        return
    reason = _("Publikasi katalog hasil inventarisasi %(kode)s") % {"kode": project.kode}
    for opd, rows in answers(project):
        names = [row["nama"] for row in rows if row.get("status", "aktif") == "aktif"]
        for application in Application.objects.active().filter(opd=opd, nama__in=names):
            services.update_application(
                application,
                actor=system_actor(),
                changes={"publik": True},
                via="workflow",
                reason=reason,
            )


def posted_count(post, key, limit: int) -> int | None:
    """The row count a table's form sent (`<key>-baris`); None when it is no count the form
    writes (not ASCII digits, or over `limit`): a table sent so is refused, never read as
    empty."""
    text = str(post.get(f"{key}-baris", ""))
    if not (text.isascii() and text.isdigit() and len(text) < 6 and int(text) <= limit):
        return None
    return int(text)


def table_refused(key) -> ValidationError:
    message = _(
        "Tabel tidak terkirim utuh (jumlah baris tidak sah). Muat ulang halaman lalu isi kembali."
    )
    return ValidationError(message, code="table_invalid", data={"fields": {key: message}})
