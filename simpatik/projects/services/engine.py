"""The SOP engine: start a project, complete, claim and reassign steps, resume a suspended one."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.accounts.models import Opd
from simpatik.accounts.permissions import can, has
from simpatik.audit.services import batch as audit_batch
from simpatik.audit.services import record
from simpatik.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from simpatik.core.sequences import next_number
from simpatik.core.sql import Columns, fetch, insert_reading, table, update_reading
from simpatik.core.workdays import add_working_days
from simpatik.notifications import workflow as notifications
from simpatik.projects.durations import completion_figures
from simpatik.projects.models import Document, Need, Project, ProjectMember, StepRun
from simpatik.projects.services import fanout
from simpatik.projects.services.rules import (
    check_fields,
    clean_fields,
    documents_read,
    earlier_value,
    eligible,
    ensure_can_act,
    known_fields,
    requirement_states,
    with_steps,
)
from simpatik.sop import hooks
from simpatik.sop.models import SOP_HEAVY_FIELDS, SopVersion
from simpatik.sop.services import active_version, version_in_force


def _due_date(project: Project, step, opened_at):
    days = step.waktu
    if step.waktu_from_field:
        value = earlier_value(project, step.waktu_from_field)
        days = int(value) if isinstance(value, int | float) and value > 0 else None
    if days is None:
        return None
    return add_working_days(timezone.localdate(opened_at), days)


# The INSERT counts the round itself and returns it (RETURNING): no query before it.
# Rounds count per OPD for a step run once per OPD.
_NEXT_ROUND = (
    f'COALESCE((SELECT MAX("round") FROM {StepRun._meta.db_table} '
    "WHERE project_id = %s AND step_number = %s AND {opd}), 0) + 1"
)


def open_step(
    project: Project,
    number: int,
    *,
    actor=None,
    via: str = "",
    prefill: dict | None = None,
    opd=None,
) -> StepRun:
    """Open a step's new run; `opd`: that OPD's part of a step run once per OPD (rounds count
    per OPD)."""
    step = project.definition.step(number)
    now = timezone.now()
    run = StepRun(
        opd=opd,
        project=project,
        step_number=number,
        role_key=step.role,
        opened_at=now,
        due_date=_due_date(project, step, now),
        values=prefill or {},
    )
    round_ = (
        (_NEXT_ROUND.format(opd="opd_id IS NULL"), [project.pk, number])
        if opd is None
        else (_NEXT_ROUND.format(opd="opd_id = %s"), [project.pk, number, opd.pk])
    )
    # The people to tell are read in the same round trip (not for an OPD's part: its holders
    # are that OPD's, notifications._part_holders).
    holders = notifications.holders_read(step.role) if opd is None else None
    holder_rows = insert_reading(
        run, holders, computed={"round": round_}, returning=("id", "round")
    )
    record(
        "project.step.opened",
        actor=actor,
        project=project,
        step_number=number,
        obj=run,
        via=via,
        data={
            "round": run.round,
            "role": step.role,
            "due_date": run.due_date.isoformat() if run.due_date else None,
            **({"opd": opd.nama} if opd is not None else {}),
        },
    )
    notifications.step_opened(
        run, actor=actor, holder_rows=holder_rows if holders is not None else None
    )
    return run


def first_step():
    """The step a new project opens with (its uraian tells the starter what comes next)."""
    try:
        return active_version().definition.first_step
    except NotFound:
        return None


def can_start_project(user) -> bool:
    try:
        version = active_version()
    except NotFound:
        return False
    return version is not None and has(user, "mulai_proyek")


def start_project(
    *,
    actor,
    nama: str,
    opd,
    deskripsi: str = "",
    need: Need | None = None,
    rujukan: str = "",
    via: str = "",
    sop: str | None = None,
) -> Project:
    """Step 1 begins: the Kadis opens a project, from an OPD's usulan or directly, under the
    SOP named by its code (`sop`; the seed SOP when none is named)."""
    version = version_in_force(sop)
    first = version.definition.first_step
    if not has(actor, "mulai_proyek"):
        raise PermissionDenied(_("Anda tidak berwenang memulai proyek."), code="forbidden")
    nama = (nama or "").strip()
    if not nama:
        raise ValidationError(_("Nama aplikasi wajib diisi."), code="nama_required")
    if opd is None:
        raise ValidationError(_("OPD wajib dipilih."), code="opd_required")
    if need is not None and not version.definition.per_application:
        raise ValidationError(
            _("Usulan satu aplikasi tidak dapat dikerjakan menurut SOP %(sop)s.")
            % {"sop": version.definition.short_name},
            code="sop_not_for_usulan",
        )
    with transaction.atomic():
        if not version.definition.per_application:
            _ensure_none_running(version)
        prefill = {}
        if need is not None:
            need = Need.objects.select_for_update().get(pk=need.pk)
            if need.status != Need.Status.DIAJUKAN:
                raise Conflict(_("Usulan ini sudah diproses atau ditolak."), code="need_not_open")
            Need.objects.filter(pk=need.pk).update(status=Need.Status.DIPROSES)
            rujukan = rujukan or " ".join(filter(None, [need.nomor, need.nomor_surat]))
        if rujukan:
            key = next((i.key for i in first.kelengkapan if i.kind == "field"), None)
            if key:
                prefill[key] = rujukan
        year = timezone.localdate().year
        project = Project.objects.create(
            kode=f"PRJ-{year}-{next_number('project', year):04d}",
            nama=nama[:200],
            deskripsi=deskripsi or (need.latar_belakang if need else ""),
            opd=opd,
            need=need,
            sop_version=version,
            created_by=actor,
        )
        record(
            "project.started",
            actor=actor,
            project=project,
            obj=project,
            via=via,
            data={
                "kode": project.kode,
                "nama": project.nama,
                "opd": opd.nama,
                "need": need.nomor if need else None,
                "sop": version.kode,
                "sop_version": version.version,
            },
        )
        run = open_step(project, first.number, actor=actor, via=via, prefill=prefill)
        if need is not None:
            _take_need_attachments(project, run, need, version.definition, actor=actor, via=via)
        notifications.project_started(project)
    return project


def _ensure_none_running(version) -> None:
    """An SOP not about one application (a census of every OPD) runs one project at a time: a
    second census beside the first would ask every OPD for the same list twice. The version's
    row is locked, so two starting at once are told apart."""
    SopVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk").first()
    running = (
        Project.objects.filter(
            sop_version__kode=version.kode,
            status__in=[Project.Status.BERJALAN, Project.Status.DITANGGUHKAN],
        )
        .values_list("kode", flat=True)
        .first()
    )
    if running:
        raise Conflict(
            _("%(sop)s masih berjalan sebagai %(kode)s: selesaikan dulu sebelum memulai lagi.")
            % {"sop": version.definition.short_name, "kode": running},
            code="sop_already_running",
        )


def _take_need_attachments(project, run, need, definition, *, actor, via) -> None:
    """The OPD's attachments (usulan.lampiran) become the project's documents of those keys."""
    wanted = {item.key for item in definition.usulan_lampiran}
    taken = set()
    for attachment in need.attachments.order_by("key", "-uploaded_at", "-id"):
        if attachment.key not in wanted or attachment.key in taken:
            continue
        taken.add(attachment.key)
        document = Document.objects.create(
            project=project,
            step_run=run,
            key=attachment.key,
            version=1,
            name=attachment.name,
            mime=attachment.mime,
            size=attachment.size,
            sha256=attachment.sha256,
            path=attachment.path,  # the stored file is content-addressed and never changes
            uploaded_by=attachment.uploaded_by,
        )
        record(
            "project.document.attached_from_need",
            actor=actor,
            project=project,
            step_number=run.step_number,
            obj=document,
            via=via,
            data={
                "key": attachment.key,
                "name": attachment.name,
                "need": need.nomor,
                "sha256": attachment.sha256,
            },
        )


# The run with its project and SOP version (without the version's text: its definition is parsed
# once per process), locked on PostgreSQL; on SQLite the transaction holds the write lock.
_RUN, _PROJECT = Columns(StepRun, "r"), Columns(Project, "p")
_VERSION = Columns(SopVersion, "v", exclude=SOP_HEAVY_FIELDS)
_LOCK_RUN = (
    f"SELECT {_RUN.sql}, {_PROJECT.sql}, {_VERSION.sql} FROM {table(StepRun)} r "
    f"JOIN {table(Project)} p ON p.id = r.project_id "
    f"JOIN {table(SopVersion)} v ON v.id = p.sop_version_id WHERE r.id = %s"
)


def _lock_open_run(run_id: int) -> StepRun:
    lock = " FOR UPDATE OF r" if connection.features.has_select_for_update_of else ""
    found = fetch(_LOCK_RUN + lock, [run_id], _RUN, _PROJECT, _VERSION)
    if not found:
        raise NotFound(_("Langkah tidak ditemukan."), code="step_not_found")
    run, project, version = found[0]
    project.sop_version, run.project = version, project
    if run.status != StepRun.Status.BERJALAN:
        raise Conflict(
            _("Langkah %(n)d sudah diselesaikan oleh orang lain. Muat ulang halaman.")
            % {"n": run.step_number},
            code="step_not_open",
        )
    if run.project.status != Project.Status.BERJALAN:
        raise Conflict(_("Proyek tidak sedang berjalan."), code="project_not_running")
    return run


def complete_step(
    run: StepRun,
    *,
    actor,
    fields: dict | None = None,
    decision: str | None = None,
    reason: str = "",
    via: str = "",
    passphrase: str | None = None,
) -> StepRun:
    """Finish a step: check role, decision and Kelengkapan, record it, open what comes next.

    `passphrase` reaches the signer of the documents the step generates (never stored).
    A plain completion is six statements between BEGIN and COMMIT on PostgreSQL (eight on
    SQLite, which runs a write and the read beside it apart), each named with what it is for in
    simpatik/projects/tests/test_engine_queries.py."""
    with transaction.atomic(), audit_batch():
        run = _lock_open_run(run.pk)
        ensure_can_act(actor, run)
        project, step = run.project, run.step
        decision = (decision or "").strip() or None
        reason = (reason or "").strip()
        option = None
        if step.is_decision:
            if decision is None:
                raise ValidationError(_("Keputusan wajib dipilih."), code="decision_required")
            option = step.decision(decision)
            if option is None:
                raise ValidationError(_("Keputusan tidak dikenal."), code="decision_invalid")
            if option.requires_reason and not reason:
                raise ValidationError(
                    _('Alasan wajib diisi untuk keputusan "%(label)s".') % {"label": option.label},
                    code="reason_required",
                )
        elif decision is not None:
            raise ValidationError(
                _("Langkah ini tidak memerlukan keputusan."), code="decision_not_expected"
            )
        # What was typed into the draft counts, and a value still invalid there is refused here.
        fields = fields or {}
        if not isinstance(fields, dict):
            raise ValidationError(
                _("Isian harus berupa pemetaan kunci ke nilai."), code="invalid_fields"
            )
        typed = {**(run.draft or {}), **fields}
        cleaned = clean_fields(step, typed, project, run)
        values = {**(run.values or {}), **cleaned}
        for key, value in typed.items():
            if value in (None, "", []):  # a field emptied by the person is empty, not the old value
                values.pop(key, None)
        now = timezone.now()
        working_days, tepat_waktu = completion_figures(run.opened_at, now, run.due_date)
        # Closed only if still open: of two people completing the same step, exactly one
        # changes a row. The documents its Kelengkapan names are read in the same round trip,
        # after the run's lock was granted (so no upload to it is under way); a refusal below
        # rolls the closing back with the transaction.
        wanted = step.document_keys
        changed, documents = update_reading(
            StepRun,
            {
                "status": StepRun.Status.SELESAI,
                "completed_at": now,
                "completed_by_id": actor.pk,
                "decision": decision or "",
                "reason": reason,
                "values": values,
                "working_days": working_days,
                "tepat_waktu": tepat_waktu,
                "draft": {},
                "draft_decision": "",
                "draft_reason": "",
            },
            "id = %s AND status = %s",
            [run.pk, StepRun.Status.BERJALAN],
            documents_read(project.pk, wanted) if wanted else None,
        )
        if changed != 1:
            raise Conflict(_("Langkah sudah diselesaikan oleh orang lain."), code="step_not_open")
        states = requirement_states(run, cleaned, decision, project_docs=with_steps(documents))
        missing = [state for state in states if not state.satisfied]
        if missing:
            raise _missing_error(run, missing)
        for check in hooks.completion_checks():
            check(run, values=values, decision=decision, passphrase=passphrase)
        run.status, run.completed_at, run.completed_by = StepRun.Status.SELESAI, now, actor
        run.decision, run.reason, run.values = decision or "", reason, values
        run.working_days, run.tepat_waktu = working_days, tepat_waktu
        _apply_team(project, step, values, actor)
        record(
            "project.step.completed",
            actor=actor,
            project=project,
            step_number=step.number,
            obj=run,
            via=via,
            reason=reason,
            data={
                "round": run.round,
                "decision": decision,
                "fields": cleaned,
                "documents": {s.item.key: s.document.sha256 for s in states if s.document},
                # Whose part of a step run once per OPD was accepted or sent back.
                **({"opd": _opd_name(run.opd_id)} if run.opd_id else {}),
            },
        )
        for name in step.effects:
            hooks.effect(name)(project, run, actor, via)
        for listener in hooks.completion_listeners():
            listener(run, actor=actor, via=via, decision=decision, passphrase=passphrase)
        if not fanout.advance(run, step, option, actor=actor, via=via):
            _advance(project, step, option, actor=actor, via=via, now=now, reason=reason)
    return run


def _opd_name(opd_id: int) -> str:
    return Opd.objects.filter(pk=opd_id).values_list("nama", flat=True).first() or ""


def _missing_error(run: StepRun, missing) -> ValidationError:
    """Missing inputs (Kelengkapan) and missing outputs (Hasil) are told apart."""
    new_version = _("perlu versi baru pada putaran ini")
    inputs = [s.item.label for s in missing if s.group == "kelengkapan"]
    outputs = [
        f"{s.item.label} ({new_version})"
        if s.document is not None and s.document.step_run_id != run.pk
        else s.item.label
        for s in missing
        if s.group == "hasil"
    ]
    parts = []
    if inputs:
        parts.append(_("Kelengkapan belum lengkap: %(items)s.") % {"items": ", ".join(inputs)})
    if outputs:
        parts.append(_("Output belum dibuat: %(items)s.") % {"items": ", ".join(outputs)})
    return ValidationError(
        " ".join(parts),
        code="kelengkapan_missing",
        data={
            "missing": [
                {"key": s.item.key, "label": s.item.label, "kind": s.item.kind, "group": s.group}
                for s in missing
            ]
        },
    )


DRAFT_TEXT_LIMIT = 20000  # longer than any field accepts, so an over-long text is kept and flagged
DRAFT_LIST_LIMIT = 500


def _draft_value(value):
    """A typed value as it may be kept: text, a number, or a list of short texts; else None."""
    if value is None or isinstance(value, str):
        text = value or ""
        return text if len(text) <= DRAFT_TEXT_LIMIT and "\x00" not in text else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value if abs(value) < 10**15 and value == value else None
    if isinstance(value, list) and len(value) <= DRAFT_LIST_LIMIT:
        ok = all(isinstance(v, str) and len(v) <= 300 and "\x00" not in v for v in value)
        return list(value) if ok else None
    return None


def _typed_values(step, fields) -> dict:
    known = known_fields(step, fields)
    typed, errors = {}, {}
    for key, value in fields.items():
        kept = _draft_value(value)
        if kept is None:
            errors[key] = _(
                "%(label)s: nilai tidak dapat disimpan (bukan teks, angka atau daftar pilihan, atau terlalu panjang)."
            ) % {"label": known[key].label}
        else:
            typed[key] = kept
    if errors:
        raise ValidationError(
            _("Draf tidak dapat disimpan: %(errors)s") % {"errors": "; ".join(errors.values())},
            code="draft_invalid",
            data={"fields": errors},
        )
    return typed


def save_draft(
    run: StepRun,
    *,
    actor,
    fields: dict,
    replace: bool = False,
    strict: bool = False,
    via: str = "",
    decision: str | None = None,
    reason: str | None = None,
) -> StepRun:
    """Keep what a person typed into an open step, as typed; nobody loses their input.

    A value that is not valid yet is kept in `draft` and flagged (rules.draft_errors); only valid
    values reach `values`, which a letter issued from the step quotes. `replace` makes `fields`
    the whole draft (an API PUT); otherwise the given fields replace theirs. `strict` refuses
    the whole save when a value is invalid (for an action that quotes the values at once).
    `decision` and `reason`, when given, keep a decision step's choice and reason as typed (a
    value that is none of its options is kept as no choice).
    """
    with transaction.atomic():
        run = _lock_open_run(run.pk)
        ensure_can_act(actor, run)
        typed = _typed_values(run.step, fields)
        choice = _draft_choice(run, decision, reason)
        cleaned, errors = check_fields(run.step, typed, run.project, run)
        if strict and errors:
            raise ValidationError(
                _("Isian tidak valid: %(errors)s") % {"errors": "; ".join(errors.values())},
                code="field_invalid",
                data={"fields": errors},
            )
        old = run.draft or {}
        draft = typed if replace else {**old, **typed}
        if draft == old and not choice:
            return run  # an autosave that changes nothing writes nothing
        values = dict(run.values or {})
        for key in set(old) | set(draft) if replace else set(typed):
            if key in cleaned:
                values[key] = cleaned[key]
            else:
                values.pop(key, None)
        now = timezone.now()
        StepRun.objects.filter(pk=run.pk).update(
            draft=draft, values=values, draft_saved_at=now, **choice
        )
        run.draft, run.values, run.draft_saved_at = draft, values, now
        for name, value in choice.items():
            setattr(run, name, value)
        changed = sorted(key for key in set(old) | set(draft) if old.get(key) != draft.get(key))
        data = {"fields": {key: draft.get(key) for key in changed}, "invalid": sorted(errors)}
        if "draft_decision" in choice:
            data["decision"] = choice["draft_decision"] or None
        if "draft_reason" in choice:
            data["alasan"] = choice["draft_reason"]
        record(
            "project.step.draft_saved",
            actor=actor,
            project=run.project,
            step_number=run.step_number,
            obj=run,
            via=via,
            data=data,
        )
    return run


def _draft_choice(run: StepRun, decision, reason) -> dict:
    """The decision and reason typed into a decision step's draft, those that changed."""
    step = run.step
    if not step.is_decision:
        return {}
    found = {}
    if decision is not None:
        decision = str(decision).strip()
        decision = decision if step.decision(decision) is not None else ""
        if decision != run.draft_decision:
            found["draft_decision"] = decision
    if reason is not None:
        reason = str(reason).replace("\x00", "")[:DRAFT_TEXT_LIMIT]
        if reason != run.draft_reason:
            found["draft_reason"] = reason
    return found


