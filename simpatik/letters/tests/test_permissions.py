"""Letter pages as every persona: project scope for the record, public for verification."""

import pytest
from django.test import Client

from simpatik.letters.tests.helpers import complete_with_letters
from simpatik.testing import sopfile
from simpatik.testing.personas import make_user

PERSONAS = [
    *sopfile.ROLES,
    "opd_user",
    "other_opd_user",
    "outsider",
    "anonymous",
]
SEES = sopfile.holders("lihat_semua_proyek") | {"opd_user"}


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
    letter = complete_with_letters(project, team)[0]
    return {"users": users, "letter": letter, "project": project}


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
def test_previewing_and_correcting(world, persona):
    """Only the open step's role previews its draft; only the step's role corrects its letter."""
    client = _client(world, persona)
    letter, project = world["letter"], world["project"]
    # Step 2 is open (Kabid): its Output is not generated; step 1's draft is gone with the step.
    preview = client.get(f"/proyek/{project.pk}/langkah/1/pratinjau/surat_perintah/")
    correct = client.post(f"/naskah/{letter.pk}/koreksi/", {"reason": "Salah ketik"})
    sign = client.post(f"/naskah/{letter.pk}/tandatangani/", {})
    if persona == sopfile.FIRST_STEP_ROLE:
        assert (preview.status_code, correct.status_code) == (409, 302)
        assert letter.__class__.objects.filter(replaces=letter).exists()
    elif persona in SEES:
        assert (preview.status_code, correct.status_code) == (409, 403)
        assert not letter.__class__.objects.filter(replaces=letter).exists()
    elif persona == "anonymous":
        assert (preview.status_code, correct.status_code) == (302, 302)
        assert "/masuk/" in correct["Location"]
    else:
        assert (preview.status_code, correct.status_code) == (404, 404)
    assert sign.status_code in (302, 404)  # nothing waits: a message on the letters page


@pytest.mark.parametrize("persona", PERSONAS)
def test_draft_preview_of_the_open_step(project, team, opd_user, outsider, persona):
    users = {u.username: u for u in team} | {"opd_user": opd_user, "outsider": outsider}
    users["other_opd_user"] = outsider
    client = Client()
    if persona != "anonymous":
        client.force_login(users[persona])
    response = client.get(f"/proyek/{project.pk}/langkah/1/pratinjau/surat_perintah/")
    if persona == sopfile.FIRST_STEP_ROLE:
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    elif persona in SEES:
        assert response.status_code == 403
    elif persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 404
