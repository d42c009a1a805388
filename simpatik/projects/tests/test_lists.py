"""Lists a page at a time: 50 rows, the rest on the next page, and a query count that does not
grow with the rows (Tugas Saya, the project and usulan lists, their APIs, the history)."""

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from simpatik.accounts.permissions import can
from simpatik.audit.services import record
from simpatik.projects import queries
from simpatik.projects.models import Project, ProjectMember, StepRun
from simpatik.testing.lists import add_needs, add_projects, queries_of, step_of_role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows_of(html: str, marker: str) -> list[str]:
    return re.findall(marker, html)


# --- query counts: 3 rows and 30 rows cost the same --------------------------------------------


def _grows(client, url, add):
    """Queries of `url` with 3 rows, then with 30 (add(n) adds n rows)."""
    add(3)
    few = queries_of(client, url)
    add(27)
    many = queries_of(client, url)
    return few, many


@pytest.mark.parametrize("url", ["/tugas/", "/api/v1/tasks/"])
def test_tasks_query_count_does_not_grow_with_tasks(client, team, opd, url):
    kadis, kabid, kasie, pengembang, teknis = team
    review = step_of_role(teknis)  # a step with a decision that sends work back

    def add(n):
        # Overdue, due later and without a due date; some returned, some with a team.
        add_projects(n, opd=opd, creator=kadis, step=review, due=TODAY - dt.timedelta(days=9))
        add_projects(n, opd=opd, creator=kadis, step=review, returned_by=teknis)
        add_projects(n, opd=opd, creator=kadis, step=review, member=teknis, due=TODAY)

    client.force_login(teknis)
    few, many = _grows(client, url, add)
    assert many <= few


@pytest.mark.parametrize("url", ["/tugas/"])
def test_tasks_page_waiting_lists_cost_the_same_with_many_items(client, team, opd, url):
    """The supervisor's late steps and the new usulan are bounded lists; a link opens the rest."""
    kadis, kabid, kasie = team[:3]

    def add(n):
        add_projects(
            n, opd=opd, creator=kadis, step=step_of_role(kasie), due=TODAY - dt.timedelta(days=5)
        )
        add_needs(n, opd=opd, creator=kadis)

    client.force_login(kadis)
    add(queries.WAITING_SHOWN)
    exactly = client.get(url).content.decode()  # as many as shown: no link to more
    assert "Lihat semua langkah terlambat" not in exactly
    assert "Lihat semua usulan yang menunggu" not in exactly
    few, many = _grows(client, url, add)
    assert many <= few
    page = client.get(url).content.decode()
    shown = page[page.index('id="waiting-late"') :]
    assert shown.count("?langkah=") == queries.WAITING_SHOWN
    assert "Lihat semua langkah terlambat" in shown and "?overdue=1" in shown
    assert "Lihat semua usulan yang menunggu" in page and "?status=diajukan" in page
    assert not any("COUNT(" in sql for sql in _sql_of(client, url, "projects_need"))


@pytest.mark.parametrize("url", ["/proyek/", "/api/v1/projects/", "/proyek/?status=berjalan"])
def test_project_lists_query_count_does_not_grow_with_projects(client, team, opd, url):
    kadis, kabid, kasie, pengembang = team[:4]

    def add(n):
        add_projects(n, opd=opd, creator=kadis, repository=True, member=pengembang)
        add_projects(n, opd=opd, creator=kadis, step=step_of_role(kasie), due=TODAY)

    client.force_login(kabid)
    few, many = _grows(client, url, add)
    assert many <= few


def test_project_page_query_count_does_not_grow_with_its_history(client, team, opd):
    """The project page reads all its runs in one query (open steps, the focused step, the
    swimlane): 3 completed rounds before the open step cost what 30 do."""
    kadis, kabid, kasie = team[:3]
    step = step_of_role(kasie)
    (project,) = add_projects(1, opd=opd, creator=kadis, step=step, due=TODAY)
    earlier = [s for s in project.definition.steps if s.number < step.number] or [step]
    now = timezone.now()

    def add(n):
        StepRun.objects.bulk_create(
            StepRun(
                project=project,
                step_number=earlier[i % len(earlier)].number,
                round=100 + StepRun.objects.filter(project=project).count() + i,
                role_key=earlier[i % len(earlier)].role,
                status=StepRun.Status.SELESAI,
                opened_at=now - dt.timedelta(days=3),
                completed_at=now - dt.timedelta(days=2),
                completed_by=kadis,
            )
            for i in range(n)
        )

    client.force_login(kasie)
    few, many = _grows(client, f"/proyek/{project.pk}/", add)
    assert many <= few


