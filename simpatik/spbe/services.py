"""Loading the SPBE mappings into versions, reading them, and making evidence bundles.

Each SOP has its own mapping (the file's `sop:` names it, its `kode` is its own); the pages, the
bundles and the command take an SOP's code and default to the seed SOP."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import can, require
from simpatik.audit.services import record
from simpatik.core.errors import NotFound, PermissionDenied, ValidationError, check_lengths
from simpatik.core.kept import Kept
from simpatik.core.precompiled import Precompiled
from simpatik.sop.definition import DefinitionError, parse_text
from simpatik.sop.services import active_version, version_in_force
from simpatik.spbe.mapping import Mapping, build_mapping
from simpatik.spbe.models import MappingVersion

# Parsed mappings by (mapping content, SOP content): the same pair is the same mapping.
_cache: dict[tuple[str, str], Mapping | None] = {}
_cache_lock = threading.Lock()


@dataclass
class LoadResult:
    version: MappingVersion
    created: bool


def check_mapping_text(text: str) -> tuple[Mapping, object]:
    """The checked mapping and the SOP version in force it was checked against, or
    DefinitionError naming every problem (an SOP not loaded yet is one too)."""
    data = parse_text(text)
    if not isinstance(data, dict):
        raise DefinitionError(["berkas pemetaan harus berupa pemetaan YAML"])
    kode = str(data.get("sop") or "").strip()
    if not kode:
        raise DefinitionError(["sop: wajib diisi dengan kode SOP yang dipetakan berkas ini"])
    try:
        sop_version = active_version(kode)
    except NotFound as exc:
        raise DefinitionError([f"sop: {exc.message}"]) from exc
    mapping = build_mapping(data, sop_version.definition)
    # One mapping kode, one SOP: loading another SOP's mapping under a kode in use would put the
    # first SOP's mapping out of force.
    taken = (
        MappingVersion.objects.filter(kode=mapping.kode)
        .exclude(sop_version__kode=sop_version.kode)
        .values_list("sop_version__kode", flat=True)
        .first()
    )
    if taken:
        raise DefinitionError(
            [
                f"kode: '{mapping.kode}' sudah dipakai pemetaan SOP {taken}; "
                f"pemetaan SOP {sop_version.kode} memerlukan kode sendiri"
            ]
        )
    return mapping, sop_version


def load_mapping(text: str, *, actor=None, note: str = "", via: str = "") -> LoadResult:
    """Store a mapping as the newest version of its kode; the same text checked against the same
    SOP version again changes nothing. A refused file changes nothing either."""
    if actor is not None and not can(actor, "administrasi"):
        raise PermissionDenied(
            _("Hanya administrator yang dapat memuat pemetaan SPBE."), code="not_admin"
        )
    mapping, sop_version = check_mapping_text(text)
    try:
        check_lengths(MappingVersion, note=note)
    except ValidationError as exc:
        raise DefinitionError([exc.message]) from exc
    digest = hashlib.sha256(text.encode()).hexdigest()
    with transaction.atomic():
        latest = (
            MappingVersion.objects.select_for_update()
            .filter(kode=mapping.kode)
            .order_by("-version")
            .first()
        )
        if (
            latest is not None
            and latest.sha256 == digest
            and latest.sop_version_id == sop_version.pk
        ):
            return LoadResult(latest, created=False)
        MappingVersion.objects.filter(kode=mapping.kode).update(berlaku=False)
        version = MappingVersion.objects.create(
            kode=mapping.kode,
            version=(latest.version + 1) if latest else 1,
            sop_version=sop_version,
            data=parse_text(text),
            source=text,
            sha256=digest,
            berlaku=True,
            loaded_by=actor,
            note=note,
        )
        record(
            "spbe.mapping.loaded",
            actor=actor,
            obj=version,
            via=via,
            data={
                "kode": version.kode,
                "version": version.version,
                "sop": sop_version.kode,
                "sop_version": sop_version.version,
                "sha256": digest,
                "indicators": len(mapping.indicators),
            },
        )
    return LoadResult(version, created=True)


def _parsed(row: MappingVersion, sop_version) -> Mapping | None:
    key = (row.sha256, sop_version.sha256)
    with _cache_lock:
        if key not in _cache:
            try:
                _cache[key] = build_mapping(row.data, sop_version.definition)
            except DefinitionError:
                _cache[key] = None  # written for another SOP revision whose steps differ
        return _cache[key]


def mapping_for(sop_version) -> tuple[MappingVersion, Mapping] | None:
    """The mapping that describes an SOP version: the newest checked against it, else the one in
    force if it still fits that version's steps; None when there is none."""
    # One query: the mappings checked against this version and those in force (a handful).
    found = MappingVersion.objects.filter(Q(sop_version=sop_version) | Q(berlaku=True))
    # Sorted here: the project page asks on every view, and Django compiled the ORDER BY over
    # this table's columns at more cost than the query took.
    found = sorted(found.order_by(), key=lambda row: (-row.version, row.kode))
    rows = [row for row in found if row.sop_version_id == sop_version.pk][:1]
    rows += sorted(
        (row for row in found if row.berlaku and row.data.get("sop") == sop_version.kode),
        key=lambda row: row.kode,
    )
    for row in rows:
        mapping = _parsed(row, sop_version)
        if mapping is not None:
            return row, mapping
    return None


