"""The audit trail as a hash chain: each row seals its own content and the row before it.

Editing, deleting or reordering a row in the database (bypassing the append-only queryset)
breaks the chain from that row on, and `simpatik audit verify` names the first broken row.
"""

import hashlib
import json
from datetime import UTC

from django.db import connection

GENESIS = "0" * 64
# Any constant works; it only has to be the same for every writer of this database.
_ADVISORY_KEY = 0x5A4D_A0D1

HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "project_id",
    "step_number",
    "object_type",
    "object_id",
    "data",
    "reason",
    "request_id",
    "via",
)


def _canonical(value):
    # The text strftime("%Y-%m-%dT%H:%M:%S.%fZ") gives (the chain's format since its first row),
    # without strftime: glibc's runs tzset() on every call, a stat of /etc/localtime each time.
    if hasattr(value, "astimezone"):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    return value


def content_hash(values: dict, prev_hash: str) -> str:
    """SHA-256 over a canonical JSON of the row's fields and the hash of the row before it."""
    fields = {name: _canonical(values[name]) for name in HASHED_FIELDS}
    # A JSON round trip first, so the hash of what we write equals the hash of what we read back.
    fields["data"] = json.loads(json.dumps(fields["data"]))
    fields["prev_hash"] = prev_hash
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def locked_head() -> str:
    """The chain head's hash (GENESIS for an empty trail), read once writers of the chain are
    serialised until the end of the current transaction.

    Without the lock two transactions could read the same head and both link to it. PostgreSQL:
    a transaction-scoped advisory lock, sent with the read as two statements in one round trip;
    each statement of such a query takes its own snapshot when it starts, so the head is read
    after the lock is granted. SQLite: transactions start IMMEDIATE (settings), so the database
    write lock is already held and only one writer runs at a time.
    """
    from simpatik.audit.models import AuditRecord  # not at import: a migration imports this

    table = connection.ops.quote_name(AuditRecord._meta.db_table)
    head_sql = f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # No parameters: a query of several statements is sent as one (simple protocol).
            cursor.execute(f"SELECT pg_advisory_xact_lock({_ADVISORY_KEY}); {head_sql}")
            cursor.nextset()
        else:
            cursor.execute(head_sql)
        row = cursor.fetchone()
    return row[0] if row else GENESIS


def seal(entries, head_hash: str) -> None:
    """Set prev_hash and hash on unsaved entries, in order, after `head_hash`."""
    for entry in entries:
        entry.prev_hash = head_hash
        entry.hash = content_hash({name: getattr(entry, name) for name in HASHED_FIELDS}, head_hash)
        head_hash = entry.hash


def verify(rows) -> tuple[int, int | None, str]:
    """Walk rows (dicts with id, prev_hash, hash and HASHED_FIELDS) in id order.

    Returns (rows checked, id of the first broken row or None, why it is broken).
    """
    expected_prev = GENESIS
    count = 0
    for row in rows:
        count += 1
        if row["prev_hash"] != expected_prev:
            return count, row["id"], "prev_hash"
        if content_hash(row, row["prev_hash"]) != row["hash"]:
            return count, row["id"], "hash"
        expected_prev = row["hash"]
    return count, None, ""
