"""The SOP engine: start a project, complete, claim and reassign steps, resume a suspended one."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.audit.services import batch as audit_batch
from simpatik.audit.services import record
from simpatik.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from simpatik.core.sequences import next_number
from simpatik.core.workdays import add_working_days
from simpatik.projects.models import Need, Project, ProjectMember, StepRun
from simpatik.projects.services.rules import (
    clean_fields,
    earlier_value,
    eligible,
    ensure_can_act,
    requirement_states,
)
from simpatik.sop import hooks
from simpatik.sop.models import SOP_HEAVY_FIELDS
from simpatik.sop.services import active_version


def _due_date(project: Project, step, opened_at):
    days = step.waktu
    if step.waktu_from_field:
        value = earlier_value(project, step.waktu_from_field)
        days = int(value) if isinstance(value, int | float) and value > 0 else None
    if days is None:
        return None
    return add_working_days(timezone.localdate(opened_at), days)


def open_step(
    project: Project, number: int, *, actor=None, via: str = "", prefill: dict | None = None
) -> StepRun:
    step = project.definition.step(number)
    now = timezone.now()
    previous = StepRun.objects.filter(project=project, step_number=number).count()
    run = StepRun.objects.create(
        project=project,
        step_number=number,
        round=previous + 1,
        role_key=step.role,
        opened_at=now,
        due_date=_due_date(project, step, now),
        values=prefill or {},
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
        },
    )
    return run


def can_start_project(user) -> bool:
    try:
        version = active_version()
    except NotFound:
        return False
    return user.is_authenticated and user.has_role(version.definition.first_step.role)


def start_project(
    *,
    actor,
    nama: str,
    opd,
    deskripsi: str = "",
    need: Need | None = None,
    rujukan: str = "",
    via: str = "",
) -> Project:
    """Step 1 begins: the Kadis opens a project, from an OPD's usulan or directly."""
    version = active_version()
    first = version.definition.first_step
    if not actor.has_role(first.role):
        raise PermissionDenied(
            _("Hanya %(role)s yang dapat memulai proyek.")
            % {"role": version.definition.role_names[first.role]},
            code="wrong_role",
        )
    nama = (nama or "").strip()
    if not nama:
        raise ValidationError(_("Nama aplikasi wajib diisi."), code="nama_required")
    if opd is None:
        raise ValidationError(_("OPD wajib dipilih."), code="opd_required")
    with transaction.atomic():
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
                "sop_version": version.version,
            },
        )
        open_step(project, first.number, actor=actor, via=via, prefill=prefill)
    return project


def _lock_open_run(run_id: int) -> StepRun:
    try:
        run = (
            StepRun.objects.select_for_update(of=("self",))
            .select_related("project__sop_version", "assignee")
            .defer(*SOP_HEAVY_FIELDS)
            .get(pk=run_id)
        )
    except StepRun.DoesNotExist as exc:
        raise NotFound(_("Langkah tidak ditemukan."), code="step_not_found") from exc
    if run.status != StepRun.Status.OPEN:
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

    `passphrase` reaches the signer of the documents the step generates (never stored)."""
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
        cleaned = clean_fields(step, fields or {}, project)
        states = requirement_states(run, cleaned, decision)
        missing = [state.item for state in states if not state.satisfied]
        if missing:
            raise ValidationError(
                _("Kelengkapan belum lengkap: %(items)s.")
                % {"items": ", ".join(i.label for i in missing)},
                code="kelengkapan_missing",
                data={
                    "missing": [{"key": i.key, "label": i.label, "kind": i.kind} for i in missing]
                },
            )
        values = {**(run.values or {}), **cleaned}
        for check in hooks.completion_checks():
            check(run, values=values, decision=decision, passphrase=passphrase)
        now = timezone.now()
        # Conditional update: of two people completing the same step, exactly one changes a row.
        changed = StepRun.objects.filter(pk=run.pk, status=StepRun.Status.OPEN).update(
            status=StepRun.Status.DONE,
            completed_at=now,
            completed_by=actor,
            decision=decision or "",
            reason=reason,
            values=values,
        )
        if changed != 1:
            raise Conflict(_("Langkah sudah diselesaikan oleh orang lain."), code="step_not_open")
        run.status, run.completed_at, run.completed_by = StepRun.Status.DONE, now, actor
        run.decision, run.reason, run.values = decision or "", reason, values
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
            },
        )
        for name in step.effects:
            hooks.effect(name)(project, run, actor, via)
        for listener in hooks.completion_listeners():
            listener(run, actor=actor, via=via, decision=decision, passphrase=passphrase)
        _advance(project, step, option, actor=actor, via=via, now=now)
    return run


def save_draft(run: StepRun, *, actor, fields: dict, via: str = "") -> StepRun:
    """Keep a step's field values before it completes (a letter issued from the step quotes them)."""
    with transaction.atomic():
        run = _lock_open_run(run.pk)
        ensure_can_act(actor, run)
        cleaned = clean_fields(run.step, fields or {}, run.project)
        values = {**(run.values or {}), **cleaned}
        if values != (run.values or {}):
            StepRun.objects.filter(pk=run.pk).update(values=values)
            run.values = values
            record(
                "project.step.draft_saved",
                actor=actor,
                project=run.project,
                step_number=run.step_number,
                obj=run,
                via=via,
                data={"fields": cleaned},
            )
    return run


def _apply_team(project: Project, step, values: dict, actor) -> None:
    for item in step.hasil:
        if not item.assigns_team or not item.choices_from_role:
            continue
        usernames = values.get(item.key) or []
        users = list(get_user_model().objects.filter(username__in=usernames))
        ProjectMember.objects.filter(project=project, role_key=item.choices_from_role).exclude(
            user__in=users
        ).update(active=False)
        for user in users:
            ProjectMember.objects.update_or_create(
                project=project,
                user=user,
                role_key=item.choices_from_role,
                defaults={"active": True, "added_by": actor},
            )


def _advance(project: Project, step, option, *, actor, via: str, now) -> None:
    target = option.next if option is not None else step.next
    if target is not None:
        open_step(project, target, actor=actor, via=via)
    elif step.suspend:
        Project.objects.filter(pk=project.pk).update(status=Project.Status.DITANGGUHKAN)
        record("project.suspended", actor=actor, project=project, step_number=step.number, via=via)
    elif step.end:
        Project.objects.filter(pk=project.pk).update(status=Project.Status.SELESAI, finished_at=now)
        record("project.finished", actor=actor, project=project, step_number=step.number, via=via)


def resume_project(project: Project, *, actor, reason: str = "", via: str = "") -> StepRun:
    """Lift a suspension (step 7): the step named by the SOP reopens in a new round."""
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status != Project.Status.DITANGGUHKAN:
            raise Conflict(_("Proyek tidak sedang ditangguhkan."), code="project_not_suspended")
        last = (
            project.step_runs.filter(status=StepRun.Status.DONE)
            .order_by("-completed_at", "-id")
            .first()
        )
        suspend = project.definition.step(last.step_number).suspend if last else None
        if not suspend:
            raise Conflict(_("Proyek tidak dapat dilanjutkan."), code="project_not_suspended")
        if not actor.has_role(suspend["resume_role"]):
            raise PermissionDenied(
                _("Hanya %(role)s yang dapat melanjutkan proyek.")
                % {"role": project.definition.role_names[suspend["resume_role"]]},
                code="wrong_role",
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
        if not (actor.is_superuser or eligible(actor, run)):
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
