import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from simpatik.accounts.commands import add_operator_argument, operator_from
from simpatik.accounts.models import Opd
from simpatik.core.context import request_id_scope
from simpatik.core.errors import SimpatikError
from simpatik.inventory import importing, queries, spbe
from simpatik.inventory.fields import COLUMNS, HEADER_VARIANTS
from simpatik.inventory.models import Application
from simpatik.inventory.spreadsheet import normalize_header, to_csv, to_xlsx

LABELS = {"new": "baru", "update": "diperbarui", "unchanged": "tidak berubah", "error": "GALAT"}


class Command(BaseCommand):
    help = (
        "Impor inventaris dari .xlsx/.ods/.csv (dengan pratinjau), atau ekspor ke .xlsx/.csv/.json."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            choices=["import", "export", "spbe"],
            help="spbe: Katalog Aplikasi SPBE (templat nasional) ke .xlsx/.json",
        )
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="simpan tanpa bertanya (untuk skrip)"
        )
        parser.add_argument("--valid-only", action="store_true", help="impor baris yang valid saja")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="KOLOM=FIELD",
            help="baca KOLOM (judul, huruf atau nomor kolom) sebagai FIELD (mis. opd, nama, "
            "pengembang); FIELD '-' mengabaikan kolom itu",
        )
        parser.add_argument(
            "--create-opd",
            action="store_true",
            help="buat OPD baru untuk nama OPD yang tidak dikenal (setelah konfirmasi)",
        )
        parser.add_argument(
            "--opd",
            action="append",
            default=[],
            metavar="TEKS=KODE",
            help="OPD yang dimaksud oleh TEKS di berkas (kode atau singkatan OPD, atau 'baru')",
        )
        parser.add_argument(
            "--pengembang",
            action="append",
            default=[],
            metavar="TEKS=KELAS",
            help="kelas sumber pengembang untuk TEKS di berkas: "
            + ", ".join(Application.Pengembang.values),
        )
        add_operator_argument(parser)

    def handle(self, *args, action, file, yes, valid_only, **options):
        if action == "export":
            return self._export(file)
        if action == "spbe":
            return self._spbe(file)
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from exc
        choices = self._choices(options)
        try:
            preview = importing.plan(file.name, content, choices)
        except SimpatikError as exc:
            raise CommandError(exc.message) from exc
        self._describe(preview)
        for row in preview.rows:
            detail = "; ".join(f"{column}: {message}" for column, message in row.errors)
            detail = detail or ", ".join(
                f"{f}: {a!s} -> {b!s}" for f, (a, b) in row.changes.items()
            )
            detail = "; ".join([*row.notes, detail] if detail else row.notes)
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
        if summary["opds_created"]:
            self.stdout.write(f"OPD baru: {', '.join(summary['opds_created'])}.")
        if summary["aliases"]:
            self.stdout.write(f"Nama lain OPD yang dipelajari: {'; '.join(summary['aliases'])}.")

    @staticmethod
    def _pairs(values: list[str], option: str) -> list[tuple[str, str]]:
        pairs = []
        for value in values:
            text, equals, answer = value.rpartition("=")
            if not equals or not text.strip():
                raise CommandError(f"{option} '{value}': tulis TEKS=NILAI.")
            pairs.append((text.strip(), answer.strip()))
        return pairs

    def _choices(self, options) -> importing.Choices:
        choices = importing.Choices(create_opds=options["create_opd"])
        names = {normalize_header(importing.field_label(f)): f for f in COLUMNS}
        for name, variants in HEADER_VARIANTS.items():
            names.update(dict.fromkeys(variants, name))
        for column, wanted in self._pairs(options["map"], "--map"):
            if wanted in {"-", "abaikan"}:
                field = ""
            else:
                field = wanted if wanted in COLUMNS else names.get(normalize_header(wanted))
            if field is None:
                raise CommandError(
                    f"--map {column}={wanted}: field tidak dikenal (pilih: {', '.join(COLUMNS)})."
                )
            choices.columns[column] = field
        for text, kode in self._pairs(options["opd"], "--opd"):
            if kode.lower() == "baru":
                choices.opds[normalize_header(text)] = "baru"
                continue
            opd = (
                Opd.objects.filter(kode=kode).first()
                or Opd.objects.filter(singkatan__iexact=kode).first()
            )
            if opd is None:
                raise CommandError(f"--opd {text}={kode}: OPD dengan kode '{kode}' tidak ada.")
            choices.opds[normalize_header(text)] = str(opd.pk)
        for text, klass in self._pairs(options["pengembang"], "--pengembang"):
            if klass not in Application.Pengembang.values:
                raise CommandError(
                    f"--pengembang {text}={klass}: kelas tidak dikenal "
                    f"(pilih: {', '.join(Application.Pengembang.values)})."
                )
            choices.developers[normalize_header(text)] = klass
        return choices

    def _describe(self, preview) -> None:
        """Which column went where, what each OPD and developer text became, before the rows."""
        write = self.stdout.write
        for note in preview.notes:
            write(f"Catatan: {note}")
        write("Kolom:")
        for column in preview.columns:
            target = column.field_label or "-"
            write(
                f"  {column.letter:>3}  {column.header[:30]:<30} -> {target} ({column.source_label})"
            )
        if preview.opds:
            write("OPD:")
        for match in preview.opds:
            rows = ", ".join(map(str, match.rows[:10]))
            if match.opd is not None:
                found = f"{match.opd} ({match.method_label}, skor {match.score})"
            elif match.create:
                found = "OPD baru, dibuat saat disimpan"
            else:
                similar = ", ".join(f"{opd} {score}" for opd, score in match.suggestions)
                found = "belum dikenal" + (f" (mirip: {similar})" if similar else "")
                found += f'; pakai --create-opd atau --opd "{match.text}=KODE"'
            write(f'  "{match.text}" -> {found}  [baris {rows}]')
        if preview.developers:
            write("Sumber pengembang:")
        for source in preview.developers:
            if source.klass:
                found = f"{source.klass_label} ({source.reason})"
            else:
                found = f'belum diketahui; pakai --pengembang "{source.text}=KELAS"'
            write(f'  "{source.text}" -> {found}')

    def _write(self, file: Path, formats: dict, what: str, count: int):
        """Write `file` with the maker its suffix names (each maker returns the bytes)."""
        make = formats.get(file.suffix.lower())
        if make is None:
            raise CommandError(f"Akhiran berkas harus {' atau '.join(formats)}")
        file.write_bytes(make())
        self.stdout.write(f"{what}: {count} aplikasi ke {file}")

    def _export(self, file: Path):
        applications = Application.objects.active().select_related("opd")
        formats = {
            ".xlsx": lambda: to_xlsx(*queries.export_table(applications)),
            ".csv": lambda: to_csv(*queries.export_table(applications)),
            ".json": lambda: _json(queries.export_json(applications)),
        }
        self._write(file, formats, "Diekspor", applications.count())

    def _spbe(self, file: Path):
        applications = Application.objects.active()
        formats = {
            ".xlsx": lambda: spbe.as_xlsx(applications),
            ".json": lambda: _json(spbe.as_json(applications)),
        }
        self._write(file, formats, "Katalog SPBE", applications.count())


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode()
