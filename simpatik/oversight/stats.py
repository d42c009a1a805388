"""The oversight figures: how projects and each SOP step performed against the Mutu Baku.

Counts and sums are aggregated in SQL; medians and 90th percentiles are taken over the integer
working-day figures each completed step run carries (StepRun.working_days), so no date is walked.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from simpatik.core.workdays import working_days_between
from simpatik.projects.models import Need, Project, StepRun
from simpatik.sop.services import active_version


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    opd_id: int | None = None
    sop_version_id: int | None = None
    step: int | None = None
    user_id: int | None = None
    # The day whose end the "now" figures (overdue steps, open work) describe; None: right now.
    # A monthly report takes them at the end of its month's last day.
    as_of: dt.date | None = None

    @property
    def range(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        first = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        last = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return first, last

    @property
    def cutoff(self) -> dt.datetime | None:
        if self.as_of is None:
            return None
        zone = timezone.get_current_timezone()
        return dt.datetime.combine(self.as_of + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def default_filters(today: dt.date | None = None) -> Filters:
    """The current month so far."""
    today = today or timezone.localdate()
    return Filters(start=today.replace(day=1), end=today)


def percentile(values: list[int], share: float) -> float | None:
    """Linear interpolation between closest ranks (as PostgreSQL's percentile_cont)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return round(value, 1)


def _projects(filters: Filters):
    projects = Project.objects.all()
    if filters.opd_id:
        projects = projects.filter(opd_id=filters.opd_id)
    if filters.sop_version_id:
        projects = projects.filter(sop_version_id=filters.sop_version_id)
    return projects


def compute(filters: Filters) -> dict:
    first, last = filters.range
    projects = _projects(filters)
    definition = active_version().definition
    overdue = _overdue_runs(filters, projects)
    return {
        "period": {"start": filters.start.isoformat(), "end": filters.end.isoformat()},
        "projects": _project_figures(projects, definition, first, last),
        "steps": _step_figures(filters, projects, definition, first, last),
        "loops": _loop_figures(filters, projects, definition, first, last),
        "overdue": _overdue(filters, overdue, definition),
        "overdue_total": overdue.count(),
        "workload": _workload(filters, projects, first, last),
        "requests": _requests(filters, first, last),
    }


def _project_figures(projects, definition, first, last) -> dict:
    counts = projects.aggregate(
        started=Count("pk", filter=Q(created_at__gte=first, created_at__lt=last)),
        finished=Count("pk", filter=Q(finished_at__gte=first, finished_at__lt=last)),
        running=Count("pk", filter=Q(status=Project.Status.BERJALAN)),
        suspended=Count("pk", filter=Q(status=Project.Status.DITANGGUHKAN)),
    )
    # A project is suspended by completing a step whose only way on is `suspend` (step 7).
    suspending = [step.number for step in definition.steps if step.suspend]
    counts["suspended_in_period"] = (
        StepRun.objects.filter(
            project__in=projects,
            status=StepRun.Status.SELESAI,
            step_number__in=suspending,
            completed_at__gte=first,
            completed_at__lt=last,
        ).count()
        if suspending
        else 0
    )
    finished = projects.filter(finished_at__gte=first, finished_at__lt=last).values_list(
        "created_at", "finished_at", "need__created_at"
    )
    lead = [
        working_days_between(timezone.localdate(requested or started), timezone.localdate(done))
        for started, done, requested in finished
    ]
    counts["lead_time_median"] = percentile(lead, 0.5)
    counts["lead_time_p90"] = percentile(lead, 0.9)
    return counts


def _completed_runs(filters: Filters, projects, first, last):
    runs = StepRun.objects.filter(
        status=StepRun.Status.SELESAI,
        completed_at__gte=first,
        completed_at__lt=last,
        project__in=projects,
    )
    if filters.step:
        runs = runs.filter(step_number=filters.step)
    if filters.user_id:
        runs = runs.filter(completed_by_id=filters.user_id)
    return runs


def _step_figures(filters, projects, definition, first, last) -> list[dict]:
    runs = _completed_runs(filters, projects, first, last)
    totals = {
        row["step_number"]: row
        for row in runs.values("step_number").annotate(
            n=Count("pk"),
            n_on_time=Count("pk", filter=Q(tepat_waktu=True)),
            n_with_standard=Count("pk", filter=Q(tepat_waktu__isnull=False)),
        )
    }
    durations: dict[int, list[int]] = {}
    for number, days in runs.exclude(working_days=None).values_list("step_number", "working_days"):
        durations.setdefault(number, []).append(days)
    figures = []
    for step in definition.steps:
        if filters.step and step.number != filters.step:
            continue
        row = totals.get(step.number, {})
        days = durations.get(step.number, [])
        with_standard = row.get("n_with_standard", 0)
        median = percentile(days, 0.5)
        figures.append(
            {
                "number": step.number,
                "uraian": step.uraian,
                "role": definition.role_names.get(step.role, step.role),
                "waktu": step.waktu,
                "completed": row.get("n", 0),
                "median": median,
                "p90": percentile(days, 0.9),
                "on_time_share": round(row["n_on_time"] / with_standard, 3)
                if with_standard
                else None,
                "over_standard": bool(median is not None and step.waktu and median > step.waktu),
            }
        )
    ranked = [f for f in figures if f["completed"] and f["on_time_share"] is not None]
    ranked.sort(key=lambda f: (f["on_time_share"], -(f["median"] or 0)))
    bottlenecks = {f["number"] for f in ranked[:3] if f["on_time_share"] < 1}
    for figure in figures:
        figure["bottleneck"] = figure["number"] in bottlenecks
    return figures


def _loop_figures(filters, projects, definition, first, last) -> list[dict]:
    """How often each decision sent work back, and how many rounds the reopened step took."""
    runs = _completed_runs(filters, projects, first, last)
    loops = []
    for step in definition.steps:
        for option in step.decisions if step.is_decision else []:
            if option.next is None or option.next > step.number:
                continue
            decided = runs.filter(step_number=step.number)
            total = decided.count()
            returned = decided.filter(decision=option.value).count()
            rounds = (
                StepRun.objects.filter(project__in=projects, step_number=option.next)
                .values("project_id")
                .annotate(rounds=Max("round"))
                .values_list("rounds", flat=True)
            )
            rounds = list(rounds)
            loops.append(
                {
                    "step": step.number,
                    "decision": option.label,
                    "returns_to": option.next,
                    "decided": total,
                    "returned": returned,
                    "mean_rounds": round(sum(rounds) / len(rounds), 2) if rounds else None,
                }
            )
    return loops


def _open_runs(filters, projects):
    """Step runs open now, or (with `as_of`) open at the end of that day: opened before it and
    completed after it, whatever happened since."""
    if filters.cutoff is None:
        return StepRun.objects.filter(status=StepRun.Status.BERJALAN, project__in=projects)
    return StepRun.objects.filter(project__in=projects, opened_at__lt=filters.cutoff).filter(
        Q(status=StepRun.Status.BERJALAN) | Q(completed_at__gte=filters.cutoff)
    )


def _overdue_runs(filters, projects):
    today = filters.as_of or timezone.localdate()
    if filters.cutoff is None:
        # Open steps of a suspended project wait for the suspension, not for their holder.
        projects = projects.filter(status=Project.Status.BERJALAN)
    runs = _open_runs(filters, projects).filter(due_date__lt=today)
    if filters.step:
        runs = runs.filter(step_number=filters.step)
    if filters.user_id:
        runs = runs.filter(assignee_id=filters.user_id)
    return runs


def _overdue(filters, runs, definition, limit: int = 100) -> list[dict]:
    today = filters.as_of or timezone.localdate()
    runs = (
        runs.select_related("project", "assignee")
        .only(
            "step_number",
            "role_key",
            "due_date",
            "opened_at",
            "project__kode",
            "project__nama",
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
        )
        .order_by("due_date", "id")
    )
    rows = []
    for run in runs[:limit]:
        rows.append(
            {
                "project": run.project.kode,
                "project_id": run.project_id,
                "name": run.project.nama,
                "step": run.step_number,
                "holder": run.assignee.display_name
                if run.assignee_id
                else definition.role_names.get(run.role_key, run.role_key),
                "due_date": run.due_date.isoformat(),
                "late_working_days": working_days_between(run.due_date, today),
                "open_working_days": working_days_between(timezone.localdate(run.opened_at), today),
            }
        )
    return rows


def _workload(filters, projects, first, last) -> list[dict]:
    from django.contrib.auth import get_user_model

    open_runs = _open_runs(filters, projects).filter(assignee__isnull=False)
    done = _completed_runs(filters, projects, first, last)
    people: dict[int, dict] = {}
    for user_id, n in open_runs.values_list("assignee_id").annotate(n=Count("pk")):
        people.setdefault(user_id, {"open": 0, "completed": 0})["open"] = n
    for user_id, n in done.values_list("completed_by_id").annotate(n=Count("pk")):
        people.setdefault(user_id, {"open": 0, "completed": 0})["completed"] = n
    users = get_user_model().objects.in_bulk(list(people))
    rows = [
        {"user": users[user_id].display_name, "username": users[user_id].username, **counts}
        for user_id, counts in people.items()
        if user_id in users and (not filters.user_id or user_id == filters.user_id)
    ]
    return sorted(rows, key=lambda row: (-row["open"], -row["completed"], row["user"]))


def _requests(filters, first, last) -> list[dict]:
    needs = Need.objects.filter(created_at__gte=first, created_at__lt=last)
    if filters.opd_id:
        needs = needs.filter(opd_id=filters.opd_id)
    by_opd: dict[str, dict] = {}
    for opd, status, n in needs.values_list("opd__nama", "status").annotate(n=Count("pk")):
        row = by_opd.setdefault(opd, {"opd": opd, "total": 0})
        row[status] = n
        row["total"] += n
    finished = (
        Project.objects.filter(need__in=needs, status=Project.Status.SELESAI)
        .values_list("opd__nama")
        .annotate(n=Count("pk"))
    )
    for opd, n in finished:
        by_opd.setdefault(opd, {"opd": opd, "total": 0})["finished"] = n
    return sorted(by_opd.values(), key=lambda row: (-row["total"], row["opd"]))
