"""The deadline sweep over a calendar with Nyepi, Idul Fitri and their cuti bersama (March 2026)."""

import datetime as dt

import pytest

from simpatik.notifications import deadlines
from simpatik.notifications.models import Notification
from simpatik.projects.models import Project, StepRun
from simpatik.testing.walker import walk_to

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 3, 25)  # the first working day after 18-24 March (holidays and cuti bersama)


@pytest.fixture
def developer_step(project, team):
    run = walk_to(project, team, 9)
    StepRun.objects.filter(pk=run.pk).update(due_date=DUE)
    return run


DEADLINE_EVENTS = ("tenggat.besok", "tenggat.lewat", "eskalasi")


def _notes():
    return Notification.objects.filter(event__in=DEADLINE_EVENTS)


def _events(user):
    return sorted(_notes().filter(recipient=user).values_list("event", flat=True))


def test_reminder_one_working_day_before_counts_holidays_and_cuti_bersama(
    developer_step, pengembang, kasie
):
    # Tuesday 17 March is eight calendar days but one working day before the deadline.
    assert deadlines.sweep(today=dt.date(2026, 3, 16))["pengingat"] == 0
    assert deadlines.sweep(today=dt.date(2026, 3, 17))["pengingat"] == 1
    assert deadlines.sweep(today=dt.date(2026, 3, 19))["pengingat"] == 0  # same reminder, once
    assert _events(pengembang) == ["tenggat.besok"] and _events(kasie) == []
    (note,) = _notes().filter(recipient=pengembang)
    assert (
        "tinggal 1 hari kerja" in note.message and "(25 Mar 2026)" in note.message
    )  # as every page writes a date


def test_overdue_tells_the_holder_daily_then_the_nearest_supervisor(
    developer_step, pengembang, kasie, kabid, kadis
):
    deadlines.sweep(today=dt.date(2026, 3, 26))
    assert _events(pengembang) == ["tenggat.lewat"] and _events(kasie) == []
    deadlines.sweep(today=dt.date(2026, 3, 26))  # a second run the same day sends nothing new
    assert _events(pengembang) == ["tenggat.lewat"]
    counts = deadlines.sweep(today=dt.date(2026, 3, 27))  # two working days late
    assert counts["eskalasi"] == 1
    assert _events(kasie) == ["eskalasi"] and _events(kabid) == [] and _events(kadis) == []
    (note,) = _notes().filter(recipient=kasie)
    assert "terlambat 2 hari kerja" in note.message and "Dimas Lasabuda" in note.message
    assert _events(pengembang) == ["tenggat.lewat", "tenggat.lewat"]


def test_a_suspended_project_does_not_escalate(developer_step, project, pengembang, kasie):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.DITANGGUHKAN)
    assert deadlines.sweep(today=dt.date(2026, 4, 10)) == {
        "pengingat": 0,
        "terlambat": 0,
        "eskalasi": 0,
    }
    assert not _notes().exists()


def test_the_escalation_rules_are_sop_data(project):
    definition = project.definition
    assert definition.escalation == {"pengingat_sebelum": 1, "atasan_setelah": 2}
    assert definition.supervisors_of("pengembang") == ["kasie", "kabid", "kadis"]
    assert definition.supervisors_of("kasie") == ["kabid", "kadis"]
    from simpatik.sop.definition import DefinitionError
    from simpatik.sop.validation import build_definition

    data = dict(definition.raw, eskalasi={"pengingat_sebelum": -1, "lain": 3})
    with pytest.raises(DefinitionError) as refused:
        build_definition(data)
    text = str(refused.value)
    assert "eskalasi pengingat_sebelum" in text and "'lain'" in text
