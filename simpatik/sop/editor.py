"""The SOP editor's form: the fields it shows for a definition, and the YAML a posted form makes.

The YAML stays the exchange format and the version keeps its source text, so the form never
rebuilds a file from scratch: a posted form is applied, field by field, to the YAML it was drawn
from (read in ruamel.yaml's round-trip mode, which keeps comments, order and quoting), and only
the fields whose text differs from what the page showed are written. An unchanged form gives the
original text byte for byte; a changed Waktu changes that one line.

Field names are paths into the data ("steps.2.waktu"), the same paths the loader gives its
problems (DefinitionError.paths), so each problem is shown next to its field.
"""

from __future__ import annotations

import copy
import io
import re
from collections import OrderedDict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import ScalarString

from simpatik.sop.definition import FIELD_TYPES, KINDS, TEXT_WIDGETS, DefinitionError

PREFIX = "f:"
INT_KEYS = {"number", "waktu", "next", "resume_to", "pengingat_sebelum", "atasan_setelah"}
NUMBER_KEYS = {"min", "max"}
BOOL_KEYS = {"end", "optional", "multiple", "requires_reason", "assigns_team"}
LIST_KEYS = {
    "items",
    "effects",
    "evidence",
    "supervises",
    "kewenangan",
    "freezes",
    "when_decision",
    "accept",
    "choices",
    "dasar_hukum",
    "kualifikasi_pelaksana",
    "keterkaitan",
    "peralatan_perlengkapan",
}
LONG_KEYS = {"uraian", "output", "peringatan", "pencatatan_pendataan"}
# Text whose absence means something (a hook, a widget, a schedule field): emptied, it goes.
DROP_WHEN_EMPTY = {
    "type",
    "generate",
    "validate",
    "choices_from",
    "choices_from_role",
    "kepada",
    "example",
    "widget",
    "waktu_from_field",
}
LABELS = {
    "kode": _("Kode SOP"),
    "judul": _("Judul"),
    "nama_singkat": _("Nama singkat (di daftar proyek)"),
    "uraian": _("Uraian prosedur"),
    "role": _("Pelaksana"),
    "items": _("Butir uraian (satu per baris)"),
    "waktu": _("Waktu (hari kerja)"),
    "waktu_from_field": _("Waktu dari isian"),
    "output": _("Output"),
    "next": _("Langkah berikutnya"),
    "end": _("Langkah akhir"),
    "number": _("Nomor"),
    "nama": _("Nama"),
    "jabatan": _("Jabatan"),
    "label": _("Label"),
    "supervises": _("Mengawasi peran (satu per baris)"),
    "kewenangan": _("Kewenangan (satu per baris)"),
    "resume_role": _("Peran yang melanjutkan"),
    "resume_to": _("Dilanjutkan ke langkah"),
    "requires_reason": _("Wajib alasan"),
    "freezes": _("Membekukan (satu kunci per baris)"),
    "optional": _("Tidak wajib"),
    "key": _("Kunci"),
    "kind": _("Jenis"),
    "type": _("Tipe isian"),
    "value": _("Nilai"),
    "pengingat_sebelum": _("Pengingat sebelum batas waktu (hari kerja)"),
    "atasan_setelah": _("Diteruskan ke atasan setelah terlambat (hari kerja)"),
    # The SOP's identity and its signer, as the SOP sheet names them.
    "instansi": _("Instansi"),
    "dinas": _("Dinas"),
    "bidang": _("Bidang"),
    "seksi": _("Seksi"),
    "status": _("Status"),
    "catatan_status": _("Catatan status"),
    "nomor_sop": _("Nomor SOP"),
    "tanggal_pembuatan": _("Tanggal pembuatan"),
    "tanggal_revisi": _("Tanggal revisi"),
    "tanggal_efektif": _("Tanggal efektif"),
    "disahkan_oleh": _("Disahkan oleh"),
    "dasar_hukum": _("Dasar hukum (satu per baris)"),
    "kualifikasi_pelaksana": _("Kualifikasi pelaksana (satu per baris)"),
    "keterkaitan": _("Keterkaitan (satu per baris)"),
    "peralatan_perlengkapan": _("Peralatan/perlengkapan (satu per baris)"),
    "peringatan": _("Peringatan"),
    "pencatatan_pendataan": _("Pencatatan dan pendataan"),
    "nip": _("NIP"),
    "lingkup": _("Lingkup (opd: hanya OPD pemohon)"),
    "pihak_ketiga": _("Pihak ketiga (di luar pegawai Pemda)"),
}
# Fields shown even when the file leaves them out (filling one in adds it).
CORE = {
    "identitas": ("judul", "nama_singkat", "nomor_sop", "tanggal_revisi"),
    "role": ("key", "nama", "jabatan", "supervises", "kewenangan"),
    "step": ("number", "role", "uraian", "waktu", "output", "end"),
    "item": ("key", "kind", "type", "label", "optional"),
    "option": ("value", "label", "next", "requires_reason"),
    "decision": ("label",),
    "eskalasi": ("pengingat_sebelum", "atasan_setelah"),
}


