"""The SOP editor's changes of shape: adding and removing steps, Kelengkapan/Output rows and
decision options, on the round-trip YAML tree (simpatik.sop.editor), never on a stored version.

Step numbers are the official ones printed on the SOP sheet, so a step added after step N
becomes N+1 and every later step (and every `next`, decision option and `resume_to` that leads
to one) moves up by one; removing a step moves them down. A step is removed only when nothing
leads to it and no later step reads its Output: the refusal names each of them, so the
administrator knows what to re-route first.
"""

from __future__ import annotations

import copy

from django.utils.translation import gettext as _
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken

from simpatik.sop.definition import DefinitionError

# Lists the editor may grow or shrink a row at a time, with the row a new one starts as.
ROW_LISTS = {
    "kelengkapan": lambda: {"key": "", "kind": "document", "label": ""},
    "hasil": lambda: {"key": "", "kind": "field", "type": "text", "label": ""},
    "options": lambda: {"value": "", "label": "", "next": None},
    "lampiran": lambda: {"key": "", "kind": "document", "label": ""},
}


class ShapeRefused(DefinitionError):
    """A change of shape the editor will not make; shown at the step or row it concerns."""


def split(path: str) -> list:
    return [
        int(part) if part.isascii() and part.isdigit() else part
        for part in str(path).split(".")
        if part
    ]


def _steps(data) -> CommentedSeq:
    steps = data.get("steps")
    if not isinstance(steps, list):
        raise ShapeRefused([_("Definisi belum punya daftar langkah.")], [("steps",)])
    return steps


