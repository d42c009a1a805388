"""Issuing official documents: number, render, sign, store, and make it the step's Output."""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.audit.services import record
from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.core.files import check_upload
from simpatik.core.sequences import next_number
from simpatik.letters import contexts
from simpatik.letters.kinds import KINDS, format_number, tanggal_indonesia
from simpatik.letters.models import Letter, new_verification_code
from simpatik.letters.render import qr_data_uri, render_pdf, verification_url
from simpatik.letters.signing import get_signer
from simpatik.projects.models import Document, StepRun
from simpatik.projects.services.documents import store_content
from simpatik.projects.services.engine import _lock_open_run, save_draft
from simpatik.projects.services.rules import ensure_can_act

MAX_PHOTOS = 6


def parse_attendees(text: str) -> list[tuple[str, str]]:
    """'Nama — Jabatan' per line (also '-', ';' or ',' between them)."""
    people = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        for separator in (" — ", " – ", " - ", ";", ","):
            if separator in line:
                name, role = line.split(separator, 1)
                people.append((name.strip(), role.strip()))
                break
        else:
            people.append((line, ""))
    return people


def _photos(uploads) -> list[str]:
    import base64

    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(
            _("Paling banyak %(n)d foto.") % {"n": MAX_PHOTOS}, code="too_many_photos"
        )
    found = []
    for upload in uploads:
        content, _name, extension, mime = check_upload(
            upload, max_bytes=settings.SIMPATIK_MAX_UPLOAD_MB * 1024 * 1024
        )
        if not mime.startswith("image/"):
            raise ValidationError(_("Dokumentasi harus berupa foto (gambar)."), code="file_type")
        found.append(f"data:{mime};base64," + base64.b64encode(content).decode())
    return found


def _issue(
    kind_key,
    run: StepRun,
    key: str,
    actor,
    *,
    catatan,
    attendees,
    photos,
    passphrase,
    replaces=None,
    reason="",
    via="",
) -> Letter:
    """Inside the caller's transaction: the number is taken and the file stored before rows commit."""
    kind = KINDS[kind_key]
    today = timezone.localdate()
    sequence = next_number("letter", today.year)  # held until commit: no gaps, no duplicates
    code = settings.SIMPATIK_LETTER_CODES.get(kind.key, kind.code)
    number = format_number(
        settings.SIMPATIK_LETTER_NUMBER_PATTERN,
        kode_klasifikasi=code,
        nomor=sequence,
        kode_unit=settings.SIMPATIK_LETTER_UNIT,
        date=today,
    )
    verification = new_verification_code()
    context = contexts.build(
        kind.key, run, actor, catatan=catatan, attendees=attendees, photos=photos
    )
    context["letter"] = {
        "title": kind.title,
        "number": number,
        "date_text": tanggal_indonesia(today),
        "verification_code": verification,
        "verification_url": verification_url(verification),
        "qr": qr_data_uri(verification_url(verification)),
    }
    if replaces is not None:
        context["replaces"] = {
            "number": replaces.number,
            "date_text": tanggal_indonesia(replaces.date),
        }
        context["correction_reason"] = reason
    pdf = get_signer().sign(
        render_pdf(kind.key, context), actor, reason=kind.title, passphrase=passphrase
    )
    digest, path = store_content(run.project_id, pdf, "pdf")
    latest = (
        Document.objects.filter(project=run.project, key=key).aggregate(v=Max("version"))["v"] or 0
    )
    document = Document.objects.create(
        project=run.project,
        step_run=run,
        key=key,
        version=latest + 1,
        name=f"{kind.key}-{sequence}.pdf",
        mime="application/pdf",
        size=len(pdf),
        sha256=digest,
        path=path,
        uploaded_by=actor,
    )
    signer = context["signer"]
    letter = Letter.objects.create(
        kind=kind.key,
        title=kind.title,
        number=number,
        year=today.year,
        sequence=sequence,
        date=today,
        project=run.project,
        step_number=run.step_number,
        document=document,
        path=path,
        sha256=digest,
        size=len(pdf),
        signed=True,
        signer=actor,
        signer_name=signer["name"],
        signer_position=signer["position"],
        signer_nip=signer["nip"] or "",
        verification_code=verification,
        replaces=replaces,
        correction_reason=reason,
    )
    record(
        "letter.issued" if replaces is None else "letter.corrected",
        actor=actor,
        project=run.project,
        step_number=run.step_number,
        obj=letter,
        via=via,
        reason=reason,
        data={
            "number": number,
            "kind": kind.key,
            "sha256": digest,
            "replaces": replaces.number if replaces else None,
        },
    )
    return letter


def _inputs(kind_key, attendees_text, photo_uploads):
    attendees = parse_attendees(attendees_text)
    if KINDS[kind_key].attendance and not attendees:
        raise ValidationError(
            _("Daftar hadir berita acara wajib diisi."), code="attendance_required"
        )
    return attendees, _photos(photo_uploads or [])


def issue_letter(
    run: StepRun,
    *,
    actor,
    key: str,
    catatan: str = "",
    attendees: str = "",
    photos=None,
    fields: dict | None = None,
    passphrase: str | None = None,
    via: str = "",
) -> Letter:
    """Issue the document an output item of the open step is generated as."""
    item = run.step.requirement(key or "")
    if item is None or not item.generate:
        raise ValidationError(
            _("Dokumen ini tidak diterbitkan dari langkah ini."), code="not_generated"
        )
    attendees_list, photo_uris = _inputs(item.generate, attendees, photos)
    with transaction.atomic():
        if fields:
            save_draft(run, actor=actor, fields=fields, strict=True, via=via)
        run = _lock_open_run(run.pk)
        ensure_can_act(actor, run)
        return _issue(
            item.generate,
            run,
            key,
            actor,
            catatan=catatan,
            attendees=attendees_list,
            photos=photo_uris,
            passphrase=passphrase,
            via=via,
        )


def correct_letter(
    letter: Letter,
    *,
    actor,
    reason: str,
    catatan: str = "",
    attendees: str = "",
    photos=None,
    passphrase: str | None = None,
    via: str = "",
) -> Letter:
    """A correction is a new document naming the one it replaces; both stay visible."""
    if not (reason or "").strip():
        raise ValidationError(_("Alasan koreksi wajib diisi."), code="reason_required")
    attendees_list, photo_uris = _inputs(letter.kind, attendees, photos)
    with transaction.atomic():
        original = (
            Letter.objects.select_for_update(of=("self",))
            .select_related("document__step_run__project")
            .get(pk=letter.pk)
        )
        if original.is_replaced:
            raise ValidationError(
                _("Dokumen ini sudah dikoreksi; koreksi dokumen penggantinya."),
                code="already_replaced",
            )
        run = original.document.step_run
        if not actor.has_role(run.role_key):
            raise PermissionDenied(
                _("Hanya pelaksana langkah ini yang dapat mengoreksi dokumennya."),
                code="wrong_role",
            )
        return _issue(
            original.kind,
            run,
            original.document.key,
            actor,
            catatan=catatan,
            attendees=attendees_list,
            photos=photo_uris,
            passphrase=passphrase,
            replaces=original,
            reason=reason.strip(),
            via=via,
        )


def verify_file(letter: Letter, content: bytes) -> bool:
    import hashlib

    return hashlib.sha256(content).hexdigest() == letter.sha256
