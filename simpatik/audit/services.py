"""Writing the audit trail. Call `record` inside the transaction of the change it describes."""

from django.db import transaction

from simpatik.audit.models import AuditRecord
from simpatik.core.context import current_request_id

_SECRET_WORDS = ("password", "passphrase", "token", "secret", "api_key", "apikey", "pin")


def mask_secrets(value):
    if isinstance(value, dict):
        return {
            key: "***"
            if any(word in str(key).lower() for word in _SECRET_WORDS)
            else mask_secrets(v)
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
    return AuditRecord.objects.create(
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
