"""Tugas Saya's permission-scoped query is compiled once per everything it depends on
(core.precompiled.models_of): a change of roles, delegations or data shows on the next load."""

import pytest

from simpatik.accounts import services
from simpatik.accounts.models import Role
from simpatik.testing.delegations import plh
from simpatik.testing.lists import add_projects, step_of_role

pytestmark = pytest.mark.django_db


def shown(client, kodes):
    """Which of these projects Tugas Saya lists now."""
    page = client.get("/tugas/").content.decode()
    return {kode for kode in kodes if kode in page}


@pytest.fixture
def kadis_steps(team, opd, kadis):
    made = add_projects(2, opd=opd, creator=kadis, step=step_of_role(kadis))
    return {project.kode for project in made}


def test_a_plh_sees_the_officials_steps_from_the_next_load_and_not_after_it_ends(
    client, kadis, kabid, kadis_steps
):
    client.force_login(kabid)
    assert shown(client, kadis_steps) == set()  # compiled for the Kabid alone
    made = plh(kadis, kabid, "kadis", days=3)
    assert shown(client, kadis_steps) == kadis_steps
    client.force_login(kadis)
    assert shown(client, kadis_steps) == set()  # the official away: not theirs while it runs
    services.end_delegation(made, actor=kadis)
    assert shown(client, kadis_steps) == kadis_steps
    client.force_login(kabid)
    assert shown(client, kadis_steps) == set()


def test_a_role_taken_away_takes_its_steps_away_on_the_next_load(client, kadis, kadis_steps):
    client.force_login(kadis)
    assert shown(client, kadis_steps) == kadis_steps
    kadis.roles.remove(Role.objects.get(key="kadis"))
    assert shown(client, kadis_steps) == set()


def test_new_steps_show_on_the_next_load_of_the_same_statement(client, team, opd, kadis):
    client.force_login(kadis)
    first = add_projects(1, opd=opd, creator=kadis, step=step_of_role(kadis))
    assert first[0].kode in client.get("/tugas/").content.decode()
    second = add_projects(1, opd=opd, creator=kadis, step=step_of_role(kadis))
    page = client.get("/tugas/").content.decode()
    assert first[0].kode in page and second[0].kode in page
    assert "Langkah yang menunggu Anda: 2, terlambat 0." in page


def test_a_user_without_a_role_has_an_empty_list(client, outsider):
    client.force_login(outsider)
    page = client.get("/tugas/").content.decode()
    assert "Tidak ada langkah yang menunggu Anda." in page


def test_the_tasks_api_compiled_once_follows_new_steps_a_lost_role_and_the_sop_filter(
    team, opd, kadis, sop
):
    from rest_framework.test import APIClient

    from simpatik.accounts.services import create_api_token

    _row, token = create_api_token(kadis, via="cli")
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")  # the user read afresh each call
    first = add_projects(1, opd=opd, creator=kadis, step=step_of_role(kadis))
    assert [t["project_kode"] for t in client.get("/api/v1/tasks/").json()["results"]] == [
        first[0].kode
    ]
    add_projects(2, opd=opd, creator=kadis, step=step_of_role(kadis))
    body = client.get("/api/v1/tasks/").json()
    assert body["count"] == 3 and len(body["results"]) == 3
    code = body["results"][0]["sop"]
    assert client.get(f"/api/v1/tasks/?sop={code}").json()["count"] == 3
    unknown = client.get("/api/v1/tasks/?sop=tidak-ada")
    assert unknown.status_code == 200 and unknown.json()["count"] == 0
    kadis.roles.remove(Role.objects.get(key="kadis"))
    assert client.get("/api/v1/tasks/").json()["count"] == 0


def test_the_projects_api_compiled_once_follows_new_projects_filters_and_a_search(
    team, opd, other_opd, kadis
):
    from rest_framework.test import APIClient

    from simpatik.accounts.services import create_api_token

    _row, token = create_api_token(kadis, via="cli")
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")

    def kodes(query=""):
        body = client.get(f"/api/v1/projects/{query}").json()
        assert body["count"] == len(body["results"])
        return {p["kode"] for p in body["results"]}

    mine = {p.kode for p in add_projects(2, opd=opd, creator=kadis, step=step_of_role(kadis))}
    assert kodes() == mine
    other = {p.kode for p in add_projects(1, opd=other_opd, creator=kadis)}
    assert kodes() == mine | other  # the same statement reads the new row
    assert kodes(f"?opd={other_opd.pk}") == kodes(f"?opd=0{other_opd.pk}") == other
    assert kodes(f"?opd={opd.pk}&status=berjalan") == mine
    one = next(iter(other))
    assert kodes(f"?q={one}") == {one}  # a search, built for itself
    assert kodes("?sop=tidak-ada") == set()
    page = client.get("/api/v1/projects/?limit=1&offset=1").json()
    assert page["count"] == 3 and len(page["results"]) == 1 and page["previous"]
    assert [run["number"] for run in page["results"][0]["current"]] == page["results"][0][
        "current_steps"
    ]