def yaml_round_trip() -> YAML:
    """The seed's style: two-space mappings, list dashes indented by two, long lines unwrapped."""
    handler = YAML()
    handler.preserve_quotes = True
    handler.width = 4096
    handler.indent(mapping=2, sequence=4, offset=2)
    return handler


def load_tree(text: str):
    try:
        data = yaml_round_trip().load(text)
    except YAMLError as exc:
        raise DefinitionError([f"YAML tidak dapat dibaca: {exc}"], [("yaml",)]) from exc
    if not isinstance(data, dict):
        raise DefinitionError(["definisi harus berupa pemetaan (mapping) YAML"], [("yaml",)])
    return data


# Parsed texts by text: ruamel's round-trip parser is pure Python (about 0.2 s for the seed SOP
# on a quiet machine, several times that on a loaded one), and each action used to parse the
# same text up to four times.
_TREES: OrderedDict = OrderedDict()
_TREES_KEPT = 8


def read_tree(text: str):
    """A parsed text for reading only (the page a form was drawn from is parsed once per
    process, not at each keystroke's check); never change what it returns."""
    tree = _TREES.get(text)
    if tree is None:
        tree = load_tree(text)
        remember_tree(text, tree)
    else:
        _TREES.move_to_end(text)
    return tree


def remember_tree(text: str, tree) -> None:
    """Keep `tree` as the parse of `text`. (Not for a tree just dumped: a dumped tree copied and
    dumped again loses the comments ruamel attaches ahead of a nested list.)"""
    _TREES[text] = tree
    _TREES.move_to_end(text)
    while len(_TREES) > _TREES_KEPT:
        _TREES.popitem(last=False)


def tree_copy(text: str):
    """A tree to change: a deep copy of the cached parse (a tenth of a parse's time)."""
    return copy.deepcopy(read_tree(text))


def dump_tree(data) -> str:
    out = io.StringIO()
    yaml_round_trip().dump(data, out)
    return out.getvalue()


@dataclass
class Field:
    path: str
    key: str
    widget: str  # text, long, int, number, bool, list
    value: str
    # A closed set to choose from (roles, steps, kinds): (value, label); the current value is
    # always among them, even when unknown, so a refused value is shown as it was typed.
    choices: list[tuple[str, str]] | None = None
    unit: str = ""

    @property
    def name(self) -> str:
        return PREFIX + self.path

    @property
    def dom_id(self) -> str:
        return dom_id(self.path)

    @property
    def label(self):
        return LABELS.get(self.key, self.key)


