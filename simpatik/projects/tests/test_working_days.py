"""The working days a completed step run stores (StepRun.working_days, the oversight figures'
durations) are the calendar's count: public holidays and cuti bersama are not working days, and
the time a project spends suspended belongs to no run (suspension closes the run, resumption
opens a new one)."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from simpatik.core.workdays import working_days_between
from simpatik.projects import services
from simpatik.projects.models import StepRun
from simpatik.testing.runs import made_run
from simpatik.testing.walker import complete_current, open_run, walk_to

pytestmark = pytest.mark.django_db
WITA = dt.timezone(dt.timedelta(hours=8))


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=WITA)


@pytest.fixture
def clock(monkeypatch):
    """Sets the moment the engine reads (timezone.now, and localdate through it): a plain
    datetime (freezegun's fake datetime type reached the signing CA, which later tests reuse)."""

    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))

    return set_to


def test_the_stored_duration_skips_holidays_cuti_bersama_and_suspension(
    team, opd, kadis, kabid, clock
):
    clock(at(3, 16))  # Monday 16 March 2026
    project = services.start_project(actor=kadis, nama="Aplikasi Kalender", opd=opd)
    # Nyepi (19 March) and Idul Fitri (21-22 March) with their cuti bersama (18, 20, 23 and 24
    # March): of the eight weekdays after the 16th up to Thursday the 26th, three are worked.
    clock(at(3, 26))
    first = complete_current(project, team)
    first.refresh_from_db()
    assert (
        first.working_days
        == 3
        == working_days_between(dt.date(2026, 3, 16), first.completed_at.astimezone(WITA).date())
    )
    assert first.tepat_waktu is (dt.date(2026, 3, 26) <= first.due_date)

    clock(at(4, 6))
    walk_to(project, team, 6)
    complete_current(project, team, decision="tidak_tersedia", reason="Anggaran belum ada")
    complete_current(project, team)  # step 7: the project is suspended
    project.refresh_from_db()
    assert project.status == "ditangguhkan" and open_run(project) is None
    clock(at(5, 11))  # resumed five weeks later: step 6 opens again
    services.resume_project(project, actor=kabid, reason="Anggaran perubahan tersedia")
    # Ascension Day (14 May) and its cuti bersama (15 May): 12, 13 and 18 May are worked.
    clock(at(5, 18))
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


def test_runs_written_without_figures_are_filled_with_the_same_count(project, kasie, clock):
    """The data migration 0012 fills completed runs that lack their figures (written outside the
    engine) with the engine's own function; runs that have them are left as they are."""
    fill = import_module("simpatik.projects.migrations.0012_steprun_fill_working_days").fill
    due = dt.date(2026, 3, 25)
    bare = made_run(project, 2, opened=at(3, 16), completed=at(3, 26), due_date=due)
    early = made_run(project, 3, opened=at(5, 11), completed=at(5, 13, 1), due_date=due)
    kept = made_run(project, 4, opened=at(3, 16), completed=at(3, 26), days=7, tepat_waktu=True)
    still_open = made_run(project, 5, opened=at(3, 16))
    fill(django_apps, None)
    for run in (bare, early, kept, still_open):
        run.refresh_from_db()
    # Nyepi and Idul Fitri with cuti bersama between 16 and 26 March; a run closed at 01.00 WITA
    # on 13 May (12 May in UTC) counts that local day: 12 and 13 May.
    assert (bare.working_days, bare.tepat_waktu) == (3, False)
    assert (early.working_days, early.tepat_waktu) == (2, False)
    assert bare.working_days == working_days_between(dt.date(2026, 3, 16), dt.date(2026, 3, 26))
    assert (kept.working_days, kept.tepat_waktu) == (7, True)
    assert still_open.working_days is None and still_open.tepat_waktu is None
    # The engine counts with the same function: complete a run opened on 16 March on 26 March.
    run = open_run(project)
    StepRun.objects.filter(pk=run.pk).update(opened_at=at(3, 16), due_date=due)
    clock(at(3, 26))
    complete_current(project, [project.created_by, kasie])
    run.refresh_from_db()
    assert (run.working_days, run.tepat_waktu) == (bare.working_days, bare.tepat_waktu)
