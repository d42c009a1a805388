from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from simpatik.core.context import request_id_scope
from simpatik.sop.definition import DefinitionError
from simpatik.sop.services import check_definition_text, load_definition


class Command(BaseCommand):
    help = "Periksa (check) atau muat (load) definisi SOP dari berkas YAML."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "load"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--note", default="", help="catatan revisi untuk versi baru")

    def handle(self, *args, action, file, note, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from exc
        try:
            if action == "check":
                definition = check_definition_text(text)
                self.stdout.write(
                    f"OK: {definition.kode}, {len(definition.steps)} langkah, "
                    f"{len(definition.roles)} peran."
                )
                return
            with request_id_scope():
                result = load_definition(text, note=note, via="cli")
        except DefinitionError as exc:
            raise CommandError(
                "Definisi SOP ditolak:\n" + "\n".join(f"- {p}" for p in exc.problems)
            ) from exc
        version = result.version
        if result.created:
            self.stdout.write(f"Dimuat: {version.kode} versi {version.version}.")
        else:
            self.stdout.write(
                f"Tidak berubah: {version.kode} versi {version.version} sudah dimuat."
            )