def _apply_team(project: Project, step, values: dict, actor) -> None:
    for item in step.hasil:
        if not item.assigns_team or not item.choices_from_role:
            continue
        usernames = values.get(item.key) or []
        users = list(get_user_model().objects.filter(username__in=usernames))
        ProjectMember.objects.filter(project=project, role_key=item.choices_from_role).exclude(
            user__in=users
        ).update(aktif=False)
        for user in users:
            ProjectMember.objects.update_or_create(
                project=project,
                user=user,
                role_key=item.choices_from_role,
                defaults={"aktif": True, "added_by": actor},
            )


def _advance(project: Project, step, option, *, actor, via: str, now, reason: str = "") -> None:
    target = option.next if option is not None else step.next
    if target is not None:
        open_step(project, target, actor=actor, via=via)
    elif step.suspend:
        Project.objects.filter(pk=project.pk).update(status=Project.Status.DITANGGUHKAN)
        record("project.suspended", actor=actor, project=project, step_number=step.number, via=via)
        notifications.project_suspended(project, step=step, reason=reason)
    elif step.end:
        Project.objects.filter(pk=project.pk).update(status=Project.Status.SELESAI, finished_at=now)
        record("project.finished", actor=actor, project=project, step_number=step.number, via=via)
        notifications.project_finished(project)


