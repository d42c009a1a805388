"""Read-side helpers shared by the web views and the API: scope, step details, tasks, filters."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from simpatik.accounts import delegation
from simpatik.accounts.models import User
from simpatik.accounts.permissions import has, sees_everything
from simpatik.core.errors import Conflict, NotFound, PermissionDenied
from simpatik.core.input_guard import is_number
from simpatik.core.kept import Kept
from simpatik.core.precompiled import PrecompiledModels, models_of, values_of
from simpatik.core.rows import days_left, html_row, short_date, url_pattern
from simpatik.core.workdays import working_days_between
from simpatik.inventory import census_notes
from simpatik.projects import opd_parts, panels
from simpatik.projects.models import Document, Need, Project, StepRun
from simpatik.projects.services.rules import (
    choice_options,
    draft_errors,
    eligible,
    project_documents,
    requirement_states,
)
from simpatik.sop import hooks

__all__ = ["project_documents"]  # the project page's documents, read once (rules)

# The status a step shows before its first run (not stored; runs hold StepRun.Status).
NOT_STARTED = "belum_dimulai"


def project_for(user, pk, *, page=False) -> Project:
    """A project the user may see, or NotFound (never say that an unseen project exists).

    page=True: what the project page prints beside, in the same query: the usulan's number and
    the panels' hints (projects.panels)."""
    try:
        pk = int(pk)
        if page:
            found = _page_statement(user).models(pk=pk)
            if found:
                return found[0]
            raise Project.DoesNotExist
        return _projects().visible_to(user).get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound(_("Proyek tidak ditemukan."), code="project_not_found") from exc


def _projects():
    return Project.objects.select_related("opd", "sop_version").defer(
        "sop_version__data", "sop_version__source"
    )


def _page_projects(user, pk):
    projects = _projects().visible_to(user).select_related("need").only(*_PAGE_COLUMNS)
    return projects.annotate(**panels.hints()).filter(pk=pk).order_by()


_PAGE_STATEMENTS = Kept(512)


def _page_statement(user) -> PrecompiledModels:
    """The project page's statement for what this user may see, compiled once per process: one
    for oversight (every project), one per `delegation.standing` for the others (their team,
    their OPD, the officials they stand in for today are constants of the statement)."""
    key = None if sees_everything(user) else delegation.standing(user)
    found = _PAGE_STATEMENTS.get(key)
    if found is None:
        found = _PAGE_STATEMENTS.put(
            key, PrecompiledModels(lambda pk: _page_projects(user, pk), pk=-424242)
        )
    return found


# The project page's project: every column of the project and its OPD, the SOP version without
# its text, and of the usulan only what the page links to.
_PAGE_COLUMNS = [
    *(f.name for f in Project._meta.concrete_fields),
    *(f"opd__{f.name}" for f in Project.opd.field.related_model._meta.concrete_fields),
    *(
        f"sop_version__{f.name}"
        for f in Project.sop_version.field.related_model._meta.concrete_fields
        if f.name not in ("data", "source")
    ),
    "need__nomor",
]


def is_requester(user) -> bool:
    """Staff of an OPD who hold no Diskominfo role of an SOP in force: they ask for applications,
    they don't build them (a role scoped to their own OPD, `lingkup: opd`, keeps them requesters;
    a vendor is not its OPD's staff: permissions.staff_opd)."""
    from simpatik.accounts.permissions import staff_opd
    from simpatik.sop.models import definitions_in_force

    if not staff_opd(user):
        return False
    roles = {
        key
        for definition in definitions_in_force()
        for key in definition.role_names
        if key not in definition.opd_roles
    }
    return not (user.role_keys() & roles)


def need_for(user, pk) -> Need:
    try:
        return (
            Need.objects.visible_to(user)
            .select_related("opd", "project", "created_by")
            .get(pk=int(pk))
        )
    except (Need.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("Usulan tidak ditemukan."), code="need_not_found") from exc


