"""Validating a parsed SOP definition; every problem names its place (step, item, key)."""

from __future__ import annotations

from simpatik.sop.capabilities import CAPABILITIES
from simpatik.sop.definition import (
    DEFAULT_ACCEPT,
    FIELD_TYPES,
    FILE_KINDS,
    IDENTITY_KEYS,
    KINDS,
    TEXT_WIDGETS,
    DecisionOption,
    Definition,
    DefinitionError,
    Requirement,
    Step,
)

# The keys each level of a definition may have. Anything else is refused when a definition is
# loaded: a label YAML split at a comma ("... infrastruktur, SDM dan anggaran" in a flow mapping)
# becomes an extra key, and must fail loudly instead of cutting the label short.
TOP_KEYS = {"kode", "identitas", "roles", "steps", "usulan", "eskalasi", "sistem"}
SYSTEM_KEYS = {"nama", "kewenangan"}
ESCALATION_KEYS = {"pengingat_sebelum", "atasan_setelah"}
# `status: draf` (with `catatan_status`) marks an SOP not yet confirmed and signed by the Kadis:
# its sheet carries the mark until a revised file drops it.
IDENTITY_STATUSES = ("draf",)
# nama_singkat: the short name a list shows beside a project while several SOPs are in force.
IDENTITY_ALL = {
    "instansi",
    "dinas",
    "bidang",
    "seksi",
    "status",
    "catatan_status",
    "nama_singkat",
    *IDENTITY_KEYS,
}
SIGNER_KEYS = {"jabatan", "nama", "nip"}
# pihak_ketiga: a party outside the regency's staff (a vendor): it sees only the projects whose
# team it is on, never its OPD's other projects, usulan or inventory.
ROLE_KEYS = {"key", "nama", "jabatan", "supervises", "kewenangan", "lingkup", "pihak_ketiga"}
# `lingkup: opd`: the role acts only on projects of its holder's own OPD (the requesting OPD's
# application manager); without it a role acts on every project of the SOP.
ROLE_SCOPES = ("opd",)
STEP_KEYS = {
    "number",
    "role",
    "uraian",
    "items",
    "kelengkapan",
    "hasil",
    "waktu",
    "waktu_from_field",
    "output",
    "next",
    "decision",
    "suspend",
    "end",
    "effects",
    "evidence",
    "untuk_setiap",
}
# `untuk_setiap: opd`: the step runs once per active OPD; the step after a run of such steps
# opens when every OPD's part has reached it.
STEP_FANOUTS = ("opd",)
ITEM_KEYS = {
    "key",
    "kind",
    "label",
    "type",
    "choices",
    "choice_labels",
    "choices_from",
    "choices_from_role",
    "multiple",
    "optional",
    "generate",
    "validate",
    "example",
    "assigns_team",
    "when_decision",
    "min",
    "max",
    "accept",
    "widget",
    "kepada",
}
DECISION_KEYS = {"label", "options"}
OPTION_KEYS = {"value", "label", "next", "requires_reason", "freezes"}
SUSPEND_KEYS = {"resume_role", "resume_to"}


class _Checker:
    """Collects problems; each also keeps `path`, where it is in the parsed data (keys and 0-based
    list indices, e.g. ("steps", 2, "waktu")), so the SOP editor can show it next to its field."""

    def __init__(self, strict: bool = True):
        self.problems: list[str] = []
        self.paths: list[tuple] = []
        self.strict = strict

    def fail(self, where: str, message: str, path: tuple = ()) -> None:
        self.problems.append(f"{where}: {message}")
        self.paths.append(tuple(path))

    def known(self, where: str, raw, allowed: set, path: tuple = ()) -> None:
        if not self.strict or not isinstance(raw, dict):
            return
        for key in sorted(set(raw) - allowed, key=str):
            self.fail(where, f"kunci '{key}' tidak dikenal", (*path, key))


