"""Gapless numbering: take the next number inside the caller's transaction."""

from django.db import transaction

from simpatik.core.models import Sequence


def next_number(name: str, year: int) -> int:
    """Lock the counter row until the caller's transaction ends, so numbers never repeat or skip.

    A rolled-back transaction gives its number back, which is what keeps the sequence gapless.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside transaction.atomic")
    Sequence.objects.bulk_create([Sequence(name=name, year=year)], ignore_conflicts=True)
    row = Sequence.objects.select_for_update().get(name=name, year=year)
    row.last += 1
    Sequence.objects.filter(pk=row.pk).update(last=row.last)
    return row.last
