import pytest
from django.test import Client

from simpatik.provisioning import services
from simpatik.testing import sopfile
from simpatik.testing.personas import make_user

PERSONAS = [
    *sopfile.ROLES,
    "opd_user",
    "other_opd_user",
    "outsider",
]
OPERATORS = sopfile.holders("kelola_penyediaan")


@pytest.fixture
def world(project, team, opd_user, outsider, other_opd, kasie, settings):
    settings.SIMPATIK_DNS_ZONE = "bolmutkab.go.id"
    subdomain = services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.0.0.1"
    )
    services.publish_subdomain(subdomain, actor=kasie)
    users = {u.username: u for u in team} | {
        "opd_user": opd_user,
        "outsider": outsider,
        "other_opd_user": make_user("dinkes", [], opd=other_opd),
    }
    return {"users": users, "subdomain": subdomain, "project": project}


@pytest.mark.parametrize("persona", PERSONAS)
def test_dns_pages(world, persona):
    client = Client()
    client.force_login(world["users"][persona])
    subdomain = world["subdomain"]
    sees = persona in sopfile.holders("lihat_semua_proyek") | {"opd_user"}
    assert client.get("/dns/").status_code == 200
    listed = "cuti.bolmutkab.go.id" in client.get("/dns/").content.decode()
    assert listed == sees
    assert client.get(f"/dns/{subdomain.pk}/").status_code == (200 if sees else 404)
    reads_zone = persona in sopfile.holders("lihat_semua_proyek")
    zone = client.get("/dns/zona.txt")
    assert zone.status_code == (200 if reads_zone else 403)
    if not reads_zone:  # the app's own page saying why, not a bare line of text
        assert "<main" in zone.content.decode() and "staf Diskominfo" in zone.content.decode()
    # The registry links the zone file only for whoever may open it.
    assert ('href="/dns/zona.txt"' in client.get("/dns/").content.decode()) == reads_zone
    withdraw = client.post(f"/dns/{subdomain.pk}/", {"confirm": "ya"})
    assert withdraw.status_code == (302 if persona in OPERATORS else 403 if sees else 404)
    retry = client.post(f"/proyek/{world['project'].pk}/repositori/ulang/")
    assert retry.status_code == (
        404 if sees else 404
    )  # no repository yet: nothing to retry for anyone


def test_withdrawal_without_confirmation_changes_nothing(world):
    client = Client()
    client.force_login(world["users"]["kasie"])
    response = client.post(f"/dns/{world['subdomain'].pk}/", {"reason": "dihentikan"})
    assert response.status_code == 400 and "dikonfirmasi" in response.content.decode()
    world["subdomain"].refresh_from_db()
    assert world["subdomain"].status == "terbit"
