"""Housekeeping jobs run by the worker on the schedule in simpatik.jobs.schedule."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from simpatik.jobs.registry import job


@job("core.cleanup_temp", title="Membersihkan berkas unggahan sementara", max_attempts=3)
def cleanup_temp() -> int:
    from simpatik.core import held
    from simpatik.core.management.commands.cleanup import sweep_git, sweep_temp

    hours = settings.SIMPATIK_TEMP_MAX_AGE_HOURS
    removed = sweep_temp(hours)
    sweep_git(hours)
    return removed + held.sweep()


@job(
    "core.backup",
    title="Cadangan terjadwal",
    max_attempts=3,
    max_runtime=timedelta(hours=2),
)
def scheduled_backup() -> str:
    """A backup into SIMPATIK_BACKUP_DIR, keeping the newest SIMPATIK_BACKUP_KEEP; off when unset."""
    from simpatik.core.backup import archive

    directory = settings.SIMPATIK_BACKUP_DIR
    if not directory:
        return "tidak diatur"
    target_dir = Path(directory)
    target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = target_dir / f"simpatik-{stamp}.tar.gz"
    archive.create(target)
    archive.prune(target_dir, settings.SIMPATIK_BACKUP_KEEP)
    return str(target)


@job("core.purge_idempotency_keys", title="Menghapus kunci idempotensi kedaluwarsa", max_attempts=3)
def purge_idempotency_keys() -> int:
    from simpatik.core.models import IdempotencyKey

    deleted, _ = IdempotencyKey.objects.filter(
        created_at__lt=timezone.now() - timedelta(hours=24)
    ).delete()
    return deleted
