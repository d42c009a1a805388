"""Drafts: what a person types into an open step is kept as typed, seen only by who may act."""

import pytest
from rest_framework.test import APIClient

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.projects import queries, services
from simpatik.projects.services.engine import save_draft
from simpatik.testing.walker import walk_to


def drafts(project):
    return AuditRecord.objects.filter(project=project, action="project.step.draft_saved")


def test_a_draft_is_kept_restored_and_an_unchanged_autosave_writes_nothing(project, team):
    kasie = team[2]
    run = walk_to(project, team, 5)
    save_draft(run, actor=kasie, fields={"analisis_kebutuhan": "Cuti daring untuk 900 ASN"})
    save_draft(run, actor=kasie, fields={"analisis_kebutuhan": "Cuti daring untuk 900 ASN"})
    run.refresh_from_db()
    assert queries.draft_for(run, kasie)["fields"] == {
        "analisis_kebutuhan": "Cuti daring untuk 900 ASN"
    }
    assert run.values["analisis_kebutuhan"] == "Cuti daring untuk 900 ASN"
    assert drafts(project).count() == 1
    # The step completes with what the draft holds; the draft is then spent.
    save_draft(
        run,
        actor=kasie,
        fields={
            "analisis_aplikasi_sejenis": "Belum ada",
            "analisis_integrasi": "SIMPEG",
            "analisis_sumber_daya": "1 server",
            "inventaris_aplikasi": "Daftar 2026",
        },
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from simpatik.testing.walker import sample_pdf

    for key in ("dokumen_analisis",):  # daftar_kebutuhan is step 4's Output, read here
        services.upload_document(
            run,
            actor=kasie,
            key=key,
            uploaded=SimpleUploadedFile(f"{key}.pdf", sample_pdf(key), "application/pdf"),
        )
    services.complete_step(run, actor=kasie)
    run.refresh_from_db()
    assert run.status == "selesai" and run.draft == {}
    assert run.values["analisis_integrasi"] == "SIMPEG"


def test_an_invalid_draft_value_is_kept_as_typed_flagged_and_never_completes(project, team):
    teknis = team[4]
    run = walk_to(project, team, 16, decisions={11: "setuju", 15: "diterima"})
    typed = {"subdomain": "Cuti Online!", "isi_rekaman": "10.10.1.20", "server_hosting": "S1"}
    save_draft(run, actor=teknis, fields=typed)
    run.refresh_from_db()
    draft = queries.draft_for(run, teknis)
    assert draft["fields"] == typed
    assert (
        set(draft["errors"]) == {"subdomain"} and "bukan nama DNS" in draft["errors"]["subdomain"]
    )
    assert "subdomain" not in run.values and run.values["isi_rekaman"] == "10.10.1.20"
    with pytest.raises(ValidationError) as caught:
        services.complete_step(run, actor=teknis, fields={"tipe_rekaman": "A"})
    assert caught.value.code == "field_invalid" and set(caught.value.data["fields"]) == {
        "subdomain"
    }
    run.refresh_from_db()
    assert run.status == "berjalan" and run.draft["subdomain"] == "Cuti Online!"


def test_a_draft_that_cannot_be_kept_is_refused_whole(project, kadis):
    run = queries.open_run_of(project, 1)
    for fields, code in [
        ({"rujukan_usulan": "a\x00b"}, "draft_invalid"),
        ({"rujukan_usulan": {"deep": {"deeper": 1}}}, "draft_invalid"),
        ({"rujukan_usulan": "x" * 30000}, "draft_invalid"),
        ({"bukan_isian": "x"}, "unknown_field"),
        (["rujukan_usulan"], "invalid_fields"),
    ]:
        with pytest.raises(ValidationError) as caught:
            save_draft(run, actor=kadis, fields=fields)
        assert caught.value.code == code
    run.refresh_from_db()
    assert run.draft == {} and not drafts(project).exists()


def test_only_who_may_act_sees_the_draft_others_see_completed_values(project, team):
    kadis, kabid = team[0], team[1]
    run = queries.open_run_of(project, 1)
    save_draft(run, actor=kadis, fields={"rujukan_usulan": "Surat 005/BKPSDM"})
    with pytest.raises(PermissionDenied):
        queries.draft_for(run, kabid)
    with pytest.raises(PermissionDenied):
        save_draft(run, actor=kabid, fields={"rujukan_usulan": "Lain"})

    def value(user):
        detail = queries.step_detail(project, 1, user)
        return next(r["value"] for r in detail["requirements"] if r["key"] == "rujukan_usulan")

    assert value(kadis) == "Surat 005/BKPSDM"
    assert value(kabid) is None
    walk_to(project, team, 2)
    assert value(kabid) == "Surat 005/BKPSDM"


def test_api_draft_get_and_put(project, team, outsider):
    kadis, kabid = team[0], team[1]
    url = f"/api/v1/projects/{project.pk}/steps/1/draft/"
    client = APIClient()
    client.force_authenticate(kadis)
    assert client.get(url).json() == {
        "fields": {},
        "errors": {},
        "saved_at": None,
        "decision": "",
        "reason": "",
    }
    put = client.put(url, {"fields": {"rujukan_usulan": "Surat 7"}}, format="json")
    assert put.status_code == 200 and put.json()["fields"] == {"rujukan_usulan": "Surat 7"}
    assert client.get(url).json()["fields"] == {"rujukan_usulan": "Surat 7"}
    # PUT replaces the whole draft.
    assert client.put(url, {"fields": {}}, format="json").json()["fields"] == {}
    for body, code in [
        ({"fields": ["x"]}, "invalid"),
        ({}, "invalid"),
        ({"fields": {"nope": "x"}}, "unknown_field"),
        ({"fields": {"rujukan_usulan": [[["deep"]]]}}, "draft_invalid"),
    ]:
        response = client.put(url, body, format="json")
        assert (response.status_code, response.json()["code"]) == (400, code)
        assert response.json()["detail"]
    other = APIClient()
    other.force_authenticate(kabid)
    assert other.get(url).status_code == 403
    refused = other.put(url, {"fields": {"rujukan_usulan": "x"}}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "wrong_role")
    stranger = APIClient()
    stranger.force_authenticate(outsider)
    assert stranger.get(url).status_code == 404
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"get", "put"} <= set(schema["paths"]["/api/v1/projects/{id}/steps/{number}/draft/"])


