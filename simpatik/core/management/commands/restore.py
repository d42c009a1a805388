from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from simpatik.core.backup import BackupError, archive


class Command(BaseCommand):
    help = (
        "Pulihkan arsip `simpatik backup` ke instalasi KOSONG: manifest diperiksa sebelum apa pun "
        "ditulis; sesudahnya git fsck setiap repositori dan pemeriksaan rantai jejak audit."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            manifest = archive.restore(Path(file))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Dipulihkan: {len(manifest['files'])} berkas dari cadangan {manifest['created_at']}."
        )
        problems = archive.fsck(archive.directories()["git"])
        if problems:
            raise CommandError("git fsck menemukan masalah:\n  " + "\n  ".join(problems))
        self.stdout.write("git fsck: semua repositori utuh.")
        call_command("audit", "verify", stdout=self.stdout)
