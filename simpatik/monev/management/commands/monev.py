"""`simpatik monev laporan --periode 2026-S2`: the monitoring form of a period on the console,
its recommendations, and (with --keluaran) the signed report's PDF once the evaluation is signed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from simpatik.accounts.commands import add_operator_argument, operator_from
from simpatik.core.errors import SimpatikError
from simpatik.monev import services
from simpatik.monev.models import Evaluation
from simpatik.monev.monitoring import monitoring_figures
from simpatik.monev.periods import parse_period
from simpatik.monev.recommendations import recommendations
from simpatik.sop.services import active_version


def _n(value) -> str:
    return "—" if value is None else f"{value:g}".replace(".", ",")


class Command(BaseCommand):
    help = "Monitoring dan evaluasi SOP: formulir monitoring dan laporan suatu periode."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["laporan"])
        parser.add_argument("--periode", required=True, help="TTTT-S1, TTTT-S2 atau TTTT")
        parser.add_argument(
            "--keluaran", type=Path, help="tulis PDF laporan yang sudah ditandatangani ke sini"
        )
        add_operator_argument(parser)

    def handle(self, *args, action, periode, keluaran, **options):
        user = operator_from(options)
        try:
            services.require_reader(user)
            period = parse_period(periode)
            version = active_version()
        except SimpatikError as exc:
            raise CommandError(exc.message) from exc
        evaluation = Evaluation.objects.filter(kode=version.kode, periode=period.key).first()
        if evaluation is not None and evaluation.final:
            figures = evaluation.figures
        else:
            figures = monitoring_figures(period, version)
            figures["recommendations"] = recommendations(figures)
        self.stdout.write(f"Monitoring SOP {figures['sop']['judul']} — {period.label}")
        self.stdout.write(figures["period"]["range_text"])
        self.stdout.write("Langkah  Dilaksanakan  Waktu  Selesai  Median  P90  Dalam Waktu")
        for s in figures["steps"]:
            share = "—" if s["on_time_share"] is None else f"{round(s['on_time_share'] * 100)}%"
            self.stdout.write(
                f"{s['number']:>7}  {'Ya' if s['dilaksanakan'] else 'Tidak':<12}  "
                f"{_n(s['waktu']):>5}  {s['completed']:>7}  {_n(s['median']):>6}  "
                f"{_n(s['p90']):>3}  {share:>11}"
            )
        for item in figures["recommendations"]:
            self.stdout.write(f"- {item['text']}")
        if evaluation is None or not evaluation.final:
            self.stdout.write("Evaluasi periode ini belum ditandatangani.")
            if keluaran:
                raise CommandError("Belum ada laporan yang ditandatangani untuk periode ini.")
            return
        self.stdout.write(f"Laporan nomor {evaluation.letter.number}.")
        if keluaran:
            with evaluation.letter.open() as handle:
                keluaran.write_bytes(handle.read())
            self.stdout.write(f"Ditulis: {keluaran}")
