"""Laporan bulanan kinerja pengembangan aplikasi: the dashboard's figures for one month, as an
official document for the head of the oversight chain (the Kadis in the shipped SOP).

One report per SOP in force and month: its figures count that SOP's projects and steps only, and
its title names the SOP. (SOP, month) is unique, so a second worker or a second click gets the
first report rather than a second number. The report is numbered in the letters' yearly register and
sealed by SIMPATIK (letters.services.issue_sealed: the figures are SIMPATIK's reckoning, not an
official's statement, and a periodic job holds nobody's passphrase). The periodic job
(oversight.jobs) makes the previous month's report of every SOP in force on the first working
day of a month; holders of `lihat_dasbor` make the report of any SOP and ended month on demand
from the dashboard.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.accounts.delegation import capability_holders
from simpatik.accounts.permissions import can, is_system, require
from simpatik.core.errors import ValidationError
from simpatik.core.workdays import add_working_days
from simpatik.letters.kinds import MONTHS_ID, tanggal_indonesia
from simpatik.letters.services import issue_sealed
from simpatik.oversight.models import MonthlyReport
from simpatik.oversight.stats import Filters, compute
from simpatik.projects.models import Need
from simpatik.sop.models import SopVersion
from simpatik.sop.services import version_in_force

KIND = "laporan_bulanan"
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")


def month_text(month: dt.date) -> str:
    return f"{MONTHS_ID[month.month - 1]} {month.year}"


def month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def first_working_day(month: dt.date) -> dt.date:
    """The month's first working day (holidays and cuti bersama as the engine counts them)."""
    return add_working_days(month.replace(day=1), 0)


def parse_month(text: str) -> dt.date:
    """'TTTT-BB' (an <input type="month">) as the month's first day, or a clear refusal."""
    match = _MONTH.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise ValidationError(
            _("Bulan harus berformat TTTT-BB, misalnya 2026-01."), code="invalid_month"
        )
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def addressee(definition) -> str:
    """Whom the report is for: the dashboard's holders that no other holder supervises (the top
    of the `supervises` chain), else the official who approved the SOP."""
    holders = [r for r in definition.roles if "lihat_dasbor" in definition.grants[r["key"]]]
    supervised = {key for role in holders for key in role.get("supervises") or ()}
    heads = [
        role.get("jabatan") or role["nama"] for role in holders if role["key"] not in supervised
    ]
    if heads:
        return ", ".join(heads)
    return (definition.identitas.get("disahkan_oleh") or {}).get("jabatan", "")


def dashboard_holders() -> list:
    """The people who see the dashboard (`lihat_dasbor`) today, SIMPATIK itself left out: a
    Plh/Plt standing in for a holder, not the official away."""
    candidates = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(pk__in=capability_holders("lihat_dasbor").values("pk")) | Q(is_superuser=True))
        .order_by("username")
    )
    return [user for user in candidates if not is_system(user) and can(user, "lihat_dasbor")]


