"""Two SOPs side by side: projects of each, lists filtered by SOP, steps and permissions from
each project's own SOP version, and a step given to the requesting OPD's role (`lingkup: opd`)."""

import pytest
from django.conf import settings
from django.test import Client

from simpatik.accounts.permissions import can
from simpatik.notifications.models import Notification
from simpatik.projects import queries, services
from simpatik.projects.tests.test_api import client_for
from simpatik.testing.personas import make_user

SECOND = "uji-pengembangan-opd"
SEED = settings.SIMPATIK_SOP_KODE
PENGELOLA = "opd_pengelola"  # the test SOP's role scoped to the requesting OPD


@pytest.fixture
def world(second_sop, team, kadis, opd, other_opd):
    people = {
        # of the requesting OPD; of another OPD; of another OPD who also sees every project
        "pengelola": make_user("pengelola", [PENGELOLA], opd=opd, password="rahasia-123"),
        "lain": make_user("pengelola_lain", [PENGELOLA], opd=other_opd, password="rahasia-123"),
        "pengawas": make_user(
            "pengawas_lain", ["kadis", PENGELOLA], opd=other_opd, password="rahasia-123"
        ),
        # holds the seed SOP's first role and the second SOP's checking role
        "ganda": make_user("ganda", ["kadis", "kasie"], password="rahasia-123"),
    }
    seed_project = services.start_project(actor=kadis, nama="Sistem Kepegawaian", opd=opd)
    opd_project = services.start_project(actor=kadis, nama="Aplikasi Dinas", opd=opd, sop=SECOND)
    return {"seed": seed_project, "second": opd_project, **people}


def test_each_project_runs_its_own_sop_version(world, sop, second_sop):
    seed, second = world["seed"], world["second"]
    assert seed.sop_version == sop and second.sop_version == second_sop
    assert second.definition.kode == SECOND
    (run,) = queries.open_runs(second)
    assert (run.step_number, run.role_key) == (1, PENGELOLA)
    (seed_run,) = queries.open_runs(seed)
    assert seed_run.role_key == seed.definition.first_step.role != PENGELOLA


def test_lists_and_tasks_filter_by_sop(world, kasie):
    second, pengelola, ganda = world["second"], world["pengelola"], world["ganda"]
    run = queries.open_run_of(second, 1)
    services.complete_step(run, actor=pengelola, fields={"rencana_opd": "Rencana"})
    assert queries.open_run_of(second, 2).role_key == "kasie"

    api = client_for(ganda)
    both = {row["project"] for row in api.get("/api/v1/tasks/").json()["results"]}
    assert both == {world["seed"].pk, second.pk}
    only = api.get(f"/api/v1/tasks/?sop={SECOND}").json()["results"]
    assert [(row["project"], row["step"], row["sop"]) for row in only] == [(second.pk, 2, SECOND)]
    listed = api.get(f"/api/v1/projects/?sop={SEED}").json()["results"]
    assert [row["id"] for row in listed] == [world["seed"].pk]
    assert api.get(f"/api/v1/projects/{second.pk}/").json()["sop"] == SECOND

    browser = Client()
    browser.force_login(ganda)
    page = browser.get("/tugas/", {"sop": SECOND})
    assert page.status_code == 200
    assert second.kode in page.text and world["seed"].kode not in page.text
    assert 'name="sop"' in page.text  # offered: two SOPs are in force
    page = browser.get("/proyek/", {"sop": SEED})
    assert world["seed"].kode in page.text and second.kode not in page.text


def test_every_sop_left_chosen_keeps_the_other_filters_of_the_project_list(world, kadis):
    """The empty choice ("Semua SOP") leaves the bar valid and its other filters applied."""
    from simpatik.projects.models import Project

    Project.objects.filter(pk=world["second"].pk).update(status=Project.Status.SELESAI)
    browser = Client()
    browser.force_login(kadis)
    page = browser.get("/proyek/", {"status": "selesai", "sop": ""}).text
    assert world["second"].kode in page and world["seed"].kode not in page
    assert 'aria-invalid="true"' not in page
    page = browser.get("/proyek/", {"opd": world["second"].opd_id, "q": "Dinas", "sop": ""}).text
    assert world["second"].kode in page and world["seed"].kode not in page
    tasks = browser.get("/tugas/", {"sop": ""})
    assert tasks.status_code == 200 and 'aria-invalid="true"' not in tasks.text