def _requirements(check, where, raw_items, roles, seen_kinds, path=()) -> list[Requirement]:
    items = []
    if raw_items is None:
        return items
    if not isinstance(raw_items, list):
        check.fail(where, "harus berupa daftar", path)
        return items
    for index, raw in enumerate(raw_items, start=1):
        place, at = f"{where}[{index}]", (*path, index - 1)
        if not isinstance(raw, dict):
            check.fail(place, "harus berupa pemetaan dengan key, kind dan label", at)
            continue
        key, kind, label = raw.get("key"), raw.get("kind"), raw.get("label")
        if not key or not isinstance(key, str):
            check.fail(place, "kunci (key) wajib diisi", (*at, "key"))
            continue
        place = f"{where} '{key}'"
        check.known(place, raw, ITEM_KEYS, at)
        if kind not in KINDS:
            check.fail(
                place,
                f"jenis (kind) '{kind}' tidak dikenal; pilih document atau field",
                (*at, "kind"),
            )
            continue
        if not label:
            check.fail(place, "label wajib diisi", (*at, "label"))
        if key in seen_kinds and seen_kinds[key] != kind:
            check.fail(
                place, f"kunci ini dipakai sebagai {seen_kinds[key]} di langkah lain", (*at, "kind")
            )
        seen_kinds.setdefault(key, kind)
        field_type = raw.get("type")
        choices = tuple(raw.get("choices") or ())
        from_role = raw.get("choices_from_role")
        provider = raw.get("choices_from")
        if kind == "field":
            if field_type not in FIELD_TYPES:
                check.fail(
                    place,
                    f"tipe isian '{field_type}' tidak dikenal ({', '.join(FIELD_TYPES)})",
                    (*at, "type"),
                )
            if field_type == "choice" and not choices and not from_role and not provider:
                check.fail(place, "isian pilihan (choice) tanpa pilihan", (*at, "choices"))
            if from_role and from_role not in roles:
                check.fail(place, f"peran '{from_role}' tidak dikenal", (*at, "choices_from_role"))
        labels = _choice_labels(check, place, raw, choices, at)
        addressee = raw.get("kepada")
        if addressee is not None and (not raw.get("generate") or addressee not in roles):
            check.fail(
                place,
                f"kepada '{addressee}' harus peran yang dikenal pada dokumen generate",
                (*at, "kepada"),
            )
        accept, widget = _accept_and_widget(check, place, raw, kind, field_type, at)
        bounds = {name: raw.get(name) for name in ("min", "max") if raw.get(name) is not None}
        for name, bound in bounds.items():
            if (
                field_type != "number"
                or isinstance(bound, bool)
                or not isinstance(bound, int | float)
            ):
                check.fail(
                    place, f"{name} hanya untuk isian angka dan harus berupa angka", (*at, name)
                )
                bounds = {}
                break
        if len(bounds) == 2 and bounds["min"] > bounds["max"]:
            check.fail(place, "min lebih besar dari max", (*at, "min"))
        items.append(
            Requirement(
                key=key,
                label=str(label or key),
                kind=kind,
                type=field_type if kind == "field" else None,
                choices=choices,
                choice_labels=labels,
                choices_from_role=from_role,
                choices_from=provider,
                multiple=bool(raw.get("multiple")),
                optional=bool(raw.get("optional")),
                generate=raw.get("generate") if kind == "document" else None,
                validate=raw.get("validate"),
                example=str(raw["example"]) if raw.get("example") is not None else None,
                assigns_team=bool(raw.get("assigns_team")),
                when_decision=tuple(raw.get("when_decision") or ()),
                accept=accept,
                widget=widget,
                min=bounds.get("min"),
                max=bounds.get("max"),
                kepada=addressee,
            )
        )
    return items


def _choice_labels(check, place, raw, choices, at=()) -> tuple:
    """`choice_labels:` {choice: label}: what people read for a choice (`pihak_ketiga` as
    "Pihak ketiga (vendor)"); every key one of `choices`, every label a text."""
    labels = raw.get("choice_labels")
    if labels is None:
        return ()
    known = {str(choice) for choice in choices}
    if (
        not isinstance(labels, dict)
        or not {str(key) for key in labels} <= known
        or not all(isinstance(label, str) and label.strip() for label in labels.values())
    ):
        check.fail(
            place,
            "choice_labels harus memetakan pilihan dari choices ke labelnya",
            (*at, "choice_labels"),
        )
        return ()
    return tuple((str(key), label.strip()) for key, label in labels.items())