def mapping_in_force(sop: str | None = None) -> tuple[object, MappingVersion, Mapping]:
    """The SOP `sop` in force (a code; the seed SOP without one) and its mapping: (SOP version,
    mapping row, mapping), or a clear refusal."""
    sop_version = version_in_force(sop)
    found = mapping_for(sop_version)
    if (
        found is None
        and MappingVersion.objects.filter(berlaku=True, sop_version__kode=sop_version.kode).exists()
    ):
        raise NotFound(
            _(
                "Pemetaan SPBE SOP %(sop)s yang berlaku tidak cocok dengan SOP versi "
                "%(version)s (langkahnya berubah). Muat pemetaan yang diperbarui: simpatik spbe "
                "load-mapping BERKAS"
            )
            % {"sop": sop_version.kode, "version": sop_version.version},
            code="mapping_outdated",
        )
    if found is None:
        raise NotFound(
            _("Pemetaan SPBE SOP %(sop)s belum dimuat. Jalankan: simpatik spbe load-mapping BERKAS")
            % {"sop": sop_version.kode},
            code="mapping_not_loaded",
        )
    return (sop_version, *found)


def active_mapping(sop: str | None = None) -> tuple[MappingVersion, Mapping]:
    """The mapping of the SOP `sop` in force (the seed SOP without one), or a clear refusal."""
    _sop_version, row, mapping = mapping_in_force(sop)
    return row, mapping


def stage_notes(sop_version) -> dict[int, str]:
    """Each step's development stage, for the SOP sheet and the project page (a step note);
    worked out once per request and SOP version, and once per process for the same mappings."""
    from simpatik.core.context import memoized

    def compute() -> dict[int, str]:
        # What mapping_for chooses from, without the texts: a row never changes but `berlaku`.
        key = (sop_version.pk, sop_version.sha256, tuple(_CANDIDATES.rows(pk=sop_version.pk)))
        notes = _notes.get(key)
        if notes is None:
            found = mapping_for(sop_version)
            mapping = found[1] if found is not None else None
            notes = {n: mapping.stage_name(n) for n in mapping.step_stage} if mapping else {}
            _notes.put(key, notes)
        return notes

    return memoized(f"spbe.stage_notes:{sop_version.pk}", compute)


def _candidates(pk):
    rows = MappingVersion.objects.filter(Q(sop_version_id=pk) | Q(berlaku=True)).order_by("pk")
    return rows.values_list("pk", "sop_version_id", "berlaku", "sha256")


_CANDIDATES = Precompiled(_candidates, pk=-424242)
# Step notes by the SOP version and the mappings that could describe it (stage_notes).
_notes = Kept(64)


def make_bundle(indicator: str, year: int, *, actor, via: str = "", sop: str | None = None):
    """The evidence bundle of one SOP (the seed SOP when none is named), indicator and year: a
    ZIP with the sealed index and the items. Recorded in the audit trail with the items' count;
    the bundle itself is not stored (the same period makes the same items again)."""
    from simpatik.spbe import bundle

    require(
        actor,
        "lihat_dasbor",
        message=_("Bundel bukti SPBE hanya untuk pemegang dasbor pengawasan."),
    )
    sop_version, row, mapping = mapping_in_force(sop)
    if indicator not in mapping.indicators:
        raise ValidationError(
            _("Indikator %(code)s tidak ada di pemetaan SPBE versi %(version)s.")
            % {"code": indicator, "version": row.version},
            code="unknown_indicator",
        )
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError(_("Tahun harus antara 2000 dan tahun berjalan."), code="invalid_year")
    made = bundle.build(
        mapping, row, mapping.indicators[indicator], year, actor=actor, sop_version=sop_version
    )
    with transaction.atomic():
        record(
            "spbe.bundle.made",
            actor=actor,
            obj=row,
            via=via,
            data={
                "sop": sop_version.kode,
                "indicator": indicator,
                "year": year,
                "items": len(made.items),
                "mapping_version": row.version,
                "sha256": hashlib.sha256(made.content).hexdigest(),
            },
        )
    return made
