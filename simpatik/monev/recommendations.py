"""Recommendations computed from the monitoring figures, and the SOP revision one proposes.

- A step whose runs mostly exceed its Waktu ("tinjau Waktu langkah N") proposes a revision:
  its Waktu raised to the measured p90, rounded up to whole working days.
- A decision that often sends work back ("perjelas Kelengkapan langkah N") needs a person to
  say what to clarify, so it proposes no text.
"""

from __future__ import annotations

import math
import re

from django.utils.translation import gettext as _

from simpatik.core.errors import ValidationError

MIN_RUNS = 2  # one late run is an incident, not a pattern
OVER_SHARE = 0.5  # "in most projects"
RETURN_SHARE = 0.5


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _number(value) -> str:
    return f"{value:g}".replace(".", ",")


def recommendations(figures: dict) -> list[dict]:
    found = []
    for step in figures["steps"]:
        over, p90, waktu = step["over_share"], step["p90"], step["waktu"]
        if (
            waktu
            and step["completed"] >= MIN_RUNS
            and over is not None
            and over > OVER_SHARE
            and p90 is not None
            and p90 > waktu
        ):
            proposed = math.ceil(p90)
            found.append(
                {
                    "key": f"waktu-{step['number']}",
                    "step": step["number"],
                    "text": _(
                        "Tinjau Waktu langkah %(n)d: %(share)s pelaksanaan melebihi Waktu "
                        "%(waktu)d hari kerja (p90 %(p90)s); usulan Waktu %(new)d hari kerja."
                    )
                    % {
                        "n": step["number"],
                        "share": _percent(over),
                        "waktu": waktu,
                        "p90": _number(p90),
                        "new": proposed,
                    },
                    "waktu": waktu,
                    "proposed_waktu": proposed,
                    "revisable": True,
                }
            )
    for loop in figures["loops"]:
        decided, returned = loop["decided"], loop["returned"]
        if decided >= MIN_RUNS and returned / decided >= RETURN_SHARE:
            found.append(
                {
                    "key": f"kelengkapan-{loop['returns_to']}",
                    "step": loop["returns_to"],
                    "text": _(
                        "Perjelas Kelengkapan langkah %(n)d: keputusan langkah %(decision)d "
                        "mengembalikan pekerjaan %(returned)d dari %(decided)d kali."
                    )
                    % {
                        "n": loop["returns_to"],
                        "decision": loop["step"],
                        "returned": returned,
                        "decided": decided,
                    },
                    "revisable": False,
                }
            )
    return found


def with_waktu(source: str, step_number: int, waktu: int, *, comment: str) -> str:
    """The SOP text with one step's Waktu changed, everything else (comments, order) untouched,
    and a comment on top saying where the revision came from."""
    lines = source.splitlines(keepends=True)
    start = next(
        (i for i, line in enumerate(lines) if re.match(rf"^  - number: {step_number}\s*$", line)),
        None,
    )
    if start is None:
        raise ValidationError(
            _("Langkah %(n)d tidak ditemukan pada teks SOP.") % {"n": step_number},
            code="step_not_in_source",
        )
    for i in range(start + 1, len(lines)):
        if re.match(r"^  - |^\S", lines[i]):
            break
        if re.match(r"^    waktu:\s*\S", lines[i]):
            lines[i] = f"    waktu: {waktu}\n"
            return f"# {comment}\n" + "".join(lines)
    raise ValidationError(
        _("Langkah %(n)d tidak mempunyai Waktu tetap pada teks SOP.") % {"n": step_number},
        code="step_without_waktu",
    )