def _accept_and_widget(check, place, raw, kind, field_type, at=()) -> tuple[tuple, str]:
    """`accept:` (kinds of file, documents only) and `widget:` (text fields only)."""
    accept, widget = DEFAULT_ACCEPT, raw.get("widget") or "paragraph"
    if "accept" in raw:
        found = raw["accept"]
        if kind != "document":
            check.fail(place, "accept hanya untuk dokumen", (*at, "accept"))
        elif not isinstance(found, list) or not found:
            check.fail(
                place,
                f"accept harus daftar jenis berkas ({', '.join(FILE_KINDS)})",
                (*at, "accept"),
            )
        elif unknown := [str(k) for k in found if k not in FILE_KINDS]:
            check.fail(
                place,
                f"jenis berkas {', '.join(unknown)} tidak dikenal ({', '.join(FILE_KINDS)})",
                (*at, "accept"),
            )
        else:
            accept = tuple(dict.fromkeys(found))
    if "widget" in raw and (kind != "field" or field_type != "text"):
        check.fail(place, "widget hanya untuk isian teks", (*at, "widget"))
    elif widget not in TEXT_WIDGETS:
        check.fail(
            place,
            f"widget '{widget}' tidak dikenal ({', '.join(TEXT_WIDGETS)})",
            (*at, "widget"),
        )
    return accept, widget


def _decision(check, where, raw, path=()) -> tuple[str, list[DecisionOption]]:
    if not isinstance(raw, dict):
        check.fail(
            where, "keputusan (decision) harus berupa pemetaan dengan label dan options", path
        )
        return "", []
    check.known(where, raw, DECISION_KEYS, path)
    options_raw = raw.get("options")
    if not options_raw or not isinstance(options_raw, list):
        check.fail(where, "keputusan tanpa pilihan (options)", (*path, "options"))
        return str(raw.get("label") or ""), []
    options, values = [], set()
    for index, option in enumerate(options_raw, start=1):
        place, at = f"{where} pilihan {index}", (*path, "options", index - 1)
        if not isinstance(option, dict) or not option.get("value"):
            check.fail(place, "pilihan harus punya value", (*at, "value"))
            continue
        if option["value"] in values:
            check.fail(place, f"nilai '{option['value']}' ditulis dua kali", (*at, "value"))
        values.add(option["value"])
        place = f"{where} pilihan '{option['value']}'"
        check.known(place, option, OPTION_KEYS, at)
        if not isinstance(option.get("next"), int):
            check.fail(place, "pilihan harus punya langkah berikutnya (next)", (*at, "next"))
            continue
        freezes = option.get("freezes") or []
        if not isinstance(freezes, list) or not all(isinstance(k, str) for k in freezes):
            check.fail(place, "freezes harus berupa daftar kunci isian/dokumen", (*at, "freezes"))
            freezes = []
        options.append(
            DecisionOption(
                value=str(option["value"]),
                label=str(option.get("label") or option["value"]),
                next=option["next"],
                requires_reason=bool(option.get("requires_reason")),
                freezes=tuple(freezes),
            )
        )
    if len(options) == 1:
        check.fail(where, "keputusan harus punya paling sedikit dua pilihan", (*path, "options"))
    return str(raw.get("label") or ""), options