def _first_use(kode: str) -> dt.date | None:
    """The day the SOP's first version was loaded: no report of it before that month."""
    first = (
        SopVersion.objects.filter(kode=kode)
        .order_by("loaded_at")
        .values_list("loaded_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def report_title(version, month: dt.date) -> str:
    """The report's title names its SOP (the document is Indonesian whatever the screen)."""
    return f"Laporan Bulanan Kinerja SOP {version.judul} {month_text(month)}"


def issue_monthly_report(
    month: dt.date, *, actor, via: str = "", sop: str | None = None
) -> tuple[MonthlyReport, bool]:
    """The month's report of the SOP `sop` (a code in force; the seed SOP when none is named),
    made now if it does not exist yet: (report, made now?)."""
    require(
        actor, "lihat_dasbor", message=_("Laporan bulanan hanya untuk pemegang dasbor pengawasan.")
    )
    version = version_in_force(sop)
    kode = version.kode
    month = month.replace(day=1)
    last = month_end(month)
    if last >= timezone.localdate():
        raise ValidationError(
            _("Bulan %(month)s belum berakhir; laporannya dapat dibuat mulai bulan berikutnya.")
            % {"month": month_text(month)},
            code="month_not_over",
        )
    existing = MonthlyReport.objects.filter(sop=kode, month=month).select_related("letter")
    if (found := existing.first()) is not None:
        return found, False
    first_use = _first_use(kode)
    if first_use is None or last < first_use:
        raise ValidationError(
            _(
                "SOP %(sop)s belum dijalankan SIMPATIK pada bulan %(month)s: tidak ada yang dilaporkan."
            )
            % {"sop": kode, "month": month_text(month)},
            code="month_before_use",
        )
    try:
        with transaction.atomic():
            figures = compute(Filters(start=month, end=last, as_of=last, sop=kode))
            context = report_context(
                month, figures, version=version, requested_by=None if is_system(actor) else actor
            )
            letter = issue_sealed(
                KIND,
                context,
                requested_by=actor,
                title=report_title(version, month),
                via=via,
                data={"month": month.strftime("%Y-%m"), "sop": kode},
            )
            report = MonthlyReport.objects.create(
                sop=kode,
                month=month,
                letter=letter,
                requested_by=None if is_system(actor) else actor,
            )
    except IntegrityError:
        # Another worker or person made it while this one rendered: theirs is the report.
        found = existing.first()
        if found is None:
            raise
        return found, False
    return report, True


def _number(value) -> str:
    """A figure as an Indonesian reads it: decimal comma, a dash for none."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def _share(value) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def _date(iso: str) -> str:
    return tanggal_indonesia(dt.date.fromisoformat(iso))


def report_context(month: dt.date, figures: dict, *, version, requested_by=None) -> dict:
    """What the report says, as text for people: labels, Indonesian numbers and dates, WITA."""
    definition = version.definition
    last = month_end(month)
    made = timezone.localtime()
    projects = figures["projects"]
    steps = [
        {
            **step,
            "waktu": _number(step["waktu"]),
            "median": _number(step["median"]),
            "p90": _number(step["p90"]),
            "on_time": _share(step["on_time_share"]),
        }
        for step in figures["steps"]
    ]
    # The document is Indonesian whatever language its reader's screen is in (as every letter).
    bottlenecks = [
        f"Langkah {step['number']} ({step['role']}): {step['on_time']} tepat waktu dari "
        f"{step['completed']} diselesaikan, median {step['median']} hari kerja terhadap waktu "
        f"baku {step['waktu']}."
        for step in steps
        if step["bottleneck"]
    ]
    statuses = [(value, label) for value, label in Need.Status.choices]
    return {
        "month_text": month_text(month),
        "period_text": f"1–{tanggal_indonesia(last)}",
        "as_of_text": tanggal_indonesia(last),
        "made_text": f"{tanggal_indonesia(made.date())} pukul {made:%H.%M} WITA",
        "requested_by": requested_by.display_name if requested_by is not None else "",
        "addressee": addressee(definition),
        "sop_title": version.judul,
        "sop_version": version.version,
        "summary": [
            ("Proyek dimulai", _number(projects["started"])),
            ("Proyek selesai", _number(projects["finished"])),
            ("Proyek ditangguhkan", _number(projects["suspended_in_period"])),
            (
                "Lama dari usulan sampai persetujuan aplikasi (median / p90, hari kerja)",
                f"{_number(projects['lead_time_median'])} / {_number(projects['lead_time_p90'])}",
            ),
            ("Langkah terlambat pada akhir bulan", _number(figures["overdue_total"])),
        ],
        "steps": steps,
        "bottlenecks": bottlenecks,
        "loops": [
            {**loop, "mean_rounds": _number(loop["mean_rounds"])} for loop in figures["loops"]
        ],
        "overdue": [{**row, "due_text": _date(row["due_date"])} for row in figures["overdue"]],
        "overdue_total": figures["overdue_total"],
        "overdue_more": figures["overdue_total"] - len(figures["overdue"]),
        "workload": figures["workload"],
        "request_statuses": [label for _value, label in statuses],
        "requests": [
            {
                "opd": row["opd"],
                "total": row["total"],
                "by_status": [row.get(value, 0) for value, _label in statuses],
                "finished": row.get("finished", 0),
            }
            for row in figures["requests"]
        ],
    }