def _number(step) -> int | None:
    value = step.get("number") if isinstance(step, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _links(step) -> list[tuple[dict, str, str]]:
    """(mapping, key, description) of every place in `step` that names another step."""
    if not isinstance(step, dict):
        return []
    found = [(step, "next", "next")] if "next" in step else []
    decision = step.get("decision")
    options = decision.get("options") if isinstance(decision, dict) else None
    for option in options if isinstance(options, list) else []:
        if isinstance(option, dict) and "next" in option:
            found.append((option, "next", _("pilihan '%(v)s'") % {"v": option.get("value")}))
    suspend = step.get("suspend")
    if isinstance(suspend, dict) and "resume_to" in suspend:
        found.append((suspend, "resume_to", "resume_to"))
    return found


def _shift(data, above: int, by: int) -> None:
    """Move every step number greater than `above`, and every link to one, by `by`."""
    for step in _steps(data):
        number = _number(step)
        if number is not None and number > above:
            step["number"] = number + by
        for mapping, key, _label in _links(step):
            target = mapping.get(key)
            if isinstance(target, int) and not isinstance(target, bool) and target > above:
                mapping[key] = target + by


def _trailing_gap(mapping) -> CommentToken | None:
    """The blank line(s) after a step, kept by ruamel as a comment on its last key."""
    if not isinstance(mapping, CommentedMap) or not mapping:
        return None
    entry = mapping.ca.items.get(list(mapping)[-1])
    token = entry[2] if entry and len(entry) > 2 else None
    return token if isinstance(token, CommentToken) and not token.value.strip() else None


def _set_gap(mapping: CommentedMap, gap: CommentToken | None) -> None:
    for key in mapping:
        entry = mapping.ca.items.get(key)
        if entry and len(entry) > 2 and isinstance(entry[2], CommentToken):
            if not entry[2].value.strip():
                entry[2] = None
    if gap is not None and mapping:
        mapping.ca.items[list(mapping)[-1]] = [None, None, copy.copy(gap), None]


def _move_gap_to_end(mapping: CommentedMap) -> None:
    """After a key was added at the end of a step, its blank line still follows the step."""
    gap = _trailing_gap_any(mapping)
    if gap is not None:
        _set_gap(mapping, gap)


def _trailing_gap_any(mapping: CommentedMap) -> CommentToken | None:
    for key in mapping:
        entry = mapping.ca.items.get(key)
        token = entry[2] if entry and len(entry) > 2 else None
        if isinstance(token, CommentToken) and not token.value.strip():
            return token
    return None


def _int_or_text(text: str):
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() else text


def insert_step(data, *, after: int, values: dict[str, str]) -> int:
    """Add a step after the step at list position `after`; returns the new step's position.

    The new step takes over the way onward of a step that simply continues (its `next`, or its
    `end`), and that step now leads to the new one. After a decision or a suspension the new
    step leads where the next step in the list did, and the loader asks for an option to lead
    to it (shown at its number) until one does."""
    steps = _steps(data)
    if not 0 <= after < len(steps) or _number(steps[after]) is None:
        raise ShapeRefused([_("Pilih langkah yang sudah bernomor.")], [("steps",)])
    chosen = steps[after]
    number = _number(chosen) + 1
    _shift(data, number - 1, 1)
    step = CommentedMap()
    step["number"] = number
    step["role"] = (values.get("role") or "").strip() or chosen.get("role", "")
    step["uraian"] = (values.get("uraian") or "").strip()
    step["waktu"] = _int_or_text(values.get("waktu") or "1")
    step["output"] = (values.get("output") or "").strip()
    if chosen.get("end") and not any(k in chosen for k in ("next", "decision", "suspend")):
        chosen.pop("end")
        chosen["next"] = number
        _move_gap_to_end(chosen)
        step["end"] = True
    elif "next" in chosen and not any(k in chosen for k in ("decision", "suspend", "end")):
        step["next"] = chosen["next"]
        chosen["next"] = number
    else:
        following = [_number(s) for s in steps[after + 1 :] if _number(s) is not None]
        if following:
            step["next"] = following[0]
        else:
            step["end"] = True
    gap = _trailing_gap(chosen)
    if after == len(steps) - 1 and after > 0:
        # The chosen step was the last: it now gets the blank line the steps before it have.
        gap = _trailing_gap(steps[after - 1])
        if gap is not None:
            _set_gap(chosen, gap)
            gap = None
    steps.insert(after + 1, step)
    _set_gap(step, gap)
    return after + 1


def references(data, index: int) -> list[str]:
    """What still points to the step at `index`: links from other steps, and later steps that
    read an Output only it makes."""
    steps = _steps(data)
    target = _number(steps[index])
    found = []
    for position, step in enumerate(steps):
        if position == index:
            continue
        for mapping, key, label in _links(step):
            if mapping.get(key) == target:
                found.append(_("langkah %(n)s (%(via)s)") % {"n": _number(step), "via": label})
    made = {i.get("key") for i in steps[index].get("hasil") or [] if isinstance(i, dict)}
    made_elsewhere = {
        i.get("key")
        for position, step in enumerate(steps)
        if position != index and isinstance(step, dict)
        for i in step.get("hasil") or []
        if isinstance(i, dict)
    }
    for step in steps:
        if step is steps[index] or not isinstance(step, dict):
            continue
        for item in step.get("kelengkapan") or []:
            key = item.get("key") if isinstance(item, dict) else None
            if key and key in made and key not in made_elsewhere:
                found.append(
                    _("langkah %(n)s membaca Output '%(key)s'") % {"n": _number(step), "key": key}
                )
    return found


def remove_step(data, index: int) -> None:
    steps = _steps(data)
    if not 0 <= index < len(steps):
        raise ShapeRefused([_("Langkah itu tidak ada.")], [("steps",)])
    if len(steps) == 1:
        raise ShapeRefused([_("Langkah terakhir yang tersisa tidak dapat dihapus.")], [("steps",)])
    pointing = references(data, index)
    if pointing:
        message = _(
            "Langkah %(n)s tidak dihapus: masih dirujuk oleh %(list)s. Arahkan rujukan itu ke "
            "langkah lain dahulu."
        ) % {"n": _number(steps[index]), "list": "; ".join(pointing)}
        raise ShapeRefused([message], [("steps", index)])
    number = _number(steps[index])
    was_last = index == len(steps) - 1
    del steps[index]
    if was_last:
        _set_gap(steps[-1], None)  # the file ends with the last step, without a blank line
    if number is not None:
        _shift(data, number, -1)


def _list_at(data, parts: list):
    node = data
    for part in parts:
        if isinstance(node, dict) and not isinstance(part, int):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def add_row(data, path: str) -> int:
    """Append an empty row to the list at `path` (made if missing); returns its position."""
    parts = split(path)
    if not parts or parts[-1] not in ROW_LISTS:
        raise ShapeRefused([_("Daftar itu tidak dapat ditambah dari formulir.")], [("yaml",)])
    parent = _list_at(data, parts[:-1])
    if not isinstance(parent, dict):
        raise ShapeRefused([_("Daftar itu tidak ada.")], [("yaml",)])
    rows = parent.get(parts[-1])
    if rows is None:
        rows = parent[parts[-1]] = CommentedSeq()
        _move_gap_to_end(parent)
    if not isinstance(rows, list):
        raise ShapeRefused([_("Daftar itu tidak ada.")], [tuple(parts)])
    row = CommentedMap(ROW_LISTS[parts[-1]]())
    siblings = [item for item in rows if isinstance(item, CommentedMap)]
    if not siblings or siblings[-1].fa.flow_style():
        row.fa.set_flow_style()  # like its siblings: one row a line
    rows.append(row)
    return len(rows) - 1


def remove_row(data, path: str) -> None:
    parts = split(path)
    if len(parts) < 2 or parts[-2] not in ROW_LISTS or not isinstance(parts[-1], int):
        raise ShapeRefused([_("Baris itu tidak dapat dihapus dari formulir.")], [("yaml",)])
    rows = _list_at(data, parts[:-1])
    if not isinstance(rows, list) or not 0 <= parts[-1] < len(rows):
        raise ShapeRefused([_("Baris itu tidak ada.")], [("yaml",)])
    del rows[parts[-1]]


def _way_onward(step) -> str:
    ways = [key for key in ("next", "decision", "suspend", "end") if key in step]
    return ways[0] if len(ways) == 1 else ""


def _take_gap(step: CommentedMap) -> CommentToken | None:
    """Remove and return the blank line after a step, wherever ruamel keeps it: on the step's
    last key, on a suspension's last key, or at the end of a decision's options."""
    gap = _trailing_gap_any(step)
    _set_gap(step, None)
    for key in ("suspend", "decision"):
        inner = step.get(key)
        if isinstance(inner, CommentedMap) and inner:
            gap = gap or _trailing_gap_any(inner)
            _set_gap(inner, None)
            options = inner.get("options")
            if isinstance(options, CommentedSeq) and options.ca.end:
                gap = gap or copy.copy(options.ca.end[0])
                options.ca.end = []
            if isinstance(options, CommentedSeq) and options:
                entry = options.ca.items.pop(len(options) - 1, None)
                if entry and isinstance(entry[0], CommentToken) and not entry[0].value.strip():
                    gap = gap or entry[0]
    return gap


def _put_gap(step: CommentedMap, gap: CommentToken | None) -> None:
    """The blank line back after the step's last line, in the place ruamel writes it from."""
    if gap is None:
        return
    last = step[list(step)[-1]]
    if isinstance(last, CommentedMap) and isinstance(last.get("options"), CommentedSeq):
        options = last["options"]
        token = copy.copy(gap)
        token.value = "\n\n"  # after the last option's line: its line end, then the blank
        options.ca.items[len(options) - 1] = [token, None]
        return
    token = copy.copy(gap)
    token.value = "\n\n"  # after a value: its line end, then the blank line
    _set_gap(last if isinstance(last, CommentedMap) else step, token)


def _replace_key(step: CommentedMap, old: str, new: str, value) -> None:
    """`new: value` where `old` stood (the step's order and its trailing blank line kept)."""
    position = list(step).index(old)
    gap = _take_gap(step)
    step.pop(old)
    step.insert(position, new, value)
    _put_gap(step, gap)


def _flow_row(**values) -> CommentedMap:
    row = CommentedMap(values)
    row.fa.set_flow_style()  # one option a line, like the seed's
    return row


def change_way(data, index: int, way: str) -> None:
    """Turn the way onward of the step at `index` into `way`: "decision" (from a plain `next`,
    two options to start, both leading where `next` did, their value and label left for the
    administrator, which the loader asks for at their fields), "suspend" (from `next`: resumed
    by the step's own role at that step) or "next" (back from a decision, to its first
    option's step, or from a suspension, to the step it resumes at)."""
    steps = _steps(data)
    if not 0 <= index < len(steps) or not isinstance(steps[index], CommentedMap):
        raise ShapeRefused([_("Langkah itu tidak ada.")], [("steps",)])
    step = steps[index]
    current = _way_onward(step)
    if way in ("decision", "suspend") and current == "next":
        target = step["next"]
        if way == "decision":
            options = CommentedSeq([_flow_row(value="", label="", next=target) for _i in range(2)])
            _replace_key(step, "next", "decision", CommentedMap(label="", options=options))
        else:
            suspend = CommentedMap(resume_role=step.get("role", ""), resume_to=target)
            _replace_key(step, "next", "suspend", suspend)
    elif way == "next" and current == "decision":
        options = step["decision"].get("options") if isinstance(step["decision"], dict) else None
        targets = [o.get("next") for o in options or [] if isinstance(o, dict)]
        _replace_key(step, "decision", "next", targets[0] if targets else None)
    elif way == "next" and current == "suspend":
        suspend = step["suspend"] if isinstance(step["suspend"], dict) else {}
        _replace_key(step, "suspend", "next", suspend.get("resume_to"))
    else:
        raise ShapeRefused(
            [_("Bentuk kelanjutan langkah ini tidak dapat diubah dari formulir.")],
            [("steps", index)],
        )