def test_sop_filter_is_not_offered_while_one_sop_runs(kadis, project):
    browser = Client()
    browser.force_login(kadis)
    assert 'name="sop"' not in browser.get("/tugas/").text
    assert 'name="sop"' not in browser.get("/proyek/").text


def test_steps_follow_the_role_of_the_projects_own_sop(world, kasie):
    second_run = queries.open_run_of(world["second"], 1)
    seed_run = queries.open_run_of(world["seed"], 1)
    assert not can(kasie, "kerjakan_langkah", second_run)
    assert not can(world["pengelola"], "kerjakan_langkah", seed_run)
    assert can(world["pengelola"], "kerjakan_langkah", second_run)


def test_opd_scoped_step_refused_to_another_opd_on_web_and_api(world):
    second = world["second"]
    run = queries.open_run_of(second, 1)
    url = f"/api/v1/projects/{second.pk}/steps/1/complete/"
    body = {"fields": {"rencana_opd": "Rencana"}}
    # A holder of the role in another OPD: no task, and the project is not theirs to see.
    lain = world["lain"]
    assert not can(lain, "kerjakan_langkah", run)
    assert not queries.task_runs(lain).exists()
    assert client_for(lain).post(url, body, format="json").status_code == 404
    # Seeing every project does not make another OPD's manager this OPD's.
    pengawas = world["pengawas"]
    assert not can(pengawas, "kerjakan_langkah", run)
    assert run not in queries.task_runs(pengawas)
    refused = client_for(pengawas).post(url, body, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "wrong_opd"
    browser = Client()
    browser.force_login(pengawas)
    page = browser.post(f"/proyek/{second.pk}/langkah/1/selesai/", {"rencana_opd": "Rencana"})
    assert page.status_code == 403
    run.refresh_from_db()
    assert run.is_open
    # Only the requesting OPD's manager was told of the step, and sees it in Tugas Saya.
    told = Notification.objects.filter(project=second, step_number=1)
    assert set(told.values_list("recipient__username", flat=True)) == {"pengelola"}
    pengelola = world["pengelola"]
    assert [task.pk for task in queries.task_runs(pengelola)] == [run.pk]
    done = client_for(pengelola).post(url, body, format="json")
    assert done.status_code == 200, done.content
    assert queries.open_run_of(second, 2).role_key == "kasie"


def test_api_starts_a_project_under_the_named_sop(world, kadis):
    api = client_for(kadis)
    opd = world["seed"].opd_id
    default = api.post("/api/v1/projects/", {"nama": "A", "opd": opd}, format="json")
    assert default.status_code == 201 and default.json()["sop"] == SEED
    named = api.post("/api/v1/projects/", {"nama": "B", "opd": opd, "sop": SECOND}, format="json")
    assert named.status_code == 201 and named.json()["sop"] == SECOND
    assert named.json()["current_steps"] == [1]
    unknown = api.post("/api/v1/projects/", {"nama": "C", "opd": opd, "sop": "x"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "sop_unknown" and "tidak dikenal" in unknown.json()["detail"]


def test_web_start_offers_the_sops_in_force(world, kadis):
    browser = Client()
    browser.force_login(kadis)
    assert 'name="sop"' in browser.get("/proyek/baru/").text
    response = browser.post(
        "/proyek/baru/", {"nama": "Aplikasi C", "opd": world["seed"].opd_id, "sop": SECOND}
    )
    assert response.status_code == 302
    created = services.engine.Project.objects.get(nama="Aplikasi C")
    assert created.sop_version.kode == SECOND


def test_a_letter_of_the_second_sop_comes_from_its_own_definition(world, kasie):
    from simpatik.letters.models import Letter
    from simpatik.letters.tests.helpers import text_of

    second = world["second"]
    run = queries.open_run_of(second, 1)
    services.complete_step(run, actor=world["pengelola"], fields={"rencana_opd": "Rencana"})
    run = queries.open_run_of(second, 2)
    # The seed's letter kind quotes items this SOP does not have; it asks only for its own.
    services.complete_step(
        run, actor=kasie, fields={"catatan_pemeriksaan": "Sesuai standar"}, decision="sesuai"
    )
    letter = Letter.objects.get(project=second)
    assert (letter.kind, letter.step_number) == ("surat_rekomendasi", 2)
    text = text_of(letter)
    item = second.definition.step(2).requirement("surat_rekomendasi_opd")
    assert item.kepada == PENGELOLA
    assert "Kepada Yth. Pengelola aplikasi OPD pemohon" in text and second.nama in text
