"""How long a completed step run took: the figures the engine writes when a run closes
(StepRun.working_days, StepRun.tepat_waktu) and the oversight dashboard aggregates in SQL.

One function for the engine and for filling runs that were written without them (data put in
place outside the engine: imports, hand-made fixtures), so both count with the same calendar:
working days between the local dates of opening and completion, holidays and cuti bersama out.
"""

import datetime as dt

from django.utils import timezone

from simpatik.core.workdays import working_days_between


def completion_figures(
    opened_at: dt.datetime, completed_at: dt.datetime, due_date: dt.date | None
) -> tuple[int, bool | None]:
    """(working days from opening to completion, finished by the due date? None without one)."""
    finished_on = timezone.localdate(completed_at)
    days = working_days_between(timezone.localdate(opened_at), finished_on)
    return days, None if due_date is None else finished_on <= due_date


def fill_missing(StepRun) -> int:
    """Give every completed run without its figures the engine's figures; returns how many.
    `StepRun` is the model (a migration passes its historical one)."""
    filled = 0
    missing = StepRun.objects.filter(
        status="selesai", completed_at__isnull=False, working_days__isnull=True
    ).only("opened_at", "completed_at", "due_date")
    # The ids first, then the rows a slice at a time: a cursor still open over "working_days IS
    # NULL" while the same connection fills that column could skip rows (SQLite reads lazily).
    ids = list(missing.values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        for run in missing.model.objects.filter(pk__in=ids[start : start + 2000]).only(
            "opened_at", "completed_at", "due_date"
        ):
            run.working_days, run.tepat_waktu = completion_figures(
                run.opened_at, run.completed_at, run.due_date
            )
            run.save(update_fields=["working_days", "tepat_waktu"])
            filled += 1
    return filled
