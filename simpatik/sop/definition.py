"""The SOP definition: parsed from YAML, validated, and read by the engine.

A definition names its roles and steps; every step has a pelaksana (role), Kelengkapan (inputs
that must be present before it completes), Hasil (the Output items it must produce), a Waktu in
working days and exactly one way onward: `next`, a `decision` with options, `suspend`, or `end`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import yaml

FIELD_TYPES = ("text", "date", "number", "choice")
KINDS = ("document", "field")
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
    """A definition that cannot be used; `problems` lists each place and what is wrong."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str
    kind: str
    type: str | None = None
    choices: tuple = ()
    choices_from_role: str | None = None
    choices_from: str | None = None
    multiple: bool = False
    optional: bool = False
    generate: str | None = None
    validate: str | None = None  # a validator hook for the value (e.g. dns.subdomain)
    example: str | None = None  # a valid value, shown to people and to API clients
    assigns_team: bool = False
    when_decision: tuple = ()

    def applies_to(self, decision: str | None) -> bool:
        return not self.when_decision or decision in self.when_decision


@dataclass(frozen=True)
class DecisionOption:
    value: str
    label: str
    next: int
    requires_reason: bool = False


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
    def waktu_label(self) -> str:
        if self.waktu_from_field:
            return "sesuai jadwal"
        return f"{self.waktu} hari kerja"


@dataclass
class Definition:
    kode: str
    identitas: dict
    roles: list[dict]
    steps: list[Step]
    raw: dict = field(repr=False)

    @cached_property
    def by_number(self) -> dict[int, Step]:
        return {step.number: step for step in self.steps}

    def step(self, number: int) -> Step:
        return self.by_number[number]

    @property
    def first_step(self) -> Step:
        return self.steps[0]

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

    def label_of(self, key: str) -> str:
        """The label of a Kelengkapan/Hasil item by its key, as its producing step names it."""
        found = [item for step in self.steps for item in step.requirements if item.key == key]
        produced = [item for step in self.steps for item in step.hasil if item.key == key]
        return (produced or found)[0].label if (produced or found) else key

    @cached_property
    def role_names(self) -> dict[str, str]:
        return {role["key"]: role["nama"] for role in self.roles}


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


def parse_text(text: str) -> dict:
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DefinitionError([f"YAML tidak dapat dibaca: {exc}"]) from exc
    if not isinstance(data, dict):
        raise DefinitionError(["definisi harus berupa pemetaan (mapping) YAML"])
    return data
