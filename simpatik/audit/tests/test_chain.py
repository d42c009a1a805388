import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from simpatik.audit import actions
from simpatik.audit.models import AuditRecord
from simpatik.audit.services import batch, record, verify_chain

_TEST_CODES = ("test.written", "test.batch.one", "test.batch.two")


@pytest.fixture(autouse=True)
def _test_actions():
    """Codes only these tests write, registered for their duration (record() refuses others)."""
    actions.register(*(actions.Action(code, "Catatan uji") for code in _TEST_CODES))
    yield
    for code in _TEST_CODES:
        actions.ACTIONS.pop(code, None)


def _write(n, **kwargs):
    for i in range(n):
        with transaction.atomic():
            record("test.written", data={"i": i, "nested": {"b": [1, 2.5, "x"]}}, **kwargs)


@pytest.mark.django_db
def test_each_record_links_to_the_one_before(kabid):
    _write(3, actor=kabid, reason="karena")
    with transaction.atomic(), batch():
        record("test.batch.one")
        record("test.batch.two")
    rows = list(AuditRecord.objects.order_by("id"))
    assert all(len(r.hash) == 64 for r in rows)
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert verify_chain() == (len(rows), None, "")
    call_command("audit", "verify")


@pytest.mark.django_db
def test_audit_verify_names_the_row_edited_in_the_database(kabid):
    _write(4, actor=kabid)
    victim = AuditRecord.objects.order_by("id")[2]
    table = AuditRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET reason = %s WHERE id = %s", ["diubah", victim.pk])
    assert verify_chain()[1:] == (victim.pk, "hash")
    with pytest.raises(CommandError, match=f"id={victim.pk}"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_audit_verify_catches_a_deleted_row(kabid):
    _write(4, actor=kabid)
    rows = list(AuditRecord.objects.order_by("id"))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditRecord._meta.db_table} WHERE id = %s", [rows[1].pk])
    assert verify_chain()[1:] == (rows[2].pk, "prev_hash")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_valid_chain():
    assert connection.vendor == "postgresql"
    errors = []
    barrier = threading.Barrier(6)

    def worker():
        try:
            barrier.wait(timeout=10)
            _write(15)
        except Exception as exc:  # noqa: BLE001 - reported to the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert verify_chain() == (90, None, "")
