"""The Formulir Monitoring Pelaksanaan SOP AP, filled from the records of a period.

Per step: was it carried out, how long it took against its Waktu (the oversight figures: median
and p90 in working days and the share within the Waktu, simpatik.oversight.stats), how often a
decision sent work back and how many rounds that took, and the problems people raised in the
step's discussion. Everything here is plain JSON (numbers and strings) so an evaluation can keep
exactly what its signed report printed.
"""

from __future__ import annotations

import re

from django.db.models import Count
from django.utils.text import Truncator

from simpatik.discussions.models import Comment
from simpatik.monev.periods import Period
from simpatik.oversight.stats import Filters, compute

EXCERPTS_PER_STEP = 2
_MARKUP = re.compile(r"[*_`#>\[\]]+")


def monitoring_figures(period: Period, version) -> dict:
    """What the monitoring form states for `period` under the SOP `version` (the active one)."""
    definition = version.definition
    figures = compute(Filters(start=period.start, end=period.as_of, as_of=period.as_of))
    loops = figures["loops"]
    discussions = _discussions(Filters(start=period.start, end=period.as_of))
    steps = []
    for row in figures["steps"]:
        number = row["number"]
        sent_back = [loop for loop in loops if loop["step"] == number]
        reopened = [loop for loop in loops if loop["returns_to"] == number]
        talk = discussions.get(number, {"comments": 0, "projects": 0, "excerpts": []})
        share = row["on_time_share"]
        steps.append(
            {
                "number": number,
                "uraian": row["uraian"],
                "role": row["role"],
                "waktu": row["waktu"],
                "waktu_label": definition.step(number).waktu_label,
                "completed": row["completed"],
                "dilaksanakan": row["completed"] > 0,
                "median": row["median"],
                "p90": row["p90"],
                "on_time_share": share,
                "over_share": None if share is None else round(1 - share, 3),
                "decided": sum(loop["decided"] for loop in sent_back),
                "returned": sum(loop["returned"] for loop in sent_back),
                "mean_rounds": max((loop["mean_rounds"] or 0 for loop in reopened), default=None),
                **talk,
            }
        )
    requests = figures["requests"]
    return {
        "period": {
            "key": period.key,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "as_of": period.as_of.isoformat(),
            "range_text": period.range_text,
        },
        "sop": {"kode": version.kode, "judul": version.judul, "version": version.version},
        "projects": figures["projects"],
        "overdue_total": figures["overdue_total"],
        "requests_total": sum(row["total"] for row in requests),
        "steps": steps,
        "loops": loops,
        "roles": _roles(definition, steps),
        "related": [str(item) for item in definition.identitas.get("keterkaitan") or ()],
    }


def _roles(definition, steps) -> list[dict]:
    """Each role's part: how many of its steps ran in the period, and how many it holds."""
    rows = []
    for role in definition.roles:
        own = [s for s in steps if definition.step(s["number"]).role == role["key"]]
        if not own:
            continue
        rows.append(
            {
                "role": role["nama"],
                "steps": len(own),
                "steps_done": sum(1 for s in own if s["dilaksanakan"]),
                "completed": sum(s["completed"] for s in own),
            }
        )
    return rows


def _discussions(filters: Filters) -> dict[int, dict]:
    """Comments written in the period on each step's discussion, with the latest few quoted."""
    first, last = filters.range
    comments = Comment.objects.filter(created_at__gte=first, created_at__lt=last)
    found: dict[int, dict] = {}
    for number, n, projects in (
        comments.values("step_run__step_number")
        .annotate(n=Count("pk"), projects=Count("step_run__project", distinct=True))
        .values_list("step_run__step_number", "n", "projects")
    ):
        latest = (
            comments.filter(step_run__step_number=number)
            .select_related("step_run__project")
            .order_by("-created_at", "-id")[:EXCERPTS_PER_STEP]
        )
        found[number] = {
            "comments": n,
            "projects": projects,
            "excerpts": [
                f"{c.step_run.project.kode}: "
                + Truncator(" ".join(_MARKUP.sub("", c.body).split())).chars(120)
                for c in latest
            ],
        }
    return found
