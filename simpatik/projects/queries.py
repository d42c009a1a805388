"""Read-side helpers shared by the web views and the API: scope, step details, tasks, filters."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.core.errors import Conflict, NotFound
from simpatik.core.workdays import working_days_between
from simpatik.projects.models import Document, Need, Project, StepRun
from simpatik.projects.services.rules import (
    choice_options,
    eligible,
    requirement_states,
    team_members,
)
from simpatik.sop import hooks


def project_for(user, pk) -> Project:
    """A project the user may see, or NotFound (never say that an unseen project exists)."""
    try:
        return (
            Project.objects.visible_to(user)
            .select_related("opd", "sop_version")
            .defer("sop_version__data", "sop_version__source")
            .get(pk=int(pk))
        )
    except (Project.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("Proyek tidak ditemukan."), code="project_not_found") from exc


def need_for(user, pk) -> Need:
    try:
        return Need.objects.visible_to(user).select_related("opd").get(pk=int(pk))
    except (Need.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("Usulan tidak ditemukan."), code="need_not_found") from exc


def step_of(project: Project, number) -> int:
    try:
        number = int(number)
        project.definition.step(number)
    except (KeyError, ValueError, TypeError) as exc:
        raise NotFound(_("Langkah tidak ada dalam SOP proyek ini."), code="step_not_found") from exc
    return number


def open_run_of(project: Project, number: int) -> StepRun:
    """The open run of a step, or 409: the page or client acted on a step that moved on."""
    run = project.step_runs.filter(step_number=number, status=StepRun.Status.OPEN).first()
    if run is None:
        raise Conflict(
            _("Langkah %(n)d tidak sedang terbuka. Muat ulang halaman.") % {"n": number},
            code="step_not_open",
        )
    return run


def open_runs(project: Project) -> list[StepRun]:
    return list(project.step_runs.filter(status=StepRun.Status.OPEN).order_by("step_number"))


def latest_run(project: Project, number: int) -> StepRun | None:
    return project.step_runs.filter(step_number=number).order_by("-round").first()


def remaining_days(run: StepRun) -> int | None:
    """Working days left before the due date (negative when late); None without a due date."""
    if run.due_date is None:
        return None
    end = timezone.localdate(run.completed_at) if run.completed_at else timezone.localdate()
    return working_days_between(end, run.due_date)


def duration_days(run: StepRun) -> int | None:
    if run.completed_at is None:
        return None
    return working_days_between(
        timezone.localdate(run.opened_at), timezone.localdate(run.completed_at)
    )


def step_detail(project: Project, number: int, user) -> dict:
    """A self-describing step: what it needs, what is present, and its decisions."""
    definition = project.definition
    step = definition.step(number)
    run = latest_run(project, number)
    states = {s.item.key: s for s in requirement_states(run)} if run is not None else {}
    may_act = bool(
        run and run.is_open and project.status == Project.Status.BERJALAN and eligible(user, run)
    )
    requirements = []
    for group, items in (("kelengkapan", step.kelengkapan), ("hasil", step.hasil)):
        for item in items:
            entry = {
                "key": item.key,
                "label": item.label,
                "kind": item.kind,
                "group": group,
                "satisfied": bool(states.get(item.key) and states[item.key].satisfied),
                # Made and signed by the step's completion: clients never upload it.
                "generated": item.key in definition.generated_keys,
            }
            if item.kind == "field":
                entry["type"] = item.type
                if item.type == "choice":
                    entry["choices"] = [
                        {"value": v, "label": lbl} for v, lbl in choice_options(item, project)
                    ]
                    entry["multiple"] = item.multiple
                if item.optional:
                    entry["optional"] = True
                if item.example:
                    entry["example"] = item.example
                if item.when_decision:
                    entry["required_for_decisions"] = list(item.when_decision)
                state = states.get(item.key)
                entry["value"] = state.value if state else None
            else:
                if item.generate:
                    entry["generate"] = {"kind": item.generate, **hooks.generator(item.generate)}
                document = states[item.key].document if item.key in states else None
                entry["document"] = document_dict(document) if document else None
            requirements.append(entry)
    detail = {
        "number": step.number,
        "role": step.role,
        "role_name": definition.role_names[step.role],
        "uraian": step.uraian,
        "items": list(step.items),
        "waktu": step.waktu,
        "waktu_label": step.waktu_label,
        "output": step.output,
        "status": run.status if run else "pending",
        "round": run.round if run else None,
        "opened_at": run.opened_at if run else None,
        "due_date": run.due_date if run else None,
        "remaining_working_days": remaining_days(run) if run else None,
        "assignee": run.assignee.username if run and run.assignee_id else None,
        "eligible": may_act,
        "can_act": may_act and run.assignee_id in (None, user.pk),
        "requirements": requirements,
        "evidence": list(step.evidence),
        "decisions": [
            {
                "value": o.value,
                "label": o.label,
                "next_step": o.next,
                "requires_reason": o.requires_reason,
            }
            for o in step.decisions
        ],
        "runs": [
            _run_dict(r) for r in project.step_runs.filter(step_number=number).order_by("round")
        ],
    }
    return detail


def document_dict(document: Document) -> dict:
    return {
        "id": document.pk,
        "key": document.key,
        "version": document.version,
        "name": document.name,
        "sha256": document.sha256,
        "size": document.size,
        "uploaded_at": document.uploaded_at,
    }


def _run_dict(run: StepRun) -> dict:
    return {
        "round": run.round,
        "status": run.status,
        "opened_at": run.opened_at,
        "due_date": run.due_date,
        "completed_at": run.completed_at,
        "completed_by": run.completed_by.username if run.completed_by_id else None,
        "decision": run.decision or None,
        "reason": run.reason or "",
        "values": run.values,
        "duration_working_days": duration_days(run),
    }


def tasks_for(user):
    """Open steps this user may act on now, overdue first then by due date."""
    if not user.is_authenticated:
        return StepRun.objects.none()
    runs = list(
        StepRun.objects.filter(
            status=StepRun.Status.OPEN,
            project__status=Project.Status.BERJALAN,
            role_key__in=user.role_keys(),
        )
        .filter(Q(assignee__isnull=True) | Q(assignee=user))
        .select_related("project", "project__opd", "project__sop_version", "assignee")
        .defer("project__sop_version__data", "project__sop_version__source")
        .order_by("due_date", "opened_at")
    )
    teams = team_members({run.project_id for run in runs})
    return [run for run in runs if eligible(user, run, teams=teams)]


def filter_projects(queryset, params):
    status = params.get("status")
    if status in Project.Status.values:
        queryset = queryset.filter(status=status)
    opd = params.get("opd")
    if opd and str(opd).isdigit():
        queryset = queryset.filter(opd_id=int(opd))
    step = params.get("step")
    if step and str(step).isdigit():
        queryset = queryset.filter(
            step_runs__status=StepRun.Status.OPEN, step_runs__step_number=int(step)
        )
    if str(params.get("overdue", "")).lower() in {"1", "true", "ya"}:
        queryset = queryset.filter(
            step_runs__status=StepRun.Status.OPEN, step_runs__due_date__lt=timezone.localdate()
        )
    text = (params.get("q") or "").strip()
    if text:
        queryset = queryset.filter(
            Q(nama__icontains=text) | Q(kode__icontains=text) | Q(opd__nama__icontains=text)
        )
    return queryset.distinct()
