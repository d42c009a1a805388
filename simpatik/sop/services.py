"""Loading SOP definitions into versions."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from simpatik.accounts.models import Role
from simpatik.audit.services import record
from simpatik.core.errors import NotFound, ValidationError, check_lengths
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
    """Store a definition as the newest version of its SOP; the same text again changes nothing."""
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
        for role in definition.roles:
            Role.objects.update_or_create(
                key=role["key"], defaults={"nama": role["nama"], "jabatan": role.get("jabatan", "")}
            )
        SopVersion.objects.filter(kode=definition.kode).update(berlaku=False)
        version = SopVersion.objects.create(
            kode=definition.kode,
            version=(latest.version + 1) if latest else 1,
            judul=str(definition.identitas.get("judul") or definition.kode),
            data=definition.raw,
            source=text,
            sha256=digest,
            berlaku=True,
            loaded_by=actor,
            note=note,
        )
        record(
            "sop.version.loaded",
            actor=actor,
            obj=version,
            via=via,
            data={
                "kode": version.kode,
                "version": version.version,
                "sha256": digest,
                "steps": len(definition.steps),
            },
        )
    return LoadResult(version, created=True)


def active_version(kode: str | None = None) -> SopVersion:
    kode = kode or settings.SIMPATIK_SOP_KODE
    version = SopVersion.objects.filter(kode=kode, berlaku=True).first()
    if version is None:
        raise NotFound(
            f"SOP '{kode}' belum dimuat. Jalankan: simpatik sop load FILE", code="sop_not_loaded"
        )
    return version