def test_project_page_reads_documents_once_and_asks_panels_only_what_they_can_show(
    client, team, opd
):
    """The focused step's requirements and the swimlane share one read of the documents; the
    provisioning panels learn from the project's own query that there is nothing to show, and
    a step that issues no letter reads no letters."""
    kadis, kabid, kasie = team[:3]
    step = step_of_role(kasie)
    (project,) = add_projects(1, opd=opd, creator=kadis, step=step, due=TODAY)
    assert not any(item.generate for item in step.requirements)
    client.force_login(kasie)
    url = f"/proyek/{project.pk}/"
    client.get(url)
    assert len(_sql_of(client, url, "projects_document")) == 1
    for table in (
        "provisioning_repository",
        "provisioning_subdomain",
        "jobs_job",
        "letters_letter",
    ):
        assert _sql_of(client, url, table) == [], table
    # With a repository, its panel reads it.
    (with_repository,) = add_projects(1, opd=opd, creator=kadis, step=step, repository=True)
    page = client.get(f"/proyek/{with_repository.pk}/")
    assert len(_sql_of(client, f"/proyek/{with_repository.pk}/", "provisioning_repository")) == 1
    assert page.status_code == 200


def test_project_list_api_runs_no_distinct_and_lists_a_member_once(team, opd, other_opd):
    """A team member with two roles on a project of their own OPD sees it once; no DISTINCT."""
    kadis, _, _, pengembang, teknis = team
    pengembang.opd = other_opd
    pengembang.save()
    (mine,) = add_projects(1, opd=other_opd, creator=kadis, member=pengembang)
    ProjectMember.objects.create(project=mine, user=pengembang, role_key="teknis")
    (theirs,) = add_projects(1, opd=opd, creator=kadis, member=pengembang)
    add_projects(2, opd=opd, creator=kadis)
    with CaptureQueriesContext(connection) as captured:
        body = api(pengembang).get("/api/v1/projects/").json()
    assert sorted(p["id"] for p in body["results"]) == sorted([mine.pk, theirs.pk])
    assert body["count"] == 2
    assert not any("DISTINCT" in q["sql"].upper() for q in captured.captured_queries)


@pytest.mark.parametrize("url", ["/usulan/", "/api/v1/needs/"])
def test_need_lists_query_count_does_not_grow(client, team, opd, url):
    kadis = team[0]
    client.force_login(kadis)
    few, many = _grows(client, url, lambda n: add_needs(n, opd=opd, creator=kadis))
    assert many <= few


def test_project_history_query_count_does_not_grow_with_records(client, project, team):
    kadis = team[0]

    def add(n):
        with transaction.atomic():
            for _ in range(n):
                record("project.step.claimed", actor=kadis, project=project, step_number=1)

    client.force_login(kadis)
    for url in (f"/proyek/{project.pk}/riwayat/", f"/api/v1/projects/{project.pk}/history/"):
        few = queries_of(client, url)
        add(30)
        assert queries_of(client, url) == few, url


def _sql_of(client, url, table):
    """The statements of one request of `url` that read `table`."""
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [q["sql"] for q in captured.captured_queries if f'"{table}"' in q["sql"]]


# --- pages: 50 rows, the rest on the next page -------------------------------------------------


def test_tugas_saya_pages_50_tasks_with_the_overdue_first(client, team, opd):
    kadis, kasie = team[0], team[2]
    step = step_of_role(kasie)
    add_projects(35, opd=opd, creator=kadis, step=step, due=lambda i: TODAY + dt.timedelta(days=i))
    add_projects(5, opd=opd, creator=kadis, step=step)  # no due date: last
    late = add_projects(
        20, opd=opd, creator=kadis, step=step, due=lambda i: TODAY - dt.timedelta(days=i + 1)
    )
    client.force_login(kasie)
    first = client.get("/tugas/").content.decode()
    assert "Langkah yang menunggu Anda: 60, terlambat 20." in first
    assert "Halaman 1 dari 2" in first
    overdue = first[first.index('id="tasks-late"') : first.index('id="tasks-due"')]
    assert len(rows_of(overdue, r'href="/proyek/\d+/"')) == 20
    # The most overdue first.
    assert overdue.index(late[-1].kode) < overdue.index(late[0].kode)
    rest = first[first.index('id="tasks-due"') :]
    assert len(rows_of(rest, r'href="/proyek/\d+/"')) == 30
    second = client.get("/tugas/?page=2").content.decode()
    assert "Halaman 2 dari 2" in second and 'id="tasks-late"' not in second
    assert len(rows_of(second, r'href="/proyek/\d+/"')) == 10
    assert second.count("tanpa batas waktu") == 5


