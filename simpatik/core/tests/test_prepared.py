"""On PostgreSQL the statements a request repeats are prepared once per connection
(settings: server-side binding, psycopg's prepare threshold), and each use gets its own values."""

import datetime as dt

import pytest
from django.db import connection

from simpatik.accounts.models import User
from simpatik.core.precompiled import forget_pages, values_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _prepared(text):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{text}%"]
        )
        return cursor.fetchone()[0]


def test_a_statement_used_again_and_again_is_prepared_and_answers_for_each_value(kadis, kabid):
    assert connection.settings_dict["OPTIONS"].get("server_side_binding") is True
    marker = "prepared_marker_7f3a"
    for _use in range(6):
        for user in (kadis, kabid):
            found = User.objects.extra(where=[f"'{marker}' = '{marker}'"]).get(pk=user.pk)
            assert found.username == user.username
    assert _prepared(marker) == 1


def _statements(text):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{text}%"],
        )
        return cursor.fetchall()


def test_a_kept_list_writes_its_texts_and_dates_in_and_keeps_whose_it_is_a_parameter(kadis, kabid):
    """One statement and one cached plan for every user of a list's shape (core.precompiled
    .shared_plan); a quote or a percent sign in a text is only ever that text."""
    forget_pages()
    tricky = "Kabid' OR '1'='1 -- 100%"
    User.objects.filter(pk=kabid.pk).update(jabatan=tricky)
    User.objects.filter(pk=kadis.pk).update(jabatan="Kepala Dinas")
    since = dt.date(2020, 1, 1)

    def page(user, jabatan):
        return values_of(
            ("people", user.pk, jabatan),
            lambda: User.objects.filter(
                pk=user.pk, jabatan=jabatan, date_joined__date__gte=since
            ).values_list("username", flat=True),
        )

    for _use in range(8):
        assert page(kabid, tricky) == [(kabid.username,)]
        assert page(kadis, tricky) == []  # a different user: the same statement, its own id
        assert page(kabid, "Kabid") == []
    ((statement, generic_plans),) = _statements(tricky.replace("'", "''").replace("%", "\\%"))
    assert statement.count("$") == 1  # the user's id, the one number
    assert "'2020-01-01'::date" in statement
    assert generic_plans > 0  # planned once for the connection, not on every request


def test_a_kept_tasks_page_is_one_statement_for_two_people_of_the_same_roles(
    client, kasie, project
):
    """Tugas Saya for two Kasie: the texts (roles, statuses) and today in the statement, each
    person's id a parameter, so the second person's page runs on the plan the first one's made."""
    from simpatik.accounts.models import Role

    other = User.objects.create_user("kasie2", password="x" * 12)
    other.roles.add(Role.objects.get(key="kasie"))
    forget_pages()
    for _use in range(4):
        for user in (kasie, other):
            client.force_login(user)
            assert client.get("/tugas/").status_code == 200
    statements = [text for text, _plans in _statements('"projects_steprun"."role_key" IN (')]
    pages = [text for text in statements if text.rstrip().endswith("LIMIT 50")]
    assert len(pages) == 1, statements  # the page, and one statement for both people
    assert "'kasie'" in pages[0] and "'berjalan'" in pages[0] and "$1" in pages[0]


def test_the_open_runs_of_any_page_of_projects_are_one_statement_planned_once(
    client, kadis, project
):
    """`/proyek/` reads its projects' open runs with one array of ids (list_rows.add_open_runs):
    the same statement for every page and number of projects, on its cached plan."""
    client.force_login(kadis)
    for _use in range(16):  # prepared at the 5th use, its plan cached after 5 more
        assert client.get("/proyek/").status_code == 200
    ((statement, generic_plans),) = _statements('"project_id" = ANY($')
    assert '"projects_steprun"' in statement and generic_plans > 0
