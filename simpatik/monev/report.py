"""What the Laporan Monitoring dan Evaluasi SOP says: labels, Indonesian numbers, WITA times."""

from __future__ import annotations

from django.utils import timezone

from simpatik.letters.kinds import tanggal_indonesia
from simpatik.monev.periods import Period
from simpatik.monev.questions import ANSWERS, QUESTIONS, evidence
from simpatik.oversight.services import addressee


def _n(value) -> str:
    if value is None:
        return "—"
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


def _share(value) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def report_context(evaluation, figures: dict, *, evaluator) -> dict:
    version = evaluation.sop_version
    period = Period(evaluation.periode, evaluation.start, evaluation.end)
    made = timezone.localtime()
    labels = dict(ANSWERS)
    shown = evidence(figures)
    by_step: dict[int, list[str]] = {}
    for item in figures["recommendations"]:
        by_step.setdefault(item["step"], []).append(item["text"])
    return {
        "period_label": period.label,
        "period_text": figures["period"]["range_text"],
        "made_text": f"{tanggal_indonesia(made.date())} pukul {made:%H.%M} WITA",
        "addressee": addressee(version.definition),
        "sop_title": version.judul,
        "sop_version": version.version,
        "evaluator": evaluator.display_name,
        "steps": [
            {
                "number": s["number"],
                "uraian": s["uraian"],
                "role": s["role"],
                "dilaksanakan": "Ya" if s["dilaksanakan"] else "Tidak",
                "waktu": s["waktu_label"],
                "completed": s["completed"],
                "median": _n(s["median"]),
                "p90": _n(s["p90"]),
                "on_time": _share(s["on_time_share"]),
                "loops": f"{s['returned']}/{s['decided']}" if s["decided"] else "—",
                "rounds": _n(s["mean_rounds"]),
                "comments": s["comments"],
                "excerpts": s["excerpts"],
                "tindakan": by_step.get(s["number"], []),
            }
            for s in figures["steps"]
        ],
        "questions": [
            {
                "text": str(text),
                "evidence": shown[key],
                "answer": str(labels.get(evaluation.answers[key]["jawaban"], "—")),
                "note": evaluation.answers[key]["catatan"],
            }
            for key, text in QUESTIONS
        ],
        "recommendations": [item["text"] for item in figures["recommendations"]],
    }
