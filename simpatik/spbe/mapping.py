"""The SOP mapped to the national frameworks: a YAML file read and checked against an SOP version.

The file names the development stages (`tahapan`), the evaluation indicators with the kinds of
evidence their bundle holds (`indikator`), and for every SOP step its stage and the indicators it
gives evidence for, optionally per Output (`hasil`). Every problem is reported with its place, in
Indonesian, and a file with any problem is refused whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simpatik.sop.definition import DefinitionError, parse_text

# The kinds of evidence a bundle can hold; each is drawn by simpatik.spbe.evidence.
EVIDENCE_KINDS = (
    "lembar_sop",
    "daftar_aplikasi",
    "naskah_proyek",
    "jejak_audit",
    "riwayat_repositori",
    "matriks_integrasi",
    "kinerja_langkah",
)
_TOP_KEYS = {"kode", "sop", "kerangka", "tahapan", "indikator", "langkah"}
_INDICATOR_KEYS = {"kode", "nama", "aspek", "bukti"}
_STEP_KEYS = {"langkah", "tahap", "indikator", "hasil"}


@dataclass(frozen=True)
class Indicator:
    kode: str
    nama: str
    aspek: str
    bukti: tuple[str, ...]


@dataclass
class Mapping:
    """A checked mapping: stages, indicators, and per step its stage and indicators."""

    kode: str
    sop: str
    kerangka: dict
    stages: dict[str, str]  # key -> name, in the file's order
    indicators: dict[str, Indicator]
    step_stage: dict[int, str] = field(default_factory=dict)
    step_indicators: dict[int, tuple[str, ...]] = field(default_factory=dict)
    output_indicators: dict[tuple[int, str], tuple[str, ...]] = field(default_factory=dict)

    def stage_name(self, number: int) -> str:
        return self.stages.get(self.step_stage.get(number, ""), "")

    def own_steps_of(self, kode: str) -> tuple[int, ...]:
        """The steps whose own indicators (not just one Output's) include `kode`."""
        return tuple(sorted(n for n, codes in self.step_indicators.items() if kode in codes))

    def steps_of(self, kode: str) -> tuple[int, ...]:
        """The steps whose own indicators, or one of whose Outputs, include `kode`."""
        numbers = set(self.own_steps_of(kode))
        numbers |= {n for (n, _key), codes in self.output_indicators.items() if kode in codes}
        return tuple(sorted(numbers))

    def outputs_of(self, kode: str) -> frozenset[str]:
        return frozenset(
            key for (_n, key), codes in self.output_indicators.items() if kode in codes
        )


def _text(value) -> str:
    return str(value).strip() if isinstance(value, str | int | float) else ""


def _unknown_keys(problems, place, entry, allowed):
    for key in sorted(set(entry) - allowed, key=str):
        problems.append(f"{place}: kunci '{key}' tidak dikenal")


def _stages(raw, problems) -> dict[str, str]:
    stages: dict[str, str] = {}
    if not isinstance(raw, list) or not raw:
        problems.append("tahapan: harus berupa daftar tahap yang tidak kosong")
        return stages
    for index, entry in enumerate(raw, start=1):
        key = _text(entry.get("key")) if isinstance(entry, dict) else ""
        name = _text(entry.get("nama")) if isinstance(entry, dict) else ""
        if not key or not name:
            problems.append(f"tahapan ke-{index}: harus memiliki 'key' dan 'nama'")
        elif key in stages:
            problems.append(f"tahapan ke-{index}: tahap '{key}' ganda")
        else:
            stages[key] = name
    return stages


def _indicators(raw, problems) -> dict[str, Indicator]:
    found: dict[str, Indicator] = {}
    if not isinstance(raw, list) or not raw:
        problems.append("indikator: harus berupa daftar indikator yang tidak kosong")
        return found
    for index, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.append(f"indikator ke-{index}: harus berupa pemetaan")
            continue
        kode, nama = _text(entry.get("kode")), _text(entry.get("nama"))
        place = f"indikator {kode or f'ke-{index}'}"
        _unknown_keys(problems, place, entry, _INDICATOR_KEYS)
        if not kode or not nama:
            problems.append(f"{place}: harus memiliki 'kode' dan 'nama'")
            continue
        if kode in found:
            problems.append(f"{place}: kode indikator ganda")
            continue
        bukti = entry.get("bukti") or []
        if not isinstance(bukti, list) or not bukti:
            problems.append(f"{place}: 'bukti' harus berupa daftar jenis bukti yang tidak kosong")
            bukti = []
        for kind in bukti:
            if kind not in EVIDENCE_KINDS:
                problems.append(
                    f"{place}: jenis bukti '{kind}' tidak dikenal "
                    f"(yang dikenal: {', '.join(EVIDENCE_KINDS)})"
                )
        if len(set(bukti)) != len(bukti):
            problems.append(f"{place}: jenis bukti ganda")
        found[kode] = Indicator(kode, nama, _text(entry.get("aspek")), tuple(dict.fromkeys(bukti)))
    return found


def _codes(value, place, indicators, problems) -> tuple[str, ...]:
    if not isinstance(value, list):
        problems.append(f"{place}: harus berupa daftar kode indikator")
        return ()
    codes = [_text(code) for code in value]
    for code in codes:
        if code not in indicators:
            problems.append(f"{place}: indikator '{code}' tidak dikenal")
    if len(set(codes)) != len(codes):
        problems.append(f"{place}: indikator ganda")
    return tuple(dict.fromkeys(codes))


def _step_entries(raw, mapping: Mapping, definition, problems) -> None:
    steps = definition.by_number
    if not isinstance(raw, list):
        problems.append("langkah: harus berupa daftar langkah")
        return
    for index, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.append(f"langkah ke-{index}: harus berupa pemetaan")
            continue
        number = entry.get("langkah")
        place = f"langkah {number}" if isinstance(number, int) else f"langkah ke-{index}"
        _unknown_keys(problems, place, entry, _STEP_KEYS)
        if not isinstance(number, int) or isinstance(number, bool):
            problems.append(f"{place}: 'langkah' harus berupa nomor langkah")
            continue
        if number not in steps:
            problems.append(
                f"{place}: tidak ada di SOP {definition.kode} (langkahnya 1 sampai {len(steps)})"
                if steps
                else f"{place}: tidak ada di SOP {definition.kode}"
            )
            continue
        if number in mapping.step_stage:
            problems.append(f"{place}: dipetakan lebih dari sekali")
            continue
        stage = _text(entry.get("tahap"))
        if stage not in mapping.stages:
            problems.append(
                f"{place}: tahap '{stage}' tidak dikenal "
                f"(yang dikenal: {', '.join(mapping.stages)})"
            )
        mapping.step_stage[number] = stage
        mapping.step_indicators[number] = _codes(
            entry.get("indikator", []), f"{place} indikator", mapping.indicators, problems
        )
        outputs = entry.get("hasil") or {}
        if not isinstance(outputs, dict):
            problems.append(f"{place} hasil: harus berupa pemetaan Output ke indikator")
            continue
        keys = {item.key for item in steps[number].hasil}
        for key, codes in outputs.items():
            if key not in keys:
                problems.append(
                    f"{place} hasil '{key}': bukan Output langkah {number} "
                    f"(Output-nya: {', '.join(sorted(keys)) or '-'})"
                )
                continue
            mapping.output_indicators[(number, key)] = _codes(
                codes, f"{place} hasil '{key}'", mapping.indicators, problems
            )


def build_mapping(data, definition) -> Mapping:
    """A checked Mapping of parsed YAML against an SOP Definition, or DefinitionError."""
    if not isinstance(data, dict):
        raise DefinitionError(["berkas pemetaan harus berupa pemetaan YAML"])
    problems: list[str] = []
    _unknown_keys(problems, "berkas pemetaan", data, _TOP_KEYS)
    kode, sop = _text(data.get("kode")), _text(data.get("sop"))
    if not kode:
        problems.append("kode: wajib diisi")
    if sop != definition.kode:
        problems.append(f"sop: '{sop}' bukan SOP yang berlaku ({definition.kode})")
    kerangka = data.get("kerangka") if isinstance(data.get("kerangka"), dict) else {}
    if not _text(kerangka.get("nama")):
        problems.append("kerangka: harus memiliki 'nama' kerangka evaluasi")
    mapping = Mapping(
        kode=kode,
        sop=sop,
        kerangka={k: _text(v) for k, v in kerangka.items()},
        stages=_stages(data.get("tahapan"), problems),
        indicators=_indicators(data.get("indikator"), problems),
    )
    _step_entries(data.get("langkah"), mapping, definition, problems)
    missing = [step.number for step in definition.steps if step.number not in mapping.step_stage]
    if missing:
        problems.append(
            f"langkah: langkah {', '.join(map(str, missing))} dari SOP {definition.kode} "
            "belum dipetakan"
        )
    if problems:
        raise DefinitionError(problems)
    return mapping


def parse_mapping(text: str, definition) -> Mapping:
    return build_mapping(parse_text(text), definition)