def test_tugas_saya_counts_apart_and_a_page_past_the_end_shows_the_last(client, team, opd):
    """The totals come from a query of their own (the page has no window): right on every page,
    and a page past the end, or not a number, lands on the last or the first."""
    kadis, kasie = team[0], team[2]
    step = step_of_role(kasie)
    add_projects(52, opd=opd, creator=kadis, step=step, due=TODAY + dt.timedelta(days=2))
    add_projects(3, opd=opd, creator=kadis, step=step, due=TODAY - dt.timedelta(days=2))
    client.force_login(kasie)
    for url, page in [
        ("/tugas/", "Halaman 1 dari 2"),
        ("/tugas/?page=2", "Halaman 2 dari 2"),
        ("/tugas/?page=9", "Halaman 2 dari 2"),
        ("/tugas/?page=x", "Halaman 1 dari 2"),
    ]:
        body = client.get(url).content.decode()
        assert "Langkah yang menunggu Anda: 55, terlambat 3." in body, url
        assert page in body, url
    last = client.get("/tugas/?page=9").content.decode()
    assert len(rows_of(last, r'href="/proyek/\d+/"')) == 5
    with CaptureQueriesContext(connection) as captured:
        client.get("/tugas/")
    assert not any("OVER ()" in q["sql"] and "LIMIT 50" in q["sql"] for q in captured)
    # The totals read the open steps alone (an index-only scan): no project, no OPD joined.
    (totals,) = [q["sql"] for q in captured if 'AS "overdue"' in q["sql"]]
    assert "JOIN" not in totals and '"projects_steprun"' in totals


def test_tasks_api_pages_with_count_next_and_previous(team, opd):
    kadis, kasie = team[0], team[2]
    step = step_of_role(kasie)
    add_projects(45, opd=opd, creator=kadis, step=step, due=TODAY + dt.timedelta(days=3))
    add_projects(15, opd=opd, creator=kadis, step=step, due=TODAY - dt.timedelta(days=3))
    client = api(kasie)
    body = client.get("/api/v1/tasks/").json()
    assert body["count"] == 60 and len(body["results"]) == 50 and body["previous"] is None
    assert [t["overdue"] for t in body["results"][:16]] == [True] * 15 + [False]
    assert body["results"][0]["remaining_working_days"] < 0
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 10 and second["next"] is None
    seen = {(t["project"], t["step"]) for t in body["results"] + second["results"]}
    assert len(seen) == 60
    assert len(client.get("/api/v1/tasks/?limit=100000").json()["results"]) == 60


@pytest.mark.parametrize("url", ["/api/v1/tasks/", "/api/v1/projects/"])
def test_api_lists_count_in_the_page_query_and_past_the_end(team, opd, url):
    """The total needs no COUNT over the list's joins (the projects' rides on the page's rows;
    the tasks' is counted from their conditions alone); a page past the end still says how many
    there are."""
    kadis, kasie = team[0], team[2]
    add_projects(7, opd=opd, creator=kadis, step=step_of_role(kasie))
    add_projects(2, opd=opd, creator=kadis)  # listed, but no task for the Kasie
    expected = 7 if "tasks" in url else 9
    client = api(kasie)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url + "?limit=5").json()
    assert body["count"] == expected and len(body["results"]) == 5
    assert not any(q["sql"].startswith("SELECT COUNT(*)") for q in captured.captured_queries)
    assert client.get(url + "?limit=5&offset=5").json()["count"] == expected
    past = client.get(url + "?limit=5&offset=40").json()
    assert past["count"] == expected and past["results"] == [] and past["next"] is None
    if "projects" in url:  # the COUNT is of the filtered list, not of the table
        assert client.get(url + f"?step={step_of_role(kasie).number}").json()["count"] == 7


