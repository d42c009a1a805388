"""Tugas Saya shows all that waits for a role: usulan, suspended projects, late steps it oversees."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import ValidationError
from simpatik.projects import services
from simpatik.projects.models import Project, StepRun
from simpatik.testing.walker import complete_current, open_run, walk_to


def suspend(project, team):
    walk_to(project, team, 6)
    complete_current(project, team, decision="tidak_tersedia", reason="Anggaran belum tersedia")
    complete_current(project, team)
    project.refresh_from_db()
    assert project.status == "ditangguhkan"


def make_late(project):
    StepRun.objects.filter(project=project, status="berjalan").update(
        due_date=dt.date.today() - dt.timedelta(days=10)
    )


def tasks_page(client, user):
    client.force_login(user)
    response = client.get("/tugas/")
    assert response.status_code == 200
    return response.content.decode()


def test_kadis_sees_new_usulan_and_late_steps_of_others(client, team, opd_user, opd):
    kadis, kabid, kasie = team[:3]
    need = services.submit_need(actor=opd_user, judul="Aplikasi Cuti", latar_belakang="Perlu.")
    project = services.start_project(actor=kadis, nama="SIMPEG", opd=opd)
    walk_to(project, team, 3)
    make_late(project)
    page = tasks_page(client, kadis)
    assert "Usulan baru menunggu keputusan Anda" in page and need.nomor in page
    assert "Langkah terlambat yang Anda awasi" in page and "Kasie e-Government" in page
    page = tasks_page(client, kabid)
    assert "Usulan baru menunggu" not in page  # the Kabid does not start projects
    assert "Langkah terlambat yang Anda awasi" in page  # the Kabid oversees the Kasie
    page = tasks_page(client, kasie)
    assert "Langkah terlambat yang Anda awasi" not in page  # it is the Kasie's own task
    assert f"{project.kode}" in page


def test_a_late_step_says_whose_it_is_where_it_is_and_how_late(client, team, opd):
    """Each late line: the project and step (linked to the step), the role, who took it (a name
    is only ever text), the due date and the working days late."""
    kadis, kabid, kasie = team[:3]
    project = services.start_project(actor=kadis, nama="SIMPEG", opd=opd)
    run = walk_to(project, team, 3)
    kasie.first_name, kasie.last_name = "<b>Ani</b>", "Mokodompit"
    kasie.save(update_fields=["first_name", "last_name"])
    StepRun.objects.filter(pk=run.pk).update(assignee=kasie)
    make_late(project)
    page = tasks_page(client, kabid)
    line = page[page.index('id="waiting-late"') :].split("</li>")[0]
    assert f'href="/proyek/{project.pk}/?langkah=3"' in line
    assert f"{project.kode} · langkah 3" in line
    assert "— Kasie e-Government (&lt;b&gt;Ani&lt;/b&gt; Mokodompit), batas " in line
    assert '<span class="late">terlambat ' in line and "<b>" not in line


def test_a_suspended_project_waits_in_the_tasks_of_the_role_that_resumes_it(client, project, team):
    kadis, kabid = team[:2]
    suspend(project, team)
    page = tasks_page(client, kabid)
    assert "Proyek ditangguhkan menunggu keputusan Anda" in page
    assert project.kode in page and "Anggaran belum tersedia" in page
    assert "Proyek ditangguhkan menunggu" not in tasks_page(client, kadis)


def test_tasks_page_query_count_does_not_grow_with_the_number_of_projects(
    client, team, opd_user, opd
):
    kadis, kabid = team[:2]

    def count():
        client.force_login(kadis)
        with CaptureQueriesContext(connection) as first:
            client.get("/tugas/")
        client.force_login(kabid)
        with CaptureQueriesContext(connection) as second:
            client.get("/tugas/")
        return len(first), len(second)

    def add_world():
        services.submit_need(actor=opd_user, judul="Aplikasi", latar_belakang="Perlu.")
        late = services.start_project(actor=kadis, nama="Terlambat", opd=opd)
        walk_to(late, team, 3)
        make_late(late)
        suspended = services.start_project(actor=kadis, nama="Ditangguhkan", opd=opd)
        suspend(suspended, team)

    add_world()
    few = count()
    add_world()
    add_world()
    assert count() == few


@pytest.mark.django_db
def test_tasks_queries_stay_within_a_fixed_budget(
    client, team, opd_user, opd, django_assert_max_num_queries
):
    kadis = team[0]
    for _ in range(3):
        services.submit_need(actor=opd_user, judul="Aplikasi", latar_belakang="Perlu.")
        project = services.start_project(actor=kadis, nama="SIMPEG", opd=opd)
        walk_to(project, team, 3)
        make_late(project)
    client.force_login(kadis)
    with django_assert_max_num_queries(15):
        client.get("/tugas/")


def test_resuming_needs_a_note_and_a_confirmation_and_the_note_is_in_the_history(
    client, project, team
):
    kabid = team[1]
    suspend(project, team)
    client.force_login(kabid)
    page = client.get(f"/proyek/{project.pk}/").content.decode()
    assert 'name="confirm"' in page and "Anggaran belum tersedia" in page
    response = client.post(f"/proyek/{project.pk}/lanjutkan/", {"reason": "", "confirm": "ya"})
    assert response.status_code == 400 and "Catatan wajib diisi" in response.content.decode()
    response = client.post(f"/proyek/{project.pk}/lanjutkan/", {"reason": "Anggaran ada"})
    assert response.status_code == 400 and "Centang konfirmasi" in response.content.decode()
    assert "Anggaran ada" in response.content.decode()  # the note typed is kept
    project.refresh_from_db()
    assert project.status == Project.Status.DITANGGUHKAN
    response = client.post(
        f"/proyek/{project.pk}/lanjutkan/", {"reason": "Anggaran perubahan ada", "confirm": "ya"}
    )
    assert response.status_code == 302
    assert open_run(project).step_number == 6
    assert AuditRecord.objects.get(action="project.resumed").reason == "Anggaran perubahan ada"
    history = client.get(f"/proyek/{project.pk}/riwayat/").content.decode()
    assert "melanjutkan proyek yang ditangguhkan" in history and "Anggaran perubahan ada" in history


def test_the_api_refuses_a_resume_without_a_note(client, project, team):
    from simpatik.accounts.services import create_api_token

    kabid = team[1]
    suspend(project, team)
    _row, token = create_api_token(kabid)
    url = f"/api/v1/projects/{project.pk}/resume/"
    response = client.post(url, {}, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 400 and response.json()["code"] == "reason_required"
    with pytest.raises(ValidationError):
        services.resume_project(project, actor=kabid, reason="   ")
    response = client.post(url, {"reason": "Anggaran ada"}, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
