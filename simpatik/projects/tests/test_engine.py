import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import Conflict, PermissionDenied, ValidationError
from simpatik.projects import services
from simpatik.projects.models import Document, Need, Project, StepRun
from simpatik.testing.walker import complete_current, open_run, sample_pdf, walk_to


def pdf(name="berkas.pdf", label="x"):
    return SimpleUploadedFile(name, sample_pdf(label), "application/pdf")


def test_starting_a_project_opens_step_1_for_kadis_with_a_due_date(project):
    run = open_run(project)
    assert (run.step_number, run.round, run.role_key) == (1, 1, "kadis")
    assert run.due_date is not None
    assert project.kode.startswith("PRJ-") and project.status == "berjalan"
    assert AuditRecord.objects.filter(project=project, action="project.started").exists()


def test_only_kadis_starts_a_project(kabid, opd):
    with pytest.raises(PermissionDenied) as caught:
        services.start_project(actor=kabid, nama="Aplikasi", opd=opd)
    assert caught.value.code == "forbidden"
    assert Project.objects.count() == 0


def test_whole_path_from_step_1_to_18_finishes_the_project(project, team):
    visited = []
    while (run := open_run(project)) is not None:
        visited.append(run.step_number)
        complete_current(project, team)
        project.refresh_from_db()
    assert visited == [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]
    assert project.status == "selesai" and project.finished_at is not None
    actions = set(AuditRecord.objects.filter(project=project).values_list("action", flat=True))
    assert {"project.step.completed", "project.document.uploaded", "project.finished"} <= actions
    assert (
        AuditRecord.objects.filter(project=project, action="project.step.completed").count() == 17
    )


def test_step_cannot_complete_without_required_document(project, team):
    run = walk_to(project, team, 2)  # step 2 (Kabid) needs the daftar kebutuhan
    with pytest.raises(ValidationError) as caught:
        services.complete_step(
            run, actor=team[1], fields={"hasil_pemeriksaan_kebutuhan": "Lengkap"}
        )
    assert caught.value.code == "kelengkapan_missing"
    assert caught.value.data["missing"] == [
        {
            "key": "daftar_kebutuhan",
            "label": "Daftar kebutuhan aplikasi",
            "kind": "document",
            "group": "kelengkapan",
        }
    ]
    # An input the step lacks (Kelengkapan), not an Output it has yet to make.
    assert caught.value.message == "Kelengkapan belum lengkap: Daftar kebutuhan aplikasi."
    run.refresh_from_db()
    assert run.status == "berjalan"


def test_missing_list_names_every_missing_item(project, team):
    run = walk_to(project, team, 13)
    pengembang = next(u for u in team if u.username == "pengembang")
    with pytest.raises(ValidationError) as caught:
        services.complete_step(run, actor=pengembang)
    keys = [item["key"] for item in caught.value.data["missing"]]
    assert keys == [
        "hasil_uat",
        "hasil_pentest",
        "hasil_usability",
        "petunjuk_pengguna",
        "system_requirement",
        "petunjuk_instalasi",
        "daftar_hadir_hasil",
        "penerima_presentasi_hasil",
    ]  # the berita acara itself is made by the completion


def test_wrong_role_cannot_act_and_nothing_changes(project, team):
    run = walk_to(project, team, 2)
    kadis = team[0]
    before = Document.objects.count()
    with pytest.raises(PermissionDenied) as caught:
        services.upload_document(run, actor=kadis, key="daftar_kebutuhan", uploaded=pdf())
    assert caught.value.code == "wrong_role"
    with pytest.raises(PermissionDenied):
        services.complete_step(run, actor=kadis, fields={"hasil_pemeriksaan_kebutuhan": "x"})
    assert Document.objects.count() == before
    assert StepRun.objects.get(pk=run.pk).status == "berjalan"


