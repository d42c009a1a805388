"""Evaluation periods: a semester ("2026-S1", "2026-S2") or a year ("2026"), as Permen PANRB
35/2012 asks an SOP to be evaluated every six months and every year."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.core.errors import ValidationError
from simpatik.letters.kinds import tanggal_indonesia

_PERIOD = re.compile(r"^([0-9]{4})(?:-[Ss]([12]))?$")


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        year, _sep, half = self.key.partition("-S")
        if not half:
            return f"Tahun {year}"
        return f"Semester {'I' if half == '1' else 'II'} Tahun {year}"

    @property
    def as_of(self) -> dt.date:
        """The last day the figures cover: the period's end, or today while it runs."""
        return min(self.end, timezone.localdate())

    @property
    def range_text(self) -> str:
        return f"{tanggal_indonesia(self.start)} – {tanggal_indonesia(self.as_of)}"


def parse_period(text: str) -> Period:
    """'TTTT-S1', 'TTTT-S2' or 'TTTT', begun by today, or a clear refusal."""
    match = _PERIOD.match((text or "").strip())
    if not match or int(match.group(1)) < 2000:
        raise ValidationError(
            _("Periode harus berformat TTTT-S1, TTTT-S2 (semester) atau TTTT (tahun)."),
            code="invalid_period",
        )
    year, half = int(match.group(1)), match.group(2)
    if half is None:
        period = Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))
    elif half == "1":
        period = Period(f"{year}-S1", dt.date(year, 1, 1), dt.date(year, 6, 30))
    else:
        period = Period(f"{year}-S2", dt.date(year, 7, 1), dt.date(year, 12, 31))
    if period.start > timezone.localdate():
        raise ValidationError(
            _("Periode %(period)s belum dimulai.") % {"period": period.label},
            code="period_not_started",
        )
    return period


def current_period(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{today.year}-S{1 if today.month <= 6 else 2}"
