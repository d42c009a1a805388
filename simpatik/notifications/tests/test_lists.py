"""The bell's list pages 50 notifications at a time, in the same number of queries for 3 or 30."""

import pytest
from rest_framework.test import APIClient

from simpatik.testing.lists import add_notifications, add_projects, queries_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/notifikasi/", "/api/v1/notifications/"])
def test_notification_lists_query_count_does_not_grow(client, team, opd, url):
    kadis, kasie = team[0], team[2]
    projects = add_projects(2, opd=opd, creator=kadis)
    client.force_login(kasie)
    add_notifications(3, recipient=kasie, project=projects[0])
    few = queries_of(client, url)
    add_notifications(27, recipient=kasie, project=projects[1])
    assert queries_of(client, url) <= few


def test_notifications_page_50_newest_first_and_the_rest_on_page_2(client, kasie, kabid):
    add_notifications(55, recipient=kasie)
    add_notifications(5, recipient=kabid)
    client.force_login(kasie)
    first = client.get("/notifikasi/").content.decode()
    assert first.count('class="unread"') == 50 and "Halaman 1 dari 2" in first
    second = client.get("/notifikasi/?page=2").content.decode()
    assert second.count('class="unread"') == 5 and "Halaman 2 dari 2" in second
    api = APIClient()
    api.force_authenticate(kasie)
    body = api.get("/api/v1/notifications/").json()
    assert body["count"] == 55 and len(body["results"]) == 50 and body["next"]
    ids = [n["id"] for n in body["results"]]
    assert ids == sorted(ids, reverse=True)