def test_rejected_plan_loops_back_to_planning_and_keeps_rounds(project, team):
    run11 = walk_to(project, team, 11)
    teknis = team[4]
    with pytest.raises(ValidationError) as missing_reason:
        services.complete_step(
            run11,
            actor=teknis,
            decision="tidak_setuju",
            fields={"tanggapan_rencana": "Kurang"},
            reason=" ",
        )
    assert missing_reason.value.code == "reason_required"
    services.complete_step(
        run11,
        actor=teknis,
        decision="tidak_setuju",
        fields={"tanggapan_rencana": "Mockup belum sesuai"},
        reason="Mockup belum sesuai standar",
    )
    run9 = open_run(project)
    assert (run9.step_number, run9.round) == (9, 2)
    walk_to(project, team, 12, decisions={11: "setuju"})
    rounds = list(
        project.step_runs.filter(step_number=11).values_list("round", "decision", "reason")
    )
    assert rounds == [(1, "tidak_setuju", "Mockup belum sesuai standar"), (2, "setuju", "")]
    assert project.documents.filter(key="rencana_pengembangan").count() == 2


def test_rejected_result_loops_back_to_development(project, team):
    walk_to(project, team, 15)
    complete_current(project, team, decision="perbaikan", reason="Ditemukan celah keamanan")
    run = open_run(project)
    assert (run.step_number, run.round) == (12, 2)
    walk_to(project, team, 16, decisions={15: "diterima"})
    assert list(project.step_runs.filter(step_number=15).values_list("round", "decision")) == [
        (1, "perbaikan"),
        (2, "diterima"),
    ]


def test_unavailable_resources_suspend_the_project_until_kabid_resumes(project, team, kasie, kabid):
    walk_to(project, team, 6)
    complete_current(project, team, decision="tidak_tersedia", reason="Anggaran belum tersedia")
    assert open_run(project).step_number == 7
    complete_current(project, team)
    project.refresh_from_db()
    assert project.status == "ditangguhkan" and open_run(project) is None
    with pytest.raises(PermissionDenied):
        services.resume_project(project, actor=kasie)
    run = services.resume_project(project, actor=kabid, reason="Anggaran perubahan disetujui")
    project.refresh_from_db()
    assert project.status == "berjalan"
    assert (run.step_number, run.round) == (6, 2)
    with pytest.raises(Conflict):
        services.resume_project(project, actor=kabid)


def test_suspended_project_refuses_claims_and_second_resume(project, team):
    walk_to(project, team, 6)
    complete_current(project, team, decision="tidak_tersedia", reason="SDM tidak ada")
    run7 = open_run(project)
    complete_current(project, team)
    with pytest.raises(Conflict) as caught:
        services.claim_step(run7, actor=team[1])
    assert caught.value.code == "step_not_open"


def test_decision_step_refuses_missing_or_unknown_decision(project, team):
    run = walk_to(project, team, 6)
    kabid = team[1]
    fields = {"hasil_pemeriksaan_ketersediaan": "Tersedia"}
    with pytest.raises(ValidationError, match="Keputusan wajib") as first:
        services.complete_step(run, actor=kabid, fields=fields)
    assert first.value.code == "decision_required"
    with pytest.raises(ValidationError) as second:
        services.complete_step(run, actor=kabid, fields=fields, decision="mungkin")
    assert second.value.code == "decision_invalid"


def test_bad_field_values_are_refused_with_codes(project, team):
    run = walk_to(project, team, 11)
    teknis = team[4]
    with pytest.raises(ValidationError) as unknown:
        services.complete_step(run, actor=teknis, decision="setuju", fields={"bukan": "x"})
    assert unknown.value.code == "unknown_field"
    with pytest.raises(ValidationError) as bad_number:
        services.complete_step(
            run,
            actor=teknis,
            decision="setuju",
            fields={"tanggapan_rencana": "ok", "durasi_pengembangan": "sepuluh"},
        )
    assert bad_number.value.code == "field_invalid"
    assert "durasi_pengembangan" in bad_number.value.data["fields"]


def test_step_12_due_date_comes_from_the_schedule_approved_at_step_11(project, team):
    walk_to(project, team, 11)
    complete_current(project, team, decision="setuju", extra_fields={"durasi_pengembangan": 40})
    run12 = open_run(project)
    assert run12.step_number == 12
    from django.utils import timezone

    from simpatik.core.workdays import working_days_between

    assert working_days_between(timezone.localdate(run12.opened_at), run12.due_date) == 40