def step_of(project: Project, number) -> int:
    try:
        number = int(number)
        project.definition.step(number)
    except (KeyError, ValueError, TypeError) as exc:
        raise NotFound(_("Langkah tidak ada dalam SOP proyek ini."), code="step_not_found") from exc
    return number


def open_run_of(project: Project, number: int, opd=None) -> StepRun:
    """The open run of a step (of `opd`'s part, for a step run per OPD), or 409: the page or
    client acted on a step that moved on."""
    runs = project.step_runs.filter(step_number=number, status=StepRun.Status.BERJALAN)
    run = (runs.filter(opd=opd) if opd is not None else runs).first()
    if run is None:
        raise Conflict(
            _("Langkah %(n)d tidak sedang terbuka. Muat ulang halaman.") % {"n": number},
            code="step_not_open",
        )
    return run


def open_runs(project: Project) -> list[StepRun]:
    return list(project.step_runs.filter(status=StepRun.Status.BERJALAN).order_by("step_number"))


def latest_run(project: Project, number: int, opd=None) -> StepRun | None:
    runs = project.step_runs.filter(step_number=number)
    return (runs.filter(opd=opd) if opd is not None else runs).order_by("-round", "-id").first()


def open_part_run(project: Project, number: int, user, opd_id=None) -> StepRun:
    """The open run a request acts on: for a step run per OPD, the part of `?opd=` or the
    user's own OPD (opd_parts.part_of)."""
    return open_run_of(project, number, opd_parts.part_of(project, number, user, opd_id))


def remaining_days(run: StepRun, today=None) -> int | None:
    """Working days left before the due date (negative when late); None without a due date.

    Lists pass `today` (one local date for the whole page) and read the result once per row.
    """
    if run.due_date is None:
        return None
    if run.completed_at:
        end = timezone.localdate(run.completed_at)
    else:
        end = today or timezone.localdate()
    return working_days_between(end, run.due_date)


def with_open_runs(projects, columns=None):
    """Projects with their open runs (`project.open_runs`, by step) in one query for the page;
    `columns`: only these of each run (a list that prints a few need not decode their JSON)."""
    runs = StepRun.objects.filter(status=StepRun.Status.BERJALAN).order_by("step_number")
    if columns:
        runs = runs.only(*columns)
    return projects.prefetch_related(Prefetch("step_runs", queryset=runs, to_attr="open_runs"))


def duration_days(run: StepRun) -> int | None:
    if run.completed_at is None:
        return None
    return working_days_between(
        timezone.localdate(run.opened_at), timezone.localdate(run.completed_at)
    )


# Of the people on a run, the page prints names: their other columns are not read.
_PEOPLE = [
    f"{person}__{column}"
    for person in ("completed_by", "assignee")
    for column in ("username", "first_name", "last_name")
]


def all_runs(project: Project) -> list[StepRun]:
    """Every run of the project, by round, with who completed and holds it: the project page
    reads its open steps, the focused step and the swimlane from this one query."""
    runs = _ALL_RUNS.models(project_id=project.pk)
    for run in runs:
        run.project = project  # as the project's related manager would give them
    # Sorted here: Django compiles an ORDER BY over a wide select at a cost that grows with its
    # columns, and a project has a few dozen runs.
    runs.sort(key=lambda run: (run.round, run.opened_at, run.pk))
    return runs


def _all_runs(project_id):
    runs = StepRun.objects.filter(project_id=project_id).select_related("completed_by", "assignee")
    columns = [field.name for field in StepRun._meta.concrete_fields] + _PEOPLE
    return runs.only(*columns).order_by()


_ALL_RUNS = PrecompiledModels(_all_runs, project_id=-424242)