def _step(check, index, raw, roles, seen_kinds) -> Step | None:
    where, at = f"langkah ke-{index}", ("steps", index - 1)
    if not isinstance(raw, dict):
        check.fail(where, "harus berupa pemetaan", at)
        return None
    number = raw.get("number")
    if not isinstance(number, int) or number < 1:
        check.fail(where, "nomor (number) harus bilangan bulat positif", (*at, "number"))
        return None
    where = f"langkah {number}"
    check.known(where, raw, STEP_KEYS, at)
    role = raw.get("role")
    if role not in roles:
        check.fail(where, f"pelaksana (role) '{role}' tidak dikenal", (*at, "role"))
    if not raw.get("uraian"):
        check.fail(where, "uraian prosedur wajib diisi", (*at, "uraian"))
    waktu, from_field = raw.get("waktu"), raw.get("waktu_from_field")
    if from_field is None and (not isinstance(waktu, int) or waktu < 1):
        check.fail(where, "waktu harus jumlah hari kerja (bilangan bulat positif)", (*at, "waktu"))
    kelengkapan = _requirements(
        check,
        f"{where} kelengkapan",
        raw.get("kelengkapan"),
        roles,
        seen_kinds,
        (*at, "kelengkapan"),
    )
    hasil = _requirements(
        check, f"{where} hasil", raw.get("hasil"), roles, seen_kinds, (*at, "hasil")
    )
    keys = [item.key for item in kelengkapan + hasil]
    for key in {k for k in keys if keys.count(k) > 1}:
        check.fail(where, f"kunci '{key}' ditulis dua kali", _item_path(raw, at, key))
    ways = [name for name in ("next", "decision", "suspend", "end") if raw.get(name)]
    if len(ways) != 1:
        check.fail(
            where,
            "harus punya tepat satu kelanjutan: next, decision, suspend atau end",
            (*at, ways[-1] if ways else "next"),
        )
    decision_label, options = "", []
    if raw.get("decision") is not None:
        decision_label, options = _decision(
            check, f"{where} keputusan", raw["decision"], (*at, "decision")
        )
    suspend = raw.get("suspend")
    if suspend is not None and (
        not isinstance(suspend, dict)
        or suspend.get("resume_role") not in roles
        or not isinstance(suspend.get("resume_to"), int)
    ):
        check.fail(
            where,
            "penangguhan (suspend) butuh resume_role yang dikenal dan resume_to",
            (*at, "suspend"),
        )
        suspend = None
    check.known(f"{where} suspend", suspend, SUSPEND_KEYS, (*at, "suspend"))
    effects = raw.get("effects") or []
    if not isinstance(effects, list) or not all(isinstance(e, str) for e in effects):
        check.fail(where, "efek (effects) harus berupa daftar nama", (*at, "effects"))
        effects = []
    fanout = _fanout(check, where, raw)
    values = {option.value for option in options}
    for item in kelengkapan + hasil:
        for value in item.when_decision:
            if value not in values:
                check.fail(
                    f"{where} '{item.key}'",
                    f"when_decision '{value}' bukan pilihan keputusan",
                    (*_item_path(raw, at, item.key), "when_decision"),
                )
    return Step(
        number=number,
        role=str(role),
        uraian=str(raw.get("uraian") or ""),
        items=tuple(raw.get("items") or ()),
        kelengkapan=tuple(kelengkapan),
        hasil=tuple(hasil),
        output=str(raw.get("output") or ""),
        waktu=waktu if from_field is None else None,
        waktu_from_field=from_field,
        next=raw.get("next") if isinstance(raw.get("next"), int) else None,
        decision_label=decision_label,
        decisions=tuple(options),
        suspend=suspend,
        end=bool(raw.get("end")),
        effects=tuple(effects),
        evidence=tuple(raw.get("evidence") or ()),
        untuk_setiap=fanout,
    )


def _fanout(check, where: str, raw: dict) -> str | None:
    fanout = raw.get("untuk_setiap")
    if fanout is None:
        return None
    if fanout not in STEP_FANOUTS:
        check.fail(where, f"untuk_setiap '{fanout}' tidak dikenal (pilihan: opd)")
        return None
    if raw.get("suspend") or raw.get("end"):
        check.fail(where, "langkah untuk_setiap tidak dapat menangguhkan atau mengakhiri proyek")
    return fanout


def _item_path(raw: dict, at: tuple, key: str) -> tuple:
    """Where the last Kelengkapan/Hasil item of `key` is in a raw step (for error paths)."""
    found = at
    for part in ("kelengkapan", "hasil"):
        items = raw.get(part)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and item.get("key") == key:
                found = (*at, part, index)
    return found


def _targets(step: Step) -> list[tuple[str, int, tuple]]:  # labelled, for messages and paths
    targets = []
    if step.next is not None:
        targets.append(("next", step.next, ("next",)))
    targets += [
        (f"pilihan '{option.value}'", option.next, ("decision", "options", index, "next"))
        for index, option in enumerate(step.decisions)
    ]
    if step.suspend:
        targets.append(("resume_to", step.suspend["resume_to"], ("suspend", "resume_to")))
    return targets


