"""The project list's permission-scoped query is compiled once per everything it depends on
(core.pages.paginate_listed): a change of roles, delegations, OPD, data or date shows on the
next load."""

import datetime as dt

import pytest
from django.utils import timezone

from simpatik.accounts import services
from simpatik.accounts.models import Opd, Role
from simpatik.projects.models import ProjectMember
from simpatik.testing.delegations import plh
from simpatik.testing.lists import add_projects

pytestmark = pytest.mark.django_db


def shown(client, kodes, query=""):
    """Which of these projects the project list shows now."""
    page = client.get(f"/proyek/{query}").content.decode()
    return {kode for kode in kodes if kode in page}


def kodes_of(projects):
    return {project.kode for project in projects}


def test_a_plh_sees_every_project_from_the_next_load_and_not_after_it_ends(
    client, team, opd, kadis, pengembang
):
    made = kodes_of(add_projects(2, opd=opd, creator=kadis))
    client.force_login(pengembang)
    assert shown(client, made) == set()  # compiled for a team member of no project
    delegation = plh(kadis, pengembang, "kadis", days=3)
    assert shown(client, made) == made
    services.end_delegation(delegation, actor=kadis)
    assert shown(client, made) == set()


def test_a_role_taken_away_takes_the_projects_away_on_the_next_load(client, team, opd, kabid):
    made = kodes_of(add_projects(2, opd=opd, creator=kabid))
    client.force_login(kabid)
    assert shown(client, made) == made
    kabid.roles.remove(Role.objects.get(key="kabid"))
    assert shown(client, made) == set()


def test_a_user_moved_to_another_opd_sees_that_opds_projects(
    client, team, opd, other_opd, kadis, opd_user
):
    ours = kodes_of(add_projects(2, opd=opd, creator=kadis))
    theirs = kodes_of(add_projects(2, opd=other_opd, creator=kadis))
    client.force_login(opd_user)
    assert shown(client, ours | theirs) == ours
    opd_user.opd = other_opd
    opd_user.save(update_fields=["opd"])
    assert shown(client, ours | theirs) == theirs


def test_a_new_team_member_and_new_projects_show_on_the_next_load(
    client, team, opd, kadis, pengembang
):
    first = add_projects(1, opd=opd, creator=kadis)
    client.force_login(pengembang)
    assert shown(client, kodes_of(first)) == set()
    ProjectMember.objects.create(project=first[0], user=pengembang, role_key="pengembang")
    assert shown(client, kodes_of(first)) == kodes_of(first)
    more = add_projects(50, opd=opd, creator=kadis, member=pengembang)
    page = client.get("/proyek/").content.decode()
    assert "Halaman 1 dari 2" in page  # the count is read afresh with the rows
    assert shown(client, kodes_of(more[-50:])) == kodes_of(more[-50:])


def test_the_overdue_filter_follows_the_date(client, team, opd, kadis, monkeypatch):
    today = timezone.localdate()
    late = kodes_of(add_projects(1, opd=opd, creator=kadis, due=today - dt.timedelta(days=1)))
    later = kodes_of(add_projects(1, opd=opd, creator=kadis, due=today + dt.timedelta(days=2)))
    client.force_login(kadis)
    assert shown(client, late | later, "?overdue=on") == late
    real = timezone.localdate

    def three_days_on(value=None, timezone=None):
        return real(value, timezone) if value is not None else today + dt.timedelta(days=3)

    monkeypatch.setattr(timezone, "localdate", three_days_on)
    assert shown(client, late | later, "?overdue=on") == late | later


def test_each_page_of_projects_shows_its_own_open_steps(client, team, opd, other_opd, kadis):
    today = timezone.localdate()
    add_projects(2, opd=opd, creator=kadis, due=today - dt.timedelta(days=10))
    add_projects(2, opd=other_opd, creator=kadis, due=None)
    client.force_login(kadis)
    late = client.get(f"/proyek/?opd={opd.pk}").content.decode()
    undated = client.get(f"/proyek/?opd={other_opd.pk}").content.decode()
    assert late.count('<span class="late">') == 2
    assert undated.count('<span class="late">') == 0


def test_the_filter_bar_offers_a_new_or_renamed_opd_on_the_next_load(client, kadis, opd):
    client.force_login(kadis)
    assert "Dinas Baru" not in client.get("/proyek/").content.decode()
    made = Opd.objects.create(kode="baru", nama="Dinas Baru")
    assert (
        f'<option value="{made.pk}">Dinas Baru</option>' in client.get("/proyek/").content.decode()
    )
    opd.singkatan = "BKD"
    opd.save(update_fields=["singkatan"])
    assert f'<option value="{opd.pk}">BKD</option>' in client.get("/proyek/").content.decode()


def test_the_filter_bar_shows_each_loads_own_choices_in_its_language(client, kadis):
    client.force_login(kadis)
    page = client.get("/proyek/?status=berjalan&q=kepegawaian").content.decode()
    assert '<option value="berjalan" selected>' in page and 'value="kepegawaian"' in page
    page = client.get("/proyek/?status=selesai").content.decode()
    assert '<option value="selesai" selected>' in page
    assert '<option value="berjalan" selected>' not in page and "kepegawaian" not in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/proyek/"})
    page = client.get("/proyek/?status=selesai").content.decode()
    assert "All agencies" in page and "Semua OPD" not in page


def test_a_text_search_finds_by_name_and_opd_and_counts_its_matches(client, team, opd, kadis):
    made = add_projects(52, opd=opd, creator=kadis)
    client.force_login(kadis)
    one = client.get(f"/proyek/?q={made[0].kode}").content.decode()
    assert made[0].kode in one and made[1].kode not in one
    everyone = client.get("/proyek/?q=kepegawaian&page=2").content.decode()
    assert "Halaman 2 dari 2" in everyone and everyone.count('<tr><td><a href="/proyek/') == 2
