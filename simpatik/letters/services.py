"""Official documents are made by completing their step: numbered, rendered, signed, stored, and
made the step's Output in the completion's transaction (steps name them with `generate:`).

A remote signer (BSrE, a network call with the signer's passphrase) signs right after the commit,
never while a row is locked; until then the letter is "menunggu TTE", and a failed signing is
recorded and retried. A berita acara gets its second party's signature when that person next
completes a step (or signs from the letters page). A correction is a new letter naming the old.

Which signing runs as a background job (decided with issue 10, "out of the request"):

- The local signer needs no secret from the person: it signs inside the completion, so the
  signed PDF is the step's Output in the same transaction and nothing waits. A letter can wait
  for its first signature under the local signer only when it was issued under BSrE before the
  installation switched; those are signed by the job `letters.sign` (as the official who issued
  them, with the key the server keeps for them, exactly as a completion would), retried with a
  growing wait. The hourly `letters.sign_waiting` sweep enqueues them.
- BSrE needs the signer's passphrase, and the passphrase is never stored: not in the job table
  (its input is readable on "Pekerjaan latar" and in every backup), not in a queue. So the remote
  call stays in the request that received the passphrase, after its commit, and no job retries
  it, even after a transient failure (`bsre_unreachable`): a job would have to keep the secret
  until the service comes back. Instead the failure is kept on the letter and the signer is told
  (a `surat.menunggu_tte` notification, whose e-mail and chat go out as jobs); the signer signs
  again from the "Naskah dinas" page or `simpatik letters sign-pending`.
- A second party's signature is that person's own act (they complete their next step or press
  sign): never a job.
"""

import hashlib
import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import can, system_actor
from simpatik.audit.services import record
from simpatik.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    SimpatikError,
    ValidationError,
)
from simpatik.core.sequences import next_number
from simpatik.letters import contexts
from simpatik.letters.kinds import KINDS, format_number, tanggal_indonesia
from simpatik.letters.models import Letter, file_name, new_verification_code
from simpatik.letters.render import qr_data_uri, render_pdf, verification_url
from simpatik.letters.signing import LocalSigner, get_signer
from simpatik.projects.models import Document, StepRun
from simpatik.projects.services.documents import store_content, store_file
from simpatik.projects.services.ownership import ensure_writable
from simpatik.projects.services.rules import earlier_values, eligible

logger = logging.getLogger(__name__)


def letter_items(step, decision=None) -> list:
    """The step's Output items SIMPATIK generates, for this decision."""
    return [item for item in step.hasil if item.generate and item.applies_to(decision)]


def _number(kind, today) -> tuple[int, str]:
    sequence = next_number("letter", today.year)  # held until commit: no gaps, no duplicates
    code = settings.SIMPATIK_LETTER_CODES.get(kind.key, kind.code)
    number = format_number(
        settings.SIMPATIK_LETTER_NUMBER_PATTERN,
        kode_klasifikasi=code,
        nomor=sequence,
        kode_unit=settings.SIMPATIK_LETTER_UNIT,
        date=today,
    )
    return sequence, number


def missing_sources(kind, run: StepRun, values: dict) -> list[dict]:
    """The Kelengkapan/Hasil items the document quotes that the project has not recorded."""
    recorded = {**earlier_values(run.project, before=run), **(values or {})}
    documents = set(
        Document.objects.filter(project=run.project, key__in=kind.draws_on).values_list(
            "key", flat=True
        )
    )
    definition = run.project.definition
    # A kind quotes only the items the project's own SOP declares: another SOP may issue the
    # same kind of document from fewer items.
    return [
        {"key": key, "label": definition.label_of(key)}
        for key in kind.draws_on
        if key in definition.item_keys
        and recorded.get(key) in (None, "", [])
        and key not in documents
    ]


def check_completion(run: StepRun, *, values: dict, decision=None, passphrase=None) -> None:
    """Before a step completes: everything its documents quote is there, and a passphrase if
    the signer needs one. A refusal names the missing items, as a Kelengkapan refusal does."""
    items = letter_items(run.step, decision)
    for item in items:
        missing = missing_sources(KINDS[item.generate], run, values)
        if missing:
            raise ValidationError(
                _("Kelengkapan belum lengkap untuk %(document)s: %(items)s.")
                % {"document": item.label, "items": ", ".join(m["label"] for m in missing)},
                code="kelengkapan_missing",
                data={"missing": missing, "document": item.key},
            )
    if items and get_signer().needs_passphrase and not passphrase:
        raise ValidationError(
            _("Passphrase TTE wajib diisi untuk menandatangani %(document)s.")
            % {"document": items[0].label},
            code="passphrase_required",
        )