def step_detail(
    project: Project, number: int, user, runs=None, opd_id=None, documents=None
) -> dict:
    """A self-describing step: what it needs, what is present, and its decisions; for a step
    run per OPD, one OPD's part (`opd_id`, else the user's own) and the list of parts.

    `runs`: the project's runs by round when the caller has them (all_runs); else this step's
    are read. The latest round is the one the page acts on. `documents`: the project's, when
    the caller read them (rules.project_documents)."""
    definition = project.definition
    step = definition.step(number)
    all_read = runs is not None  # every run of the project, as all_runs reads them
    if runs is None:
        runs = project.step_runs.filter(step_number=number).select_related(
            "completed_by", "assignee"
        )
        runs = runs.order_by("round")
    step_runs = [r for r in runs if r.step_number == number]
    part = opd_parts.part_of(project, number, user, opd_id)
    if part is not None:
        step_runs = [r for r in step_runs if r.opd_id == part.pk]
    run = step_runs[-1] if step_runs else None
    may_act = bool(
        run and run.is_open and project.status == Project.Status.BERJALAN and eligible(user, run)
    )
    # Others see what an open step holds only once it is completed.
    own_values = bool(run and (not run.is_open or may_act))
    states = (
        {
            s.item.key: s
            for s in requirement_states(
                run,
                own_values=own_values,
                project_docs=documents,
                project_runs=runs if all_read else None,
            )
        }
        if run is not None
        else {}
    )
    earlier = _earlier_round(run)
    requirements = []
    for group, items in (("kelengkapan", step.kelengkapan), ("hasil", step.hasil)):
        for item in items:
            entry = {
                "key": item.key,
                "label": item.label,
                "kind": item.kind,
                "group": group,
                "satisfied": bool(states.get(item.key) and states[item.key].satisfied),
                # Work belongs to the step that made it: here it is only read.
                "writable": definition.writable(number, item.key),
                "from_step": definition.sources[number].get(item.key),
                # Made and signed by the step's completion: clients never upload it.
                "generated": item.key in definition.generated_keys,
            }
            if item.optional:  # a field or a document that may stay empty
                entry["optional"] = True
            if item.kind == "field":
                entry["type"] = item.type
                if item.type == "text":
                    entry["widget"] = item.widget
                if item.type == "choice":
                    entry["choices"] = [
                        {"value": v, "label": lbl} for v, lbl in choice_options(item, project)
                    ]
                    entry["multiple"] = item.multiple
                if item.example:
                    entry["example"] = item.example
                if item.validate:
                    entry["validate"] = item.validate
                entry.update(
                    {k: getattr(item, k) for k in ("min", "max") if getattr(item, k) is not None}
                )
                if item.when_decision:
                    entry["required_for_decisions"] = list(item.when_decision)
                    entry["required_for_labels"] = [
                        step.decision(v).label if step.decision(v) else v
                        for v in item.when_decision
                    ]
                state = states.get(item.key)
                entry["value"] = state.value if state else None
                if run and run.is_open and entry["value"] in (None, "", []):
                    entry["suggested"] = hooks.suggestion(run, item)
                if group == "hasil" and earlier and entry["value"] in (None, "", []):
                    previous = (earlier.values or {}).get(item.key)
                    if previous not in (None, "", []):
                        entry["previous_value"] = previous
                        entry["needs_new_version"] = bool(run.is_open)
                        if item.type == "choice":  # by its label, as the value itself is shown
                            entry["previous_labels"] = choice_value_labels(item, project, previous)
                if item.type == "choice" and entry["value"]:
                    entry["value_labels"] = choice_value_labels(item, project, entry["value"])
            else:
                entry["accept"] = list(item.accept)
                if item.generate:
                    entry["generate"] = {"kind": item.generate, **hooks.generator(item.generate)}
                document = states[item.key].document if item.key in states else None
                entry["document"] = document_dict(document) if document else None
                if group == "hasil" and document and run and document.step_run_id != run.pk:
                    # Made in an earlier round: this round needs its own version.
                    entry["needs_new_version"] = bool(run.is_open)
            requirements.append(entry)
    detail = {
        "number": step.number,
        "role": step.role,
        "role_name": definition.role_names[step.role],
        "uraian": step.uraian,
        "items": list(step.items),
        "waktu": step.waktu,
        "waktu_label": step.waktu_text(),
        "output": step.output,
        "status": run.status if run else NOT_STARTED,
        "round": run.round if run else None,
        "opened_at": run.opened_at if run else None,
        "due_date": run.due_date if run else None,
        "remaining_working_days": remaining_days(run) if run else None,
        "assignee": run.assignee.username if run and run.assignee_id else None,
        "returned": returns_for([run]).get(run.pk) if run else None,
        "eligible": may_act,
        "can_act": may_act and run.assignee_id in (None, user.pk),
        "requirements": requirements,
        **opd_parts.detail(project, number, run),
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
        # What the decision is about, as the SOP words it (the form's legend).
        "decision_label": step.decision_label or None,
        # The choices that need a reason, for the reason's label ("wajib untuk: Tidak tersedia").
        "reason_for": ", ".join(o.label for o in step.decisions if o.requires_reason),
        "runs": [_run_dict(r, step) for r in step_runs],
    }
    return detail