@dataclass
class Group:
    path: str
    title: str
    level: int = 1
    fields: list[Field] = field(default_factory=list)
    step: int | None = None  # a step's own group: its position in `steps:` (remove, add after)
    row: str = ""  # a row of a repeatable list: its path (remove)
    adds: list[tuple[str, str]] = field(default_factory=list)  # (list path, button text)
    ways: list[tuple[str, str]] = field(default_factory=list)  # (op, button text)

    @property
    def dom_id(self) -> str:
        return dom_id(self.path)

    @property
    def remove_op(self) -> str:
        if self.step is not None:
            return f"hapus_langkah:{self.step}"
        return f"hapus_baris:{self.row}" if self.row else ""

    @property
    def add_ops(self) -> list[tuple[str, str]]:
        return [(f"tambah_baris:{path}", text) for path, text in self.adds]


def dom_id(path: str) -> str:
    return "s-" + re.sub(r"[^a-zA-Z0-9_-]", "-", path)


def widget_for(key: str, value) -> str:
    if key in BOOL_KEYS:
        return "bool"
    if key in INT_KEYS:
        return "int"
    if key in NUMBER_KEYS:
        return "number"
    if key in LIST_KEYS or isinstance(value, list):
        return "list"
    return "long" if key in LONG_KEYS else "text"


def shown(value, widget: str) -> str:
    """A value as its form field shows it; comparing these tells what the person changed."""
    if widget == "bool":
        return "true" if value is True else "false"
    if value is None:
        return ""
    if widget == "list":
        return "\n".join(str(item) for item in value) if isinstance(value, list) else str(value)
    return str(value)


def _is_structure(value) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(item, dict) for item in value)
    )


def _fields(node, path: tuple, core: tuple = ()) -> list[Field]:
    if not isinstance(node, dict):
        return []
    keys = [*node, *(key for key in core if key not in node)]
    found = []
    for key in keys:
        value = node.get(key)
        if _is_structure(value):
            continue
        widget = widget_for(key, value)
        found.append(Field(_join((*path, key)), str(key), widget, shown(value, widget)))
    return found


def _join(path) -> str:
    return ".".join(str(part) for part in path)


def _dicts(value):
    return (
        [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]
        if (isinstance(value, list))
        else []
    )


def layout(data) -> dict[str, list[Group]]:
    """The form's sections, each a list of groups of fields, drawn from the parsed YAML."""
    identity = Group("identitas", str(_("Identitas SOP")))
    identity.fields = [
        *_fields({"kode": data.get("kode")}, ()),
        *_fields(data.get("identitas"), ("identitas",), CORE["identitas"]),
    ]
    identitas = data.get("identitas") if isinstance(data.get("identitas"), dict) else {}
    signer = Group("identitas.disahkan_oleh", str(_("Disahkan oleh")), 2)
    signer.fields = _fields(identitas.get("disahkan_oleh"), ("identitas", "disahkan_oleh"))
    roles = []
    for index, role in _dicts(data.get("roles")):
        group = Group(f"roles.{index}", _("Peran") + f" {role.get('key') or index + 1}")
        group.fields = _fields(role, ("roles", index), CORE["role"])
        roles.append(group)
    other = []
    for key, title in (("eskalasi", _("Eskalasi")), ("sistem", _("Sistem"))):
        if isinstance(data.get(key), dict):
            group = Group(key, str(title))
            group.fields = _fields(data[key], (key,), CORE.get(key, ()))
            other.append(group)
    usulan = data.get("usulan") if isinstance(data.get("usulan"), dict) else {}
    for index, item in _dicts(usulan.get("lampiran")):
        path = ("usulan", "lampiran", index)
        attachment = _("Lampiran usulan")  # outside the f-string, where makemessages finds it
        group = Group(_join(path), f"{attachment} {item.get('key') or index + 1}")
        group.fields = _fields(item, path, CORE["item"])
        group.row = _join(path)
        other.append(group)
    if usulan:
        other[-1].adds.append(("usulan.lampiran", str(_("Tambah lampiran usulan"))))
    steps = []
    for index, step in _dicts(data.get("steps")):
        steps += _step_groups(index, step)
    return {
        "identitas": [identity, signer],
        "peran": roles,
        "lainnya": other,
        "langkah": steps,
    }


