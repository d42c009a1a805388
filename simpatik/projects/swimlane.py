"""The SOP as a swimlane grid for one project: rows are steps, columns are the roles."""

from dataclasses import dataclass, field

from simpatik.projects.models import Document, Project, StepRun
from simpatik.projects.queries import all_runs, duration_days, remaining_days
from simpatik.projects.services.rules import project_documents
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


def swimlane(project: Project, runs=None, documents=None) -> list[Row]:
    """`runs`: the project's runs by round (queries.all_runs) when the caller has them;
    `documents`: the project's documents with `made_at_step` (rules.project_documents)."""
    definition = project.definition
    lanes = [role["key"] for role in definition.roles]
    runs_by_step: dict[int, list[StepRun]] = {}
    if runs is None:
        runs = all_runs(project)
    for run in runs:
        option = definition.step(run.step_number).decision(run.decision) if run.decision else None
        run.decision_label = (
            option.label if option else run.decision
        )  # what people read, not the key
        runs_by_step.setdefault(run.step_number, []).append(run)
    docs_by_step: dict[int, list[Document]] = {}
    if documents is None:
        documents = project_documents(project)
    for document in documents:
        docs_by_step.setdefault(document.made_at_step, []).append(document)
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
