"""Work belongs to the step that made it: later steps read earlier Outputs and never write them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from simpatik.core.errors import ValidationError
from simpatik.projects import services
from simpatik.projects.models import Document
from simpatik.projects.queries import step_detail
from simpatik.testing.walker import complete_current, open_run, sample_pdf, walk_to


def pdf(label="x"):
    return SimpleUploadedFile(f"{label}.pdf", sample_pdf(label), "application/pdf")


def test_the_definition_knows_who_makes_each_item_and_where_it_is_only_read(sop):
    definition = sop.definition
    assert definition.producers["dokumen_analisis"] == (5,)
    assert definition.sources[6] == {"dokumen_analisis": 5}
    assert definition.sources[12] == {"durasi_pengembangan": 11}
    # The OPD's list is an outside input at step 2; step 4's update is a new version of it.
    assert definition.writable(2, "daftar_kebutuhan") and definition.writable(4, "daftar_kebutuhan")
    assert definition.sources[5] == {"daftar_kebutuhan": 4}
    # Inputs no step produces are supplied at the step that asks for them.
    assert all(definition.writable(n, k) for n, k in [(10, "mockup"), (14, "paket_instalasi")])
    assert definition.sources is definition.sources  # computed once per definition


def test_a_later_role_cannot_upload_a_new_version_of_an_earlier_output(project, team):
    run6 = walk_to(project, team, 6)
    kabid = team[1]
    before = list(Document.objects.filter(project=project).values_list("pk", flat=True))
    with pytest.raises(ValidationError) as caught:
        services.upload_document(run6, actor=kabid, key="dokumen_analisis", uploaded=pdf())
    assert caught.value.code == "output_of_other_step"
    assert "langkah 5" in caught.value.message
    assert list(Document.objects.filter(project=project).values_list("pk", flat=True)) == before
    detail = step_detail(project, 5, kabid)
    analysis = next(r for r in detail["requirements"] if r["key"] == "dokumen_analisis")
    assert analysis["document"]["version"] == 1


def test_a_later_role_cannot_rewrite_an_earlier_field_in_draft_or_completion(project, team):
    run3 = walk_to(project, team, 3)
    kasie = team[2]
    for write in (
        lambda f: services.engine.save_draft(run3, actor=kasie, fields=f),
        lambda f: services.complete_step(run3, actor=kasie, fields=f),
    ):
        with pytest.raises(ValidationError) as caught:
            write({"hasil_pemeriksaan_kebutuhan": "Teks baru dari Kasie"})
        assert caught.value.code == "output_of_other_step"
    run3.refresh_from_db()
    assert "hasil_pemeriksaan_kebutuhan" not in run3.values


def test_the_approved_schedule_is_frozen_for_the_developer(project, team):
    run12 = walk_to(project, team, 12)
    with pytest.raises(ValidationError) as caught:
        services.complete_step(run12, actor=team[3], fields={"durasi_pengembangan": 400})
    assert caught.value.code == "frozen_by_approval"
    assert "langkah 11" in caught.value.message and "Setuju" in caught.value.message


def test_the_approved_plan_is_frozen_for_the_steps_that_read_it(project, team):
    run17 = walk_to(project, team, 17)  # step 17 reads the plan approved at 11
    with pytest.raises(ValidationError) as caught:
        services.upload_document(run17, actor=team[1], key="rencana_pengembangan", uploaded=pdf())
    assert caught.value.code == "frozen_by_approval"
    assert "langkah 11" in caught.value.message and "Setuju" in caught.value.message
    assert Document.objects.filter(project=project, key="rencana_pengembangan").count() == 1


def test_a_new_round_of_the_producing_step_makes_a_new_version_and_both_stay(project, team):
    walk_to(project, team, 11)
    complete_current(project, team, decision="tidak_setuju", reason="Rencana kurang rinci")
    run9 = open_run(project)
    assert (run9.step_number, run9.round) == (9, 2)
    services.upload_document(run9, actor=team[3], key="rencana_pengembangan", uploaded=pdf("v2"))
    versions = list(
        Document.objects.filter(project=project, key="rencana_pengembangan")
        .order_by("version")
        .values_list("version", "step_run__round")
    )
    assert versions == [(1, 1), (2, 2)]
    walk_to(project, team, 12)  # 10 and 11 again; the plan approved is version 2
    detail = step_detail(project, 9, team[3])
    plan = next(r for r in detail["requirements"] if r["key"] == "rencana_pengembangan")
    assert plan["document"]["version"] == 2


def test_the_schedule_is_bounded_by_the_sop(project, team):
    run11 = walk_to(project, team, 11)
    for days, message in ((0, "paling sedikit 1"), (261, "paling banyak 260")):
        with pytest.raises(ValidationError) as caught:
            services.complete_step(
                run11,
                actor=team[4],
                decision="setuju",
                fields={"tanggapan_rencana": "Baik", "durasi_pengembangan": days},
            )
        assert caught.value.code == "field_invalid" and message in caught.value.message


def test_web_refuses_an_upload_of_an_earlier_output_and_hides_its_upload_control(project, team):
    walk_to(project, team, 6)
    client = Client()
    client.force_login(team[1])
    page = client.get(f"/proyek/{project.pk}/?langkah=6")
    html = page.content.decode()
    assert 'id="file-dokumen_analisis"' not in html and "dari langkah 5" in html
    response = client.post(
        f"/proyek/{project.pk}/langkah/6/unggah/", {"key": "dokumen_analisis", "file": pdf()}
    )
    assert response.status_code == 400
    assert "hasil langkah 5" in response.content.decode()
    assert Document.objects.filter(project=project, key="dokumen_analisis").count() == 1


def test_web_refuses_a_field_of_an_earlier_step_and_shows_no_input_for_it(project, team):
    walk_to(project, team, 3)
    client = Client()
    client.force_login(team[2])
    html = client.get(f"/proyek/{project.pk}/?langkah=3").content.decode()
    assert 'name="hasil_pemeriksaan_kebutuhan"' not in html
    response = client.post(
        f"/proyek/{project.pk}/langkah/3/selesai/", {"hasil_pemeriksaan_kebutuhan": "Ditimpa"}
    )
    assert response.status_code == 400 and "hasil langkah 2" in response.content.decode()


def test_api_refuses_writing_earlier_outputs_with_a_code(project, team):
    walk_to(project, team, 6)
    client = APIClient()
    client.force_authenticate(team[1])
    base = f"/api/v1/projects/{project.pk}/steps/6"
    detail = client.get(f"{base}/").json()
    analysis = next(r for r in detail["requirements"] if r["key"] == "dokumen_analisis")
    assert analysis["writable"] is False and analysis["from_step"] == 5
    upload = client.post(
        f"{base}/documents/", {"key": "dokumen_analisis", "file": pdf()}, format="multipart"
    )
    assert upload.status_code == 400 and upload.json()["code"] == "output_of_other_step"
    walk_to(project, team, 12)
    client.force_authenticate(team[3])
    done = client.post(
        f"/api/v1/projects/{project.pk}/steps/12/complete/",
        {"fields": {"durasi_pengembangan": 5}},
        format="json",
    )
    assert done.status_code == 400 and done.json()["code"] == "frozen_by_approval"
