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


def test_two_workers_running_the_job_at_once_make_one_report_per_sop(team):
    """The periodic job on two workers at the same moment, two SOPs in force: each (SOP, month)
    gets one report and one notice per holder, and the register no gap."""
    from simpatik.notifications.models import Notification
    from simpatik.oversight.jobs import monthly_report
    from simpatik.sop.services import load_definition
    from simpatik.testing.sopfile import OPD_SOP

    assert connection.vendor == "postgresql"
    load_definition(OPD_SOP.read_text())
    SopVersion.objects.update(loaded_at=dt.datetime(2025, 11, 1, tzinfo=dt.UTC))
    pki.init_ca()
    pki.enroll(system_actor())
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def work():
        try:
            barrier.wait(timeout=10)
            outcomes.append(monthly_report("2026-01-02"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == [] and len(outcomes) == 2
    assert sorted(MonthlyReport.objects.values_list("sop", flat=True)) == [
        "pengembangan-aplikasi-diskominfo",
        "pengembangan-aplikasi-oleh-opd",
    ]
    assert sorted(Letter.objects.values_list("sequence", flat=True)) == [1, 2]
    told = Notification.objects.filter(event="laporan.bulanan")
    assert told.count() == 2 * 3  # kadis, kabid, kasie: once for each SOP
    assert told.filter(recipient__username="kadis").count() == 2
