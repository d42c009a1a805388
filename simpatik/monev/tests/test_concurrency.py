"""The Kadis and the Kabid sign the same evaluation at once, over real PostgreSQL connections:
one report, one number, and the second is told the evaluation is already final."""

import threading

import pytest
from django.db import connection, connections

from simpatik.accounts.permissions import system_actor
from simpatik.core.errors import Conflict
from simpatik.letters import pki
from simpatik.letters.models import Letter
from simpatik.monev import services
from simpatik.monev.models import Evaluation
from simpatik.monev.questions import QUESTIONS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_signers_of_one_evaluation_make_one_report(semester, people):
    assert connection.vendor == "postgresql"
    pki.init_ca()
    pki.enroll(system_actor())  # the seal's key exists before the threads race to use it
    evaluation, _made = services.start_evaluation("2026-S1", actor=people["kabid"])
    answers = {key: {"jawaban": "ya", "catatan": ""} for key, _text in QUESTIONS}
    services.save_answers(evaluation, answers, actor=people["kabid"])
    signers = [people["kadis"], people["kabid"]]
    barrier = threading.Barrier(len(signers))
    done, refused, errors = [], [], []

    def sign(actor):
        try:
            barrier.wait(timeout=10)
            done.append(services.finish_evaluation(evaluation, actor=actor).letter_id)
        except Conflict as exc:
            refused.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(actor,)) for actor in signers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert (len(done), refused) == (1, ["evaluation_final"])
    assert Letter.objects.filter(kind="laporan_monitoring_evaluasi").count() == 1
    assert Evaluation.objects.get().letter_id == done[0]
