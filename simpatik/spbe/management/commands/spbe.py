import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from simpatik.accounts.commands import add_operator_argument, operator_from, version_loader
from simpatik.core.context import request_id_scope
from simpatik.core.errors import SimpatikError
from simpatik.sop.definition import DefinitionError
from simpatik.spbe import services
from simpatik.spbe.models import MappingVersion


class Command(BaseCommand):
    help = (
        "Pemetaan SOP ke kerangka SPBE (check-mapping, load-mapping BERKAS) dan bundel bukti "
        "per SOP dan indikator (bundle INDIKATOR --tahun TTTT [--sop KODE] [--output BERKAS])."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("check-mapping", "load-mapping"):
            command = sub.add_parser(name)
            command.add_argument("file", type=Path)
            command.add_argument("--note", default="", help="catatan revisi untuk versi baru")
            add_operator_argument(command)
        bundle = sub.add_parser("bundle")
        bundle.add_argument("indicator", help="kode indikator di berkas pemetaan, mis. I.15")
        bundle.add_argument("--tahun", type=int, required=True)
        bundle.add_argument("--sop", default=None, help="kode SOP yang berlaku (bawaan: SOP induk)")
        bundle.add_argument("--output", type=Path, help="berkas ZIP (bawaan: nama bundel)")
        add_operator_argument(bundle)

    def handle(self, *args, action, **options):
        if action == "bundle":
            return self._bundle(options)
        try:
            text = options["file"].read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from exc
        try:
            if action == "check-mapping":
                mapping, sop_version = services.check_mapping_text(text)
                self.stdout.write(
                    f"OK: {mapping.kode}, {len(mapping.step_stage)} langkah, "
                    f"{len(mapping.indicators)} indikator (SOP {sop_version})."
                )
                return
            actor = self._loader(options, text)
            with request_id_scope():
                result = services.load_mapping(text, actor=actor, note=options["note"], via="cli")
        except DefinitionError as exc:
            raise CommandError(
                "Pemetaan SPBE ditolak:\n" + "\n".join(f"- {p}" for p in exc.problems)
            ) from exc
        version = result.version
        if result.created:
            self.stdout.write(f"Dimuat: {version.kode} versi {version.version}.")
        else:
            self.stdout.write(
                f"Tidak berubah: {version.kode} versi {version.version} sudah dimuat."
            )

    def _loader(self, options, text):
        """As `simpatik sop load`: a new version is loaded by an administrator (`--as`) once the
        installation has one; the same text against the same SOP again needs nobody."""
        mapping, sop_version = services.check_mapping_text(text)
        digest = hashlib.sha256(text.encode()).hexdigest()
        latest = MappingVersion.objects.filter(kode=mapping.kode).order_by("-version").first()
        unchanged = (
            latest is not None
            and latest.sha256 == digest
            and latest.sop_version_id == sop_version.pk
        )
        return version_loader(options, unchanged=unchanged)

    def _bundle(self, options):
        actor = operator_from(options, "lihat_dasbor")
        try:
            with request_id_scope():
                made = services.make_bundle(
                    options["indicator"],
                    options["tahun"],
                    actor=actor,
                    via="cli",
                    sop=options["sop"],
                )
        except SimpatikError as exc:
            raise CommandError(exc.message) from exc
        output = options["output"] or Path(made.filename)
        try:
            output.write_bytes(made.content)
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat ditulis: {exc}") from exc
        self.stdout.write(f"Bundel {output}: {len(made.items)} bukti.")