def _earlier_round(run: StepRun | None) -> StepRun | None:
    if run is None or run.round < 2:
        return None
    return (
        StepRun.objects.filter(
            project_id=run.project_id,
            step_number=run.step_number,
            round__lt=run.round,
            status=StepRun.Status.SELESAI,
        )
        .order_by("-round")
        .first()
    )


def _responses(step, run) -> list[tuple[str, str]]:
    """The deciding run's written fields that bear on its decision, as (label, text)."""
    values = run.values or {}
    return [
        (item.label, values[item.key])
        for item in step.hasil
        if item.kind == "field"
        and item.type == "text"
        and not census_notes.is_notes(item)
        and (not item.when_decision or run.decision in item.when_decision)
        and isinstance(values.get(item.key), str)
        and values[item.key].strip()
    ]


def returns_for(runs) -> dict[int, dict]:
    """Why each run of a later round exists: the decision that sent the work back.

    A decision whose option points back to an earlier step (a loop in the SOP) returns every
    step from its target up to itself; a run of round 2 or more in that span, opened after
    the decision, shows who returned it, when, and the reason.
    """
    later = [run for run in runs if run is not None and run.round > 1]
    if not later:
        return {}
    decided = (
        StepRun.objects.filter(
            project_id__in={run.project_id for run in later}, status=StepRun.Status.SELESAI
        )
        .exclude(decision="")
        .select_related("completed_by")
        .order_by("-completed_at", "-id")
    )
    found = {}
    for run in later:
        definition = run.project.definition
        for back in decided:
            if back.project_id != run.project_id or back.completed_at > run.opened_at:
                continue
            if run.opd_id and back.opd_id and back.opd_id != run.opd_id:
                continue  # another OPD's part of a step run per OPD
            option = definition.step(back.step_number).decision(back.decision)
            if option is None or not option.next <= run.step_number <= back.step_number:
                continue
            found[run.pk] = {
                "by": back.completed_by.display_name if back.completed_by_id else "",
                "by_username": back.completed_by.username if back.completed_by_id else None,
                "role_name": definition.role_names.get(back.role_key, back.role_key),
                "at": back.completed_at,
                "from_step": back.step_number,
                "decision": back.decision,
                "decision_label": option.label,
                "reason": back.reason,
                # The Kasie's notes per application (census verification), if the step has them.
                "notes": census_notes.notes_of(definition.step(back.step_number), back.values),
                # What the deciding step wrote for this decision (the Tim Teknis's tanggapan).
                "responses": _responses(definition.step(back.step_number), back),
            }
            break
    return found


def draft_for(run: StepRun, user) -> dict:
    """An open step's draft, for the people who may act on it; PermissionDenied for others."""
    if not (run.is_open and run.project.status == Project.Status.BERJALAN and eligible(user, run)):
        names = run.project.definition.role_names
        raise PermissionDenied(
            _("Draf langkah %(n)d hanya terlihat oleh %(role)s.")
            % {"n": run.step_number, "role": names.get(run.role_key, run.role_key)},
            code="wrong_role",
        )
    return {
        "fields": dict(run.draft or {}),
        "errors": draft_errors(run),
        "saved_at": run.draft_saved_at,
        "decision": run.draft_decision,
        "reason": run.draft_reason,
    }


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


