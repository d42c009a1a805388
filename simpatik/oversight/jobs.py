"""The monthly report's periodic job (run daily from simpatik.jobs.schedule)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import system_actor
from simpatik.core.errors import NotFound, ValidationError
from simpatik.core.workdays import is_working_day
from simpatik.jobs.registry import job
from simpatik.notifications.services import notify
from simpatik.oversight import services
from simpatik.sop.services import versions_in_force


@job("oversight.monthly_report", title="Laporan bulanan kinerja", max_attempts=3)
def monthly_report(today: str | None = None) -> str:
    """On the first working day of a month, the previous month's report of every SOP in force,
    and word of each to the dashboard's holders. The schedule runs this every day: before the
    first working day it does nothing; on a later working day it makes a report the first
    working day missed (a worker that was down), and finds an existing one otherwise. Both the
    report (unique per SOP and month) and the notices (one key per SOP and month) come once
    however often, and by however many workers, it runs."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    month_start = day.replace(day=1)
    if not is_working_day(day) or day < services.first_working_day(month_start):
        return "menunggu hari kerja pertama"
    month = services.previous_month(day)
    outcomes = [_report_of(version, month) for version in versions_in_force()]
    return " · ".join(outcomes) or "sop_not_loaded"


def _report_of(version, month) -> str:
    """One SOP's report of the month, and its notices: what happened, for the job's log."""
    try:
        report, made = services.issue_monthly_report(
            month, actor=system_actor(), via="jadwal", sop=version.kode
        )
    except (NotFound, ValidationError) as refused:  # not run yet in that month
        return f"{version.kode}: {refused.code}"
    with transaction.atomic():
        told = notify(
            "laporan.bulanan",
            services.dashboard_holders(),
            key=f"laporan-bulanan:{version.kode}:{month:%Y-%m}",
            message=_("Laporan bulanan kinerja SOP %(sop)s %(month)s terbit: nomor %(number)s.")
            % {
                "sop": version.judul,
                "month": services.month_text(month),
                "number": report.letter.number,
            },
            url=reverse("letters:download", args=[report.letter_id]),
        )
    return f"{version.kode}: {'dibuat' if made else 'sudah ada'}; {len(told)} diberi tahu"
