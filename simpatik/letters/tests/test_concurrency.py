"""Letter numbers issued at the same moment by several officials, over real PostgreSQL connections."""

import threading

import pytest
from django.db import connection, connections

from simpatik.letters import pki
from simpatik.letters.models import Letter
from simpatik.projects import services as project_services
from simpatik.testing.walker import open_run

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_completions_give_gapless_unique_letter_numbers(team, opd):
    assert connection.vendor == "postgresql"
    pki.init_ca()
    kadis = team[0]
    pki.enroll(kadis)  # the signer's key exists before the threads race to sign
    runs = [
        open_run(project_services.start_project(actor=kadis, nama=f"Aplikasi {i}", opd=opd))
        for i in range(5)
    ]
    barrier = threading.Barrier(len(runs))
    errors = []

    def issue(run):
        try:
            barrier.wait(timeout=10)
            project_services.complete_step(run, actor=kadis, fields={"rujukan_usulan": "Surat OPD"})
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    sequences = sorted(Letter.objects.values_list("sequence", flat=True))
    assert sequences == [1, 2, 3, 4, 5]
    assert Letter.objects.values("number").distinct().count() == 5