def choice_value_labels(item, project: Project, value) -> list[dict]:
    """A recorded choice by its label (and page): names of applications or people, never ids."""
    values = [str(v) for v in (value if isinstance(value, list) else [value])]
    named = {}
    labels = hooks.choice_labels(item.choices_from) if item.choices_from else None
    if labels is not None:
        named = labels(values)
    else:
        named = {key: (label, "") for key, label in choice_options(item, project)}
    return [
        {"value": v, "label": named[v][0] if v in named else v, "url": named.get(v, ("", ""))[1]}
        for v in values
    ]


def _run_dict(run: StepRun, step=None) -> dict:
    option = step.decision(run.decision) if step is not None and run.decision else None
    return {
        "round": run.round,
        "status": run.status,
        "status_label": run.get_status_display().lower(),
        "decision_label": option.label if option else (run.decision or None),
        "completed_by_name": run.completed_by.display_name if run.completed_by_id else None,
        "opened_at": run.opened_at,
        "due_date": run.due_date,
        "completed_at": run.completed_at,
        "completed_by": run.completed_by.username if run.completed_by_id else None,
        "decision": run.decision or None,
        "reason": run.reason or "",
        "values": run.values,
        "duration_working_days": duration_days(run),
    }


def with_open_steps(users):
    """Workload when assigning: each user with the open steps of running projects they hold
    (`open_steps`), counted in the same query as the users."""
    runs, projects = StepRun._meta.db_table, Project._meta.db_table
    users_table = users.model._meta.db_table
    counted = RawSQL(
        f"SELECT COUNT(*) FROM {runs} JOIN {projects} ON {projects}.id = {runs}.project_id"
        f" WHERE {runs}.assignee_id = {users_table}.id AND {runs}.status = %s"
        f" AND {projects}.status = %s",
        [StepRun.Status.BERJALAN, Project.Status.BERJALAN],
        output_field=IntegerField(),
    )
    return users.annotate(open_steps=counted)


def assignable(role_key: str) -> list:
    """Who holds the role today (delegations applied), by username, each with `open_steps`:
    the people a step of that role can be handed to, and their workload."""
    return _ASSIGNABLE.models(role_key=role_key, today=timezone.localdate())


def _assignable(role_key, today):
    users = with_open_steps(delegation.holders(role_key, on=today))
    return users.only("username", "first_name", "last_name").order_by("username")


_ASSIGNABLE = PrecompiledModels(_assignable, role_key="-role-stand-in-", today=dt.date(1901, 2, 3))


def task_runs(user, sop: str | None = None):
    """Open steps this user may act on now, as one query to page through: the earliest due date
    first (so every overdue step comes before the others), steps without a due date last, then
    the oldest opened. `sop` (a code) keeps the steps of that SOP's projects."""
    if not user.is_authenticated:
        return StepRun.objects.none()
    runs = StepRun.objects.actionable_by(user)
    if sop:
        runs = runs.filter(project__sop_version__kode=sop)
    return (
        # Open runs are of running projects (StepRun): no join of every running project, and
        # the page reads its 50 rows in due-date order from the open-steps index and stops.
        runs.filter(status=StepRun.Status.BERJALAN)
        .filter(Q(assignee__isnull=True) | Q(assignee=user) | delegation.claimed_by_covered(user))
        .select_related("project", "project__opd", "assignee")
        .order_by(F("due_date").asc(nulls_last=True), "opened_at", "id")
    )


def task_totals(today) -> dict:
    """How many tasks, and how many of them overdue (the first is the page count)."""
    return {"total": Count("pk"), "overdue": Count("pk", filter=Q(due_date__lt=today))}


@lru_cache(maxsize=512)
def short_uraian(text: str) -> str:
    """A step's description cut for a list row: the same text for every row of that step."""
    return Truncator(text).words(18, truncate=" …")


