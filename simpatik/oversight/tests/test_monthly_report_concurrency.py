"""Two makers of the same month's report at once (the worker and a Kadis on the dashboard), over
real PostgreSQL connections: one report, one number, no gap in the register."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from simpatik.accounts.permissions import system_actor
from simpatik.letters import pki
from simpatik.letters.models import Letter
from simpatik.oversight import services
from simpatik.oversight.models import MonthlyReport
from simpatik.sop.models import SopVersion

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_makers_of_one_month_get_the_same_report(team):
    assert connection.vendor == "postgresql"
    SopVersion.objects.update(loaded_at=dt.datetime(2025, 11, 1, tzinfo=dt.UTC))
    pki.init_ca()
    system = system_actor()
    pki.enroll(system)  # the seal's key exists before the threads race to use it
    makers = [system, team[0]]
    barrier = threading.Barrier(len(makers))
    found, errors = [], []

    def make(actor):
        try:
            barrier.wait(timeout=10)
            report, made = services.issue_monthly_report(dt.date(2026, 1, 1), actor=actor)
            found.append((report.pk, made))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=make, args=(actor,)) for actor in makers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(made for _pk, made in found) == [False, True]
    assert len({pk for pk, _made in found}) == 1
    assert MonthlyReport.objects.count() == 1
    assert list(Letter.objects.values_list("sequence", flat=True)) == [1]
