"""Each SOP in force is monitored and evaluated on its own: its projects, its steps, its report."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from simpatik.core.errors import ValidationError
from simpatik.letters.tests.helpers import text_of
from simpatik.monev import services
from simpatik.monev.models import Evaluation
from simpatik.monev.monitoring import monitoring_figures
from simpatik.monev.periods import parse_period
from simpatik.monev.tests.conftest import at, run
from simpatik.monev.tests.test_evaluation import all_yes
from simpatik.projects.services import start_project
from simpatik.sop.services import active_version

SECOND = "uji-pengembangan-opd"


@pytest.fixture
def second_semester(semester, second_sop, people, opd):
    """Beside the seed SOP's semester: one project of the second SOP whose step 3 (Waktu 5)
    took 9 working days."""
    project = start_project(actor=people["kadis"], nama="Aplikasi Dinas", opd=opd, sop=SECOND)
    project.step_runs.all().delete()
    type(project).objects.filter(pk=project.pk).update(created_at=at(2, 2))
    run(project, 3, opened=at(2, 2), completed=at(2, 13), days=9, tepat_waktu=False)
    return project


def test_the_second_sops_form_counts_its_own_projects_and_steps(second_semester, second_sop):
    figures = monitoring_figures(parse_period("2026-S1"), second_sop)
    assert figures["sop"]["kode"] == SECOND
    steps = {s["number"]: s for s in figures["steps"]}
    assert set(steps) == {step.number for step in second_sop.definition.steps}
    assert (steps[3]["completed"], steps[3]["waktu"], steps[3]["median"]) == (1, 5, 9)
    assert steps[3]["comments"] == 0  # the seed project's question is not this SOP's
    assert figures["projects"]["started"] == 1
    seed = monitoring_figures(parse_period("2026-S1"), active_version())
    seed_three = next(s for s in seed["steps"] if s["number"] == 3)
    assert (seed_three["completed"], seed_three["comments"]) == (3, 1)
    assert seed["projects"]["started"] == 3


def test_an_evaluation_records_its_sop_and_its_report_names_it(second_semester, people):
    kabid = people["kabid"]
    seed, _made = services.start_evaluation("2026-S1", actor=kabid)
    second, made = services.start_evaluation("2026-S1", actor=kabid, sop=SECOND)
    assert made and second.pk != seed.pk
    assert (second.kode, second.sop_version.kode, seed.kode) == (
        SECOND,
        SECOND,
        active_version().kode,
    )
    assert services.start_evaluation("2026-S1", actor=kabid, sop=SECOND) == (second, False)
    with pytest.raises(ValidationError) as refused:
        services.start_evaluation("2026-S1", actor=kabid, sop="tidak-ada")
    assert refused.value.code == "sop_unknown"

    services.save_answers(second, all_yes(), actor=kabid)
    signed = services.finish_evaluation(second, actor=people["kadis"], via="web")
    text = text_of(signed.letter)
    assert f"penerapan SOP {second.sop_version.judul} (versi {second.sop_version.version})" in text
    assert active_version().judul not in text


def test_the_page_offers_the_sop_and_the_command_takes_it(second_semester, people):
    browser = Client()
    browser.force_login(people["kabid"])
    assert 'name="sop"' in browser.get("/monev/").text
    response = browser.post("/monev/mulai/", {"periode": "2026-S1", "sop": SECOND})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(kode=SECOND)
    assert response.url.endswith(f"/{evaluation.pk}/")
    assert SECOND in browser.get("/monev/").text

    out = StringIO()
    call_command("monev", "laporan", "--periode", "2026-S1", "--sop", SECOND, "--as", "kabid",
                 stdout=out)  # fmt: skip
    out = out.getvalue()
    assert f"Monitoring SOP {second_semester.sop_version.judul}" in out
    assert "      3  Ya" in out and "      1  Tidak" in out


def test_the_page_offers_no_sop_while_one_runs(semester, people):
    browser = Client()
    browser.force_login(people["kabid"])
    assert 'name="sop"' not in browser.get("/monev/").text
