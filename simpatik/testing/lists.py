"""Many rows at once for the list tests: projects with their open step, teams, repositories,
returned rounds, usulan and notifications, written with bulk inserts (the services would take
minutes for the hundred rows a page test needs; these tests are about reading lists)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

_serial = itertools.count(1)


def step_of_role(user):
    """The first SOP step one of the user's roles carries out (read from the SOP, not written)."""
    from simpatik.sop.services import active_version

    definition = active_version().definition
    return next(step for step in definition.steps if step.role in user.role_keys())


def add_projects(
    count: int,
    *,
    opd,
    creator,
    step=None,
    due=None,
    member=None,
    repository: bool = False,
    returned_by=None,
):
    """`count` running projects, each with one open run of `step` (due on `due`, a date or a
    function of the index), optionally with `member` in its team for that step's role, a
    repository, and a round 2 returned by a completed decision of `returned_by`."""
    from simpatik.projects.models import Project, ProjectMember, StepRun
    from simpatik.provisioning.models import Repository
    from simpatik.sop.services import active_version

    version = active_version()
    step = step or version.definition.steps[0]
    now = timezone.now()
    numbers = [next(_serial) for _ in range(count)]
    projects = Project.objects.bulk_create(
        Project(
            kode=f"UJI-{n:05d}",
            nama=f"Aplikasi uji {n}",
            opd=opd,
            sop_version=version,
            created_by=creator,
        )
        for n in numbers
    )
    runs = []
    for index, project in enumerate(projects):
        due_date = due(index) if callable(due) else due
        if returned_by is not None:
            runs.append(
                StepRun(
                    project=project,
                    step_number=step.number,
                    round=1,
                    role_key=step.role,
                    status=StepRun.Status.SELESAI,
                    opened_at=now - dt.timedelta(days=3),
                    completed_at=now - dt.timedelta(days=2),
                    completed_by=returned_by,
                    decision=_loop_back(step),
                    reason="Belum lengkap",
                )
            )
        runs.append(
            StepRun(
                project=project,
                step_number=step.number,
                round=2 if returned_by is not None else 1,
                role_key=step.role,
                opened_at=now,
                due_date=due_date,
            )
        )
    StepRun.objects.bulk_create(runs)
    if member is not None:
        ProjectMember.objects.bulk_create(
            ProjectMember(project=p, user=member, role_key=step.role) for p in projects
        )
    if repository:
        Repository.objects.bulk_create(
            Repository(
                project=p,
                provider="lokal",
                name=p.kode.lower(),
                clone_url=f"https://git.example/{p.kode.lower()}.git",
                status=Repository.Status.SIAP,
            )
            for p in projects
        )
    return projects


def _loop_back(step) -> str:
    """A decision of the step that sends the work back to it (or earlier), if it has one."""
    back = [o for o in step.decisions if o.next is not None and o.next <= step.number]
    return back[0].value if back else ""


def add_needs(count: int, *, opd, creator):
    from simpatik.projects.models import Need

    return Need.objects.bulk_create(
        Need(
            nomor=f"USL-UJI-{next(_serial):05d}",
            judul="Aplikasi yang diusulkan",
            opd=opd,
            latar_belakang="Perlu.",
            created_by=creator,
        )
        for _ in range(count)
    )


def add_notifications(count: int, *, recipient, project=None):
    from simpatik.notifications.models import Notification

    return Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            event="tugas.baru",
            key=f"uji-{next(_serial)}",
            project=project,
            message="Ada tugas baru.",
            url="/tugas/",
        )
        for _ in range(count)
    )


def queries_of(client, url: str) -> int:
    """How many queries one GET costs (after a first GET, so nothing is counted for warming)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def add_applications(count: int, *, opd, public: bool = False):
    from simpatik.inventory.models import Application

    return Application.objects.bulk_create(
        Application(nama=f"Aplikasi inventaris {next(_serial)}", opd=opd, publik=public)
        for _ in range(count)
    )


def add_subdomains(count: int, *, projects=(), applications=()):
    """Subdomains, the first for the given projects, the next for the applications."""
    from simpatik.provisioning.models import Subdomain

    owners = [("project", p) for p in projects] + [("application", a) for a in applications]
    return Subdomain.objects.bulk_create(
        Subdomain(
            name=f"uji{next(_serial)}",
            zone="bolmutkab.go.id",
            record_type="A",
            content="10.0.0.1",
            **({owners[i][0]: owners[i][1]} if i < len(owners) else {}),
        )
        for i in range(count)
    )