def after_completion(run: StepRun, *, actor, via="", decision=None, passphrase=None) -> None:
    """In the completion's transaction: add this person's signature to any berita acara that
    names them as its second party, then issue the step's documents, which cite the signed
    version (step 14's report lists step 13's berita acara, which the Tim Teknis signs by
    completing step 14)."""
    # A second party is chosen from a role's holders (a choice field), so only a holder of such
    # a role can be one: for everyone else there is nothing to look up.
    roles = set(contexts.countersigner_roles(run.project.definition).values())
    if roles & actor.role_keys():
        waiting = Letter.objects.filter(
            project=run.project, status=Letter.Status.MENUNGGU_PIHAK_KEDUA, countersigner=actor
        )
        for letter in waiting:
            _sign_now_or_after_commit(letter, actor=actor, passphrase=passphrase, via=via)
    for item in letter_items(run.step, decision):
        _issue(KINDS[item.generate], run, item.key, actor, passphrase=passphrase, via=via)


def _output_key(letter: Letter) -> str:
    step = letter.project.definition.step(letter.step_number)
    return next(item.key for item in step.hasil if item.generate == letter.kind)


def _new_document(run: StepRun, key: str, pdf: bytes, actor, name: str) -> Document:
    digest, path = store_content(run.project_id, pdf, "pdf")  # stored before the row commits
    latest = Document.objects.filter(project=run.project, key=key).aggregate(v=Max("version"))
    return Document.objects.create(
        project=run.project,
        step_run=run,
        key=key,
        version=(latest["v"] or 0) + 1,
        name=name,
        mime="application/pdf",
        size=len(pdf),
        sha256=digest,
        path=path,
        uploaded_by=actor,
    )


def _issue(kind, run: StepRun, key: str, actor, *, passphrase, via, replaces=None, reason=""):
    """Inside the caller's transaction: number, render, sign (local) or queue (remote), store."""
    today = timezone.localdate()
    sequence, number = _number(kind, today)
    verification = new_verification_code()
    context = contexts.build(kind.key, run, actor)
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
    pdf = render_pdf(kind.key, context)
    signer, second = get_signer(), context["countersigner"]
    # People read the file name: the document's title, not its kind key.
    name = file_name(kind.title, sequence, today.year)
    if signer.needs_passphrase:
        status, document = Letter.Status.MENUNGGU_TTE, None
        digest, path = store_content(run.project_id, pdf, "pdf")
    else:
        pdf = signer.sign(pdf, actor, reason=kind.title, passphrase=passphrase)
        document = _new_document(run, key, pdf, actor, name)
        digest, path = document.sha256, document.path
        status = Letter.Status.MENUNGGU_PIHAK_KEDUA if second else Letter.Status.BERLAKU
    block = context["signer"]
    letter = Letter.objects.create(
        kind=kind.key,
        title=kind.title,
        number=number,
        year=today.year,
        sequence=sequence,
        date=today,
        project=run.project,
        step_number=run.step_number,
        step_run=run,
        status=status,
        document=document,
        path=path,
        sha256=digest,
        size=len(pdf),
        ditandatangani=document is not None,
        signer=actor,
        signer_name=block["name"],
        signer_position=block["position"],
        signer_nip=block["nip"] or "",
        countersigner=second,
        countersigner_role=(context["second_signer"] or {}).get("role", ""),
        verification_code=verification,
        replaces=replaces,
        correction_reason=reason,
    )
    audit = {
        "actor": actor,
        "project": run.project,
        "step_number": run.step_number,
        "obj": letter,
        "via": via,
        "reason": reason,
    }
    data = {
        "number": number,
        "kind": kind.key,
        "title": kind.title,
        "round": run.round,
        "status": status,
        "sha256": digest,
        "countersigner": second.display_name if second else None,
        "replaces": replaces.number if replaces else None,
    }
    # Literal codes, so the audit registry's scan of the source sees each one.
    if replaces is None:
        record("letter.issued", data=data, **audit)
    else:
        record("letter.corrected", data=data, **audit)
    if status == Letter.Status.MENUNGGU_TTE:
        transaction.on_commit(
            partial(_sign_after_commit, letter.pk, actor.pk, passphrase, via), robust=True
        )
    elif status == Letter.Status.MENUNGGU_PIHAK_KEDUA:
        from simpatik.notifications.workflow import letter_waits_for_second_party

        letter_waits_for_second_party(letter)
    return letter


