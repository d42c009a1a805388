"""The inventory and the public catalogue page 50 applications at a time, in constant queries."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from simpatik.testing.lists import add_applications, queries_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/inventaris/", "/api/v1/applications/", "/katalog/"])
def test_inventory_lists_query_count_does_not_grow(client, kasie, opd, other_opd, url):
    client.force_login(kasie)
    add_applications(2, opd=opd, public=True)
    add_applications(1, opd=other_opd, public=True)
    few = queries_of(client, url)
    add_applications(14, opd=opd, public=True)
    add_applications(13, opd=other_opd, public=True)
    assert queries_of(client, url) <= few


def test_inventory_pages_50_and_the_rest_on_page_2(client, kasie, opd):
    add_applications(53, opd=opd, public=True)
    client.force_login(kasie)
    first = client.get("/inventaris/").content.decode()
    assert first.count('<tr><td><a href="/inventaris/') == 50 and "Halaman 1 dari 2" in first
    second = client.get("/inventaris/?page=2").content.decode()
    assert second.count('<tr><td><a href="/inventaris/') == 3
    public = Client().get("/katalog/?page=2").content.decode()
    assert "Halaman 2 dari 2" in public
    api = APIClient()
    api.force_authenticate(kasie)
    body = api.get("/api/v1/applications/").json()
    assert body["count"] == 53 and len(body["results"]) == 50
