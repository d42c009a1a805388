"""The SOP engine and the inventory: step 5 suggestions and marks, steps 8 and 18 registering."""

import re

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
    # The score is written as an Indonesian decimal, 0,47, not 0.47.
    assert re.search(r"· skor \d+,\d\d · cocok: ", first["label"]), first["label"]


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
    assert app.repositori == ""  # nobody types it; provisioning records the one it made
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


def test_the_inventory_takes_each_value_from_the_step_that_recorded_it(
    inventory, team, opd, opd_user
):
    from simpatik.inventory.models import Integration
    from simpatik.letters.models import Letter
    from simpatik.provisioning.models import Repository

    project = _kepegawaian_project(team[0], opd, opd_user)
    kinerja = inventory["E-Kinerja"]
    walk_to(project, team, 5)
    complete_current(
        project, team, extra_fields={"aplikasi_integrasi_inventaris": [str(kinerja.pk)]}
    )
    walk_to(project, team, 16)
    fields = {
        "subdomain": "kepegawaian",
        "lokasi_hosting": "diskominfo",
        "server_hosting": "srv-apl-01",
    }
    run = complete_current(project, team, extra_fields=fields)  # issues the recommendation
    (letter,) = Letter.objects.filter(step_run=run)
    walk_to(project, team, 18)
    assert Application.objects.get(project=project).publik is False
    complete_current(project, team, extra_fields={"publikasi_katalog": True})
    app = Application.objects.get(project=project)
    repository = Repository.objects.get(project=project)
    assert app.repositori == repository.clone_url and repository.status == "siap"
    assert app.surat_rekomendasi == letter.number
    assert (app.hosting, app.server) == ("diskominfo", "srv-apl-01")
    assert Integration.objects.filter(source=app, target=kinerja, diarsipkan=False).count() == 1
    assert app in Application.objects.public()


def test_the_catalogue_offer_is_optional_and_unticked_keeps_the_application_private(team, opd):
    project = project_services.start_project(actor=team[0], nama="Aplikasi Internal", opd=opd)
    walk_to(project, team, 18)
    detail = step_detail(project, 18, team[0])
    offer = next(r for r in detail["requirements"] if r["key"] == "publikasi_katalog")
    assert offer["type"] == "boolean" and offer["optional"] and offer["writable"]
    complete_current(project, team)
    assert not Application.objects.public().filter(project=project).exists()


def test_step_5_page_searches_the_inventory_once_and_reads_the_usulan_in_one_query(
    inventory, team, opd, opd_user
):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    project = _kepegawaian_project(team[0], opd, opd_user)
    walk_to(project, team, 5)
    client = Client()
    client.force_login(team[2])
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/proyek/{project.pk}/?langkah=5").content.decode()
    assert "Sistem Informasi Manajemen Kepegawaian" in page and "skor" in page
    sql = [query["sql"] for query in captured.captured_queries]
    # Both of step 5's inventory fields offer the same suggestions: one search serves them.
    assert len([q for q in sql if "inventory_indexrevision" in q]) == 1
    assert len([q for q in sql if 'FROM "projects_need"' in q]) <= 1


def test_a_record_links_its_project_only_for_who_may_open_it(team, opd, client):
    """A developer reads the whole inventory but only their own projects: the record's project
    link led them to a 404."""
    from simpatik.testing.personas import make_user

    project = project_services.start_project(actor=team[0], nama="Aplikasi Cuti Online", opd=opd)
    walk_to(project, team, 9)
    app = Application.objects.get(project=project)
    link = f'href="/proyek/{project.pk}/"'
    client.force_login(team[0])
    assert link in client.get(f"/inventaris/{app.pk}/").content.decode()
    other = make_user("pengembang_lain", ["pengembang"], password="rahasia-123")
    client.force_login(other)
    page = client.get(f"/inventaris/{app.pk}/").content.decode()
    assert project.kode in page and link not in page
    assert client.get(f"/proyek/{project.pk}/").status_code == 404
