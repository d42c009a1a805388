"""Uploading documents to a step: checked by content, stored by SHA-256, versioned, never replaced."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from simpatik.audit.services import record
from simpatik.core.errors import ValidationError
from simpatik.core.files import check_upload
from simpatik.projects.models import Document, StepRun
from simpatik.projects.services.engine import _lock_open_run
from simpatik.projects.services.ownership import ensure_writable
from simpatik.projects.services.rules import ensure_can_act


def store_content(project_id: int, content: bytes, extension: str) -> tuple[str, str]:
    return store_file(f"documents/{project_id}", content, extension)


def store_file(folder: str, content: bytes, extension: str) -> tuple[str, str]:
    """Write the file before any row names it; content-addressed, so a retry writes the same path."""
    digest = hashlib.sha256(content).hexdigest()
    path = f"{folder}/{digest}.{extension}"
    if not default_storage.exists(path):
        saved = default_storage.save(path, ContentFile(content))
        if saved != path:  # a concurrent writer got there first with the same bytes
            default_storage.delete(saved)
    return digest, path


def upload_document(run: StepRun, *, actor, key: str, uploaded, via: str = "") -> Document:
    step = run.step
    item = step.requirement(key or "")
    if item is None or item.kind != "document":
        raise ValidationError(
            _("Dokumen '%(key)s' tidak diminta pada langkah ini.") % {"key": key},
            code="unknown_document_key",
        )
    max_bytes = settings.SIMPATIK_MAX_UPLOAD_MB * 1024 * 1024
    content, name, extension, mime = check_upload(uploaded, max_bytes=max_bytes, accept=item.accept)
    with transaction.atomic():
        run = _lock_open_run(run.pk)  # also serialises uploads to the same step
        ensure_can_act(actor, run)
        if key in run.project.definition.generated_keys:
            raise ValidationError(
                _(
                    "%(label)s dibuat dan ditandatangani oleh SIMPATIK saat langkahnya selesai; "
                    "tidak diunggah."
                )
                % {"label": item.label},
                code="output_generated",
            )
        ensure_writable(run.project, step, [key], opened=run.opened_at)
        digest, path = store_content(run.project_id, content, extension)
        latest = Document.objects.filter(project=run.project, key=key).aggregate(v=Max("version"))[
            "v"
        ]
        document = Document.objects.create(
            project=run.project,
            step_run=run,
            key=key,
            version=(latest or 0) + 1,
            name=name,
            mime=mime,
            size=len(content),
            sha256=digest,
            path=path,
            uploaded_by=actor,
        )
        record(
            "project.document.uploaded",
            actor=actor,
            project=run.project,
            step_number=run.step_number,
            obj=document,
            via=via,
            data={
                "key": key,
                "version": document.version,
                "name": name,
                "sha256": digest,
                "size": len(content),
            },
        )
    return document
