"""The dashboard as an XLSX workbook: one sheet per table, labels in Indonesian."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook


def _safe(value):
    # Text that a spreadsheet would read as a formula is written with a leading quote.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def workbook(figures: dict) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("Ringkasan")
    period = figures["period"]
    summary.append([_("Periode"), f"{period['start']} s.d. {period['end']}"])
    labels = {
        "started": _("Proyek dimulai"),
        "finished": _("Proyek selesai"),
        "running": _("Proyek berjalan (saat ini)"),
        "suspended": _("Proyek ditangguhkan (saat ini)"),
        "suspended_in_period": _("Proyek ditangguhkan dalam periode"),
        "lead_time_median": _("Lama usulan sampai persetujuan, median (hari kerja)"),
        "lead_time_p90": _("Lama usulan sampai persetujuan, p90 (hari kerja)"),
    }
    for key, label in labels.items():
        summary.append([label, figures["projects"][key]])

    sheets = [
        (
            _("Langkah"),
            [
                _("Langkah"),
                _("Uraian"),
                _("Pelaksana"),
                _("Waktu baku"),
                _("Diselesaikan"),
                _("Median"),
                _("P90"),
                _("Tepat waktu"),
                _("Hambatan"),
            ],
            [
                [
                    s["number"],
                    s["uraian"],
                    s["role"],
                    s["waktu"],
                    s["completed"],
                    s["median"],
                    s["p90"],
                    s["on_time_share"],
                    _("ya") if s["bottleneck"] else "",
                ]
                for s in figures["steps"]
            ],
        ),
        (
            _("Putaran"),
            [
                _("Langkah"),
                _("Keputusan"),
                _("Kembali ke"),
                _("Diputuskan"),
                _("Dikembalikan"),
                _("Rata-rata putaran"),
            ],
            [
                [
                    r["step"],
                    r["decision"],
                    r["returns_to"],
                    r["decided"],
                    r["returned"],
                    r["mean_rounds"],
                ]
                for r in figures["loops"]
            ],
        ),
        (
            _("Terlambat"),
            [
                _("Proyek"),
                _("Aplikasi"),
                _("Langkah"),
                _("Pemegang"),
                _("Batas"),
                _("Terlambat (hari kerja)"),
            ],
            [
                [
                    r["project"],
                    r["name"],
                    r["step"],
                    r["holder"],
                    r["due_date"],
                    r["late_working_days"],
                ]
                for r in figures["overdue"]
            ],
        ),
        (
            _("Beban kerja"),
            [_("Orang"), _("Sedang dikerjakan"), _("Diselesaikan dalam periode")],
            [[r["user"], r["open"], r["completed"]] for r in figures["workload"]],
        ),
        (
            _("Usulan per OPD"),
            [_("OPD"), _("Jumlah"), _("Diajukan"), _("Diproses"), _("Ditolak"), _("Selesai")],
            [
                [
                    r["opd"],
                    r["total"],
                    r.get("diajukan", 0),
                    r.get("diproses", 0),
                    r.get("ditolak", 0),
                    r.get("finished", 0),
                ]
                for r in figures["requests"]
            ],
        ),
    ]
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([_safe(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
