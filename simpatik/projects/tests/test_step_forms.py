"""The step form in the web: one rule for every action, nobody loses what they typed."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from simpatik.audit.models import AuditRecord
from simpatik.projects.models import Document
from simpatik.testing.walker import complete_current, sample_pdf, walk_to

ANALYSIS = {
    "inventaris_aplikasi": "Daftar aplikasi Pemda 2026",
    "analisis_kebutuhan": "Pengajuan cuti daring untuk 900 ASN",
    "analisis_aplikasi_sejenis": "Belum ada aplikasi cuti",
    "analisis_integrasi": "SIMPEG untuk data pegawai",
    "analisis_sumber_daya": "Satu server, dua pengembang",
}


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def field_html(html, key):
    """The field's control and the message under it."""
    match = re.search(rf'<div class="field[^"]*">\s*<label for="f-{key}".*?</div>', html, re.S)
    assert match, f"no field {key}"
    return match.group(0)


def test_uploading_a_document_keeps_every_typed_field(project, team):
    kasie = team[2]
    walk_to(project, team, 5)
    client = logged_in(kasie)
    url = f"/proyek/{project.pk}/langkah/5/"
    response = client.post(
        url + "unggah/",
        {
            **ANALYSIS,
            "key": "dokumen_analisis",
            "file-dokumen_analisis": SimpleUploadedFile("analisis.pdf", sample_pdf("a")),
        },
    )
    assert response.status_code == 302
    assert Document.objects.filter(project=project, key="dokumen_analisis").count() == 1
    page = client.get(f"/proyek/{project.pk}/?langkah=5").content.decode()
    for key, value in ANALYSIS.items():
        assert value in field_html(page, key)


