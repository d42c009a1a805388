import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from simpatik.accounts.commands import add_operator_argument, operator_from
from simpatik.core.context import request_id_scope
from simpatik.core.errors import SimpatikError
from simpatik.inventory import importing, queries
from simpatik.inventory.models import Application
from simpatik.inventory.spreadsheet import to_csv, to_xlsx

LABELS = {"new": "baru", "update": "diperbarui", "unchanged": "tidak berubah", "error": "GALAT"}


class Command(BaseCommand):
    help = "Impor inventaris dari .xlsx/.csv (dengan pratinjau), atau ekspor ke .xlsx/.csv/.json."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="simpan tanpa bertanya (untuk skrip)"
        )
        parser.add_argument("--valid-only", action="store_true", help="impor baris yang valid saja")
        add_operator_argument(parser)

    def handle(self, *args, action, file, yes, valid_only, **options):
        if action == "export":
            return self._export(file)
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from exc
        try:
            preview = importing.plan(file.name, content)
        except SimpatikError as exc:
            raise CommandError(exc.message) from exc
        for row in preview.rows:
            detail = "; ".join(f"{column}: {message}" for column, message in row.errors)
            detail = detail or ", ".join(
                f"{f}: {a!s} -> {b!s}" for f, (a, b) in row.changes.items()
            )
            self.stdout.write(
                f"baris {row.number:>4}  {LABELS[row.status]:<14} {row.nama}  {detail}"
            )
        counts = preview.counts
        self.stdout.write(
            f"Ringkasan: {counts['new']} baru, {counts['update']} diperbarui, "
            f"{counts['unchanged']} tidak berubah, {counts['error']} galat."
        )
        if preview.has_errors and not valid_only:
            raise CommandError(
                "Ada baris bermasalah: tidak ada yang diimpor (pakai --valid-only untuk "
                "mengimpor baris yang valid saja)."
            )
        if counts["new"] + counts["update"] == 0:
            self.stdout.write("Tidak ada yang perlu disimpan.")
            return
        actor = operator_from(options, "kelola_inventaris")
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(
                    "Tidak ada jawaban konfirmasi: jalankan dengan --yes untuk menyimpan."
                )
            if input("Simpan ke inventaris? [y/N] ").strip().lower() not in {"y", "ya", "yes"}:
                raise CommandError("Dibatalkan: tidak ada yang diimpor.")
        with request_id_scope():
            summary = importing.apply(
                preview, actor=actor, valid_only=valid_only, via="cli", filename=file.name
            )
        self.stdout.write(f"Diimpor: {summary['created']} baru, {summary['updated']} diperbarui.")

    def _export(self, file: Path):
        applications = Application.objects.active().select_related("opd")
        suffix = file.suffix.lower()
        if suffix == ".json":
            import json

            file.write_text(
                json.dumps(queries.export_json(applications), ensure_ascii=False, indent=1)
            )
        elif suffix == ".csv":
            file.write_bytes(to_csv(*queries.export_table(applications)))
        elif suffix == ".xlsx":
            file.write_bytes(to_xlsx(*queries.export_table(applications)))
        else:
            raise CommandError("Akhiran berkas harus .xlsx, .csv atau .json")
        self.stdout.write(f"Diekspor: {applications.count()} aplikasi ke {file}")
