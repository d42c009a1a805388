"""`simpatik cleanup --temp`: remove temporary files a killed or cut request left behind:
uploads in FILE_UPLOAD_TEMP_DIR and half-received packs (tmp_pack_*) in the git repositories;
and the files held for a form sent again (core.held) once their day is over, whatever the age
given.

Run it before the server starts (`make serve` does; in production, ExecStartPre of the web
service with `--older-than 0`) and periodically (hourly from the job runner or cron) with the
default age, which never touches an upload still in progress.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from simpatik.core import held
from simpatik.core.files import remove_older


def sweep_git(older_than_hours: float) -> None:
    """dulwich's own prune: tmp_pack_* and .pack files without an index, past the grace period."""
    from dulwich.repo import Repo

    git_root = Path(settings.SIMPATIK_GIT_ROOT)
    if not git_root.is_dir():
        return
    for path in git_root.glob("*.git"):
        Repo(str(path)).object_store.prune(grace_period=older_than_hours * 3600)


def sweep_temp(older_than_hours: float) -> int:
    return remove_older(Path(settings.FILE_UPLOAD_TEMP_DIR), older_than_hours)


class Command(BaseCommand):
    help = "Membersihkan berkas sementara (unggahan yang tertinggal)."

    def add_arguments(self, parser):
        parser.add_argument("--temp", action="store_true", help="berkas unggahan sementara")
        parser.add_argument(
            "--older-than",
            type=float,
            default=None,
            metavar="JAM",
            help="hanya yang lebih tua dari JAM jam (bawaan: SIMPATIK_TEMP_MAX_AGE_HOURS; "
            "0 saat server belum berjalan)",
        )

    def handle(self, *args, temp, older_than, **options):
        hours = settings.SIMPATIK_TEMP_MAX_AGE_HOURS if older_than is None else older_than
        removed = sweep_temp(hours)
        sweep_git(hours)
        released = held.sweep()
        self.stdout.write(
            f"{removed} berkas sementara dihapus dari {settings.FILE_UPLOAD_TEMP_DIR}; "
            f"{released} berkas titipan formulir yang lewat sehari dihapus."
        )