def _step_groups(index: int, step: dict) -> list[Group]:
    at = ("steps", index)
    head = Group(_join(at), _("Langkah") + f" {step.get('number') or index + 1}", step=index)
    head.fields = _fields(step, at, CORE["step"])
    ways = [key for key in ("next", "decision", "suspend", "end") if key in step]
    if ways == ["next"]:
        head.ways = [
            (f"jadikan_keputusan:{index}", str(_("Jadikan keputusan"))),
            (f"jadikan_penangguhan:{index}", str(_("Jadikan penangguhan"))),
        ]
    elif ways in (["decision"], ["suspend"]):
        head.ways = [(f"jadikan_lanjut:{index}", str(_("Jadikan langkah berikutnya biasa")))]
    groups = [head]
    adds = {
        "kelengkapan": _("Tambah butir Kelengkapan"),
        "hasil": _("Tambah butir Output"),
    }
    for part, title in (("kelengkapan", _("Kelengkapan")), ("hasil", _("Output (hasil)"))):
        last = head
        for position, item in _dicts(step.get(part)):
            path = (*at, part, position)
            group = Group(_join(path), f"{title}: {item.get('key') or position + 1}", 2)
            group.fields = _fields(item, path, CORE["item"])
            group.row = _join(path)
            groups.append(group)
            last = group
        last.adds.append((_join((*at, part)), str(adds[part])))
    decision = step.get("decision")
    if isinstance(decision, dict):
        path = (*at, "decision")
        group = Group(_join(path), str(_("Keputusan")), 2)
        group.fields = _fields(decision, path, CORE["decision"])
        groups.append(group)
        last = group
        for position, option in _dicts(decision.get("options")):
            option_path = (*path, "options", position)
            choice = _("Pilihan")  # outside the f-string, where makemessages finds it
            group = Group(_join(option_path), f"{choice} {option.get('value') or position + 1}", 3)
            group.fields = _fields(option, option_path, CORE["option"])
            group.row = _join(option_path)
            groups.append(group)
            last = group
        last.adds.append((_join((*path, "options")), str(_("Tambah pilihan keputusan"))))
    if isinstance(step.get("suspend"), dict):
        path = (*at, "suspend")
        group = Group(_join(path), str(_("Penangguhan")), 2)
        group.fields = _fields(step["suspend"], path)
        groups.append(group)
    return groups


ROLE_REFS = {"role": False, "resume_role": False, "kepada": True, "choices_from_role": True}
STEP_REFS = {"next", "resume_to"}
CLOSED = {"kind": (False, KINDS), "type": (True, FIELD_TYPES), "widget": (True, TEXT_WIDGETS)}


def _choices(known: list[tuple[str, str]], current: str, optional: bool):
    found = [("", "—")] if optional or current == "" else []
    found += known
    if current not in {value for value, _label in found}:
        unknown = _("tidak dikenal")
        found.append((current, f"{current} ({unknown})"))
    return found


def add_choices(data, sections: dict[str, list[Group]]) -> None:
    """Roles and steps are chosen from those the definition has, not typed."""
    roles = role_choices(data)
    steps = [
        (str(step["number"]), f"{step['number']} · {str(step.get('uraian') or '')[:60]}")
        for _i, step in _dicts(data.get("steps"))
        if isinstance(step.get("number"), int)
    ]
    for group in all_groups(sections):
        for item in group.fields:
            if group.path == "roles" or group.path.startswith("roles."):
                continue
            if item.key in ROLE_REFS:
                item.choices = _choices(roles, item.value, ROLE_REFS[item.key])
            elif item.key in STEP_REFS and group.path.startswith("steps."):
                item.choices = _choices(steps, item.value, True)
            elif item.key in CLOSED and group.path.startswith(("steps.", "usulan.")):
                optional, values = CLOSED[item.key]
                item.choices = _choices([(v, v) for v in values], item.value, optional)
            if item.key == "waktu":
                item.unit = str(_("hari kerja"))


def role_choices(data) -> list[tuple[str, str]]:
    return [
        (str(role.get("key")), f"{role.get('key')} · {role.get('nama') or ''}")
        for _i, role in _dicts(data.get("roles"))
        if role.get("key")
    ]