def build_definition(data: dict, *, strict: bool = True) -> Definition:
    """Validate parsed data and return the Definition, or raise DefinitionError listing problems.

    `strict=False` is for versions already stored: they were accepted by the rules of their day,
    and a running project must keep reading its version after the rules grow stricter.
    """
    check = _Checker(strict)
    check.known("definisi", data, TOP_KEYS)
    kode = data.get("kode")
    if not kode or not isinstance(kode, str):
        check.fail("kode", "kode SOP wajib diisi", ("kode",))
    identitas = data.get("identitas") or {}
    if not isinstance(identitas, dict):
        check.fail("identitas", "harus berupa pemetaan", ("identitas",))
        identitas = {}
    for key in IDENTITY_KEYS:
        if key not in identitas:
            check.fail("identitas", f"'{key}' belum ada", ("identitas", key))
    check.known("identitas", identitas, IDENTITY_ALL, ("identitas",))
    short = identitas.get("nama_singkat")
    if short is not None and (not isinstance(short, str) or len(short) > 60):
        check.fail(
            "identitas",
            "nama_singkat harus teks paling panjang 60 huruf",
            ("identitas", "nama_singkat"),
        )
    if identitas.get("status") not in (None, "", *IDENTITY_STATUSES):
        check.fail(
            "identitas",
            f"status '{identitas['status']}' tidak dikenal (pilihan: draf)",
            ("identitas", "status"),
        )
    check.known(
        "identitas disahkan_oleh",
        identitas.get("disahkan_oleh"),
        SIGNER_KEYS,
        ("identitas", "disahkan_oleh"),
    )
    roles_raw = data.get("roles") or []
    roles: dict[str, dict] = {}
    role_index: dict[str, int] = {}
    for index, role in enumerate(roles_raw if isinstance(roles_raw, list) else [], start=1):
        at = ("roles", index - 1)
        if not isinstance(role, dict) or not role.get("key") or not role.get("nama"):
            missing = "key" if not isinstance(role, dict) or not role.get("key") else "nama"
            check.fail(f"peran ke-{index}", "harus punya key dan nama", (*at, missing))
        elif role["key"] in roles:
            check.fail(f"peran '{role['key']}'", "kunci peran ditulis dua kali", (*at, "key"))
        else:
            check.known(f"peran '{role['key']}'", role, ROLE_KEYS, at)
            roles[role["key"]] = role
            role_index[role["key"]] = index - 1
    if not roles:
        check.fail("roles", "belum ada peran (pelaksana)", ("roles",))
    for key, role in roles.items():
        at = ("roles", role_index[key])
        supervises = role.get("supervises") or []
        if not isinstance(supervises, list) or any(
            other not in roles or other == key for other in supervises
        ):
            check.fail(
                f"peran '{key}'",
                "supervises harus daftar peran lain yang dikenal",
                (*at, "supervises"),
            )
        _capabilities(check, f"peran '{key}'", role.get("kewenangan"), at)
        if role.get("pihak_ketiga") not in (None, True, False):
            check.fail(
                f"peran '{key}'", "pihak_ketiga harus true atau false", (*at, "pihak_ketiga")
            )
        if role.get("lingkup") is not None and role["lingkup"] not in ROLE_SCOPES:
            check.fail(
                f"peran '{key}'",
                f"lingkup '{role['lingkup']}' tidak dikenal (pilihan: opd)",
                (*at, "lingkup"),
            )
    _system(check, data.get("sistem"))
    _escalation(check, data.get("eskalasi"))
    steps_raw = data.get("steps")
    if not isinstance(steps_raw, list) or not steps_raw:
        check.fail("steps", "belum ada langkah", ("steps",))
        steps_raw = []
    steps: list[Step] = []
    seen_kinds: dict[str, str] = {}
    numbers: dict[int, int] = {}  # step number -> its index in `steps:`
    for index, raw in enumerate(steps_raw, start=1):
        step = _step(check, index, raw, roles, seen_kinds)
        if step is None:
            continue
        if step.number in numbers:
            check.fail(
                f"langkah {step.number}",
                "nomor langkah ditulis dua kali",
                ("steps", index - 1, "number"),
            )
            continue
        numbers[step.number] = index - 1
        steps.append(step)
    field_keys = {item.key for s in steps for item in s.requirements if item.kind == "field"}
    all_keys = {item.key for s in steps for item in s.requirements}
    for step in steps:
        at = ("steps", numbers[step.number])
        for label, target, suffix in _targets(step):
            if target not in numbers:
                check.fail(
                    f"langkah {step.number}",
                    f"{label} menuju langkah {target} yang tidak ada",
                    (*at, *suffix),
                )
        for index, option in enumerate(step.decisions):
            for key in option.freezes:
                if key not in all_keys:
                    check.fail(
                        f"langkah {step.number} keputusan pilihan '{option.value}'",
                        f"freezes '{key}' bukan kunci isian atau dokumen SOP ini",
                        (*at, "decision", "options", index, "freezes"),
                    )
        if step.waktu_from_field and step.waktu_from_field not in field_keys:
            check.fail(
                f"langkah {step.number}",
                f"waktu_from_field '{step.waktu_from_field}' bukan isian",
                (*at, "waktu_from_field"),
            )
    if steps and steps[0].untuk_setiap:
        check.fail(f"langkah {steps[0].number}", "langkah pertama tidak dapat untuk_setiap")
    if steps and not check.problems:
        by_number = {step.number: step for step in steps}
        reached, queue = set(), [steps[0].number]
        while queue:
            number = queue.pop()
            if number in reached:
                continue
            reached.add(number)
            queue += [target for _label, target, _at in _targets(by_number[number])]
        for step in steps:
            if step.number not in reached:
                check.fail(
                    f"langkah {step.number}",
                    "tidak dapat dicapai dari langkah pertama",
                    ("steps", numbers[step.number], "number"),
                )
        if not any(by_number[number].end for number in reached):
            check.fail("steps", "tidak ada langkah akhir (end) yang dapat dicapai", ("steps",))
    lampiran = _usulan(check, data.get("usulan"), steps, roles, seen_kinds)
    if check.problems:
        raise DefinitionError(check.problems, check.paths)
    return Definition(
        kode=kode,
        identitas=identitas,
        roles=list(roles.values()),
        steps=steps,
        raw=data,
        usulan_lampiran=tuple(lampiran),
    )


