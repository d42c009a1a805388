import datetime as dt

import pytest

from simpatik.discussions.models import Comment
from simpatik.projects.models import Project, StepRun
from simpatik.projects.services import start_project
from simpatik.sop.models import SopVersion
from simpatik.testing.runs import made_run

WITA = dt.timezone(dt.timedelta(hours=8))


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=WITA)


run = made_run


@pytest.fixture
def people(team):
    return {user.username: user for user in team}


@pytest.fixture
def semester(sop, people, opd):
    """The first semester of 2026 with known durations (working days), built by hand.

    Step 3 (Waktu 2) took 4, 5 and 1 days: two of three over, p90 4.8. Step 1 (Waktu 1) took 1
    and 1. Step 2 did not run. Step 11 sent the plan back to step 9 for A and B and approved C's:
    step 9 reached round 2 in A and B, round 1 in C (mean 1.67). One question was asked in the
    discussion of A's step 3. A December 2025 run of 30 days lies outside the period.
    """
    SopVersion.objects.update(loaded_at=at(11, 1, year=2025))
    kadis = people["kadis"]
    a, b, c = (start_project(actor=kadis, nama=f"Aplikasi {name}", opd=opd) for name in "ABC")
    StepRun.objects.filter(project__in=[a, b, c]).delete()
    Project.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(created_at=at(2, 2))
    Project.objects.filter(pk=c.pk).update(status=Project.Status.SELESAI, finished_at=at(5, 29))
    run(a, 1, opened=at(2, 2), completed=at(2, 3), days=1, tepat_waktu=True)
    run(b, 1, opened=at(2, 2), completed=at(2, 3), days=1, tepat_waktu=True)
    asked = run(a, 3, opened=at(2, 9), completed=at(2, 13), days=4, tepat_waktu=False)
    run(b, 3, opened=at(2, 9), completed=at(2, 16), days=5, tepat_waktu=False)
    run(c, 3, opened=at(2, 9), completed=at(2, 10), days=1, tepat_waktu=True)
    for project, decision in ((a, "tidak_setuju"), (b, "tidak_setuju"), (c, "setuju")):
        run(project, 9, opened=at(3, 2), completed=at(3, 3), days=1, tepat_waktu=True)
        run(project, 11, opened=at(3, 5), completed=at(3, 6), days=1, tepat_waktu=True,
            decision=decision)  # fmt: skip
    for project in (a, b):
        run(project, 9, opened=at(3, 9), completed=at(3, 10), days=1, tepat_waktu=True, round=2)
    run(a, 3, opened=at(12, 1, year=2025), completed=at(12, 31, year=2025), days=30)
    comment = Comment.objects.create(
        step_run=asked, author=people["kasie"], body="Format **usulan kebutuhan** belum jelas."
    )
    Comment.objects.filter(pk=comment.pk).update(created_at=at(2, 10))
    return {"a": a, "b": b, "c": c}
