"""The SOP definition: parsed from YAML, validated, and read by the engine.

A definition names its roles and steps; every step has a pelaksana (role), Kelengkapan (inputs
that must be present before it completes), Hasil (the Output items it must produce), a Waktu in
working days and exactly one way onward: `next`, a `decision` with options, `suspend`, or `end`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import yaml

from simpatik.core.files import DEFAULT_ACCEPT
from simpatik.core.files import FILE_KINDS as _FILE_KINDS

FIELD_TYPES = ("text", "date", "number", "choice")
FIELD_TYPES = ("text", "date", "number", "choice", "boolean")
KINDS = ("document", "field")
# A document item's `accept:` names kinds of file (simpatik.core.files.FILE_KINDS); without it
# a document takes PDF, Office/ODF and images. A text field's `widget:` is one line or a paragraph.
FILE_KINDS = tuple(_FILE_KINDS)
TEXT_WIDGETS = ("paragraph", "line")
IDENTITY_KEYS = (
    "nomor_sop",
    "tanggal_pembuatan",
    "tanggal_revisi",
    "tanggal_efektif",
    "disahkan_oleh",
    "judul",
    "dasar_hukum",
    "kualifikasi_pelaksana",
    "keterkaitan",
    "peralatan_perlengkapan",
    "peringatan",
    "pencatatan_pendataan",
)


class DefinitionError(ValueError):
    """A definition that cannot be used; `problems` lists each place and what is wrong.

    `paths` gives, for each problem, where it is in the parsed data (keys and 0-based list
    indices; empty when unknown), so an editor can show it next to its field."""

    def __init__(self, problems: list[str], paths: list[tuple] | None = None):
        super().__init__("\n".join(problems))
        self.problems = problems
        self.paths = list(paths) if paths is not None else [()] * len(problems)

    @property
    def errors(self) -> list[tuple[tuple, str]]:
        return list(zip(self.paths, self.problems, strict=True))


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str
    kind: str
    type: str | None = None
    choices: tuple = ()
    choice_labels: tuple = ()  # (value, label) pairs for `choices` people read by a label
    choices_from_role: str | None = None
    choices_from: str | None = None
    multiple: bool = False
    optional: bool = False
    generate: str | None = None
    validate: str | None = None  # a validator hook for the value (e.g. dns.subdomain)
    example: str | None = None  # a valid value, shown to people and to API clients
    assigns_team: bool = False
    when_decision: tuple = ()
    accept: tuple = DEFAULT_ACCEPT  # kinds of file a document item takes
    widget: str = "paragraph"  # how a text field is typed: "line" or "paragraph"
    min: int | float | None = None  # bounds of a number field (e.g. working days of a schedule)
    max: int | float | None = None
    kepada: str | None = None  # the role a generated letter is addressed to

    def applies_to(self, decision: str | None) -> bool:
        return not self.when_decision or decision in self.when_decision


@dataclass(frozen=True)
class DecisionOption:
    value: str
    label: str
    next: int
    requires_reason: bool = False
    freezes: tuple[str, ...] = ()  # item keys this approval rests on: no later step changes them


@dataclass(frozen=True)
class Step:
    number: int
    role: str
    uraian: str
    items: tuple
    kelengkapan: tuple[Requirement, ...]
    hasil: tuple[Requirement, ...]
    output: str
    waktu: int | None
    waktu_from_field: str | None
    next: int | None
    decision_label: str
    decisions: tuple[DecisionOption, ...]
    suspend: dict | None
    end: bool
    effects: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # what the step page shows as evidence (e.g. repository)
    # `untuk_setiap: opd`: the step runs once per active OPD (projects.services.fanout).
    untuk_setiap: str | None = None

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return self.kelengkapan + self.hasil

    @property
    def is_decision(self) -> bool:
        return bool(self.decisions)

    def decision(self, value: str) -> DecisionOption | None:
        return next((option for option in self.decisions if option.value == value), None)

    def requirement(self, key: str) -> Requirement | None:
        return next((item for item in self.requirements if item.key == key), None)

    @property
    def document_keys(self) -> list[str]:
        """The keys of the documents the step names (Kelengkapan and Hasil)."""
        return [item.key for item in self.requirements if item.kind == "document"]

    @property
    def targets(self) -> tuple[int, ...]:
        """Every step this one can lead to (next, a decision option, the resume of a suspension)."""
        found = [self.next] if self.next is not None else []
        found += [option.next for option in self.decisions]
        if self.suspend:
            found.append(self.suspend["resume_to"])
        return tuple(found)

    @property
    def waktu_label(self) -> str:
        """The Waktu as the official documents write it (the SOP sheet, letters): Indonesian."""
        if self.waktu_from_field:
            return "sesuai jadwal"
        return f"{self.waktu} hari kerja"

    def waktu_text(self) -> str:
        """The Waktu in the reader's language, for pages."""
        from django.utils.translation import gettext, ngettext

        if self.waktu_from_field:
            return gettext("sesuai jadwal")
        return ngettext("%(n)d hari kerja", "%(n)d hari kerja", self.waktu) % {"n": self.waktu}


