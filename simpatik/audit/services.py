"""Writing the audit trail. Call `record` inside the transaction of the change it describes."""

import contextvars
import re
from contextlib import contextmanager

from django.db import transaction

from simpatik.accounts.delegation import on_behalf
from simpatik.audit import actions, chain
from simpatik.audit.models import AuditRecord
from simpatik.core.context import current_request_id
from simpatik.core.sql import insert

_batch: contextvars.ContextVar[list | None] = contextvars.ContextVar("audit_batch", default=None)


@contextmanager
def batch():
    """Collect the records of one action and insert them together, still in its transaction."""
    if _batch.get() is not None:
        yield
        return
    pending: list[AuditRecord] = []
    token = _batch.set(pending)
    try:
        yield
        if pending:
            _append(pending)
    finally:
        _batch.reset(token)


_SECRET_WORDS = ("password", "passphrase", "token", "secret", "api_key", "apikey", "pin")
_SECRET = re.compile("|".join(_SECRET_WORDS))  # a key containing any of the words


def mask_secrets(value):
    if isinstance(value, dict):
        return {
            key: "***" if _SECRET.search(str(key).lower()) else mask_secrets(v)
            for key, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_secrets(item) for item in value]
    return value


def record(
    action: str,
    *,
    actor=None,
    project=None,
    step_number: int | None = None,
    obj=None,
    data: dict | None = None,
    reason: str = "",
    via: str = "",
) -> AuditRecord:
    if not transaction.get_connection().in_atomic_block:
        # The record must commit or roll back with the change it describes.
        raise RuntimeError("audit.record must be called inside transaction.atomic")
    registered = actions.get(action)
    if registered is None:
        # Every recorded action has a sentence people can read (simpatik/audit/actions.py).
        raise ValueError(f"audit action {action!r} is not registered in simpatik.audit.actions")
    # Acting as Plh/Plt: the record names the official too (issue 10: "records both names").
    acting = on_behalf(
        actor, project=project, step_number=step_number, authority=registered.authority
    )
    if acting:
        data = {**(data or {}), **acting}
    entry = AuditRecord(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.display_name if actor is not None and actor.pk else "sistem"),
        action=action,
        project=project,
        step_number=step_number,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=mask_secrets(data or {}),
        reason=reason or "",
        request_id=current_request_id() or "",
        via=via,
    )
    pending = _batch.get()
    if pending is not None:
        pending.append(entry)
    else:
        _append([entry])
    return entry


def _append(entries: list[AuditRecord]) -> None:
    """Link entries to the chain head and insert them, holding the chain lock until commit."""
    chain.seal(entries, chain.locked_head())
    insert(entries)  # one statement, the new ids returned


def verify_chain() -> tuple[int, int | None, str]:
    """Check the whole trail; returns (rows checked, first broken row id or None, reason)."""
    fields = ("id", "prev_hash", "hash", *chain.HASHED_FIELDS)
    rows = AuditRecord.objects.order_by("id").values(*fields).iterator(chunk_size=2000)
    return chain.verify(rows)