def test_step_8_assigns_the_team_and_restricts_developer_steps_to_it(project, team, opd):
    from simpatik.testing.personas import make_user

    other_dev = make_user("dev2", ["pengembang"])
    run8 = walk_to(project, team, 8)
    kasie = team[2]
    services.complete_step(
        run8,
        actor=kasie,
        fields={"tim_pengembang": ["dev2"]},
    )
    run9 = open_run(project)
    pengembang = team[3]
    with pytest.raises(PermissionDenied):
        services.upload_document(run9, actor=pengembang, key="rencana_pengembangan", uploaded=pdf())
    services.upload_document(run9, actor=other_dev, key="rencana_pengembangan", uploaded=pdf())
    assert Project.objects.visible_to(other_dev).filter(pk=project.pk).exists()
    assert not Project.objects.visible_to(pengembang).filter(pk=project.pk).exists()


def test_claim_and_reassign_within_the_role_are_recorded(project, team):
    from simpatik.testing.personas import make_user

    kasie2 = make_user("kasie2", ["kasie"])
    run = walk_to(project, team, 3)
    kasie = team[2]
    services.claim_step(run, actor=kasie2)
    with pytest.raises(PermissionDenied) as caught:
        services.upload_document(run, actor=kasie, key="usulan_kebutuhan", uploaded=pdf())
    assert caught.value.code == "claimed_by_other"
    services.reassign_step(run, actor=kasie2, to_user=kasie, reason="Cuti")
    with pytest.raises(ValidationError):
        services.reassign_step(run, actor=kasie, to_user=team[0])
    services.upload_document(run, actor=kasie, key="usulan_kebutuhan", uploaded=pdf())
    record = AuditRecord.objects.get(action="project.step.reassigned")
    assert record.data == {"from": "kasie2", "to": "kasie"} and record.reason == "Cuti"


def test_a_completed_step_cannot_be_completed_again(project, team):
    run = open_run(project)
    complete_current(project, team)
    with pytest.raises(Conflict) as caught:
        services.complete_step(run, actor=team[0], fields={"rujukan_usulan": "x"})
    assert caught.value.code == "step_not_open"


def test_new_upload_of_same_item_is_a_new_version_and_old_one_stays(project, team):
    run, kabid = walk_to(project, team, 2), team[1]
    first = services.upload_document(
        run, actor=kabid, key="daftar_kebutuhan", uploaded=pdf(label="a")
    )
    second = services.upload_document(
        run,
        actor=kabid,
        key="daftar_kebutuhan",
        uploaded=pdf("../../etc/Surat Perintah (final).pdf", "b"),
    )
    assert (first.version, second.version) == (1, 2)
    assert second.name == "Surat Perintah _final.pdf"
    assert first.sha256 != second.sha256
    assert first.open().read() == sample_pdf("a")


def test_upload_is_checked_by_content_not_name(project, team):
    run, kabid = walk_to(project, team, 2), team[1]
    fake = SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 this is an executable", "application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.upload_document(run, actor=kabid, key="daftar_kebutuhan", uploaded=fake)
    assert caught.value.code == "file_type"
    png = SimpleUploadedFile(
        "foto.exe", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "application/x-msdownload"
    )
    document = services.upload_document(run, actor=kabid, key="daftar_kebutuhan", uploaded=png)
    assert (document.mime, document.name) == ("image/png", "foto.png")


def test_upload_over_the_size_limit_is_refused(project, team, settings):
    run = walk_to(project, team, 2)
    before = Document.objects.count()
    settings.SIMPATIK_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as caught:
        services.upload_document(run, actor=team[1], key="daftar_kebutuhan", uploaded=big)
    assert caught.value.code == "file_too_large"
    assert Document.objects.count() == before


def test_project_from_an_opd_need_prefills_step_1_and_marks_the_need(opd_user, kadis, opd, team):
    need = services.submit_need(
        actor=opd_user,
        judul="Aplikasi Cuti Online",
        latar_belakang="Cuti masih manual",
        nomor_surat="800/12/BKPSDM",
    )
    assert need.opd == opd and need.nomor.startswith("USL-")
    project = services.start_project(actor=kadis, nama=need.judul, opd=need.opd, need=need)
    run = open_run(project)
    assert run.values["rujukan_usulan"] == f"{need.nomor} 800/12/BKPSDM"
    assert Need.objects.get(pk=need.pk).status == "diproses"
    with pytest.raises(Conflict):
        services.start_project(actor=kadis, nama="lagi", opd=opd, need=need)


