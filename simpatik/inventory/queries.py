"""Read side of the inventory: filters, exports, history and the oversight figures."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import NotFound
from simpatik.core.input_guard import is_number
from simpatik.inventory.fields import COLUMNS, HEADER_LABELS, PUBLIC, PUBLIC_CHOICES
from simpatik.inventory.models import Application, Integration

REREGISTRATION_DAYS = 365  # SPBE asks for a yearly re-registration of every application


def application_for(user, pk) -> Application:
    try:
        return Application.objects.visible_to(user).select_related("opd", "project").get(pk=int(pk))
    except (Application.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("Aplikasi tidak ditemukan."), code="application_not_found") from exc


def filter_applications(queryset, params):
    if str(params.get("arsip", "")).lower() not in {"1", "ya", "true"}:
        queryset = queryset.filter(diarsipkan=False)
    for name in ("status", "kategori", "jenis", "platform", "hosting"):
        value = params.get(name)
        if value:
            queryset = queryset.filter(**{name: value})
    opd = params.get("opd")
    if opd and is_number(str(opd)):
        queryset = queryset.filter(opd_id=int(opd))
    text = (params.get("q") or "").strip()
    if text:
        queryset = queryset.filter(
            Q(nama__icontains=text) | Q(singkatan__icontains=text) | Q(deskripsi__icontains=text)
        )
    return queryset.select_related("opd")


def _cell(application, name):
    value = getattr(application, name)
    if name == "opd":
        return application.opd.nama
    if name == "publik":
        return "ya" if value else "tidak"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def export_table(queryset, columns=COLUMNS) -> tuple[list[str], list[list]]:
    headers = [HEADER_LABELS[name] for name in columns]
    return headers, [[_cell(app, name) for name in columns] for app in queryset]


def export_json(queryset, columns=COLUMNS) -> list[dict]:
    return [{"id": app.pk, **{name: _cell(app, name) for name in columns}} for app in queryset]


def public_json(queryset) -> list[dict]:
    rows = export_json(queryset, PUBLIC)
    for row, app in zip(rows, queryset, strict=True):
        for name in PUBLIC_CHOICES:
            row[name] = getattr(app, f"get_{name}_display")()
    return rows


def history(application) -> list:
    """The application's changes as sentences people read (labels, not field keys)."""
    from simpatik.audit.sentences import describe

    records = (
        AuditRecord.objects.filter(
            object_type="inventory.application", object_id=str(application.pk)
        )
        .select_related("project__sop_version")
        .defer("project__sop_version__data", "project__sop_version__source")
        .order_by("-at", "-id")
    )
    return describe(records)


def oversight(queryset) -> dict:
    live = queryset.filter(diarsipkan=False)
    statuses = list(Application.Status.choices)
    per_opd: dict[str, dict] = {}
    for row in live.values("opd__nama", "status").annotate(n=Count("id")).order_by("opd__nama"):
        per_opd.setdefault(row["opd__nama"], {})[row["status"]] = row["n"]
    table = [
        (opd, [counts.get(s, 0) for s, _l in statuses], sum(counts.values()))
        for opd, counts in per_opd.items()
    ]
    cutoff = timezone.localdate() - dt.timedelta(days=REREGISTRATION_DAYS)
    due = live.filter(status=Application.Status.AKTIF).filter(
        Q(registrasi_ulang__isnull=True) | Q(registrasi_ulang__lt=cutoff)
    )
    return {
        "statuses": statuses,
        "table": table,
        "totals": [sum(row[1][i] for row in table) for i in range(len(statuses))],
        "grand_total": sum(row[2] for row in table),
        "due": due.select_related("opd").order_by("registrasi_ulang", "nama"),
        "no_owner": live.filter(pj_nama="").select_related("opd").order_by("nama"),
        "integrations": Integration.objects.filter(
            diarsipkan=False, source__in=live, target__in=live
        ).select_related("source", "target"),
    }
