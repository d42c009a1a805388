"""The SPBE catalogue metadata a project's recorded steps already give, and when to take it.

The inventory hooks (steps 8 and 18) fill these fields from what the project recorded: the
description from the project or its request, the function from step 5's analysis of needs, the
SPBE service and business process from step 5, the stack from step 16, the version from the
release tag of step 12. Item keys read here are the SOP definition's (analisis_kebutuhan,
layanan_spbe, proses_bisnis, basis_aplikasi, bahasa_pemrograman, basis_data, rilis_kode_sumber):
a revision that renames them must rename them here too.

A value a person typed is theirs: the workflow fills a field that is empty, or one whose latest
recorded change was the workflow's own (an earlier step's value it now knows better), and leaves
every other field as it is.
"""

from django.db.models import TextField

from simpatik.audit.models import AuditRecord
from simpatik.inventory.models import Application

# Step item -> inventory field, for the texts taken as they are.
_TEXTS = {
    "layanan_spbe": "layanan_spbe",
    "proses_bisnis": "proses_bisnis",
    "bahasa_pemrograman": "bahasa_pemrograman",
    "basis_data": "basis_data",
    "rilis_kode_sumber": "versi",
}


def _fit(name: str, value) -> str:
    """The value as the field holds it: lines kept in a paragraph field, cut at its limit."""
    field = Application._meta.get_field(name)
    text = str(value or "").strip()
    if not isinstance(field, TextField):
        text = " ".join(text.split())
    return text[: field.max_length] if field.max_length else text


def known(project, values: dict) -> dict:
    """{field: value} the project's records give, empty ones left out."""
    need = project.need if project.need_id else None
    found = {
        "deskripsi": project.deskripsi or (need.latar_belakang if need else ""),
        "fungsi": values.get("analisis_kebutuhan") or (need.tujuan if need else ""),
        # Built by the regency for its own business: an aplikasi khusus, not a national one.
        "jenis": Application.Jenis.KHUSUS,
    }
    for key, field in _TEXTS.items():
        found[field] = values.get(key)
    if values.get("basis_aplikasi") in Application.Platform.values:
        found["platform"] = values["basis_aplikasi"]
    fitted = {name: _fit(name, value) for name, value in found.items()}
    return {name: value for name, value in fitted.items() if value}


def typed_by_people(application: Application, fields) -> set[str]:
    """Of `fields`, those whose latest recorded change was not made by the workflow."""
    remaining, typed = set(fields), set()
    records = AuditRecord.objects.filter(
        object_type="inventory.application",
        object_id=str(application.pk),
        action__in=["inventory.application.created", "inventory.application.updated"],
    ).order_by("-id")
    for via, data in records.values_list("via", "data").iterator():
        data = data or {}
        changed = remaining & (set(data.get("changes") or {}) | set(data.get("fields") or {}))
        if via != "workflow":
            typed |= changed
        remaining -= changed
        if not remaining:
            break
    # A field with no recorded change holds what was there before the audit trail: a person's.
    return typed | remaining


def to_fill(application: Application, metadata: dict) -> dict:
    """The part of `metadata` the workflow may write into an existing record: empty fields, and
    filled ones whose value the workflow itself wrote."""
    filled = {name for name in metadata if getattr(application, name) not in ("", None)}
    typed = typed_by_people(application, filled)
    return {name: value for name, value in metadata.items() if name not in typed}