def test_a_failed_upload_keeps_the_fields_and_says_why_beside_the_document(project, team):
    kasie = team[2]
    walk_to(project, team, 5)
    response = logged_in(kasie).post(
        f"/proyek/{project.pk}/langkah/5/unggah/",
        {
            **ANALYSIS,
            "key": "dokumen_analisis",
            "file-dokumen_analisis": SimpleUploadedFile("analisis.pdf", b"MZ not a pdf"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="step-error"' in page and 'class="messages' not in page
    assert re.search(r'id="file-dokumen_analisis"[^>]*aria-invalid="true"', page)
    assert 'id="doc-err-dokumen_analisis"' in page
    for key, value in ANALYSIS.items():
        assert value in field_html(page, key)
    assert not Document.objects.filter(project=project, key="dokumen_analisis").exists()


def test_a_failed_completion_keeps_every_value_with_the_error_beside_its_field(project, team):
    teknis = team[4]
    walk_to(project, team, 16, decisions={11: "setuju", 15: "diterima"})
    typed = {
        "subdomain": "Cuti Online!",
        "tipe_rekaman": "A",
        "isi_rekaman": "10.10.1.20",
        "kebutuhan_hosting": "VPS",
        "server_hosting": "Server Kominfo 2",
        "sumber_daya_hosting": "2 CPU, 4 GB",
    }
    response = logged_in(teknis).post(f"/proyek/{project.pk}/langkah/16/selesai/", typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'<div class="error-box" role="alert" id="step-error"', page)
    assert 'class="messages' not in page  # never a success banner for an error
    subdomain = field_html(page, "subdomain")
    assert 'class="field invalid"' in subdomain
    assert 'aria-invalid="true" aria-describedby="err-subdomain"' in subdomain
    assert re.search(r'id="err-subdomain">[^<]*bukan nama DNS yang sah', subdomain)
    assert "Cuti Online!" in subdomain
    for key in ("isi_rekaman", "kebutuhan_hosting", "server_hosting", "sumber_daya_hosting"):
        html = field_html(page, key)
        assert typed[key] in html and "aria-invalid" not in html
    assert re.search(r'<option value="A" selected>', field_html(page, "tipe_rekaman"))


def test_a_missing_reason_is_shown_beside_the_reason_with_the_decision_kept(project, team):
    teknis = team[4]
    walk_to(project, team, 11)
    response = logged_in(teknis).post(
        f"/proyek/{project.pk}/langkah/11/selesai/",
        {"decision": "tidak_setuju", "reason": "", "tanggapan_rencana": "Kurang rinci"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="err-reason"' in page and "Kurang rinci" in page
    assert re.search(r'value="tidak_setuju" checked', page)


def test_autosave_answers_in_place_and_writes_only_changes(project, kadis):
    client = logged_in(kadis)
    url = f"/proyek/{project.pk}/langkah/1/draf/"
    headers = {"HTTP_HX_REQUEST": "true"}
    first = client.post(url, {"rujukan_usulan": "Surat 005"}, **headers)
    assert first.status_code == 200 and "Draf tersimpan" in first.content.decode()
    assert 'id="err-rujukan_usulan" hx-swap-oob="true"' in first.content.decode()
    client.post(url, {"rujukan_usulan": "Surat 005"}, **headers)
    saves = AuditRecord.objects.filter(project=project, action="project.step.draft_saved")
    assert saves.count() == 1
    # Without JavaScript, "Simpan draf" saves and comes back to the step.
    plain = client.post(url, {"rujukan_usulan": "Surat 006"})
    assert plain.status_code == 302 and plain["Location"].endswith("?langkah=1#step-panel")
    page = client.get(f"/proyek/{project.pk}/?langkah=1").content.decode()
    assert "Surat 006" in field_html(page, "rujukan_usulan")
    assert saves.count() == 2


def test_tugas_saya_shows_why_a_step_came_back(project, team):
    pengembang = team[3]
    walk_to(project, team, 15, decisions={11: "setuju"})
    complete_current(project, team, decision="perbaikan", reason="Hasil pentest menunjukkan celah")
    page = logged_in(pengembang).get("/tugas/").content.decode()
    assert "Hasil pentest menunjukkan celah" in page
    assert "Dikembalikan oleh" in page and "WITA" in page
    step = logged_in(pengembang).get(f"/proyek/{project.pk}/?langkah=12").content.decode()
    assert 'id="step-returned"' in step and "Hasil pentest menunjukkan celah" in step


def test_a_refused_integration_keeps_what_was_typed(kasie, opd):
    from simpatik.inventory import services

    application = services.register_application(
        actor=kasie, data={"nama": "SIMPEG", "opd": opd, "status": "aktif"}
    )
    response = logged_in(kasie).post(
        f"/inventaris/{application.pk}/integrasi/",
        {"target": "", "data": "NIP pegawai", "arah": "kirim", "metode": "api"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="NIP pegawai"' in page and 'class="error-box"' in page
    assert 'aria-invalid="true"' in page


def test_a_refused_letter_step_keeps_the_form_and_says_why(project, team):
    """A step whose completion issues a letter, refused for what the letter needs: nothing lost."""
    pengembang = team[3]
    walk_to(project, team, 10)
    response = logged_in(pengembang).post(
        f"/proyek/{project.pk}/langkah/10/selesai/",
        {"aplikasi_sejenis_dibangun": "SIMPEG versi lama", "daftar_hadir_rencana": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="step-error"' in page and "Daftar hadir" in page
    assert "SIMPEG versi lama" in field_html(page, "aplikasi_sejenis_dibangun")


def test_a_refused_need_keeps_what_was_typed_with_the_error_beside_its_field(opd_user):
    response = logged_in(opd_user).post(
        "/usulan/baru/", {"judul": "   ", "latar_belakang": "Cuti masih memakai kertas"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-box" role="alert"' in page
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="id_judul_error"', page)
    assert 'id="id_judul_error"' in page and "Cuti masih memakai kertas" in page


def test_a_ticked_yes_no_box_counts_though_an_empty_value_goes_before_it(sop):
    """The form sends an empty value before each yes/no box (so that unticking it is seen); the
    tick comes after it. Taking the first value threw every tick away (step 18's catalogue)."""
    from django.http import QueryDict

    from simpatik.projects.forms import fields_from_post

    step = sop.definition.step(18)
    ticked = QueryDict("catatan_persetujuan=Disetujui&publikasi_katalog=&publikasi_katalog=ya")
    unticked = QueryDict("catatan_persetujuan=Disetujui&publikasi_katalog=")
    assert fields_from_post(step, ticked)["publikasi_katalog"] == "ya"
    assert fields_from_post(step, unticked)["publikasi_katalog"] == ""


def test_the_kadis_ticking_the_catalogue_box_publishes_the_application(project, team):
    kadis = team[0]
    walk_to(project, team, 18)
    page = logged_in(kadis).get(f"/proyek/{project.pk}/?langkah=18").content.decode()
    box = re.search(r'<input type="hidden" name="publikasi_katalog" value="">\s*<input[^>]*>', page)
    assert box and 'type="checkbox"' in box.group(0) and 'value="ya"' in box.group(0)
    response = logged_in(kadis).post(
        f"/proyek/{project.pk}/langkah/18/selesai/",
        {"catatan_persetujuan": "Disetujui.", "publikasi_katalog": ["", "ya"]},
    )
    assert response.status_code == 302
    run = project.step_runs.get(step_number=18)
    assert run.values["publikasi_katalog"] is True
    from simpatik.inventory.models import Application

    assert Application.objects.get(project=project).publik  # in the public catalogue


def test_a_returned_plan_shows_the_tim_teknis_written_response_beside_the_reason(project, team):
    pengembang = team[3]
    walk_to(project, team, 11)
    response = "Jadwal terlalu rapat.\nTambahkan uji beban sebelum rilis."
    complete_current(
        project,
        team,
        decision="tidak_setuju",
        reason="Jadwal belum realistis",
        extra_fields={"tanggapan_rencana": response},
    )
    step = logged_in(pengembang).get(f"/proyek/{project.pk}/?langkah=9").content.decode()
    returned = step[step.index('id="step-returned"') :].split("</div>\n")[0]
    assert "Jadwal belum realistis" in returned
    assert "Tanggapan terhadap rencana pengembangan" in returned
    assert "Jadwal terlalu rapat.<br>Tambahkan uji beban sebelum rilis." in returned
    tasks = logged_in(pengembang).get("/tugas/").content.decode()
    assert "Tanggapan terhadap rencana pengembangan" in tasks
