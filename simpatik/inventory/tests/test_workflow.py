"""The SOP engine and the inventory: step 5 suggestions and marks, steps 8 and 18 registering."""

from simpatik.inventory.models import Application
from simpatik.projects import services as project_services
from simpatik.projects.queries import step_detail
from simpatik.testing.walker import complete_current, open_run, walk_to


def _kepegawaian_project(kadis, opd, opd_user):
    need = project_services.submit_need(
        actor=opd_user,
        judul="Aplikasi Kepegawaian",
        latar_belakang="Data kepegawaian ASN tersebar di banyak berkas",
    )
    return project_services.start_project(actor=kadis, nama=need.judul, opd=opd, need=need)


def test_step_5_suggests_the_existing_simpeg_with_score_and_matched_words(
    inventory, team, opd, opd_user
):
    project = _kepegawaian_project(team[0], opd, opd_user)
    walk_to(project, team, 5)
    detail = step_detail(project, 5, team[2])
    marks = next(r for r in detail["requirements"] if r["key"] == "aplikasi_sejenis_inventaris")
    assert marks["type"] == "choice" and marks["multiple"] and marks.get("optional")
    first = marks["choices"][0]
    assert first["value"] == str(inventory["SIMPEG"].pk)
    assert (
        "Sistem Informasi Manajemen Kepegawaian" in first["label"]
        and "kepegawaian" in first["label"]
    )
    assert "skor" in first["label"]


def test_step_5_marks_become_part_of_the_recorded_output(inventory, team, opd, opd_user):
    project = _kepegawaian_project(team[0], opd, opd_user)
    walk_to(project, team, 5)
    simpeg, kinerja = str(inventory["SIMPEG"].pk), str(inventory["E-Kinerja"].pk)
    run = complete_current(
        project,
        team,
        extra_fields={
            "aplikasi_sejenis_inventaris": [simpeg],
            "aplikasi_integrasi_inventaris": [kinerja],
        },
    )
    run.refresh_from_db()
    assert run.values["aplikasi_sejenis_inventaris"] == [simpeg]
    assert run.values["aplikasi_integrasi_inventaris"] == [kinerja]
    record = project.audit_records.get(action="project.step.completed", step_number=5)
    assert record.data["fields"]["aplikasi_sejenis_inventaris"] == [simpeg]


def test_step_5_refuses_a_mark_that_is_not_a_suggestion(inventory, team, opd, opd_user):
    import pytest

    from simpatik.core.errors import ValidationError

    project = _kepegawaian_project(team[0], opd, opd_user)
    walk_to(project, team, 5)
    with pytest.raises(ValidationError) as caught:
        complete_current(project, team, extra_fields={"aplikasi_sejenis_inventaris": ["999999"]})
    assert caught.value.code == "field_invalid"
    assert open_run(project).step_number == 5


def test_step_8_enters_the_application_as_in_development_and_18_makes_it_active(
    team, opd, settings
):
    settings.SIMPATIK_APPS_DOMAIN = "bolmutkab.go.id"
    project = project_services.start_project(actor=team[0], nama="Aplikasi Cuti Online", opd=opd)
    walk_to(project, team, 9)
    app = Application.objects.get(project=project)
    assert app.status == "pengembangan" and app.opd == opd
    assert app.repositori.startswith("Isian")
    walk_to(project, team, 16)
    complete_current(project, team, extra_fields={"subdomain": "cuti"})
    walk_to(project, team, 18)
    complete_current(project, team)
    app.refresh_from_db()
    assert app.status == "aktif"
    assert app.url == "https://cuti.bolmutkab.go.id"
    assert app.disetujui_oleh == team[0].display_name and app.tanggal_persetujuan is not None
    assert Application.objects.filter(project=project).count() == 1
    changes = [r.data.get("changes", {}) for r in app_history(app)]
    assert any(c.get("status") == ["pengembangan", "aktif"] for c in changes)


def test_approval_updates_the_existing_record_of_a_redeveloped_application(inventory, team, opds):
    simpeg = inventory["SIMPEG"]
    project = project_services.start_project(actor=team[0], nama=simpeg.nama, opd=simpeg.opd)
    walk_to(project, team, 9)
    simpeg.refresh_from_db()
    assert simpeg.project == project and simpeg.status == "pengembangan"
    assert Application.objects.filter(nama=simpeg.nama).count() == 1


def app_history(app):
    from simpatik.inventory.queries import history

    return history(app)
