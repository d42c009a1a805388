"""/healthz checks the real PowerDNS when SIMPATIK publishes DNS through it."""

import pytest

from simpatik.testing.health import get_health


@pytest.mark.django_db
def test_healthz_checks_the_real_powerdns_when_it_is_configured(client, settings, powerdns):
    settings.SIMPATIK_DNS_PROVIDER = "powerdns"
    response = get_health(client, "/healthz?format=json")
    assert response.status_code == 200, response.content
    assert any(key.startswith("PowerDns") for key in response.json())
