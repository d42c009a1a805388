"""Every inventory page and endpoint as every persona."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from simpatik.testing import sopfile
from simpatik.testing.personas import make_user

PERSONAS = [
    *sopfile.ROLES,
    "opd_user",
    "other_opd_user",
    "outsider",
]
EDITORS = sopfile.holders("kelola_inventaris")
SEES_ALL = sopfile.holders("lihat_inventaris")


@pytest.fixture
def people(team, opd_user, outsider, opds):
    users = {u.username: u for u in team}
    users.update(
        {
            "opd_user": opd_user,
            "outsider": outsider,
            "other_opd_user": make_user("dinkes", [], opd=opds["dinkes"]),
        }
    )
    return users


def sees(persona, app_opd):
    own = {"opd_user": "bkpsdm", "other_opd_user": "dinkes"}
    return persona in SEES_ALL or own.get(persona) == app_opd


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages(people, inventory, persona):
    client = Client()
    client.force_login(people[persona])
    simpeg = inventory["SIMPEG"]
    assert client.get("/inventaris/").status_code == 200
    assert client.get("/inventaris/sejenis/?q=kepegawaian").status_code == 200
    assert client.get("/inventaris/ringkasan/").status_code == 200
    assert client.get("/inventaris/ekspor.csv").status_code == 200
    assert client.get(f"/inventaris/{simpeg.pk}/").status_code == (
        200 if sees(persona, "bkpsdm") else 404
    )
    assert client.get(f"/inventaris/{inventory['SIMPUS'].pk}/").status_code == (
        200 if sees(persona, "dinkes") else 404
    )
    editor = persona in EDITORS
    assert client.get("/inventaris/baru/").status_code == (200 if editor else 403)
    assert client.get("/inventaris/impor/").status_code == (200 if editor else 403)
    # The keeper check comes first: a non-keeper learns nothing about which records exist.
    assert client.get(f"/inventaris/{simpeg.pk}/ubah/").status_code == (200 if editor else 403)
    archive = client.post(f"/inventaris/{simpeg.pk}/arsip/", {"reason": "uji"}).status_code
    assert archive == (302 if editor else 403 if sees(persona, "bkpsdm") else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_exports_hold_only_what_the_user_may_see(people, inventory, persona):
    client, api = Client(), APIClient()
    client.force_login(people[persona])
    api.force_authenticate(people[persona])
    body = client.get("/inventaris/ekspor.json").json()
    spbe_page = client.get("/inventaris/katalog-spbe.json").json()["aplikasi"]
    spbe_api = api.get("/api/v1/applications/katalog-spbe/").json()["aplikasi"]
    names = {row["nama"] for row in body}
    # The SPBE catalogue holds exactly what the plain export does, by page and by API.
    assert {row["nama"] for row in spbe_page} == names == {row["nama"] for row in spbe_api}
    if persona in SEES_ALL:
        assert len(names) == len(inventory)
    elif persona == "opd_user":
        assert names == {"Sistem Informasi Manajemen Kepegawaian", "E-Kinerja", "Absensi Online"}
    elif persona == "other_opd_user":
        assert names == {"Sistem Informasi Manajemen Puskesmas", "Antrean Online RSUD"}
    else:
        assert names == set()


@pytest.mark.parametrize("persona", PERSONAS)
def test_api(people, inventory, persona, opds):
    client = APIClient()
    client.force_authenticate(people[persona])
    simpeg = inventory["SIMPEG"]
    assert client.get("/api/v1/applications/").status_code == 200
    assert client.get(f"/api/v1/applications/{simpeg.pk}/").status_code == (
        200 if sees(persona, "bkpsdm") else 404
    )
    patch = client.patch(f"/api/v1/applications/{simpeg.pk}/", {"url": "https://x"}, format="json")
    assert patch.status_code == (
        200 if persona in EDITORS else 403 if sees(persona, "bkpsdm") else 404
    )
    created = client.post(
        "/api/v1/applications/", {"nama": f"Baru {persona}", "opd": opds["setda"].pk}, format="json"
    )
    assert created.status_code == (201 if persona in EDITORS else 403)
    similar = client.get("/api/v1/applications/similar/?q=kepegawaian")
    assert similar.status_code == 200
    ids = [row["id"] for row in similar.json()]
    assert (simpeg.pk in ids) == sees(persona, "bkpsdm")


def test_anonymous_gets_login_for_inventory_and_the_catalogue_for_free(inventory):
    client = Client()
    assert client.get("/inventaris/").status_code == 302
    assert client.get("/katalog/").status_code == 200
    assert APIClient().get("/api/v1/applications/").status_code == 401


def test_import_through_the_pages_previews_then_writes(people, inventory):
    from simpatik.inventory.models import Application
    from simpatik.inventory.tests.test_import import messy_workbook

    client = Client()
    client.force_login(people["kasie"])
    upload = client.post(
        "/inventaris/impor/", {"file": SimpleUploadedFile("inv.xlsx", messy_workbook())}
    )
    assert upload.status_code == 302
    preview = client.get(upload["Location"])
    assert preview.status_code == 200
    page = preview.content.decode()
    assert 'data-row="8" data-status="error"' in page and "Dinas Pariwisata" in page
    assert not Application.objects.filter(nama="Aplikasi Gizi Balita").exists()
    # Saving carries the fingerprint of the preview the person saw.
    seen = {
        "action": "import",
        "fingerprint": re.search(r'name="fingerprint" value="(\w+)"', page)[1],
    }
    refused = client.post(upload["Location"], seen)
    assert (
        refused.status_code == 400
        and not Application.objects.filter(nama="Aplikasi Gizi Balita").exists()
    )
    done = client.post(upload["Location"], {**seen, "mode": "valid_only"})
    assert done.status_code == 302
    assert Application.objects.filter(nama="Aplikasi Gizi Balita").exists()
