"""The SOP as a swimlane grid for one project: rows are steps, columns are the roles."""

from dataclasses import dataclass, field

from simpatik.projects.models import Document, Project, StepRun
from simpatik.projects.queries import duration_days, remaining_days
from simpatik.sop import hooks


@dataclass
class Row:
    step: object
    status: str  # done, current, pending
    lane: int
    role_name: str = ""
    runs: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    latest: StepRun | None = None
    remaining: int | None = None
    duration: int | None = None
    late: bool = False
    notes: list = field(default_factory=list)  # e.g. the step's SPBE development stage


def swimlane(project: Project) -> list[Row]:
    definition = project.definition
    lanes = [role["key"] for role in definition.roles]
    runs_by_step: dict[int, list[StepRun]] = {}
    for run in project.step_runs.select_related("completed_by", "assignee").order_by("round"):
        option = definition.step(run.step_number).decision(run.decision) if run.decision else None
        run.decision_label = (
            option.label if option else run.decision
        )  # what people read, not the key
        runs_by_step.setdefault(run.step_number, []).append(run)
    docs_by_step: dict[int, list[Document]] = {}
    for document in Document.objects.filter(project=project).select_related("step_run"):
        docs_by_step.setdefault(document.step_run.step_number, []).append(document)
    notes = hooks.step_notes(project.sop_version)
    rows = []
    for step in definition.steps:
        runs = runs_by_step.get(step.number, [])
        latest = runs[-1] if runs else None
        if latest is None:
            status = "pending"
        elif latest.is_open:
            status = "current"
        else:
            status = "done"
        row = Row(
            step=step,
            status=status,
            lane=lanes.index(step.role),
            role_name=definition.role_names[step.role],
            runs=runs,
            documents=sorted(docs_by_step.get(step.number, []), key=lambda d: (d.key, d.version)),
            latest=latest,
            notes=notes.get(step.number, []),
        )
        if latest is not None:
            row.remaining = remaining_days(latest)
            row.duration = duration_days(latest)
            row.late = row.remaining is not None and row.remaining < 0
        rows.append(row)
    return rows