def step_choices(data) -> list[tuple[str, str]]:
    return [
        (str(index), f"{step.get('number')} · {str(step.get('uraian') or '')[:60]}")
        for index, step in _dicts(data.get("steps"))
    ]


def all_groups(sections: dict[str, list[Group]]) -> list[Group]:
    return [group for groups in sections.values() for group in groups]


def posted_fields(post) -> dict[str, str]:
    """The form's fields from a POST (path -> text, line ends as typed on any system)."""
    return {
        name[len(PREFIX) :]: post.get(name, "").replace("\r\n", "\n")
        for name in post
        if name.startswith(PREFIX)
    }


def apply_form(base_text: str, yaml_text: str, posted: dict[str, str]) -> str:
    """The YAML the form would produce.

    `base_text` is what the page was drawn from, `yaml_text` the "advanced" textarea (possibly
    edited), `posted` the form fields. A field changes the YAML only where its text differs from
    what the page showed, so an edit made in the textarea is not undone by the form.
    """
    yaml_text = yaml_text.replace("\r\n", "\n")
    base = read_tree(base_text.replace("\r\n", "\n"))
    changes = []
    for path, text in posted.items():
        parts = _split(path)
        before = _lookup(base, parts)
        widget = widget_for(parts[-1], before)
        if text.strip() != shown(before, widget).strip():
            changes.append((parts, widget, text))
    if not changes:
        return yaml_text
    data = tree_copy(yaml_text)
    for parts, widget, text in changes:
        parent = _lookup(data, parts[:-1])
        if isinstance(parent, dict):
            _assign(parent, parts[-1], widget, text)
        elif isinstance(parent, list) and isinstance(parts[-1], int):
            if parts[-1] < len(parent):
                parent[parts[-1]] = _value(widget, text)
    return dump_tree(data)


def _split(path: str) -> list:
    return [int(part) if part.isascii() and part.isdigit() else part for part in path.split(".")]


def _lookup(node, parts):
    for part in parts:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node


def _value(widget: str, text: str):
    stripped = text.strip()
    if widget == "bool":
        return stripped == "true"
    if widget == "list":
        return [line.strip() for line in text.split("\n") if line.strip()]
    if widget in ("int", "number") and re.fullmatch(r"-?\d+", stripped):
        return int(stripped)
    if widget == "number" and re.fullmatch(r"-?\d+\.\d+", stripped):
        return float(stripped)
    # Anything else is kept as typed: the loader names it at its field.
    return stripped if widget != "long" else text.strip("\n")


def _assign(parent: dict, key: str, widget: str, text: str) -> None:
    value = _value(widget, text)
    empty = value in ("", []) or (widget == "bool" and value is False and key not in parent)
    if empty and (widget not in ("text", "long") or key in DROP_WHEN_EMPTY):
        parent.pop(key, None)
        return
    old = parent.get(key)
    if isinstance(old, list) and isinstance(value, list):
        kept = {str(item): item for item in old}  # unchanged lines keep their quoting
        del old[:]  # in place: a flow list stays a flow list
        old.extend(kept.get(item, item) for item in value)
    elif isinstance(old, ScalarString) and isinstance(value, str):
        parent[key] = type(old)(value)  # the same quoting as before
    else:
        parent[key] = value


def errors_by_place(
    error: DefinitionError | None, sections: dict[str, list[Group]]
) -> tuple[dict[str, list[str]], list[str]]:
    """Each problem at the nearest field or group the page shows; the rest stand at the top."""
    if error is None:
        return {}, []
    places = {"yaml"}
    for group in all_groups(sections):
        places.add(group.path)
        places.update(item.path for item in group.fields)
    found: dict[str, list[str]] = {}
    general = []
    for path, message in error.errors:
        parts = [str(part) for part in path]
        while parts and ".".join(parts) not in places:
            parts.pop()
        if parts:
            found.setdefault(".".join(parts), []).append(message)
        else:
            general.append(message)
    return found, general
