"""Loading SOP definitions into versions."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from simpatik.accounts.models import Role
from simpatik.audit.services import record
from simpatik.core.errors import NotFound, ValidationError, check_lengths
from simpatik.sop.definition import Definition, DefinitionError, parse_text
from simpatik.sop.hooks import unknown_hooks
from simpatik.sop.models import SopVersion
from simpatik.sop.validation import build_definition


@dataclass
class LoadResult:
    version: SopVersion
    created: bool


def check_definition_text(text: str) -> Definition:
    """Parse and validate; raises DefinitionError naming each problem."""
    definition = build_definition(parse_text(text))
    problems = unknown_hooks(definition)
    if problems:
        raise DefinitionError(problems)
    return definition


def load_definition(text: str, *, actor=None, note: str = "", via: str = "") -> LoadResult:
    """Store a definition as the newest version of its SOP; the same text again changes nothing.
    The text of the newest draft revision activates that draft instead of storing it twice."""
    definition = check_definition_text(text)
    _check_note(note)
    digest = hashlib.sha256(text.encode()).hexdigest()
    with transaction.atomic():
        latest = _latest(definition.kode)
        if latest is not None and latest.sha256 == digest:
            if latest.draf:
                return LoadResult(_activate(latest, definition, actor=actor, via=via), True)
            return LoadResult(latest, created=False)
        version = _store(definition, text, digest, latest, actor=actor, note=note, draft=False)
        _activate(version, definition, actor=actor, via=via)
    return LoadResult(version, created=True)


def save_draft(text: str, *, actor, note: str = "", via: str = "") -> SopVersion:
    """Store a checked definition as a draft revision: a new version number, in force for
    nobody (the active version is left exactly as it is) until an administrator loads it."""
    definition = check_definition_text(text)
    _check_note(note)
    digest = hashlib.sha256(text.encode()).hexdigest()
    with transaction.atomic():
        latest = _latest(definition.kode)
        if latest is not None and latest.sha256 == digest:
            return latest
        version = _store(definition, text, digest, latest, actor=actor, note=note, draft=True)
        record(
            "sop.version.drafted",
            actor=actor,
            obj=version,
            via=via,
            data={
                "kode": version.kode,
                "version": version.version,
                "sha256": digest,
                "note": note,
            },
        )
    return version


def _check_note(note: str) -> None:
    try:
        check_lengths(SopVersion, note=note)
    except ValidationError as exc:
        raise DefinitionError([exc.message]) from exc


def _latest(kode: str) -> SopVersion | None:
    return SopVersion.objects.select_for_update().filter(kode=kode).order_by("-version").first()


def _store(definition, text, digest, latest, *, actor, note, draft) -> SopVersion:
    return SopVersion.objects.create(
        kode=definition.kode,
        version=(latest.version + 1) if latest else 1,
        judul=str(definition.identitas.get("judul") or definition.kode),
        data=definition.raw,
        source=text,
        sha256=digest,
        berlaku=False,
        draf=draft,
        loaded_by=actor,
        note=note,
    )


def _activate(version: SopVersion, definition, *, actor, via) -> SopVersion:
    """Put a stored version in force for new projects (running ones keep theirs)."""
    for role in definition.roles:
        Role.objects.update_or_create(
            key=role["key"], defaults={"nama": role["nama"], "jabatan": role.get("jabatan", "")}
        )
    SopVersion.objects.filter(kode=version.kode).update(berlaku=False)
    SopVersion.objects.filter(pk=version.pk).update(berlaku=True, draf=False)
    record(
        "sop.version.loaded",
        actor=actor,
        obj=version,
        via=via,
        data={
            "kode": version.kode,
            "version": version.version,
            "sha256": version.sha256,
            "steps": len(definition.steps),
        },
    )
    return SopVersion.objects.get(pk=version.pk)


def active_version(kode: str | None = None) -> SopVersion:
    kode = kode or settings.SIMPATIK_SOP_KODE
    version = SopVersion.objects.filter(kode=kode, berlaku=True).first()
    if version is None:
        raise NotFound(
            f"SOP '{kode}' belum dimuat. Jalankan: simpatik sop load FILE", code="sop_not_loaded"
        )
    return version
