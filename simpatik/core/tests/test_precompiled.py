"""Queries compiled once per process answer as the ORM does for every call's own values."""

import datetime as dt

import pytest

from simpatik.accounts.models import Delegation, Role
from simpatik.core.precompiled import Precompiled


def _running(user_id, today):
    return (
        Delegation.objects.in_force(today)
        .filter(to_user=user_id)
        .values_list("role__key", "from_user")
        .order_by("id")
    )


RUNNING = Precompiled(_running, user_id=-424242, today=dt.date(1901, 2, 3))


def test_each_call_gets_its_own_values_in_the_one_compiled_statement(kadis, kabid, kasie):
    role = Role.objects.get(key=next(iter(kadis.own_role_keys())))
    Delegation.objects.create(
        kind=Delegation.Kind.PLH,
        role=role,
        from_user=kadis,
        to_user=kabid,
        starts_on=dt.date(2026, 3, 2),
        ends_on=dt.date(2026, 3, 6),
        reason="cuti",
        created_by=kadis,
    )
    for user, day in [
        (kabid, dt.date(2026, 3, 4)),  # running
        (kabid, dt.date(2026, 3, 9)),  # ended
        (kasie, dt.date(2026, 3, 4)),  # not theirs
        (kabid, dt.date(2026, 3, 2)),  # first day
    ]:
        expected = [tuple(row) for row in _running(user.pk, day)]
        assert RUNNING.rows(user_id=user.pk, today=day) == expected
    assert RUNNING.rows(user_id=kabid.pk, today=dt.date(2026, 3, 4)) == [(role.key, kadis.pk)]


def test_a_stand_in_that_is_not_a_parameter_is_refused(db):
    unused = Precompiled(lambda user_id: Role.objects.values_list("key"), user_id=-424242)
    with pytest.raises(ValueError, match="user_id"):
        unused.rows(user_id=1)