@dataclass
class Definition:
    kode: str
    identitas: dict
    roles: list[dict]
    steps: list[Step]
    raw: dict = field(repr=False)
    # Documents an OPD attaches to its usulan; each becomes the project's document of that key.
    usulan_lampiran: tuple[Requirement, ...] = ()

    @cached_property
    def by_number(self) -> dict[int, Step]:
        return {step.number: step for step in self.steps}

    def step(self, number: int) -> Step:
        return self.by_number[number]

    @property
    def first_step(self) -> Step:
        return self.steps[0]

    @property
    def short_name(self) -> str:
        """What a list shows beside a project while several SOPs are in force: the SOP's
        `nama_singkat`, else its title (never its code, which is a key)."""
        return str(self.identitas.get("nama_singkat") or self.identitas.get("judul") or self.kode)

    @cached_property
    def team_roles(self) -> frozenset[str]:
        """Roles whose members are assigned per project by a step (Tim Pengembang at step 8)."""
        return frozenset(
            item.choices_from_role
            for step in self.steps
            for item in step.hasil
            if item.assigns_team and item.choices_from_role
        )

    @cached_property
    def generated_keys(self) -> frozenset[str]:
        """Output items that SIMPATIK makes itself when their step completes (`generate:`)."""
        return frozenset(item.key for step in self.steps for item in step.hasil if item.generate)

    @cached_property
    def freezable_keys(self) -> frozenset[str]:
        """Items some approval rests on (`freezes:`): only these can ever be frozen."""
        return frozenset(
            key for step in self.steps for option in step.decisions for key in option.freezes
        )

    @cached_property
    def item_keys(self) -> frozenset[str]:
        """Every Kelengkapan/Hasil key the definition declares."""
        return frozenset(item.key for step in self.steps for item in step.requirements)

    def label_of(self, key: str) -> str:
        """The label of a Kelengkapan/Hasil item by its key, as its producing step names it."""
        found = [item for step in self.steps for item in step.requirements if item.key == key]
        produced = [item for step in self.steps for item in step.hasil if item.key == key]
        return (produced or found)[0].label if (produced or found) else key

    @cached_property
    def role_names(self) -> dict[str, str]:
        return {role["key"]: role["nama"] for role in self.roles}

    @cached_property
    def opd_roles(self) -> frozenset[str]:
        """Roles scoped to the requesting OPD (`lingkup: opd`): only holders of the project's OPD
        act on their steps."""
        return frozenset(role["key"] for role in self.roles if role.get("lingkup") == "opd")

    @cached_property
    def per_application(self) -> bool:
        """Whether a project of this SOP is about one application (an usulan may start it): an
        SOP with steps run once per OPD is a census of every OPD's applications."""
        return not any(step.untuk_setiap for step in self.steps)

    @cached_property
    def working_day_fields(self) -> frozenset[str]:
        """Fields a later step's Waktu is read from (`waktu_from_field`): whole working days."""
        return frozenset(step.waktu_from_field for step in self.steps if step.waktu_from_field)

    @cached_property
    def third_party_roles(self) -> frozenset[str]:
        """Roles held by parties outside the regency's staff (`pihak_ketiga: true`, a vendor)."""
        return frozenset(role["key"] for role in self.roles if role.get("pihak_ketiga") is True)

    @cached_property
    def grants(self) -> dict[str, frozenset[str]]:
        """Role key -> the capabilities its `kewenangan` grants (simpatik.sop.capabilities)."""
        return {role["key"]: frozenset(role.get("kewenangan") or ()) for role in self.roles}

    @cached_property
    def system_grants(self) -> frozenset[str]:
        """What SIMPATIK itself may do when it acts for a step (`sistem.kewenangan`)."""
        return frozenset((self.raw.get("sistem") or {}).get("kewenangan") or ())

    def addressee_of(self, generate: str) -> str | None:
        """The role a generated document is addressed to (`kepada` on its Hasil item)."""
        for step in self.steps:
            for item in step.hasil:
                if item.generate == generate and item.kepada:
                    return item.kepada
        return None

    def supervised_by(self, role_keys) -> frozenset[str]:
        """Roles whose late steps the holder of any of `role_keys` oversees (`supervises`)."""
        return frozenset(
            key
            for role in self.roles
            if role["key"] in role_keys
            for key in role.get("supervises") or ()
        )

    @property
    def escalation(self) -> dict:
        """Working days before a deadline to remind its holder, and overdue before the nearest
        supervisor is told (`eskalasi` in the file; these defaults when it is absent)."""
        raw = self.raw.get("eskalasi") or {}
        return {
            "pengingat_sebelum": raw.get("pengingat_sebelum", 1),
            "atasan_setelah": raw.get("atasan_setelah", 2),
        }

    def supervisors_of(self, role_key: str) -> list[str]:
        """Roles that oversee `role_key`, nearest first (the one overseeing the fewest roles)."""
        over = [role for role in self.roles if role_key in (role.get("supervises") or ())]
        return [role["key"] for role in sorted(over, key=lambda r: len(r.get("supervises") or ()))]

    def resume_roles(self) -> frozenset[str]:
        """Roles that decide on a suspended project (`suspend.resume_role`)."""
        return frozenset(step.suspend["resume_role"] for step in self.steps if step.suspend)

    @cached_property
    def producers(self) -> dict[str, tuple[int, ...]]:
        """Item key -> the steps whose Hasil lists it: the steps that make it."""
        found: dict[str, list[int]] = {}
        for step in self.steps:
            for item in step.hasil:
                found.setdefault(item.key, []).append(step.number)
        return {key: tuple(numbers) for key, numbers in found.items()}

    @cached_property
    def predecessors(self) -> dict[int, frozenset[int]]:
        """Step -> every step that can run before it (through loops too)."""
        before: dict[int, set[int]] = {step.number: set() for step in self.steps}
        for step in self.steps:
            for target in step.targets:
                before.setdefault(target, set()).add(step.number)
        found = {}
        for number in before:
            seen, queue = set(), list(before[number])
            while queue:
                current = queue.pop()
                if current not in seen:
                    seen.add(current)
                    queue += before.get(current, ())
            found[number] = frozenset(seen)
        return found

    @cached_property
    def sources(self) -> dict[int, dict[str, int]]:
        """Step -> {Kelengkapan key: the earlier step whose Output it is}. Read there, never written.

        A Kelengkapan item that no earlier step produces is an outside input (the OPD's daftar
        kebutuhan at step 2, a mockup at 10): the step asking for it takes it. Step 4's updated
        daftar kebutuhan is its own Output, a new version of the list, which step 5 reads.
        """
        found: dict[int, dict[str, int]] = {}
        for step in self.steps:
            earlier = self.predecessors[step.number]
            found[step.number] = {
                item.key: max(n for n in self.producers[item.key] if n in earlier)
                for item in step.kelengkapan
                if any(n in earlier for n in self.producers.get(item.key, ()))
            }
        return found

    @cached_property
    def writers(self) -> dict[str, frozenset[int]]:
        """Item key -> the steps where it may be written (its Output step or the step asking for it)."""
        found: dict[str, set[int]] = {}
        for step in self.steps:
            for item in step.requirements:
                if item.key not in self.sources[step.number]:
                    found.setdefault(item.key, set()).add(step.number)
        return {key: frozenset(numbers) for key, numbers in found.items()}

    def writable(self, number: int, key: str) -> bool:
        return number in self.writers.get(key, ())


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a mapping with the same key twice (PyYAML keeps the last)."""


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise DefinitionError(
                [f"baris {key_node.start_mark.line + 1}: kunci '{key}' ditulis dua kali"]
            )
        seen[key] = True
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# The same loader on libyaml when PyYAML was built with it: a tenth of the time (the SOP
# editor checks the whole definition at each pause in typing).
_FastUniqueKeyLoader = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastUniqueKeyLoader(yaml.CSafeLoader):
        pass

    _FastUniqueKeyLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
    )


def parse_text(text: str) -> dict:
    try:
        data = yaml.load(text, Loader=_FastUniqueKeyLoader or _UniqueKeyLoader)  # noqa: S506
    except yaml.YAMLError:
        # Read again by the pure-Python loader: its message (with the line shown) is the one
        # administrators have always been given.
        try:
            data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
        except yaml.YAMLError as exc:
            raise DefinitionError([f"YAML tidak dapat dibaca: {exc}"]) from exc
    if not isinstance(data, dict):
        raise DefinitionError(["definisi harus berupa pemetaan (mapping) YAML"])
    return data
