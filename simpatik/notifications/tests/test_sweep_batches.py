"""The deadline sweep over many open steps: a fixed number of statements however many steps it
reads, and a crash between two batches leaves nothing doubled when the sweep runs again."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from simpatik.jobs.models import Job
from simpatik.notifications import deadlines, services
from simpatik.notifications.models import Delivery, Notification
from simpatik.projects.models import Project, StepRun

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 3, 10)  # Tuesday; 11 and 12 March are working days, 13 March too


@pytest.fixture
def open_steps(sop, opd, team, pengembang, kasie):
    """`open_steps(n)` adds n projects, each with one developer step due on DUE."""
    for person in (pengembang, kasie):
        person.email = f"{person.username}@example.invalid"
        person.save(update_fields=["email"])
    step = next(s for s in sop.definition.steps if s.role == "pengembang" and s.waktu)
    made = []

    def make(count: int) -> None:
        first = len(made)
        projects = Project.objects.bulk_create(
            Project(
                kode=f"BANYAK-{index:04d}",
                nama=f"Aplikasi {index}",
                opd=opd,
                sop_version=sop,
                created_by=team[0],
            )
            for index in range(first, first + count)
        )
        made.extend(projects)
        StepRun.objects.bulk_create(
            StepRun(
                project=project,
                step_number=step.number,
                role_key=step.role,
                opened_at=timezone.now(),
                due_date=DUE,
                assignee=pengembang if index % 2 else None,
            )
            for index, project in enumerate(projects)
        )

    return make


def _statements(today) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        counts = deadlines.sweep(today=today)
    return len(captured.captured_queries), counts


def test_the_sweep_makes_the_same_statements_for_30_steps_as_for_300(open_steps):
    open_steps(30)
    # Three working days late: each step's holder is told and the Kasie gets an escalation.
    few, counts = _statements(dt.date(2026, 3, 13))
    assert counts == {"pengingat": 0, "terlambat": 30, "eskalasi": 30}
    open_steps(270)
    many, counts = _statements(dt.date(2026, 3, 16))
    assert counts == {"pengingat": 0, "terlambat": 300, "eskalasi": 300}
    assert many == few
    assert many < 40  # per-step statements would be at least 300
    # Each notice went to e-mail through its own delivery job (sent by the worker, not here).
    deliveries = Delivery.objects.filter(notification__key__endswith=":2026-03-16")
    assert Notification.objects.filter(event="eskalasi").count() == 330
    assert Delivery.objects.count() == Job.objects.filter(name="notifications.deliver").count()
    assert deliveries.count() == 600
    assert not deliveries.exclude(status=Delivery.Status.MENUNGGU).exists()


def test_a_sweep_that_dies_between_batches_resumes_without_doubling(
    open_steps, monkeypatch, pengembang, kasie
):
    open_steps(25)
    monkeypatch.setattr(deadlines, "BATCH", 10)
    write = services.notify_many
    batches = []

    def dies_on_the_third_batch(notices, **kwargs):
        batches.append(len(notices))
        if len(batches) == 3:
            raise RuntimeError("worker killed")
        return write(notices, **kwargs)

    monkeypatch.setattr(deadlines, "notify_many", dies_on_the_third_batch)
    with pytest.raises(RuntimeError):
        deadlines.sweep(today=dt.date(2026, 3, 13))
    # The first two batches (20 steps) are committed; the third's transaction rolled back.
    assert Notification.objects.filter(event="tenggat.lewat", recipient=pengembang).count() == 20
    monkeypatch.setattr(deadlines, "notify_many", write)
    counts = deadlines.sweep(today=dt.date(2026, 3, 13))
    assert counts == {"pengingat": 0, "terlambat": 5, "eskalasi": 5}
    notes = Notification.objects.filter(recipient__in=[pengembang, kasie])
    assert notes.filter(event="tenggat.lewat", recipient=pengembang).count() == 25
    assert notes.filter(event="eskalasi", recipient=kasie).count() == 25
    jobs = Job.objects.filter(name="notifications.deliver")
    assert jobs.count() == Delivery.objects.count() == 50  # pengembang's and kasie's e-mails
    assert len({job.kwargs["delivery_id"] for job in jobs}) == 50
