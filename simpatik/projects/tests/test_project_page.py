"""The project page and the tabs over every page of a project."""

import re

import pytest

TABS = ["alur", "riwayat", "dokumentasi", "naskah", "lembar"]


def _tabs(html: str) -> list[tuple[str, bool]]:
    nav = html.split('<nav class="tabs"')[1].split("</nav>")[0]
    return [
        (href, bool(current))
        for href, current in re.findall(r'<a href="([^"]+)"( aria-current="page")?>', nav)
    ]


@pytest.mark.parametrize(
    "page, current",
    [
        ("/proyek/{pk}/", "alur"),
        ("/proyek/{pk}/riwayat/", "riwayat"),
        ("/proyek/{pk}/dokumentasi/", "dokumentasi"),
        ("/proyek/{pk}/naskah/", "naskah"),
        ("/sop/{sop}/dokumen/?proyek={pk}", "lembar"),
    ],
)
def test_every_project_page_links_each_tab_and_marks_its_own(client, project, kabid, page, current):
    client.force_login(kabid)
    pk, sop = project.pk, project.sop_version_id
    response = client.get(page.format(pk=pk, sop=sop))
    assert response.status_code == 200
    expected = [
        f"/proyek/{pk}/",
        f"/proyek/{pk}/riwayat/",
        f"/proyek/{pk}/dokumentasi/",
        f"/proyek/{pk}/naskah/",
        f"/sop/{sop}/dokumen/?proyek={pk}",
    ]
    shown = _tabs(response.content.decode())
    assert [href for href, _current in shown] == expected
    assert [key for key, (_href, mark) in zip(TABS, shown, strict=True) if mark] == [current]


def test_a_project_nobody_has_is_not_found_for_oversight_too(client, project, kasie):
    client.force_login(kasie)
    assert client.get(f"/proyek/{project.pk}/").status_code == 200
    for pk in (project.pk + 1000, 2**70):
        response = client.get(f"/proyek/{pk}/")
        assert response.status_code == 404


def test_the_project_page_is_the_same_for_oversight_and_the_team(
    client, project, kabid, pengembang
):
    from simpatik.accounts.permissions import sees_everything
    from simpatik.projects.models import ProjectMember

    ProjectMember.objects.create(project=project, user=pengembang, role_key="pengembang")
    assert sees_everything(kabid) and not sees_everything(pengembang)
    client.force_login(kabid)
    seen_by_oversight = client.get(f"/proyek/{project.pk}/").content.decode()
    lane = seen_by_oversight.split('<table class="lane">')[1].split("</table>")[0]
    client.force_login(pengembang)
    seen_by_team = client.get(f"/proyek/{project.pk}/").content.decode()
    assert lane == seen_by_team.split('<table class="lane">')[1].split("</table>")[0]
    assert f"{project.kode} · {project.nama}" in seen_by_oversight
    assert project.opd.nama in seen_by_oversight


def test_a_member_who_leaves_the_team_no_longer_sees_the_page(client, project, pengembang):
    from simpatik.projects.models import ProjectMember

    member = ProjectMember.objects.create(project=project, user=pengembang, role_key="pengembang")
    client.force_login(pengembang)
    assert client.get(f"/proyek/{project.pk}/").status_code == 200
    ProjectMember.objects.filter(pk=member.pk).update(aktif=False)
    assert client.get(f"/proyek/{project.pk}/").status_code == 404
