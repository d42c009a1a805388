"""Letter pages as every persona: project scope for the record, public for verification."""

import pytest
from django.test import Client

from simpatik.letters.tests.helpers import issue_current
from simpatik.testing.personas import make_user

PERSONAS = [
    "kadis",
    "kabid",
    "kasie",
    "pengembang",
    "teknis",
    "opd_user",
    "other_opd_user",
    "outsider",
    "anonymous",
]
SEES = {"kadis", "kabid", "kasie", "teknis", "opd_user"}


@pytest.fixture
def world(project, team, opd_user, outsider, other_opd):
    users = {u.username: u for u in team}
    users.update(
        {
            "opd_user": opd_user,
            "outsider": outsider,
            "other_opd_user": make_user("dinkes", [], opd=other_opd),
        }
    )
    return {"users": users, "letter": issue_current(project, team)[0], "project": project}


def _client(world, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(world["users"][persona])
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_letter_pages(world, persona):
    client = _client(world, persona)
    letter, project = world["letter"], world["project"]
    expected = 200 if persona in SEES else 302 if persona == "anonymous" else 404
    assert client.get(f"/proyek/{project.pk}/naskah/").status_code == expected
    assert client.get(f"/naskah/{letter.pk}/unduh/").status_code == expected
    # Public: verification, the CA certificate and the SOP itself.
    assert client.get(f"/verifikasi/{letter.verification_code}/").status_code == 200
    assert client.get("/pki/ca.pem").status_code == 200
    assert client.get(f"/sop/{project.sop_version_id}/dokumen/").status_code == 200
    assert client.get("/sop/").status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_issuing_and_correcting(world, persona):
    client = _client(world, persona)
    letter, project = world["letter"], world["project"]
    issue = client.post(f"/proyek/{project.pk}/langkah/1/terbitkan/", {"key": "surat_perintah"})
    correct = client.post(f"/naskah/{letter.pk}/koreksi/", {"reason": "Salah ketik"})
    if persona == "kadis":
        assert (issue.status_code, correct.status_code) == (302, 302)
    elif persona in SEES:
        assert (issue.status_code, correct.status_code) == (403, 403)
        assert not letter.__class__.objects.filter(replaces=letter).exists()
    elif persona == "anonymous":
        assert (issue.status_code, correct.status_code) == (302, 302)
        assert "/masuk/" in issue["Location"]
    else:
        assert (issue.status_code, correct.status_code) == (404, 404)
