"""Periodic work, one table in code. The worker starts each entry once per period; the unique
(name, period start) row makes that true however many workers run."""

from dataclasses import dataclass, field
from datetime import timedelta

from simpatik.jobs.registry import job


@dataclass(frozen=True)
class Periodic:
    name: str
    job: str
    every: timedelta
    kwargs: dict = field(default_factory=dict)
    # Start this long after the period begins (periods begin at local midnight): 7 h = 07:00 WITA.
    offset: timedelta = timedelta()


@job("jobs.prune_task_results", title="Membersihkan catatan antrean lama", max_attempts=3)
def prune_task_results(days: int = 7) -> int:
    """The task backend's own rows of finished runs; our Job rows (the record) are kept."""
    from django.conf import settings
    from django.utils import timezone

    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return 0
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


SCHEDULE: list[Periodic] = [
    Periodic("bersihkan-antrean", "jobs.prune_task_results", timedelta(days=1)),
    # Reminders, overdue notices and escalation, before the office opens (06:00 WITA): the
    # morning's digest then carries them.
    Periodic(
        "batas-waktu", "notifications.deadline_sweep", timedelta(days=1), offset=timedelta(hours=6)
    ),
    Periodic(
        "bersihkan-unggahan", "core.cleanup_temp", timedelta(days=1), offset=timedelta(hours=2)
    ),
    Periodic(
        "kunci-idempotensi",
        "core.purge_idempotency_keys",
        timedelta(days=1),
        offset=timedelta(hours=3),
    ),
    Periodic(
        "ringkasan-notifikasi", "notifications.digest", timedelta(days=1), offset=timedelta(hours=7)
    ),
    # Letters left waiting for a TTE that needs no passphrase (simpatik.letters.services).
    Periodic("naskah-menunggu-tte", "letters.sign_waiting", timedelta(hours=1)),
    # Daily at 06:30 WITA; the job itself acts from the first working day of a month, once.
    Periodic(
        "laporan-bulanan",
        "oversight.monthly_report",
        timedelta(days=1),
        offset=timedelta(hours=6, minutes=30),
    ),
]
