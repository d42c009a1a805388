"""The draft SOP "Pengembangan Aplikasi oleh OPD" in a real browser: the requesting OPD's manager
submits the plan, the Kabid returns it for revision, the OPD resubmits, the Kabid recommends."""

import pytest
from playwright.sync_api import expect

from simpatik.projects import services
from simpatik.projects.models import StepRun
from simpatik.sop.services import load_definition
from simpatik.testing.personas import make_user
from simpatik.testing.sopfile import OPD_SOP
from simpatik.testing.walker import complete_current, open_run
from simpatik.tests_browser.test_walk import do_step, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = {"nama_vendor": "CV Teknologi Nusantara", "anggaran_opd": "Rp 150.000.000 (DPA 2026)"}


def test_the_opd_submits_and_the_kabid_returns_then_recommends(
    new_context, live_server, team, kadis, opd, other_opd
):
    definition = load_definition(OPD_SOP.read_text()).version.definition
    pengelola = make_user("opd_pengelola", ["opd_pengelola"], opd=opd, password="rahasia-123")
    make_user("pengelola_lain", ["opd_pengelola"], opd=other_opd, password="rahasia-123")
    project = services.start_project(
        actor=kadis, nama="Aplikasi Layanan Kepegawaian", opd=opd, sop=definition.kode
    )
    url = f"{live_server.url}/proyek/{project.pk}/"
    opd_page = login(new_context, live_server, "opd_pengelola")
    kabid = login(new_context, live_server, "kabid")

    # The same role in another OPD gets no form for this OPD's step.
    other = login(new_context, live_server, "pengelola_lain")
    response = other.goto(url)
    assert response.status == 404

    do_step(opd_page, url, 1, fields=PLAN)
    complete_current(project, team)  # step 2: the Kasie's check
    do_step(kabid, url, 3, decision="perbaikan", reason="Anggaran belum dirinci per modul")
    assert open_run(project).step_number == 1 and open_run(project).round == 2

    opd_page.goto(url)
    expect(opd_page.locator("#step-title")).to_contain_text("Langkah 1")
    do_step(opd_page, url, 1, fields=PLAN)
    complete_current(project, team)
    do_step(kabid, url, 3, decision="direkomendasikan")

    run = open_run(project)
    assert (run.step_number, run.role_key) == (4, "kadis")
    first = project.step_runs.filter(step_number=1, status=StepRun.Status.SELESAI)
    assert list(first.values_list("completed_by", flat=True)) == [pengelola.pk, pengelola.pk]
    decisions = project.step_runs.filter(step_number=3).order_by("id")
    assert list(decisions.values_list("decision", flat=True)) == ["perbaikan", "direkomendasikan"]
