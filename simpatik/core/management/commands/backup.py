from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from simpatik.core.backup import BackupError, archive


class Command(BaseCommand):
    help = (
        "Cadangkan seluruh instalasi ke satu arsip: basis data, berkas unggahan, repositori git, "
        "kunci tanda tangan, zona DNS dan versi SOP, dengan manifest SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="berkas .tar.gz, atau direktori (nama: simpatik-TANGGAL-JAM.tar.gz)"
        )
        parser.add_argument(
            "--keep", type=int, default=0,
            help="simpan hanya N arsip simpatik-*.tar.gz terbaru di direktori itu",
        )  # fmt: skip

    def handle(self, *args, file, keep, **options):
        target = Path(file)
        if target.is_dir():
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            target = target / f"simpatik-{stamp}.tar.gz"
        try:
            manifest = archive.create(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Cadangan ditulis: {target} ({len(manifest['files'])} berkas).")
        for path in archive.prune(target.parent, keep) if keep else []:
            self.stdout.write(f"Dihapus (lebih dari {keep} terbaru): {path.name}")