def resume_project(project: Project, *, actor, reason: str = "", via: str = "") -> StepRun:
    """Lift a suspension (step 7): the step named by the SOP reopens in a new round.

    The note is required: why the project may go on (the budget arrived…) belongs in the history.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status != Project.Status.DITANGGUHKAN:
            raise Conflict(_("Proyek tidak sedang ditangguhkan."), code="project_not_suspended")
        last = (
            project.step_runs.filter(status=StepRun.Status.SELESAI)
            .order_by("-completed_at", "-id")
            .first()
        )
        suspend = project.definition.step(last.step_number).suspend if last else None
        if not suspend:
            raise Conflict(_("Proyek tidak dapat dilanjutkan."), code="project_not_suspended")
        if not can(actor, "lanjutkan_proyek", project):
            raise PermissionDenied(
                _("Hanya %(role)s yang dapat melanjutkan proyek.")
                % {"role": project.definition.role_names[suspend["resume_role"]]},
                code="wrong_role",
            )
        if not reason:
            raise ValidationError(
                _("Catatan wajib diisi: tuliskan mengapa proyek dapat dilanjutkan."),
                code="reason_required",
            )
        Project.objects.filter(pk=project.pk).update(status=Project.Status.BERJALAN)
        record(
            "project.resumed",
            actor=actor,
            project=project,
            reason=reason,
            via=via,
            data={"reopens": suspend["resume_to"]},
        )
        notifications.project_resumed(project, reason=reason)
        return open_step(project, suspend["resume_to"], actor=actor, via=via)


def claim_step(run: StepRun, *, actor, via: str = "") -> StepRun:
    with transaction.atomic():
        run = _lock_open_run(run.pk)
        ensure_can_act(actor, run)
        if run.assignee_id == actor.pk:
            return run
        StepRun.objects.filter(pk=run.pk).update(assignee=actor)
        run.assignee = actor
        record(
            "project.step.claimed",
            actor=actor,
            project=run.project,
            step_number=run.step_number,
            obj=run,
            via=via,
        )
    return run


def reassign_step(run: StepRun, *, actor, to_user, reason: str = "", via: str = "") -> StepRun:
    """Hand a step to another holder of its role; the old and new holder are recorded."""
    with transaction.atomic():
        run = _lock_open_run(run.pk)
        if not (can(actor, "administrasi") or can(actor, "kerjakan_langkah", run)):
            raise PermissionDenied(
                _("Anda tidak berwenang mengalihkan langkah ini."), code="wrong_role"
            )
        if to_user is None or not eligible(to_user, run):
            raise ValidationError(
                _("Pengguna tujuan tidak memegang peran pelaksana langkah ini."),
                code="invalid_assignee",
            )
        previous = run.assignee.username if run.assignee_id else None
        StepRun.objects.filter(pk=run.pk).update(assignee=to_user)
        run.assignee = to_user
        record(
            "project.step.reassigned",
            actor=actor,
            project=run.project,
            step_number=run.step_number,
            obj=run,
            via=via,
            reason=reason,
            data={"from": previous, "to": to_user.username},
        )
    return run
