"""The working days a completed step run stores (StepRun.working_days, the oversight figures'
durations) are the calendar's count: public holidays and cuti bersama are not working days, and
the time a project spends suspended belongs to no run (suspension closes the run, resumption
opens a new one)."""

import datetime as dt

import pytest
from freezegun import freeze_time

from simpatik.core.workdays import working_days_between
from simpatik.projects import services
from simpatik.projects.models import StepRun
from simpatik.testing.walker import complete_current, open_run, walk_to

pytestmark = pytest.mark.django_db
WITA = dt.timezone(dt.timedelta(hours=8))


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=WITA)


def test_the_stored_duration_skips_holidays_cuti_bersama_and_suspension(team, opd, kadis, kabid):
    with freeze_time(at(3, 16)):  # Monday 16 March 2026
        project = services.start_project(actor=kadis, nama="Aplikasi Kalender", opd=opd)
    # Nyepi (19 March) and Idul Fitri (21-22 March) with their cuti bersama (18, 20, 23 and 24
    # March): of the eight weekdays after the 16th up to Thursday the 26th, three are worked.
    with freeze_time(at(3, 26)):
        first = complete_current(project, team)
    first.refresh_from_db()
    assert (
        first.working_days
        == 3
        == working_days_between(dt.date(2026, 3, 16), first.completed_at.astimezone(WITA).date())
    )
    assert first.tepat_waktu is (dt.date(2026, 3, 26) <= first.due_date)

    with freeze_time(at(4, 6)):
        walk_to(project, team, 6)
        complete_current(project, team, decision="tidak_tersedia", reason="Anggaran belum ada")
        complete_current(project, team)  # step 7: the project is suspended
    project.refresh_from_db()
    assert project.status == "ditangguhkan" and open_run(project) is None
    with freeze_time(at(5, 11)):  # resumed five weeks later: step 6 opens again
        services.resume_project(project, actor=kabid, reason="Anggaran perubahan tersedia")
    # Ascension Day (14 May) and its cuti bersama (15 May): 12, 13 and 18 May are worked.
    with freeze_time(at(5, 18)):
        again = complete_current(project, team)
    again.refresh_from_db()
    assert (again.step_number, again.round) == (6, 2)
    assert (
        again.working_days == 3 == working_days_between(dt.date(2026, 5, 11), dt.date(2026, 5, 18))
    )
    # Every run the engine closed carries the calendar's count from its own opening.
    for run in StepRun.objects.filter(project=project, status=StepRun.Status.SELESAI):
        opened, completed = (
            value.astimezone(WITA).date() for value in (run.opened_at, run.completed_at)
        )
        assert run.working_days == working_days_between(opened, completed), run
