"""Two people acting on the same step at once, over real concurrent PostgreSQL connections."""

import threading

import pytest
from django.db import connection, connections

from simpatik.core.errors import Conflict
from simpatik.projects import services
from simpatik.projects.models import StepRun
from simpatik.testing.personas import make_user
from simpatik.testing.walker import walk_to

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(workers):
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", work())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_concurrent_completion_of_one_step_lets_exactly_one_succeed(project, team):
    assert connection.vendor == "postgresql"
    kasie2 = make_user("kasie2", ["kasie"])
    kasie = team[2]
    run = walk_to(project, team, 8)
    assert run.step_number == 8

    def complete_as(user, members):
        return lambda: services.complete_step(
            StepRun.objects.get(pk=run.pk),
            actor=user,
            fields={"tim_pengembang": members},
        )

    results = _race([complete_as(kasie, ["pengembang"]), complete_as(kasie2, ["pengembang"])])
    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, Conflict) and error.code == "step_not_open"
    run.refresh_from_db()
    assert run.status == "selesai"
    assert project.step_runs.filter(step_number=9).count() == 1
    assert project.audit_records.filter(action="project.step.completed", step_number=8).count() == 1


def test_concurrent_project_starts_get_distinct_gapless_codes(team, opd):
    kadis = team[0]

    def start(index):
        return lambda: services.start_project(actor=kadis, nama=f"Aplikasi {index}", opd=opd)

    results = _race([start(i) for i in range(4)])
    assert all(kind == "ok" for kind, _ in results), results
    codes = sorted(project.kode.rsplit("-", 1)[1] for _kind, project in results)
    assert codes == ["0001", "0002", "0003", "0004"]