def test_needs_require_a_title_and_rejection_needs_a_reason(opd_user, kabid, outsider):
    with pytest.raises(ValidationError) as caught:
        services.submit_need(actor=opd_user, judul=" ", latar_belakang="x")
    assert caught.value.code == "field_required"
    with pytest.raises(PermissionDenied):
        services.submit_need(actor=outsider, judul="A", latar_belakang="B")
    need = services.submit_need(actor=opd_user, judul="A", latar_belakang="B")
    with pytest.raises(ValidationError):
        services.reject_need(need, actor=kabid, reason="")
    services.reject_need(need, actor=kabid, reason="Sudah ada aplikasi sejenis")
    assert Need.objects.get(pk=need.pk).status == "ditolak"


def test_audit_records_cannot_be_changed_or_deleted(project):
    record = AuditRecord.objects.filter(project=project).first()
    record.action = "lain"
    with pytest.raises(RuntimeError):
        record.save()
    with pytest.raises(RuntimeError):
        AuditRecord.objects.all().delete()


def test_versions_are_kept_per_project_after_a_revision(project, team):
    from django.conf import settings as dj_settings

    from simpatik.sop.services import load_definition

    text = dj_settings.SIMPATIK_SOP_DEFINITION.read_text().replace(
        "uraian: Membuat usulan kebutuhan aplikasi", "uraian: Menyusun usulan kebutuhan aplikasi"
    )
    revised = load_definition(text).version
    project.refresh_from_db()
    assert project.sop_version.version == 1
    assert project.definition.step(3).uraian == "Membuat usulan kebutuhan aplikasi"
    newer = services.start_project(actor=team[0], nama="Baru", opd=project.opd)
    assert newer.sop_version == revised
    assert newer.definition.step(3).uraian == "Menyusun usulan kebutuhan aplikasi"
    walk_to(project, team, 4)  # the old project still runs on its own version


def test_due_dates_skip_weekends_and_holidays():
    from simpatik.core.workdays import add_working_days, is_working_day, working_days_between

    # 2026-08-17 (Monday) is Independence Day: opened Friday the 14th, 1 working day is the 18th.
    assert not is_working_day(dt.date(2026, 8, 17))
    assert add_working_days(dt.date(2026, 8, 14), 1) == dt.date(2026, 8, 18)
    assert working_days_between(dt.date(2026, 8, 14), dt.date(2026, 8, 18)) == 1
    assert working_days_between(dt.date(2026, 8, 18), dt.date(2026, 8, 14)) == -1
    # March 2026 has Nyepi, Idul Fitri and cuti bersama: 17 working days in all.
    assert working_days_between(dt.date(2026, 2, 28), dt.date(2026, 3, 31)) == 17


def test_the_swimlane_shows_decision_labels_not_keys(project, team):
    from django.test import Client

    walk_to(project, team, 11)
    complete_current(project, team, decision="tidak_setuju", reason="Mockup kurang")
    client = Client()
    client.force_login(team[1])
    page = client.get(f"/proyek/{project.pk}/").content.decode()
    assert (
        "<em>Tidak setuju (susun ulang rencana)</em>" in page
        and "<em>tidak_setuju</em>" not in page
    )


def test_assigning_shows_each_persons_open_steps(project, team, opd, client):
    from simpatik.testing.personas import make_user

    kadis = team[0]
    busy = make_user("kadis2", ["kadis"], first_name="Budi", last_name="Sibuk")
    for nama in ("Aplikasi A", "Aplikasi B"):
        other = services.start_project(actor=kadis, nama=nama, opd=opd)
        services.claim_step(open_run(other), actor=busy)
    client.force_login(kadis)
    page = client.get(f"/proyek/{project.pk}/?langkah=1").content.decode()
    assert "Budi Sibuk (2 langkah terbuka)" in page
    assert f"{kadis.display_name} (0 langkah terbuka)" in page