def _usulan(check, raw, steps, roles, seen_kinds) -> list[Requirement]:
    """`usulan.lampiran`: documents an OPD attaches, each one a step's Kelengkapan document."""
    if raw is None:
        return []
    if not isinstance(raw, dict) or set(raw) - {"lampiran"}:
        check.fail("usulan", "harus berupa pemetaan dengan lampiran saja", ("usulan",))
        return []
    at = ("usulan", "lampiran")
    items = _requirements(
        check, "usulan lampiran", raw.get("lampiran"), roles, dict(seen_kinds), at
    )
    asked = {i.key for s in steps for i in s.kelengkapan if i.kind == "document"}
    for index, item in enumerate(items):
        if item.kind != "document" or item.key not in asked:
            check.fail(
                f"usulan lampiran '{item.key}'",
                "harus dokumen yang diminta sebagai kelengkapan sebuah langkah",
                (*at, index, "key"),
            )
    return items


def _capabilities(check, where, raw, path=()) -> None:
    """`kewenangan`: capabilities from the vocabulary in simpatik.sop.capabilities."""
    if raw is None:
        return
    at = (*path, "kewenangan")
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        check.fail(f"{where} kewenangan", "harus daftar kewenangan", at)
        return
    for item in raw:
        if item not in CAPABILITIES:
            check.fail(
                f"{where} kewenangan",
                f"'{item}' tidak dikenal (pilih dari: {', '.join(sorted(CAPABILITIES))})",
                at,
            )
    if len(set(raw)) != len(raw):
        check.fail(f"{where} kewenangan", "ada kewenangan yang ditulis dua kali", at)


def _system(check, raw) -> None:
    """`sistem`: what SIMPATIK itself may do when it acts for a step (registering the application,
    provisioning); its work is recorded under its own name, never under a person's."""
    if raw is None:
        return
    if not isinstance(raw, dict):
        check.fail("sistem", "harus berupa pemetaan dengan nama dan kewenangan", ("sistem",))
        return
    check.known("sistem", raw, SYSTEM_KEYS, ("sistem",))
    _capabilities(check, "sistem", raw.get("kewenangan"), ("sistem",))


def _escalation(check, raw) -> None:
    """`eskalasi`: working days before a deadline to remind, and overdue before the supervisor hears."""
    if raw is None:
        return
    if not isinstance(raw, dict):
        check.fail("eskalasi", "harus berupa pemetaan", ("eskalasi",))
        return
    check.known("eskalasi", raw, ESCALATION_KEYS, ("eskalasi",))
    for key in ESCALATION_KEYS & set(raw):
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 60:
            check.fail(
                f"eskalasi {key}", "harus bilangan hari kerja 0 sampai 60", ("eskalasi", key)
            )
