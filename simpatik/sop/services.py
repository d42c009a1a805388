"""Loading SOP definitions into versions."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from simpatik.accounts.models import Role
from simpatik.audit.services import record
from simpatik.core.errors import Conflict, NotFound, ValidationError, check_lengths
from simpatik.sop.definition import Definition, DefinitionError, parse_text
from simpatik.sop.hooks import unknown_hook_problems
from simpatik.sop.models import SopVersion
from simpatik.sop.validation import build_definition


@dataclass
class LoadResult:
    version: SopVersion
    created: bool


def check_definition_text(text: str) -> Definition:
    """Parse and validate; raises DefinitionError naming each problem."""
    definition = build_definition(parse_text(text))
    problems = unknown_hook_problems(definition)
    if problems:
        raise DefinitionError(*map(list, zip(*problems, strict=True)))
    return definition


def load_definition(text: str, *, actor=None, note: str = "", via: str = "") -> LoadResult:
    """Store a definition as the newest version of its SOP and put it in force (`sop load`);
    the same text again changes nothing."""
    return save_version(text, actor=actor, note=note, via=via, activate=True)


def save_version(
    text: str, *, actor=None, note: str = "", via: str = "", activate: bool = False
) -> LoadResult:
    """Store a definition as the newest version of its SOP; the same text as the newest version
    changes nothing. Without `activate` the version in force stays in force (the editor saves,
    shows the difference, and activation is a separate act)."""
    definition = check_definition_text(text)
    try:
        check_lengths(SopVersion, note=note)
    except ValidationError as exc:
        raise DefinitionError([exc.message]) from exc
    digest = hashlib.sha256(text.encode()).hexdigest()
    with transaction.atomic():
        latest = (
            SopVersion.objects.select_for_update()
            .filter(kode=definition.kode)
            .order_by("-version")
            .first()
        )
        if latest is not None and latest.sha256 == digest:
            return LoadResult(latest, created=False)
        version = SopVersion.objects.create(
            kode=definition.kode,
            version=(latest.version + 1) if latest else 1,
            judul=str(definition.identitas.get("judul") or definition.kode),
            data=definition.raw,
            source=text,
            sha256=digest,
            loaded_by=actor,
            note=note,
        )
        data = {
            "kode": version.kode,
            "version": version.version,
            "sha256": digest,
            "steps": len(definition.steps),
        }
        if activate:
            _put_in_force(version, definition)
        record(
            "sop.version.loaded" if activate else "sop.version.saved",
            actor=actor,
            obj=version,
            via=via,
            data=data,
        )
    return LoadResult(version, created=True)


def activate_version(version: SopVersion, *, actor, via: str = "") -> SopVersion:
    """Put a stored version in force for new projects; running projects keep theirs."""
    with transaction.atomic():
        locked = SopVersion.objects.select_for_update().get(pk=version.pk)
        if locked.berlaku:
            raise Conflict(
                f"Versi {locked.version} sudah berlaku.", code="sop_version_already_active"
            )
        previous = SopVersion.objects.filter(kode=locked.kode, berlaku=True).first()
        _put_in_force(locked, locked.definition)
        record(
            "sop.version.activated",
            actor=actor,
            obj=locked,
            via=via,
            data={
                "kode": locked.kode,
                "version": locked.version,
                "previous": previous.version if previous else None,
            },
        )
    locked.berlaku = True
    return locked


def _put_in_force(version: SopVersion, definition: Definition) -> None:
    for role in definition.roles:
        Role.objects.update_or_create(
            key=role["key"], defaults={"nama": role["nama"], "jabatan": role.get("jabatan", "")}
        )
    SopVersion.objects.filter(kode=version.kode).exclude(pk=version.pk).update(berlaku=False)
    SopVersion.objects.filter(pk=version.pk).update(berlaku=True)
    version.berlaku = True


def previous_version(version: SopVersion) -> SopVersion | None:
    """What activating `version` would replace: the version in force, else the one before it."""
    in_force = SopVersion.objects.filter(kode=version.kode, berlaku=True).exclude(pk=version.pk)
    return (
        in_force.first()
        or SopVersion.objects.filter(kode=version.kode, version__lt=version.version)
        .order_by("-version")
        .first()
    )


def active_version(kode: str | None = None) -> SopVersion:
    kode = kode or settings.SIMPATIK_SOP_KODE
    version = SopVersion.objects.filter(kode=kode, berlaku=True).first()
    if version is None:
        raise NotFound(
            f"SOP '{kode}' belum dimuat. Jalankan: simpatik sop load FILE", code="sop_not_loaded"
        )
    return version
