"""Every page and endpoint as every persona: 200 where allowed, 403 where not, 404 out of scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from simpatik.projects import services
from simpatik.testing import sopfile
from simpatik.testing.personas import make_user
from simpatik.testing.walker import complete_current, sample_pdf

PERSONAS = [
    *sopfile.ROLES,
    "opd_user",
    "other_opd_user",
    "outsider",
]
OVERSIGHT = sopfile.holders("lihat_semua_proyek")
STARTERS = sopfile.holders("mulai_proyek")
REGISTRARS = sopfile.holders("catat_usulan")
DECIDERS = sopfile.holders("putuskan_usulan")


@pytest.fixture
def world(team, opd_user, outsider, other_opd, kadis, opd):
    other = make_user("dinkes", [], opd=other_opd, password="rahasia-123")
    need = services.submit_need(actor=opd_user, judul="Aplikasi Cuti", latar_belakang="Manual")
    # A document of the same OPD: the Surat Perintah another project's step 1 issued.
    earlier = services.start_project(actor=kadis, nama="Aplikasi Lain", opd=opd)
    complete_current(earlier, team)
    document = earlier.documents.get(key="surat_perintah")
    project = services.start_project(actor=kadis, nama="Aplikasi Cuti", opd=opd)
    users = {u.username: u for u in team}
    users.update({"opd_user": opd_user, "other_opd_user": other, "outsider": outsider})
    return {"users": users, "need": need, "project": project, "document": document}


def web(world, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(world["users"][persona])
    return client


def sees_project(persona):
    return persona in OVERSIGHT or persona == "opd_user"


@pytest.mark.parametrize("persona", PERSONAS)
def test_read_pages(world, persona):
    client = web(world, persona)
    project, need, document = world["project"], world["need"], world["document"]
    assert client.get("/tugas/").status_code == 200
    assert client.get("/usulan/").status_code == 200
    assert client.get("/proyek/").status_code == 200
    seen = 200 if sees_project(persona) else 404
    assert client.get(f"/proyek/{project.pk}/").status_code == seen
    assert client.get(f"/proyek/{project.pk}/riwayat/").status_code == seen
    assert client.get(f"/proyek/{project.pk}/?langkah=11").status_code == seen
    assert client.get(f"/dokumen/{document.pk}/").status_code == seen
    need_seen = 200 if persona in OVERSIGHT | {"opd_user"} else 404
    assert client.get(f"/usulan/{need.pk}/").status_code == need_seen


@pytest.mark.parametrize("persona", PERSONAS)
def test_forms_are_only_for_those_who_may_submit_them(world, persona):
    client = web(world, persona)
    may_propose = persona in REGISTRARS | {"opd_user", "other_opd_user"}
    assert client.get("/usulan/baru/").status_code == (200 if may_propose else 403)
    assert client.get("/proyek/baru/").status_code == (200 if persona in STARTERS else 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_step_actions(world, persona):
    client = web(world, persona)
    project = world["project"]
    # Step 1's only document is generated: an upload is refused (400) to the one who may act.
    upload = client.post(
        f"/proyek/{project.pk}/langkah/1/unggah/",
        {"key": "surat_perintah", "file": SimpleUploadedFile("a.pdf", sample_pdf("a"))},
    )
    complete = client.post(f"/proyek/{project.pk}/langkah/1/selesai/", {"rujukan_usulan": ""})
    claim = client.post(f"/proyek/{project.pk}/langkah/1/ambil/")
    if persona == sopfile.FIRST_STEP_ROLE:
        assert (upload.status_code, complete.status_code, claim.status_code) == (400, 400, 302)
    elif sees_project(persona):
        assert (upload.status_code, complete.status_code, claim.status_code) == (403, 403, 403)
    else:
        assert (upload.status_code, complete.status_code, claim.status_code) == (404, 404, 404)
    resume = client.post(f"/proyek/{project.pk}/lanjutkan/")
    assert resume.status_code == (409 if sees_project(persona) else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_need_decisions(world, persona):
    client = web(world, persona)
    need = world["need"]
    response = client.post(f"/usulan/{need.pk}/", {"action": "reject", "reason": "Sudah ada"})
    if persona in DECIDERS:
        assert response.status_code == 302
    elif persona in OVERSIGHT | {"opd_user"}:
        assert response.status_code == 403
    else:
        assert response.status_code == 404


def test_anonymous_is_sent_to_login(world):
    client = Client()
    for path in ["/", "/tugas/", "/usulan/", "/proyek/", f"/proyek/{world['project'].pk}/"]:
        response = client.get(path)
        assert response.status_code == 302 and "/masuk/" in response["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_endpoints(world, persona):
    client = APIClient()
    client.force_authenticate(world["users"][persona])
    project = world["project"]
    seen = 200 if sees_project(persona) else 404
    assert client.get("/api/v1/projects/").status_code == 200
    assert client.get("/api/v1/needs/").status_code == 200
    assert client.get("/api/v1/tasks/").status_code == 200
    assert client.get("/api/v1/sop/").status_code == 200
    assert client.get(f"/api/v1/projects/{project.pk}/").status_code == seen
    assert client.get(f"/api/v1/projects/{project.pk}/steps/1/").status_code == seen
    assert client.get(f"/api/v1/projects/{project.pk}/history/").status_code == seen
    complete = client.post(f"/api/v1/projects/{project.pk}/steps/1/complete/", {}, format="json")
    expected = 400 if persona == sopfile.FIRST_STEP_ROLE else 403 if sees_project(persona) else 404
    assert complete.status_code == expected
    created = client.post("/api/v1/projects/", {"nama": "X", "opd": project.opd_id}, format="json")
    assert created.status_code == (201 if persona in STARTERS else 403)
    listed = {p["id"] for p in client.get("/api/v1/projects/").json()["results"]}
    assert (project.pk in listed) == sees_project(persona)
