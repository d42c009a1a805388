"""On PostgreSQL the statements a request repeats are prepared once per connection
(settings: server-side binding, psycopg's prepare threshold), and each use gets its own values."""

import pytest
from django.db import connection

from simpatik.accounts.models import User

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
