"""The subdomain register pages 50 names at a time, in the same queries for 3 or 30."""

import pytest
from rest_framework.test import APIClient

from simpatik.testing.lists import add_applications, add_projects, add_subdomains, queries_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/dns/", "/api/v1/subdomains/"])
def test_subdomain_lists_query_count_does_not_grow(client, team, opd, url):
    kadis, kasie = team[0], team[2]
    client.force_login(kasie)

    def add(n):
        projects = add_projects(n, opd=opd, creator=kadis)
        applications = add_applications(n, opd=opd)
        add_subdomains(3 * n, projects=projects, applications=applications)

    add(1)
    few = queries_of(client, url)
    add(9)
    assert queries_of(client, url) <= few


def test_subdomains_page_50_and_the_rest_on_page_2(client, kasie):
    add_subdomains(52)
    client.force_login(kasie)
    first = client.get("/dns/").content.decode()
    assert first.count("<tr data-status=") == 50 and "Halaman 1 dari 2" in first
    assert client.get("/dns/?page=2").content.decode().count("<tr data-status=") == 2
    api = APIClient()
    api.force_authenticate(kasie)
    body = api.get("/api/v1/subdomains/").json()
    assert body["count"] == 52 and len(body["results"]) == 50
    assert len(api.get(body["next"]).json()["results"]) == 2
