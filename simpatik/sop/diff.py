"""What changed between two versions of an SOP, shown before a version is put in force:
per part (identity, each role, each step) and field, and as a unified diff of the YAML."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Change:
    where: str  # "Langkah 3", "Peran kasie", "Identitas"
    field: str  # "waktu", "kelengkapan 'surat_perintah' label"
    before: str
    after: str


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return str(value)


def _flatten(value, prefix: str = "") -> dict[str, str]:
    """Field name -> text; list items that have a key or value are named by it, not by place."""
    if isinstance(value, dict):
        found = {}
        for key, item in value.items():
            found.update(_flatten(item, f"{prefix} {key}".strip()))
        return found
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        found = {}
        for index, item in enumerate(value, start=1):
            name = item.get("key") or item.get("value") if isinstance(item, dict) else None
            found.update(_flatten(item, f"{prefix} '{name}'" if name else f"{prefix}[{index}]"))
        return found
    return {prefix: _text(value)}


def _parts(data: dict) -> dict[str, dict[str, str]]:
    identity = {"kode": data.get("kode"), **(data.get("identitas") or {})}
    parts = {_("Identitas"): _flatten(identity)}
    for role in data.get("roles") or []:
        if isinstance(role, dict):
            parts[f"{_('Peran')} {role.get('key')}"] = _flatten(role)
    for key, label in (
        ("eskalasi", _("Eskalasi")),
        ("sistem", _("Sistem")),
        ("usulan", _("Usulan")),
    ):
        if data.get(key) is not None:
            parts[label] = _flatten(data[key])
    for step in data.get("steps") or []:
        if isinstance(step, dict):
            parts[f"{_('Langkah')} {step.get('number')}"] = _flatten(step)
    return parts


def changes(before: dict, after: dict) -> list[Change]:
    old, new = _parts(before), _parts(after)
    found = []
    for where in [*old, *(name for name in new if name not in old)]:
        if where not in new:
            found.append(Change(where, "", _("ada"), _("dihapus")))
        elif where not in old:
            found.append(Change(where, "", "", _("ditambahkan")))
        else:
            fields = [*old[where], *(name for name in new[where] if name not in old[where])]
            found += [
                Change(where, name, old[where].get(name, ""), new[where].get(name, ""))
                for name in fields
                if old[where].get(name) != new[where].get(name)
            ]
    return found


def unified(before_text: str, after_text: str, before_name: str, after_name: str) -> str:
    return "".join(
        difflib.unified_diff(
            before_text.splitlines(keepends=True),
            after_text.splitlines(keepends=True),
            fromfile=before_name,
            tofile=after_name,
        )
    )