def test_missing_inputs_and_missing_outputs_are_told_apart(project, team):
    pengembang = team[3]
    run = walk_to(project, team, 10)
    with pytest.raises(ValidationError) as caught:
        services.complete_step(run, actor=pengembang, fields={"aplikasi_sejenis_dibangun": "x"})
    message = caught.value.message
    assert message.startswith("Kelengkapan belum lengkap: Mockup, Alur bisnis, Jadwal pengerjaan.")
    # The berita acara itself is made by the completion; what it needs is typed at this step.
    assert "Output belum dibuat: Daftar hadir presentasi" in message
    groups = {item["key"]: item["group"] for item in caught.value.data["missing"]}
    assert groups["mockup"] == "kelengkapan" and groups["daftar_hadir_rencana"] == "hasil"


def test_a_returned_step_says_who_returned_it_when_and_why(project, team):
    teknis, pengembang = team[4], team[3]
    walk_to(project, team, 11)
    from simpatik.testing.walker import complete_current

    complete_current(project, team, decision="tidak_setuju", reason="Mockup belum sesuai standar")
    run9 = queries.open_run_of(project, 9)
    detail = queries.step_detail(project, 9, pengembang)
    returned = detail["returned"]
    assert returned["by_username"] == teknis.username
    assert returned["reason"] == "Mockup belum sesuai standar"
    assert returned["from_step"] == 11 and returned["decision_label"].startswith("Tidak setuju")
    plan = next(r for r in detail["requirements"] if r["key"] == "rencana_pengembangan")
    assert plan["needs_new_version"] and plan["document"]["version"] == 1
    assert [run.returned["reason"] for run in queries.tasks_for(pengembang)] == [
        "Mockup belum sesuai standar"
    ]
    with pytest.raises(ValidationError) as caught:
        services.complete_step(run9, actor=pengembang)
    assert caught.value.message == (
        "Output belum dibuat: Rencana pengembangan aplikasi (perlu versi baru pada putaran ini)."
    )
    # A first round is not a return.
    assert queries.step_detail(project, 8, pengembang)["returned"] is None


@pytest.mark.parametrize("typed", ["1e2", "５", "١٢", "0x10", "12 hari", "Infinity", "NaN"])
def test_a_number_field_takes_only_the_digits_0_to_9(sop, typed):
    """Decimal alone took "1e2" as 100 (a schedule of 100 working days) and "５" as 5."""
    from simpatik.projects.services.rules import clean_field

    item = sop.definition.step(11).requirement("durasi_pengembangan")
    with pytest.raises(ValueError, match="angka 0-9"):
        clean_field(item, typed)


