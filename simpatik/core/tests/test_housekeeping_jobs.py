"""The worker's housekeeping: temporary uploads swept, scheduled backups kept to N, old keys purged."""

import os
import time

import pytest

from simpatik.core import jobs


@pytest.mark.django_db
def test_the_hourly_sweep_removes_only_old_temporary_uploads(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.SIMPATIK_TEMP_MAX_AGE_HOURS = 6
    old, fresh = tmp_path / "old.upload", tmp_path / "fresh.upload"
    old.write_bytes(b"x" * 10)
    fresh.write_bytes(b"y" * 10)
    seven_hours_ago = time.time() - 7 * 3600
    os.utime(old, (seven_hours_ago, seven_hours_ago))
    assert jobs.cleanup_temp() == 1
    assert not old.exists() and fresh.exists()


@pytest.mark.django_db(transaction=True)
def test_scheduled_backups_are_written_and_only_the_newest_kept(settings, tmp_path, sop):
    settings.SIMPATIK_BACKUP_DIR = ""
    assert jobs.scheduled_backup() == "tidak diatur"
    settings.SIMPATIK_BACKUP_DIR = str(tmp_path / "cadangan")
    settings.SIMPATIK_BACKUP_KEEP = 1
    first = jobs.scheduled_backup()
    time.sleep(1.1)  # archive names carry the second
    second = jobs.scheduled_backup()
    kept = sorted(p.name for p in (tmp_path / "cadangan").iterdir())
    assert first != second and kept == [os.path.basename(second)]
