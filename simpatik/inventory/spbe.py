"""The application catalogue as the national SPBE template lays it out (Katalog Aplikasi SPBE).

`TEMPLATE` is the one place that says which columns the template has and in which order: the
XLSX sheet, the JSON document, the page and the command all read it. A template revision changes
this list, nothing else. Choice fields are written as their labels, as the template asks for
words, not SIMPATIK's codes. The headers are the template's own words: not translated, since
the file is read by the national catalogue whatever language the person's screen is in.
"""

from django.db.models import Q
from django.utils import translation

from simpatik.inventory.models import Application, Integration
from simpatik.inventory.spreadsheet import to_xlsx

TEMPLATE = [
    ("no", "No"),
    ("nama", "Nama Aplikasi"),
    ("singkatan", "Nama Singkat/Akronim"),
    ("versi", "Versi"),
    ("deskripsi", "Deskripsi Aplikasi"),
    ("fungsi", "Fungsi Aplikasi"),
    ("keluaran", "Keluaran (Output)"),
    ("layanan_spbe", "Layanan SPBE yang Didukung"),
    ("proses_bisnis", "Proses Bisnis yang Didukung"),
    ("jenis", "Jenis Aplikasi (Umum/Khusus)"),
    ("platform", "Basis Aplikasi"),
    ("lisensi", "Jenis Lisensi"),
    ("bahasa_pemrograman", "Bahasa Pemrograman"),
    ("basis_data", "Basis Data"),
    ("data_dikelola", "Data yang Dikelola"),
    ("hosting", "Lokasi Hosting"),
    ("url", "Alamat URL"),
    ("integrasi", "Integrasi dengan Aplikasi Lain"),
    ("opd", "Instansi Pemilik (OPD)"),
    ("unit_pengelola", "Unit Pengelola"),
    ("pengembang", "Pengembang"),
    ("tahun_dibangun", "Tahun Pembuatan"),
    ("status", "Status"),
]
FIELDS = [name for name, _header in TEMPLATE]


def headers() -> list[str]:
    return [header for _name, header in TEMPLATE]


def _integrations(applications: list[Application]) -> dict[int, list[str]]:
    """Each application's live partners by name, either direction, in name order."""
    ids = [app.pk for app in applications]
    partners: dict[int, set[str]] = {pk: set() for pk in ids}
    links = (
        Integration.objects.filter(diarsipkan=False)
        .filter(Q(source_id__in=ids) | Q(target_id__in=ids))
        .filter(source__diarsipkan=False, target__diarsipkan=False)
        .values_list("source_id", "source__nama", "target_id", "target__nama")
    )
    for source_id, source, target_id, target in links:
        if source_id in partners:
            partners[source_id].add(target)
        if target_id in partners:
            partners[target_id].add(source)
    return {pk: sorted(names) for pk, names in partners.items()}


def _developer(app: Application) -> str:
    kind = app.get_pengembang_display() if app.pengembang else ""
    if kind and app.pengembang_nama and app.pengembang_nama != kind:
        return f"{kind} ({app.pengembang_nama})"
    return kind or app.pengembang_nama


def _value(app: Application, name: str, number: int, partners: list[str]):
    if name == "no":
        return number
    if name == "integrasi":
        return "; ".join(partners)
    if name == "opd":
        return app.opd.nama
    if name == "pengembang":
        return _developer(app)
    display = getattr(app, f"get_{name}_display", None)
    value = display() if display else getattr(app, name)
    return "" if value is None else str(value) if display else value


def rows(queryset) -> list[list]:
    """One row per live application, by OPD then name, in the template's column order."""
    applications = list(
        queryset.filter(diarsipkan=False).select_related("opd").order_by("opd__nama", "nama", "id")
    )
    partners = _integrations(applications)
    with translation.override("id"):  # the template's words, whatever the screen's language
        return [
            [_value(app, name, number, partners[app.pk]) for name in FIELDS]
            for number, app in enumerate(applications, start=1)
        ]


def as_json(queryset) -> dict:
    """The same table as JSON: the columns (field, header) and one object per application."""
    return {
        "kolom": [{"field": name, "judul": header} for name, header in TEMPLATE],
        "aplikasi": [dict(zip(FIELDS, row, strict=True)) for row in rows(queryset)],
    }


def as_xlsx(queryset) -> bytes:
    """The template's sheet; a text that could run as a formula is written as text."""
    return to_xlsx(headers(), rows(queryset), title="Katalog Aplikasi SPBE")
