"""Pengawasan: the dashboard for the Kadis and Kabid (Kasie reads it too)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.accounts.models import Opd
from simpatik.accounts.permissions import can
from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.core.rows import short_date
from simpatik.core.views import domain_errors
from simpatik.oversight import charts, services
from simpatik.oversight.export import workbook
from simpatik.oversight.models import MonthlyReport
from simpatik.oversight.params import filters_from
from simpatik.oversight.stats import compute, default_filters
from simpatik.sop.models import SopVersion
from simpatik.sop.services import versions_in_force


def _figures(request):
    if not can(request.user, "lihat_dasbor"):
        raise PermissionDenied(_("Dasbor pengawasan hanya untuk Kadis, Kabid dan Kasie."))
    return compute(filters_from(request.GET))


def _overdue_rows(rows: list[dict]) -> str:
    """The overdue table's rows (up to 100, seven values each) as HTML in one pass: through the
    template engine they were a third of the page's rendering."""
    return format_html_join(
        "",
        '<tr><td><a href="{}">{}</a> {}</td><td>{}</td><td>{}</td><td>{}</td>'
        '<td class="late">{}</td></tr>',
        (
            (
                reverse("projects:project", args=[r["project_id"]]),
                r["project"],
                r["name"],
                localize(r["step"]),
                r["holder"],
                # As every page writes a date (18 Nov 2026); the API keeps ISO.
                short_date(dt.date.fromisoformat(r["due_date"])),
                _("%(n)s hari kerja") % {"n": localize(r["late_working_days"])},
            )
            for r in rows
        ),
    )


@login_required
@domain_errors
def dashboard(request):
    error = None
    try:
        figures = _figures(request)
    except ValidationError as exc:
        error, figures = exc.message, compute(default_filters())
    steps = figures["steps"]
    last_month = services.previous_month(timezone.localdate()).strftime("%Y-%m")
    sops = versions_in_force()
    titles = {version.kode: version.judul for version in sops}
    reports = list(MonthlyReport.objects.select_related("letter", "requested_by")[:36])
    for report in reports:
        report.sop_title = titles.get(report.sop, report.sop)
    period = figures["period"]
    context = {
        "figures": figures,
        # As every page writes a date (1 Nov 2026); the inputs and the API keep ISO.
        "period_text": " – ".join(
            short_date(dt.date.fromisoformat(period[end])) for end in ("start", "end")
        ),
        "overdue_rows": _overdue_rows(figures["overdue"]),
        "reports": reports,
        "report_month": last_month,
        # The SOP the report form offers first: the one just reported on, else the one the
        # dashboard is filtered to, else the seed SOP.
        "report_sop": request.GET.get("laporan_sop") or request.GET.get("sop") or figures["sop"],
        "error": error,
        "query": request.GET,
        "opds": Opd.objects.filter(aktif=True).only("pk", "nama", "singkatan"),
        "versions": SopVersion.objects.only("pk", "kode", "judul", "version").order_by(
            "kode", "-version"
        ),
        "sops": sops,
        "people": get_user_model()
        .objects.filter(roles__isnull=False)
        .distinct()
        .order_by("username"),
        "duration_chart": charts.bars(
            _("Lama tiap langkah dibanding waktu baku (hari kerja)"),
            [
                (
                    _("Langkah %(n)d") % {"n": s["number"]},
                    [
                        (
                            _("Median"),
                            s["median"],
                            "bar-actual" + (" bar-over" if s["over_standard"] else ""),
                        ),
                        (_("Waktu baku"), s["waktu"], "bar-standard"),
                    ],
                )
                for s in steps
            ],
        ),
        "on_time_chart": charts.bars(
            _("Bagian yang selesai tepat waktu"),
            [
                (
                    _("Langkah %(n)d") % {"n": s["number"]},
                    [
                        (
                            _("Tepat waktu"),
                            None if s["on_time_share"] is None else round(s["on_time_share"] * 100),
                            "bar-actual",
                        )
                    ],
                )
                for s in steps
            ],
            unit="%",
        ),
    }
    return render(request, "oversight/dashboard.html", context, status=400 if error else 200)


@login_required
@domain_errors
def dashboard_xlsx(request):
    try:
        figures = _figures(request)
    except ValidationError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        workbook(figures),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    period = figures["period"]
    response["Content-Disposition"] = (
        f'attachment; filename="pengawasan-{period["start"]}-{period["end"]}.xlsx"'
    )
    return response


@login_required
@require_POST
@domain_errors
def monthly_report(request):
    """'Buat laporan bulanan': the chosen SOP's (the seed SOP's when none is chosen) report of
    the chosen month, made now or found already made."""
    if not can(request.user, "lihat_dasbor"):
        raise PermissionDenied(_("Laporan bulanan hanya untuk pemegang dasbor pengawasan."))
    try:
        month = services.parse_month(request.POST.get("bulan", ""))
        report, made = services.issue_monthly_report(
            month, actor=request.user, via="web", sop=request.POST.get("sop") or None
        )
    except ValidationError as exc:
        messages.error(request, exc.message)
    else:
        text = (
            _("Laporan bulanan SOP %(sop)s %(month)s diterbitkan dengan nomor %(number)s.")
            if made
            else _("Laporan bulanan SOP %(sop)s %(month)s sudah ada: nomor %(number)s.")
        )
        messages.success(
            request,
            text % {"sop": report.sop, "month": report.month_text, "number": report.letter.number},
        )
        return redirect(
            reverse("oversight:dashboard") + f"?laporan_sop={report.sop}#laporan-bulanan"
        )
    return redirect(reverse("oversight:dashboard") + "#laporan-bulanan")