def issue_sealed(
    kind_key: str,
    context: dict,
    *,
    requested_by,
    title: str = "",
    via: str = "",
    data: dict | None = None,
) -> Letter:
    """A document no step makes (the monthly report), inside the caller's transaction: numbered
    in the same yearly register as every letter, rendered, and sealed with SIMPATIK's own
    certificate from the local CA (verifiable at /verifikasi/ and against /pki/ca.pem).

    No official signs it: its figures are SIMPATIK's reckoning, not a person's statement, and a
    periodic job holds nobody's passphrase. So SIMPATIK_SIGNER (BSrE signs only as a person) does
    not apply: the system actor is the signer, and `requested_by` (a person, or the system actor
    for the worker) is recorded as who had it issued.
    """
    kind = KINDS[kind_key]
    system = system_actor()
    today = timezone.localdate()
    sequence, number = _number(kind, today)
    verification = new_verification_code()
    block = {
        "name": system.display_name,
        "position": "Sistem Informasi Manajemen Pengembangan Aplikasi TIK",
        "nip": "",
        "rank": "",
        "sealed": True,
    }
    context = {
        **context,
        "signer": block,
        "second_signer": None,
        "countersigner": None,
        "first_heading": "",
        "letter": {
            "title": title or kind.title,
            "number": number,
            "date_text": tanggal_indonesia(today),
            "verification_code": verification,
            "verification_url": verification_url(verification),
            "qr": qr_data_uri(verification_url(verification)),
        },
    }
    pdf = LocalSigner().sign(render_pdf(kind.key, context), system, reason=title or kind.title)
    digest, path = store_file(f"naskah/{today.year}", pdf, "pdf")  # before the row names it
    letter = Letter.objects.create(
        kind=kind.key,
        title=title or kind.title,
        number=number,
        year=today.year,
        sequence=sequence,
        date=today,
        status=Letter.Status.BERLAKU,
        path=path,
        sha256=digest,
        size=len(pdf),
        ditandatangani=True,
        signer=system,
        signer_name=block["name"],
        signer_position=block["position"],
        verification_code=verification,
    )
    record(
        "letter.issued",
        actor=requested_by,
        obj=letter,
        via=via,
        data={
            "number": number,
            "kind": kind.key,
            "title": letter.title,
            "status": letter.status,
            "sha256": digest,
            **(data or {}),
        },
    )
    return letter


def _sign_now_or_after_commit(letter: Letter, *, actor, passphrase, via) -> None:
    if not get_signer().needs_passphrase:
        add_signature(letter, actor=actor, via=via)
    elif passphrase:
        transaction.on_commit(
            partial(_sign_after_commit, letter.pk, actor.pk, passphrase, via), robust=True
        )


def _sign_after_commit(letter_pk: int, actor_pk: int, passphrase, via: str) -> None:
    """Runs after the completion committed: the network call holds no lock; failures stay visible."""
    letter = Letter.objects.get(pk=letter_pk)
    actor = get_user_model().objects.get(pk=actor_pk)
    try:
        sign_letter(letter, actor=actor, passphrase=passphrase, via=via)
    except SimpatikError as error:
        logger.warning("letter %s not signed: %s", letter.number, error.message)
        if error.code in ("letter_signed", "letter_changed"):
            return
        from simpatik.notifications.workflow import letter_waits_for_signature

        with transaction.atomic():
            letter_waits_for_signature(letter, actor, error.message)


def expected_signer(letter: Letter):
    """Who the letter waits for: the first signer (remote TTE), the second party, or nobody."""
    if letter.status == Letter.Status.MENUNGGU_TTE:
        return letter.signer
    if letter.status == Letter.Status.MENUNGGU_PIHAK_KEDUA:
        return letter.countersigner
    return None


def add_signature(letter: Letter, *, actor, passphrase=None, via="") -> Letter:
    """Add the signature the letter waits for, as a new revision of the same PDF.

    The signer is called with no row locked (it may be a network call); the result is kept only
    if nobody signed in the meantime (checked under the row lock, by status and hash)."""
    letter = Letter.objects.select_related("project", "step_run").get(pk=letter.pk)
    stage, expected = letter.status, expected_signer(letter)
    if expected is None:
        raise Conflict(_("Dokumen ini sudah ditandatangani lengkap."), code="letter_signed")
    if expected.pk != actor.pk:
        raise PermissionDenied(
            _("Dokumen ini menunggu tanda tangan %(name)s.") % {"name": expected.display_name},
            code="wrong_signer",
        )
    with letter.open() as handle:
        signed = get_signer().sign(handle.read(), actor, reason=letter.title, passphrase=passphrase)
    with transaction.atomic():
        locked = Letter.objects.select_for_update(of=("self",)).get(pk=letter.pk)
        if locked.status != stage or locked.sha256 != letter.sha256:
            raise Conflict(
                _("Dokumen ini baru saja ditandatangani. Muat ulang halaman."),
                code="letter_changed",
            )
        run = letter.step_run or letter.document.step_run
        document = _new_document(
            run,
            _output_key(letter),
            signed,
            actor,
            file_name(letter.title, letter.sequence, letter.year),
        )
        changes = {
            "document": document,
            "path": document.path,
            "sha256": document.sha256,
            "size": document.size,
            "ditandatangani": True,
            "sign_error": "",
            "status": Letter.Status.BERLAKU,
        }
        if stage == Letter.Status.MENUNGGU_TTE and letter.countersigner_id:
            changes["status"] = Letter.Status.MENUNGGU_PIHAK_KEDUA
            from simpatik.notifications.workflow import letter_waits_for_second_party

            letter_waits_for_second_party(letter)
        if stage == Letter.Status.MENUNGGU_PIHAK_KEDUA:
            changes["countersigned_at"] = timezone.now()
        Letter.objects.filter(pk=letter.pk, status=stage).update(**changes)
        audit = {
            "actor": actor,
            "project": letter.project,
            "step_number": letter.step_number,
            "obj": letter,
            "via": via,
            "data": {
                "number": letter.number,
                "title": letter.title,
                "signer": actor.display_name,
                "sha256": document.sha256,
                "status": changes["status"],
            },
        }
        if stage == Letter.Status.MENUNGGU_PIHAK_KEDUA:
            record("letter.countersigned", **audit)
        else:
            record("letter.signed", **audit)
    return Letter.objects.get(pk=letter.pk)