@pytest.mark.parametrize(
    "typed, kept", [("12", 12), (" 40 ", 40), ("2,5", 2.5), (30, 30), (7.5, 7.5)]
)
def test_a_number_field_takes_digits_with_a_decimal_comma_or_point(sop, typed, kept):
    from simpatik.projects.services.rules import clean_field

    item = sop.definition.step(11).requirement("durasi_pengembangan")
    assert clean_field(item, typed) == kept


def test_working_days_a_later_step_counts_are_whole_and_a_long_number_says_its_bound(project):
    """Step 12's Waktu is read from step 11's schedule: "2,5" was taken and counted as 2 days;
    41 digits 0-9 were told they were no digits 0-9."""
    from simpatik.projects.services.rules import clean_field

    item = project.definition.step(11).requirement("durasi_pengembangan")
    with pytest.raises(ValueError, match="bilangan bulat"):
        clean_field(item, "2,5", project)
    assert clean_field(item, "25", project) == 25
    with pytest.raises(ValueError, match="paling banyak 260"):
        clean_field(item, "9" * 41, project)
    with pytest.raises(ValueError, match="bilangan bulat dengan angka 0-9"):
        clean_field(item, "sepuluh", project)
    with pytest.raises(ValueError, match="9 angka di belakang koma"):
        clean_field(item, "1,1234567890", project)


def test_a_decision_and_its_reason_are_kept_with_the_draft_until_the_step_completes(
    client, project, team
):
    """The page said "Draf tersimpan" while a chosen decision and a typed reason were lost on
    reload; they are now kept as typed (an unknown choice as none) and spent on completion."""
    kabid = team[1]
    run = walk_to(project, team, 6)
    client.force_login(kabid)
    url = f"/proyek/{project.pk}/langkah/6/draf/"
    reason = "Anggaran APBD 2026 belum tersedia; menunggu APBD-P."
    posted = {
        "hasil_pemeriksaan_ketersediaan": "Server ada, anggaran belum",
        "decision": "tidak_tersedia",
        "reason": reason,
    }
    assert client.post(url, posted).status_code == 302
    page = client.get(f"/proyek/{project.pk}/").content.decode()
    assert 'value="tidak_tersedia" checked' in page and 'value="tersedia" checked' not in page
    assert f">{reason}</textarea>" in page
    # The decision and its reason say what they are about, as the SOP words them.
    assert "Keputusan: Ketersediaan infrastruktur, SDM dan anggaran</strong></legend>" in page
    assert ">Alasan (wajib untuk: Tidak tersedia)</label>" in page
    record = drafts(project).latest("id")
    assert record.data["decision"] == "tidak_tersedia" and record.data["alasan"] == reason
    # A value that is no option of the step is kept as no choice; the reason as typed.
    client.post(url, {**posted, "decision": "entah"})
    run.refresh_from_db()
    assert (run.draft_decision, run.draft_reason) == ("", reason)
    # The step completes with the decision sent; the kept choice is then spent.
    services.complete_step(run, actor=kabid, decision="tidak_tersedia", reason=reason)
    run.refresh_from_db()
    assert (run.status, run.draft_decision, run.draft_reason) == ("selesai", "", "")


def test_the_history_leaves_draft_saves_out_unless_asked(client, project, team):
    """Dozens of autosaves hid a project's real events; they stay in the trail, shown on request."""
    kasie = team[2]
    run = walk_to(project, team, 5)
    for text in ("Cuti", "Cuti daring", "Cuti daring untuk ASN"):
        save_draft(run, actor=kasie, fields={"analisis_kebutuhan": text})
    client.force_login(kasie)
    page = client.get(f"/proyek/{project.pk}/riwayat/").content.decode()
    assert "menyimpan draf" not in page and "menyelesaikan langkah 4" in page
    assert "3 penyimpanan draf tidak ditampilkan." in page and 'href="?draf=1"' in page
    shown = client.get(f"/proyek/{project.pk}/riwayat/?draf=1").content.decode()
    assert shown.count("menyimpan draf langkah 5") == 3 and "Termasuk 3 penyimpanan draf." in shown
    assert drafts(project).count() == 3  # nothing is dropped from the trail
