"""bench/generate.py writes histories the services could have written: the benchmarks measure
SIMPATIK on data it accepts, and a project taken from the set goes on through the services."""

import importlib.util
import sys
from collections import Counter, defaultdict

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F

from simpatik.audit import actions
from simpatik.audit.models import AuditRecord
from simpatik.audit.services import verify_chain
from simpatik.core.models import Sequence
from simpatik.letters.models import Letter
from simpatik.projects import services
from simpatik.projects.models import Document, Project, StepRun
from simpatik.provisioning.models import Repository
from simpatik.testing.walker import complete_current

BENCH = settings.REPO_DIR / "bench" / "generate.py"


@pytest.fixture(scope="module")
def bench_generate():
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def _follows(definition, earlier: StepRun, later: StepRun) -> bool:
    step = definition.step(earlier.step_number)
    if step.is_decision:
        return step.decision(earlier.decision).next == later.step_number
    return step.next == later.step_number


def test_generated_projects_are_histories_the_sop_allows(bench_generate, sop):
    before = AuditRecord.objects.count()  # loading the SOP is recorded too
    counts = bench_generate.generate(12, audit_per_project=100, seed=3)
    assert counts["projects"] == Project.objects.count() == 12
    definition = sop.definition
    statuses = Counter()
    for project in Project.objects.all():
        runs = list(project.step_runs.order_by("opened_at", "id"))
        statuses[project.status] += 1
        assert runs[0].step_number == definition.first_step.number
        for earlier, later in zip(runs, runs[1:], strict=False):
            assert earlier.status == "selesai" and earlier.completed_at <= later.opened_at
            assert _follows(definition, earlier, later), (project.kode, earlier, later)
        rounds = defaultdict(list)
        for run in runs:
            rounds[run.step_number].append(run.round)
        assert all(found == list(range(1, len(found) + 1)) for found in rounds.values())
        last = definition.step(runs[-1].step_number)
        open_runs = [run for run in runs if run.status == "berjalan"]
        if project.status == "berjalan":
            assert open_runs == [runs[-1]] and project.finished_at is None
        elif project.status == "selesai":
            assert not open_runs and last.end and project.finished_at == runs[-1].completed_at
        else:
            assert project.status == "ditangguhkan" and not open_runs and last.suspend
        for key in set(project.documents.values_list("key", flat=True)):
            versions = sorted(project.documents.filter(key=key).values_list("version", flat=True))
            assert versions == list(range(1, len(versions) + 1))
        records = project.audit_records.all()
        assert records.count() + (project.need_id is not None) >= 100  # the usulan's has none
        assert records.filter(action="project.step.opened").count() == len(runs)
        done = sum(run.status == "selesai" for run in runs)
        assert records.filter(action="project.step.completed").count() == done
    assert statuses["berjalan"] > 0 and len(statuses) > 1
    assert StepRun.objects.filter(round__gt=1).exists()  # some went round a loop

    assert Document.objects.exclude(step_run__project=F("project")).count() == 0
    for letter in Letter.objects.select_related("document__step_run", "step_run"):
        assert letter.document.step_run_id == letter.step_run_id
        assert letter.step_run.project_id == letter.project_id
        assert letter.document.key in definition.generated_keys
    for (year,) in Letter.objects.values_list("year").distinct():
        sequences = sorted(Letter.objects.filter(year=year).values_list("sequence", flat=True))
        assert sequences == list(range(1, len(sequences) + 1))
        assert Sequence.objects.get(name="letter", year=year).last == sequences[-1]
    assert Repository.objects.count() == counts["repositories"] > 0

    assert AuditRecord.objects.count() == before + counts["audit_records"]
    assert all(actions.get(code) for code in AuditRecord.objects.values_list("action", flat=True))
    checked, broken, reason = verify_chain()
    assert broken is None, reason
    assert checked == before + counts["audit_records"]


def test_a_generated_project_goes_on_through_the_services(bench_generate, sop, opd):
    bench_generate.generate(3, audit_per_project=20, open_step=5)
    project = Project.objects.order_by("id").first()
    run = project.step_runs.get(status="berjalan")
    assert run.step_number == 5
    users = list(get_user_model().objects.order_by("id"))
    completed = complete_current(project, users)
    assert completed.status == "selesai"
    assert project.step_runs.get(status="berjalan").step_number == 6
    kadis = get_user_model().objects.get(username="kadis")
    started = services.start_project(actor=kadis, nama="Sesudah data bench", opd=opd)
    assert started.kode not in set(
        Project.objects.exclude(pk=started.pk).values_list("kode", flat=True)
    )
    checked, broken, reason = verify_chain()
    assert broken is None, reason
