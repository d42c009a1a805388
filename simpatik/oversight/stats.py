"""The oversight figures: how projects and each SOP step performed against the Mutu Baku.

Everything is aggregated in SQL over the integer working-day figures each completed step run
carries (StepRun.working_days, written by the engine at completion), so no date is walked.
Medians and 90th percentiles come from a histogram the database counts (runs per step and
number of working days: a few hundred rows however long the period), interpolated in Python
exactly as PostgreSQL's percentile_cont does; the same on SQLite. A percentile_cont over a year
sorted ~65,000 runs on disk; the histogram is one hash aggregate over a covering index
(StepRun's `steprun_done`). The project filters are joins on the runs' project, not
`IN (subquery)`, and none at all when they choose everything (one SOP installed): over 10,000
projects that is the difference the dashboard's 300 ms budget needs (bench/dashboard.py).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from simpatik.core.workdays import working_days_between
from simpatik.projects.models import Need, Project, StepRun
from simpatik.sop.models import SopVersion, definitions_by_version
from simpatik.sop.services import active_version


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    opd_id: int | None = None
    sop_version_id: int | None = None
    # An SOP's code: its projects only. Step figures always read one SOP (this one, else the
    # seed SOP), since step numbers mean different steps in different SOPs.
    sop: str | None = None
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
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return percentile_of_counts(counts, share)


def percentile_of_counts(counts: dict[int, int], share: float) -> float | None:
    """percentile() of the values a histogram {value: how many} stands for, without expanding
    it: the same arithmetic as percentile_cont (rank (n-1)*share, interpolated), rounded to 0.1."""
    total = sum(counts.values())
    if not total:
        return None
    position = (total - 1) * share
    low, high = math.floor(position), math.ceil(position)
    values, seen = {}, 0
    for value in sorted(counts):
        first, seen = seen, seen + counts[value]
        for rank in (low, high):
            if first <= rank < seen:
                values[rank] = value
        if high < seen:
            break
    value = values[low] + (values[high] - values[low]) * (position - low)
    return round(value, 1)


def _runs(filters: Filters):
    """Step runs of the projects the filters choose (joins on the run's project)."""
    runs = StepRun.objects.all()
    if filters.opd_id:
        runs = runs.filter(project__opd_id=filters.opd_id)
    if filters.sop_version_id:
        runs = runs.filter(project__sop_version_id=filters.sop_version_id)
    if filters.sop:
        runs = runs.filter(project__sop_version__kode=filters.sop)
    return runs


def _projects(filters: Filters):
    projects = Project.objects.all()
    if filters.opd_id:
        projects = projects.filter(opd_id=filters.opd_id)
    if filters.sop_version_id:
        projects = projects.filter(sop_version_id=filters.sop_version_id)
    if filters.sop:
        projects = projects.filter(sop_version__kode=filters.sop)
    return projects


def compute(filters: Filters) -> dict:
    first, last = filters.range
    version = active_version(filters.sop)
    definition = version.definition
    # Step figures read one SOP; when it is the only one installed that filter chooses every
    # run and is left out (it is a join of each run to its project and version).
    alone = not SopVersion.objects.exclude(kode=version.kode).exists()
    stepwise = replace(filters, sop=None if alone else version.kode)
    overdue = _overdue_runs(filters)
    histogram = _completed_histogram(stepwise, first, last)
    return {
        "period": {"start": filters.start.isoformat(), "end": filters.end.isoformat()},
        "sop": version.kode,
        "projects": _project_figures(filters, first, last),
        "steps": _step_figures(stepwise, definition, histogram),
        "loops": _loop_figures(stepwise, definition, histogram),
        "overdue": _overdue(filters, overdue, definition),
        "overdue_total": overdue.count(),
        "workload": _workload(filters, first, last, histogram if stepwise == filters else None),
        "requests": _requests(filters, first, last),
    }


def _project_figures(filters, first, last) -> dict:
    projects = _projects(filters)
    counts = projects.aggregate(
        started=Count("pk", filter=Q(created_at__gte=first, created_at__lt=last)),
        finished=Count("pk", filter=Q(finished_at__gte=first, finished_at__lt=last)),
        running=Count("pk", filter=Q(status=Project.Status.BERJALAN)),
        suspended=Count("pk", filter=Q(status=Project.Status.DITANGGUHKAN)),
    )
    # A project is suspended by completing a step whose only way on is `suspend` (step 7 of
    # the seed SOP): in each project's own SOP version, since the figures span every SOP.
    by_version = {
        pk: frozenset(step.number for step in definition.steps if step.suspend)
        for pk, definition in definitions_by_version().items()
    }
    if len(set(by_version.values())) == 1:
        # Every version suspends at the same steps (one SOP installed): no join to the project.
        (numbers,) = set(by_version.values())
        suspending = Q(step_number__in=sorted(numbers)) if numbers else Q()
    else:
        suspending = Q()
        for pk, numbers in by_version.items():
            if numbers:
                suspending |= Q(project__sop_version_id=pk, step_number__in=sorted(numbers))
    counts["suspended_in_period"] = (
        _runs(filters)
        .filter(suspending)
        .filter(status=StepRun.Status.SELESAI, completed_at__gte=first, completed_at__lt=last)
        .count()
        if suspending
        else 0
    )
    # Local dates straight from the database: no timezone arithmetic per row in Python.
    zone = timezone.get_current_timezone()
    # Projects finishing on the same day from requests of the same day share one row.
    finished = (
        projects.filter(finished_at__gte=first, finished_at__lt=last)
        .annotate(
            requested=TruncDate(Coalesce("need__created_at", "created_at"), tzinfo=zone),
            done=TruncDate("finished_at", tzinfo=zone),
        )
        .values_list("requested", "done")
        .annotate(n=Count("*"))
        .order_by()
    )
    # Working days between two dates are the difference of their counts from one origin: one
    # calendar count per distinct date (a few hundred a year) instead of one per project.
    rows = list(finished)
    origin = min((requested for requested, _done, _n in rows), default=None)
    counted: dict[dt.date, int] = {}

    def count(day: dt.date) -> int:
        if day not in counted:
            counted[day] = working_days_between(origin, day)
        return counted[day]

    lead: dict[int, int] = {}
    for requested, done, n in rows:
        days = count(done) - count(requested)
        lead[days] = lead.get(days, 0) + n
    counts["lead_time_median"] = percentile_of_counts(lead, 0.5)
    counts["lead_time_p90"] = percentile_of_counts(lead, 0.9)
    return counts


def _completed_runs(filters: Filters, first, last):
    runs = _runs(filters).filter(
        status=StepRun.Status.SELESAI, completed_at__gte=first, completed_at__lt=last
    )
    if filters.step:
        runs = runs.filter(step_number=filters.step)
    if filters.user_id:
        runs = runs.filter(completed_by_id=filters.user_id)
    return runs


def _completed_histogram(filters, first, last) -> list[tuple]:
    """The runs completed in the period, counted per (step, working days, on time?, decision,
    person): a few hundred rows (562 over a year of 10,000 projects) from which the step, loop
    and workload figures are all read, in one pass over the index."""
    return list(
        _completed_runs(filters, first, last)
        .values_list("step_number", "working_days", "tepat_waktu", "decision", "completed_by_id")
        .annotate(n=Count("*"))
        .order_by()
    )


def _step_figures(filters, definition, histogram) -> list[dict]:
    # The percentiles are read from the histogram of working days, the counts summed from it.
    # Runs without a duration count as completed but have no part in the percentiles (as
    # percentile_cont ignores NULLs).
    totals: dict[int, dict] = {}
    durations: dict[int, dict[int, int]] = {}
    for number, days, on_time, _decision, _person, n in histogram:
        row = totals.setdefault(number, {"n": 0, "n_on_time": 0, "n_with_standard": 0})
        row["n"] += n
        if on_time is not None:
            row["n_with_standard"] += n
            row["n_on_time"] += n if on_time else 0
        if days is not None:
            spread = durations.setdefault(number, {})
            spread[days] = spread.get(days, 0) + n
    for number, row in totals.items():
        row["median"] = percentile_of_counts(durations.get(number, {}), 0.5)
        row["p90"] = percentile_of_counts(durations.get(number, {}), 0.9)
    figures = []
    for step in definition.steps:
        if filters.step and step.number != filters.step:
            continue
        row = totals.get(step.number, {})
        with_standard = row.get("n_with_standard", 0)
        median, p90 = row.get("median"), row.get("p90")
        figures.append(
            {
                "number": step.number,
                "uraian": step.uraian,
                "role": definition.role_names.get(step.role, step.role),
                "waktu": step.waktu,
                "completed": row.get("n", 0),
                "median": median,
                "p90": p90,
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


def _loop_figures(filters, definition, histogram) -> list[dict]:
    """How often each decision sent work back, and how many rounds the reopened step took."""
    back = [
        (step, option)
        for step in definition.steps
        for option in (step.decisions if step.is_decision else [])
        if option.next is not None and option.next <= step.number
    ]
    if not back:
        return []
    decided: dict[int, int] = {}
    chosen: dict[tuple[int, str], int] = {}
    deciding = {step.number for step, _option in back}
    for number, _days, _on_time, decision, _person, n in histogram:
        if number in deciding:
            decided[number] = decided.get(number, 0) + n
            chosen[(number, decision)] = chosen.get((number, decision), 0) + n
    # The mean, over projects, of the highest round each reopened step reached: one pass over
    # the runs of all the reopened steps (AVG over a GROUP BY, which the ORM cannot nest).
    per_project = (
        _runs(filters)
        .filter(step_number__in={option.next for _step, option in back})
        .values("project_id", "step_number")
        .annotate(top=Max("round"))
        .order_by()
    )
    sql, params = per_project.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT step_number, AVG(top) FROM ({sql}) AS per_project GROUP BY step_number",
            params,
        )
        rounds = {number: mean for number, mean in cursor.fetchall()}
    return [
        {
            "step": step.number,
            "decision": option.label,
            "returns_to": option.next,
            "decided": decided.get(step.number, 0),
            "returned": chosen.get((step.number, option.value), 0),
            "mean_rounds": None
            if rounds.get(option.next) is None
            else round(float(rounds[option.next]), 2),
        }
        for step, option in back
    ]


def _open_runs(filters):
    """Step runs open now, or (with `as_of`) open at the end of that day: opened before it and
    completed after it, whatever happened since."""
    if filters.cutoff is None:
        return _runs(filters).filter(status=StepRun.Status.BERJALAN)
    return _runs(filters).filter(
        Q(status=StepRun.Status.BERJALAN) | Q(completed_at__gte=filters.cutoff),
        opened_at__lt=filters.cutoff,
    )


def _overdue_runs(filters):
    today = filters.as_of or timezone.localdate()
    runs = _open_runs(filters).filter(due_date__lt=today)
    if filters.cutoff is None:
        # Open steps of a suspended project wait for the suspension, not for their holder.
        runs = runs.filter(project__status=Project.Status.BERJALAN)
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


def _workload(filters, first, last, histogram=None) -> list[dict]:
    """Open and completed runs per person; the completed ones from the step figures' histogram
    when it was counted under the same filters (one SOP installed, or one chosen)."""
    from django.contrib.auth import get_user_model

    open_runs = _open_runs(filters).filter(assignee__isnull=False)
    people: dict[int, dict] = {}
    for user_id, n in open_runs.values_list("assignee_id").annotate(n=Count("pk")):
        people.setdefault(user_id, {"open": 0, "completed": 0})["open"] = n
    if histogram is None:
        histogram = [
            (None, None, None, None, user_id, n)
            for user_id, n in _completed_runs(filters, first, last)
            .values_list("completed_by_id")
            .annotate(n=Count("*"))
        ]
    for *_step, user_id, n in histogram:
        people.setdefault(user_id, {"open": 0, "completed": 0})["completed"] += n
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
    if filters.sop:
        # A request gets its SOP only when it is taken up: one SOP's figures leave out the
        # requests taken up under another, and keep those not (or not yet) taken up at all.
        needs = needs.filter(Q(project__isnull=True) | Q(project__sop_version__kode=filters.sop))
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