def test_api_limit_is_capped(team, opd):
    kadis = team[0]
    add_projects(210, opd=opd, creator=kadis)
    body = api(kadis).get("/api/v1/projects/?limit=100000").json()
    assert body["count"] == 210 and len(body["results"]) == 200


def test_project_list_pages_keep_the_filters(client, team, opd):
    kadis, kabid = team[:2]
    add_projects(55, opd=opd, creator=kadis)
    Project.objects.filter(pk__in=Project.objects.order_by("id").values("pk")[:3]).update(
        status=Project.Status.SELESAI
    )
    client.force_login(kabid)
    first = client.get("/proyek/?status=berjalan").content.decode()
    assert len(rows_of(first, r'<tr><td><a href="/proyek/\d+/"')) == 50
    assert "Halaman 1 dari 2" in first
    assert 'href="?status=berjalan&amp;page=2"' in first
    second = client.get("/proyek/?status=berjalan&page=2").content.decode()
    assert len(rows_of(second, r'<tr><td><a href="/proyek/\d+/"')) == 2
    assert 'href="?status=berjalan&amp;page=1"' in second
    # htmx asks for the rows alone; they carry the same page links.
    partial = client.get("/proyek/?status=berjalan", headers={"HX-Request": "true"})
    assert "<h1>" not in partial.content.decode() and "page=2" in partial.content.decode()


def test_project_list_api_pages_and_shows_open_steps_and_repository(team, opd):
    kadis, kabid = team[:2]
    add_projects(30, opd=opd, creator=kadis, repository=True)
    add_projects(30, opd=opd, creator=kadis)
    body = api(kabid).get("/api/v1/projects/").json()
    assert body["count"] == 60 and len(body["results"]) == 50
    newest = body["results"][0]
    assert newest["repository"] is None and newest["current_steps"] == [1]
    rest = api(kabid).get(body["next"]).json()["results"]
    assert len(rest) == 10 and all(p["repository"]["status"] == "siap" for p in rest)


def test_need_list_pages_50(client, team, opd):
    kadis = team[0]
    add_needs(52, opd=opd, creator=kadis)
    client.force_login(kadis)
    first = client.get("/usulan/").content.decode()
    assert len(rows_of(first, r'<tr><td><a href="/usulan/\d+/"')) == 50
    second = client.get("/usulan/?page=2").content.decode()
    assert len(rows_of(second, r'<tr><td><a href="/usulan/\d+/"')) == 2


# --- the SQL form of "may act on this step" agrees with can() ---------------------------------


def test_actionable_by_agrees_with_can_for_every_persona(team, opd, outsider):
    kadis, kabid, kasie, pengembang, teknis = team
    step = step_of_role(pengembang)  # a role the SOP assigns per project (the team)
    add_projects(2, opd=opd, creator=kadis, step=step)  # no team yet: any holder of the role
    add_projects(2, opd=opd, creator=kadis, step=step, member=pengembang)
    others = add_projects(2, opd=opd, creator=kadis, step=step, member=teknis)
    add_projects(2, opd=opd, creator=kadis, step=step_of_role(kasie))
    # Not a team role: a member row there (the engine writes none) binds nobody, in can() and
    # in the query, which then carries no team condition at all for a user without team roles.
    add_projects(2, opd=opd, creator=kadis, step=step_of_role(teknis), member=kabid)
    ProjectMember.objects.filter(project=others[1]).update(aktif=False)
    runs = list(StepRun.objects.select_related("project__sop_version"))
    for user in [*team, outsider]:
        expected = {run.pk for run in runs if can(user, "kerjakan_langkah", run)}
        assert set(StepRun.objects.actionable_by(user).values_list("pk", flat=True)) == expected


def test_project_rows_name_their_cells_for_a_phone(client, team, opd):
    """On a phone the list stacks each project (table.stack) and names each cell beside it."""
    kadis = team[0]
    add_projects(1, opd=opd, creator=kadis)
    client.force_login(kadis)
    page = client.get("/proyek/").content.decode()
    assert '<table class="stack">' in page
    for label in ("OPD", "Status", "Langkah saat ini"):
        assert f'<td data-label="{label}">' in page