def task_rows(runs, today) -> list[StepRun]:
    """A page of tasks ready to show: each run's working days left (`days`, read once, by
    arithmetic), whether it is overdue, its short description and why it came back, if it did."""
    runs = list(runs)
    returned = returns_for(runs)
    for run in runs:
        run.days = remaining_days(run, today)
        # Past its due date, as the page's count and the list filter say (a date, not days).
        run.overdue = run.due_date is not None and run.due_date < today
        run.uraian = short_uraian(run.step.uraian)
        run.returned = returned.get(run.pk)
    return runs


def tasks_for(user) -> list[StepRun]:
    """Every open step this user may act on now (the calendar feed); pages use task_runs."""
    return task_rows(task_runs(user), timezone.localdate())


def suspension(project: Project) -> dict | None:
    """Why and by which step a suspended project waits, and which role may resume it."""
    if project.status != Project.Status.DITANGGUHKAN:
        return None
    runs = list(
        project.step_runs.filter(status=StepRun.Status.SELESAI).order_by("-completed_at", "-id")[:5]
    )
    if not runs:
        return None
    step = project.definition.step(runs[0].step_number)
    if not step.suspend:
        return None
    return {
        "step": step,
        "reason": next((r.reason for r in runs if r.reason), ""),
        "resume_role": step.suspend["resume_role"],
        "resume_role_name": project.definition.role_names[step.suspend["resume_role"]],
        "resume_to": step.suspend["resume_to"],
    }


# Of each kind, Tugas Saya shows the first few; when there are more, a link opens the list.
WAITING_SHOWN = 10


def waiting_for(user) -> dict:
    """Everything besides open steps that waits for this user, in a fixed number of queries.

    New usulan for the role that starts projects; suspended projects for the role that resumes
    them (`suspend.resume_role`); late steps of the roles this user's roles supervise
    (`supervises`). All read from the SOP definitions, none from role names written here. Each
    list shows its first WAITING_SHOWN; `more` says whether there are others (read as one row
    more than shown: one query per list, no COUNT).
    """
    from simpatik.sop.models import definitions_by_version, stored_versions

    found = {"needs": [], "suspended": [], "late": [], "more": {}}
    if not user.is_authenticated:
        return found
    roles = user.role_keys()
    definitions = definitions_by_version()
    today = timezone.localdate()
    lists = {}
    if has(user, "mulai_proyek"):
        lists["needs"] = lambda: (
            Need.objects.filter(status=Need.Status.DIAJUKAN)
            .select_related("opd", "created_by")
            .order_by("created_at", "id")
        )
    if any(d.resume_roles() & roles for d in definitions.values()):
        lists["suspended"] = lambda: _suspended_for(roles, definitions)
    if any(d.supervised_by(roles) for d in definitions.values()):
        lists["late"] = lambda: _late_for(roles, definitions, today)
    # Each list's statement depends only on the roles, the SOP versions and the date: compiled
    # once per process for them (core.precompiled.models_of), the data read fresh every time.
    versions = stored_versions()
    for kind, build in lists.items():
        # One row past what is shown says whether there are more, without counting them all.
        read = values_of if kind == "late" else models_of  # the late steps as values
        rows = read(
            ("waiting", kind, frozenset(roles), versions, today),
            lambda build=build: build()[: WAITING_SHOWN + 1],
        )
        found[kind] = rows[:WAITING_SHOWN]
        found["more"][kind] = len(rows) > WAITING_SHOWN
    found["late"] = _late_rows(found["late"], definitions, today)
    found["suspended"] = [
        {
            "project": project,
            "reason": project.suspension_reason or "",
            "step": definitions[project.sop_version_id].by_number.get(project.suspended_at),
        }
        for project in found["suspended"]
    ]
    return found


