"""What changed between two versions of an SOP, shown before a version is put in force:
per part (identity, each role, each step) and field, and as a unified diff of the YAML."""

from __future__ import annotations

import copy
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


def _label(key) -> str:
    """A field by the label the editor gives it (nama_singkat: "Nama singkat…"), else its key."""
    from simpatik.sop.editor import LABELS  # the editor reads this module's changes

    label = str(LABELS.get(key, key))
    return label.split(" (")[0] if key in LABELS else label  # the form's hint left out


def _flatten(value, prefix: str = "") -> dict[str, str]:
    """Field name -> text; list items that have a key or value are named by it, not by place."""
    if isinstance(value, dict):
        found = {}
        for key, item in value.items():
            found.update(_flatten(item, f"{prefix} {_label(key)}".strip()))
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
            parts[_("Peran") + f" {role.get('key')}"] = _flatten(role)
    for key, label in (
        ("eskalasi", _("Eskalasi")),
        ("sistem", _("Sistem")),
        ("usulan", _("Usulan")),
    ):
        if data.get(key) is not None:
            parts[label] = _flatten(data[key])
    return parts


def _steps(data: dict) -> list[dict]:
    return [step for step in data.get("steps") or [] if isinstance(step, dict)]


def _step_pairs(before: dict, after: dict) -> list[tuple[dict | None, dict | None]]:
    """Old and new steps matched by their uraian, so that a step added in the middle reads as
    one step added (and the later ones as renumbered), not as every later step rewritten."""
    old, new = _steps(before), _steps(after)
    matcher = difflib.SequenceMatcher(
        a=[str(s.get("uraian") or "") for s in old],
        b=[str(s.get("uraian") or "") for s in new],
        autojunk=False,
    )
    pairs: list[tuple[dict | None, dict | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            pairs += [(old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
        else:
            pairs += [(old[i], None) for i in range(i1, i2)]
            pairs += [(None, new[j]) for j in range(j1, j2)]
    return pairs


def _renumbered(step: dict, numbers: dict) -> dict:
    """An old step with its links read in the new numbering (a moved target is no change)."""
    step = copy.deepcopy(step)
    step.pop("number", None)
    if step.get("next") in numbers:
        step["next"] = numbers[step["next"]]
    for option in (step.get("decision") or {}).get("options") or []:
        if isinstance(option, dict) and option.get("next") in numbers:
            option["next"] = numbers[option["next"]]
    suspend = step.get("suspend")
    if isinstance(suspend, dict) and suspend.get("resume_to") in numbers:
        suspend["resume_to"] = numbers[suspend["resume_to"]]
    return step


def _step_changes(before: dict, after: dict) -> list[Change]:
    pairs = _step_pairs(before, after)
    numbers = {
        old.get("number"): new.get("number")
        for old, new in pairs
        if old is not None and new is not None and isinstance(old.get("number"), int)
    }
    found = []
    for old, new in pairs:
        if new is None:
            found.append(Change(_("Langkah") + f" {old.get('number')}", "", _("ada"), _("dihapus")))
            continue
        where = _("Langkah") + f" {new.get('number')}"
        if old is None:
            found.append(Change(where, "", "", _("ditambahkan")))
            continue
        if old.get("number") != new.get("number"):  # moved by a step added or removed before it
            found.append(
                Change(where, _label("number"), _text(old.get("number")), _text(new.get("number")))
            )
        later = dict(new)
        later.pop("number", None)
        found += _field_changes(where, _flatten(_renumbered(old, numbers)), _flatten(later))
    return found


def _field_changes(where: str, old: dict, new: dict) -> list[Change]:
    fields = [*old, *(name for name in new if name not in old)]
    return [
        Change(where, name, old.get(name, ""), new.get(name, ""))
        for name in fields
        if old.get(name) != new.get(name)
    ]


def changes(before: dict, after: dict) -> list[Change]:
    old, new = _parts(before), _parts(after)
    found = []
    for where in [*old, *(name for name in new if name not in old)]:
        if where not in new:
            found.append(Change(where, "", _("ada"), _("dihapus")))
        elif where not in old:
            found.append(Change(where, "", "", _("ditambahkan")))
        else:
            found += _field_changes(where, old[where], new[where])
    return found + _step_changes(before, after)


def unified(before_text: str, after_text: str, before_name: str, after_name: str) -> str:
    return "".join(
        difflib.unified_diff(
            before_text.splitlines(keepends=True),
            after_text.splitlines(keepends=True),
            fromfile=before_name,
            tofile=after_name,
        )
    )
