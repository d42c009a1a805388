"""The SPBE catalogue metadata filled from what a project's steps recorded, never over a person's."""

from simpatik.inventory import services, spbe
from simpatik.inventory.models import Application
from simpatik.inventory.tests.test_workflow import _kepegawaian_project
from simpatik.testing.walker import complete_current, walk_to

STEP_5 = {
    "analisis_kebutuhan": "Mengelola cuti dan riwayat pegawai dalam satu aplikasi",
    "layanan_spbe": "Layanan manajemen kepegawaian",
    "proses_bisnis": "Pengelolaan cuti pegawai",
}
STEP_16 = {
    "subdomain": "simpeg",
    "lokasi_hosting": "pdn",
    "basis_aplikasi": "mobile",
    "bahasa_pemrograman": "Python",
    "basis_data": "PostgreSQL",
}


def _finish(project, team, *, before_18=None):
    walk_to(project, team, 5)
    complete_current(project, team, extra_fields=STEP_5)
    walk_to(project, team, 16)
    complete_current(project, team, extra_fields=STEP_16)
    walk_to(project, team, 18)
    if before_18:
        before_18()
    complete_current(project, team)


def test_a_finished_project_fills_the_catalogue_entry(team, opd, opd_user, kabid):
    project = _kepegawaian_project(team[0], opd, opd_user)
    _finish(project, team)
    app = Application.objects.get(project=project)
    assert app.fungsi == STEP_5["analisis_kebutuhan"]
    assert app.layanan_spbe == STEP_5["layanan_spbe"]
    assert app.proses_bisnis == STEP_5["proses_bisnis"]
    assert (app.platform, app.bahasa_pemrograman, app.basis_data) == (
        "mobile",
        "Python",
        "PostgreSQL",
    )
    assert app.hosting == "pdn" and app.versi == "v1.0"  # the walker's release tag at step 12
    assert app.jenis == "khusus" and app.status == "aktif"
    assert app.deskripsi == "Data kepegawaian ASN tersebar di banyak berkas"  # the request's
    # The national catalogue export carries them.
    from django.test import Client

    client = Client()
    client.force_login(kabid)
    entry = next(
        e
        for e in client.get("/inventaris/katalog-spbe.json").json()["aplikasi"]
        if e["nama"] == app.nama
    )
    assert entry["layanan_spbe"] == STEP_5["layanan_spbe"]
    assert entry["platform"] == "Mobile" and entry["hosting"] == "Pusat Data Nasional"
    assert entry["versi"] == "v1.0" and entry["jenis"] == "Aplikasi khusus"
    assert entry["opd"] == opd.nama and set(entry) == set(spbe.FIELDS)


def test_what_a_person_typed_is_kept_and_the_rest_is_filled(team, opd, opd_user, kasie):
    project = _kepegawaian_project(team[0], opd, opd_user)
    typed = {"layanan_spbe": "Layanan kepegawaian (diketik)", "bahasa_pemrograman": "Go"}

    def edit():
        app = Application.objects.get(project=project)
        assert app.fungsi == STEP_5["analisis_kebutuhan"]  # step 8 filled it already
        services.update_application(app, actor=kasie, changes=typed, via="web")

    _finish(project, team, before_18=edit)
    app = Application.objects.get(project=project)
    assert app.layanan_spbe == typed["layanan_spbe"]
    assert app.bahasa_pemrograman == "Go"
    assert app.basis_data == "PostgreSQL" and app.platform == "mobile"
    assert app.proses_bisnis == STEP_5["proses_bisnis"]


def test_a_redeveloped_application_keeps_its_typed_description(inventory, team, kasie):
    simpeg = inventory["SIMPEG"]
    services.update_application(simpeg, actor=kasie, changes={"bahasa_pemrograman": "PHP"})
    from simpatik.projects import services as project_services

    project = project_services.start_project(actor=team[0], nama=simpeg.nama, opd=simpeg.opd)
    _finish(project, team)
    simpeg.refresh_from_db()
    assert simpeg.project == project
    assert simpeg.deskripsi == "Pengelolaan data ASN, riwayat jabatan dan pangkat"
    assert simpeg.bahasa_pemrograman == "PHP"
    assert simpeg.fungsi == STEP_5["analisis_kebutuhan"] and simpeg.basis_data == "PostgreSQL"
    assert Application.objects.filter(nama=simpeg.nama).count() == 1