def sign_letter(letter: Letter, *, actor, passphrase=None, via="") -> Letter:
    """add_signature, and when the signer refuses or cannot be reached, record it for a retry."""
    try:
        return add_signature(letter, actor=actor, passphrase=passphrase, via=via)
    except (ValidationError, Conflict) as error:
        if error.code in ("letter_signed", "letter_changed"):
            raise
        with transaction.atomic():
            Letter.objects.filter(pk=letter.pk).update(
                sign_error=error.message[:1000], sign_attempts=F("sign_attempts") + 1
            )
            record(
                "letter.signing_failed",
                actor=actor,
                project=letter.project,
                step_number=letter.step_number,
                obj=letter,
                via=via,
                data={"number": letter.number, "title": letter.title, "error": error.message},
            )
        raise


def pending_letters():
    return Letter.objects.filter(status=Letter.Status.MENUNGGU_TTE).select_related("signer")


def correct_letter(
    letter: Letter, *, actor, reason: str, passphrase: str | None = None, via: str = ""
) -> Letter:
    """A correction is a new document, with a new number, naming the one it replaces."""
    if not (reason or "").strip():
        raise ValidationError(_("Alasan koreksi wajib diisi."), code="reason_required")
    with transaction.atomic():
        original = (
            Letter.objects.select_for_update(of=("self",))
            .select_related("project", "step_run", "document__step_run")
            .get(pk=letter.pk)
        )
        if original.is_replaced:
            raise ValidationError(
                _("Dokumen ini sudah dikoreksi; koreksi dokumen penggantinya."),
                code="already_replaced",
            )
        run = original.step_run or original.document.step_run
        if not can(actor, "kerjakan_langkah", run):
            raise PermissionDenied(
                _("Hanya pelaksana langkah ini yang dapat mengoreksi dokumennya."),
                code="wrong_role",
            )
        refused = correction_refused(original)
        if refused is not None:
            raise refused
        if get_signer().needs_passphrase and not passphrase:
            raise ValidationError(_("Passphrase TTE wajib diisi."), code="passphrase_required")
        return _issue(
            KINDS[original.kind],
            run,
            _output_key(original),
            actor,
            passphrase=passphrase,
            replaces=original,
            reason=reason.strip(),
            via=via,
        )


def correction_refused(letter: Letter) -> ValidationError | None:
    """Why the letter can no longer be corrected, or None: an approval rests on it (its item is
    frozen, ownership.frozen_keys), and only a new round of its step may make it anew."""
    run = letter.step_run or letter.document.step_run
    try:
        ensure_writable(letter.project, run.step, [_output_key(letter)], opened=run.opened_at)
    except ValidationError as error:
        return error
    return None


def preview(run: StepRun, key: str, *, user, values: dict | None = None) -> bytes:
    """The document as it would read now: watermarked DRAF, no number, no signature, no QR."""
    item = next((i for i in run.step.hasil if i.key == key and i.generate), None)
    if item is None:
        raise NotFound(_("Dokumen ini tidak dibuat oleh langkah ini."), code="not_generated")
    if not eligible(user, run):
        raise PermissionDenied(_("Pratinjau hanya untuk pelaksana langkah ini."), code="wrong_role")
    draft = getattr(run, "draft", None)  # the step's saved draft, where drafts are kept
    merged = {**(draft if isinstance(draft, dict) else {}), **(values or {})}
    kind = KINDS[item.generate]
    context = contexts.build(kind.key, run, user, values=merged)
    context["letter"] = {
        "title": kind.title,
        "number": "",
        "draft": True,
        "date_text": tanggal_indonesia(timezone.localdate()),
    }
    return render_pdf(kind.key, context)


def verify_file(letter: Letter, content: bytes) -> bool:
    return hashlib.sha256(content).hexdigest() == letter.sha256
