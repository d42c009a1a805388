"""Each row of the project list and of Tugas Saya names its project's SOP while several SOPs are
in force, read with the page's own queries (no query a row)."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from simpatik.projects import queries, services
from simpatik.projects.tests import test_multisop
from simpatik.projects.tests.test_multisop import SECOND, SEED
from simpatik.sop.services import version_in_force

world = test_multisop.world  # the same two projects and people

LABEL = re.compile(r'<span class="badge sop"[^>]*>([^<]+)</span>')


def _page(user, url):
    browser = Client()
    browser.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        page = browser.get(url)
    assert page.status_code == 200
    return LABEL.findall(page.text), len(captured)


def _second_ready_for_kasie(people, nama):
    project = services.start_project(
        actor=people["ganda"], nama=nama, opd=people["second"].opd, sop=SECOND
    )
    run = queries.open_run_of(project, 1)
    services.complete_step(run, actor=people["pengelola"], fields={"rencana_opd": "Rencana"})
    return project


def _names():
    """Each SOP's short name, as a row shows it (a label, not the SOP's code); the second SOP
    of these tests has none, and is shown by its title."""
    names = [version_in_force(kode).definition.short_name for kode in (SEED, SECOND)]
    assert names == ["Pengembangan oleh Diskominfo", "UJI PENGEMBANGAN APLIKASI OLEH OPD"]
    return names


def test_rows_name_their_sop_without_a_query_a_row(world, kadis):  # noqa: F811
    ganda = world["ganda"]
    SEED, SECOND = _names()  # noqa: N806
    _second_ready_for_kasie(world, "Aplikasi Satu")
    labels, first_count = _page(ganda, "/proyek/")
    assert sorted(labels) == sorted([SEED, SECOND, SECOND])
    tasks, first_tasks = _page(ganda, "/tugas/")
    assert sorted(tasks) == sorted([SEED, SECOND])

    for n in range(3):
        _second_ready_for_kasie(world, f"Aplikasi Tambahan {n}")
        services.start_project(actor=kadis, nama=f"Sistem {n}", opd=world["second"].opd)
    labels, count = _page(ganda, "/proyek/")
    assert labels.count(SECOND) == 5 and labels.count(SEED) == 4
    assert count <= first_count  # the same queries (less once caches are warm), not one a row
    tasks, count = _page(ganda, "/tugas/")
    assert tasks.count(SECOND) == 4 and tasks.count(SEED) == 4
    assert count <= first_tasks


def test_rows_carry_no_sop_label_while_one_sop_runs(kadis, project):
    assert _page(kadis, "/proyek/")[0] == []
    assert _page(kadis, "/tugas/")[0] == []
