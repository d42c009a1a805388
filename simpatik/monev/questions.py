"""The Formulir Evaluasi Penerapan SOP AP (Permen PANRB 35/2012): seven questions, each shown
with the evidence the monitoring figures give for it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

QUESTIONS = [
    ("mendorong_kinerja", gettext_lazy("Mampu mendorong peningkatan kinerja")),
    ("mudah_dipahami", gettext_lazy("Mudah dipahami")),
    ("mudah_dilaksanakan", gettext_lazy("Mudah dilaksanakan")),
    ("peran_jelas", gettext_lazy("Semua orang dapat menjalankan perannya masing-masing")),
    (
        "mengatasi_masalah",
        gettext_lazy("Mampu mengatasi permasalahan yang berkaitan dengan proses"),
    ),
    (
        "kebutuhan_organisasi",
        gettext_lazy("Mampu menjawab kebutuhan peningkatan kinerja organisasi"),
    ),
    ("sinergi", gettext_lazy("Sistem berjalan dalam sinergi satu dengan lainnya")),
]
ANSWERS = [("ya", gettext_lazy("Ya")), ("tidak", gettext_lazy("Tidak"))]


def _n(value) -> str:
    if value is None:
        return "—"
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


def _on_time(figures) -> str:
    total = sum(s["completed"] for s in figures["steps"] if s["on_time_share"] is not None)
    if not total:
        return "—"
    on_time = sum(
        s["completed"] * s["on_time_share"]
        for s in figures["steps"]
        if s["on_time_share"] is not None
    )
    return f"{round(on_time / total * 100)}%"


def evidence(figures: dict) -> dict[str, str]:
    """Question key -> what the records say about it, in a sentence."""
    projects, steps = figures["projects"], figures["steps"]
    over = [
        str(s["number"]) for s in steps if s["over_share"] is not None and s["over_share"] > 0.5
    ]
    returned = sum(s["returned"] for s in steps)
    decided = sum(s["decided"] for s in steps)
    comments = sum(s["comments"] for s in steps)
    idle_roles = [r["role"] for r in figures["roles"] if not r["completed"]]
    not_run = [str(s["number"]) for s in steps if not s["dilaksanakan"]]
    return {
        "mendorong_kinerja": _(
            "%(finished)s proyek selesai; lama usulan sampai persetujuan median %(median)s, "
            "p90 %(p90)s hari kerja; %(on_time)s langkah selesai dalam Waktu."
        )
        % {
            "finished": projects["finished"],
            "median": _n(projects["lead_time_median"]),
            "p90": _n(projects["lead_time_p90"]),
            "on_time": _on_time(figures),
        },
        "mudah_dipahami": _(
            "Pekerjaan dikembalikan %(returned)s kali dari %(decided)s keputusan; "
            "%(comments)s komentar diskusi pada langkah-langkah."
        )
        % {"returned": returned, "decided": decided, "comments": comments},
        "mudah_dilaksanakan": _(
            "Langkah yang sebagian besar pelaksanaannya melebihi Waktu: %(over)s; "
            "%(late)s langkah terlambat pada akhir periode."
        )
        % {"over": ", ".join(over) or "—", "late": figures["overdue_total"]},
        "peran_jelas": _(
            "Peran tanpa langkah diselesaikan: %(idle)s; langkah tidak dilaksanakan: %(steps)s."
        )
        % {"idle": ", ".join(idle_roles) or "—", "steps": ", ".join(not_run) or "—"},
        "mengatasi_masalah": _(
            "%(suspended)s proyek ditangguhkan dalam periode; %(comments)s komentar diskusi."
        )
        % {"suspended": projects["suspended_in_period"], "comments": comments},
        "kebutuhan_organisasi": _(
            "%(requests)s usulan masuk, %(started)s proyek dimulai, %(finished)s selesai."
        )
        % {
            "requests": figures["requests_total"],
            "started": projects["started"],
            "finished": projects["finished"],
        },
        "sinergi": _("SOP terkait: %(related)s.")
        % {"related": "; ".join(figures["related"]) or "—"},
    }