def _suspended_for(roles, definitions):
    """Suspended projects whose suspending step (the last completed) names one of `roles` to
    resume them, in the project's own SOP version."""
    resumable = Q()
    for pk, definition in definitions.items():
        steps = [
            step.number
            for step in definition.steps
            if step.suspend and step.suspend["resume_role"] in roles
        ]
        if steps:
            resumable |= Q(sop_version_id=pk, suspended_at__in=steps)
    if not resumable:
        return Project.objects.none()
    done = StepRun.objects.filter(
        project_id=OuterRef("pk"), status=StepRun.Status.SELESAI
    ).order_by("-completed_at", "-id")
    return (
        Project.objects.filter(status=Project.Status.DITANGGUHKAN)
        .annotate(
            suspended_at=Subquery(done.values("step_number")[:1]),
            suspension_reason=Subquery(done.exclude(reason="").values("reason")[:1]),
        )
        .filter(resumable)
        .select_related("opd")
    )


# What a late step's line prints, read as values (no StepRun, Project and User per line).
LATE_ROW_FIELDS = (
    "project_id",
    "step_number",
    "role_key",
    "due_date",
    "project__kode",
    "project__sop_version_id",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)
LATE_ROW = (
    '\n    <li><a href="{}?langkah={}">{} · {}</a>\n      <span class="small">— {}{}, {}, '
    '<span class="late">{}</span></span></li>\n  '
)


def _late_for(roles, definitions, today):
    """Late open steps (due before `today`) of the roles that `roles` supervise, in each
    project's SOP version, as LATE_ROW_FIELDS."""
    supervised = Q()
    for pk, definition in definitions.items():
        keys = definition.supervised_by(roles) - roles
        if keys:
            supervised |= Q(project__sop_version_id=pk, role_key__in=keys)
    if not supervised:
        return StepRun.objects.none().values_list(*LATE_ROW_FIELDS)
    return (
        StepRun.objects.filter(status=StepRun.Status.BERJALAN, due_date__lt=today)
        .filter(supervised)
        .order_by("due_date", "opened_at", "id")
        .values_list(*LATE_ROW_FIELDS)
    )


def _late_rows(rows, definitions, today) -> list[str]:
    """Each late step's line (its project and step, role, who has it, due date and working
    days late), every value escaped; the phrases translated once for the list."""
    project_url = url_pattern("projects:project")
    step_phrase, due_phrase = _("langkah %(n)s"), _("batas %(d)s")
    lines = []
    for project_id, number, role_key, due_date, kode, version, *assignee in rows:
        who = f" ({User.name_of(*assignee)})" if assignee[0] is not None else ""
        lines.append(
            html_row(
                LATE_ROW,
                project_url.format(project_id),
                number,
                kode,
                step_phrase % {"n": number},
                definitions[version].role_names.get(role_key),
                who,
                due_phrase % {"d": short_date(due_date)},
                days_left(working_days_between(today, due_date)),
            )
        )
    return lines


def filter_projects(queryset, params):
    """The project list's filters. Conditions on open runs are subqueries (project ids), never a
    join: a join repeats a project per matching run and would need DISTINCT over the whole list."""
    status = params.get("status")
    if status in Project.Status.values:
        queryset = queryset.filter(status=status)
    opd = params.get("opd")
    if opd and is_number(str(opd)):
        queryset = queryset.filter(opd_id=int(opd))
    if params.get("sop"):
        queryset = queryset.filter(sop_version__kode=str(params["sop"]))
    open_runs = StepRun.objects.filter(status=StepRun.Status.BERJALAN)
    step = params.get("step")
    if step and is_number(str(step)):
        queryset = queryset.filter(
            pk__in=open_runs.filter(step_number=int(step)).values("project_id")
        )
    if str(params.get("overdue", "")).lower() in {"1", "true", "ya"}:
        queryset = queryset.filter(
            pk__in=open_runs.filter(due_date__lt=timezone.localdate()).values("project_id")
        )
    text = (params.get("q") or "").strip()
    if text:
        queryset = queryset.filter(
            Q(nama__icontains=text) | Q(kode__icontains=text) | Q(opd__nama__icontains=text)
        )
    return queryset
