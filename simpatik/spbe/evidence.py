"""The kinds of evidence a bundle holds, each drawn from SIMPATIK's records for one year.

A bundle is of one SOP (its mapping names the steps): letters, audit records, repositories and
step figures are those of that SOP's projects; the inventory and its integrations are the
regency's, whichever SOP built them.

Every item is deterministic for the same records: rows in a fixed order, CSV written the same
way every time, the SOP sheet drawn without a creation date, and each item's date taken from the
records it shows (never the moment the bundle is made). So the same period gives the same items
and the same SHA-256, whoever makes the bundle and when.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.html import strip_tags

from simpatik.audit.models import AuditRecord
from simpatik.audit.sentences import describe
from simpatik.inventory.fields import COLUMNS
from simpatik.inventory.models import Application, Integration
from simpatik.inventory.queries import export_table
from simpatik.inventory.spreadsheet import to_csv
from simpatik.letters.models import Letter
from simpatik.oversight.stats import Filters, compute
from simpatik.provisioning.models import Repository
from simpatik.provisioning.repos.local import repository_path
from simpatik.sop.models import SopVersion
from simpatik.sop.sheet.backends import to_pdf
from simpatik.sop.sheet.layout import sheet_pages
from simpatik.spbe.models import MappingVersion

# Contact details of the people responsible stay out of a document handed to evaluators.
PRIVATE_COLUMNS = {"pj_nip", "pj_telepon", "pj_email", "kontak_teknis"}


@dataclass(frozen=True)
class Item:
    path: str  # inside the ZIP
    kind: str  # the mapping's evidence kind
    source: str  # where it comes from, for people
    date: dt.date
    content: bytes


@dataclass(frozen=True)
class Period:
    year: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """The year's last day, or today while the year runs."""
        return min(dt.date(self.year, 12, 31), timezone.localdate())

    @property
    def range(self) -> tuple[dt.datetime, dt.datetime]:
        return Filters(start=self.start, end=self.end).range


def _local_date(moment, default: dt.date) -> dt.date:
    return timezone.localdate(moment) if moment else default


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"


def _versions_in_force(period, current) -> list:
    """The versions of `current`'s SOP in force at some time in the period (a revision ends its
    predecessor; drafts never were); `current` when none was (a year before it was used)."""
    first, last = period.range
    versions = list(
        SopVersion.objects.filter(kode=current.kode, draf=False, loaded_at__lt=last).order_by(
            "version"
        )
    )
    ends = [v.loaded_at for v in versions[1:]] + [None]  # the newest is still in force
    kept = [v for v, end in zip(versions, ends, strict=False) if end is None or end >= first]
    return kept or [current]


def sop_sheet(ctx) -> list[Item]:
    items = []
    for version in _versions_in_force(ctx.period, ctx.sop_version):
        title = f"SOP {version.judul} versi {version.version}"
        items.append(
            Item(
                f"01-lembar-sop/sop-{version.kode}-v{version.version}.pdf",
                "lembar_sop",
                f"{title} (YAML SHA-256 {version.sha256[:16]}…), dengan tahap pembangunan aplikasi",
                _local_date(version.loaded_at, ctx.period.end),
                to_pdf(sheet_pages(version), title, invariant=True),
            )
        )
    return items


def application_list(ctx) -> list[Item]:
    first, last = ctx.period.range
    applications = (
        Application.objects.visible_to(ctx.actor)
        .filter(created_at__lt=last)
        .exclude(diarsipkan=True, updated_at__lt=first)
        .select_related("opd")
        .order_by("nama", "pk")
    )
    columns = [name for name in COLUMNS if name not in PRIVATE_COLUMNS]
    latest = applications.aggregate(at=Max("updated_at"))["at"]
    return [
        Item(
            "02-daftar-aplikasi/daftar-aplikasi.csv",
            "daftar_aplikasi",
            f"Inventaris aplikasi SIMPATIK: {applications.count()} aplikasi",
            _local_date(latest, ctx.period.end),
            to_csv(*export_table(applications, columns)),
        )
    ]


def project_letters(ctx) -> list[Item]:
    steps = ctx.mapping.own_steps_of(ctx.indicator.kode)
    outputs = ctx.mapping.outputs_of(ctx.indicator.kode)
    letters = (
        Letter.objects.visible_to(ctx.actor)
        .filter(project__sop_version__kode=ctx.sop_version.kode)
        .filter(year=ctx.year, status=Letter.Status.BERLAKU)
        .filter(Q(step_number__in=steps) | Q(document__key__in=outputs))
        .select_related("project")
        .order_by("project__kode", "sequence")
    )
    items = []
    for letter in letters:
        with letter.open() as handle:
            content = handle.read()
        items.append(
            Item(
                f"03-naskah/{_slug(letter.project.kode)}/"
                f"{letter.sequence:04d}-{_slug(letter.kind)}.pdf",
                "naskah_proyek",
                f"Naskah {letter.number} ({letter.title}), proyek {letter.project.kode}, "
                f"langkah {letter.step_number}",
                letter.date,
                content,
            )
        )
    return items


AUDIT_HEADERS = [
    "Waktu (WITA)",
    "Pelaku",
    "Tindakan",
    "Kode tindakan",
    "Proyek",
    "Langkah",
    "Objek",
    "Alasan",
    "Hash rantai",
]


def audit_extract(ctx) -> list[Item]:
    first, last = ctx.period.range
    steps = ctx.mapping.steps_of(ctx.indicator.kode)
    kode = ctx.sop_version.kode
    # The records of the mapped steps of this SOP's projects, and this SOP's and its mappings'
    # own revisions (the change history of the procedure itself). Making a bundle is recorded
    # too, but never shown here: a second bundle would otherwise differ from the first.
    mappings = sorted(
        set(MappingVersion.objects.filter(sop_version__kode=kode).values_list("kode", flat=True))
    )
    records = list(
        AuditRecord.objects.filter(at__gte=first, at__lt=last)
        .filter(
            Q(step_number__in=steps, project__sop_version__kode=kode)
            | Q(action__in=["sop.version.loaded", "sop.version.activated"], data__kode=kode)
            | Q(action="spbe.mapping.loaded", data__kode__in=mappings)
        )
        .select_related("project")
        .order_by("at", "pk")
    )
    # Each record as the sentence people read on the history pages, always in Indonesian (the
    # bundle must not depend on who asked for it), beside its code.
    with translation.override("id"):
        sentences = [html.unescape(strip_tags(entry.sentence)) for entry in describe(records)]
    rows = [
        [
            timezone.localtime(r.at).isoformat(timespec="seconds"),
            r.actor_label,
            sentence,
            r.action,
            r.project.kode if r.project else "",
            r.step_number or "",
            f"{r.object_type}#{r.object_id}" if r.object_type else "",
            r.reason,
            r.hash,
        ]
        for r, sentence in zip(records, sentences, strict=True)
    ]
    return [
        Item(
            f"04-jejak-audit/jejak-audit-{ctx.year}.csv",
            "jejak_audit",
            f"Jejak audit SIMPATIK langkah {', '.join(map(str, steps))} dan revisi SOP/pemetaan: "
            f"{len(rows)} catatan",
            _local_date(records[-1].at if rows else None, ctx.period.end),
            to_csv(AUDIT_HEADERS, rows),
        )
    ]


def repository_histories(ctx) -> list[Item]:
    from simpatik.spbe.gitlog import summary

    items = []
    repositories = Repository.objects.filter(
        status=Repository.Status.SIAP,
        provider="local",
        project__sop_version__kode=ctx.sop_version.kode,
    )
    for repository in repositories.select_related("project").order_by("name"):
        path = repository_path(repository.name)
        if not path.exists():
            continue
        rows, last = summary(path, ctx.period)
        items.append(
            Item(
                f"05-repositori/{_slug(repository.name)}.csv",
                "riwayat_repositori",
                f"Riwayat repositori {repository.name} (proyek {repository.project.kode}): "
                "commit per bulan, kontributor, tag",
                last or ctx.period.end,
                to_csv(["Jenis", "Kunci", "Nilai"], rows),
            )
        )
    return items


def integration_matrix(ctx) -> list[Item]:
    integrations = (
        Integration.objects.filter(diarsipkan=False)
        .select_related("source__opd", "target__opd")
        .order_by("source__nama", "target__nama", "pk")
    )
    rows = [
        [
            i.source.nama,
            i.source.opd.nama,
            i.target.nama,
            i.target.opd.nama,
            i.get_arah_display(),
            i.data,
            i.get_metode_display(),
        ]
        for i in integrations
    ]
    latest = integrations.aggregate(at=Max("created_at"))["at"]
    headers = [
        "Aplikasi sumber",
        "OPD sumber",
        "Aplikasi tujuan",
        "OPD tujuan",
        "Arah",
        "Data",
        "Metode",
    ]
    return [
        Item(
            "06-integrasi/matriks-integrasi.csv",
            "matriks_integrasi",
            f"Matriks integrasi inventaris aplikasi: {len(rows)} integrasi",
            _local_date(latest, ctx.period.end),
            to_csv(headers, rows),
        )
    ]


def step_figures(ctx) -> list[Item]:
    period = ctx.period
    figures = compute(
        Filters(start=period.start, end=period.end, as_of=period.end, sop=ctx.sop_version.kode)
    )
    steps = set(ctx.mapping.steps_of(ctx.indicator.kode))
    headers = [
        "Langkah",
        "Tahap",
        "Uraian",
        "Pelaksana",
        "Waktu baku (hari kerja)",
        "Diselesaikan",
        "Median",
        "P90",
        "Tepat waktu",
        "Median melebihi waktu baku",
    ]
    rows = [
        [
            s["number"],
            ctx.mapping.stage_name(s["number"]),
            s["uraian"],
            s["role"],
            s["waktu"] if s["waktu"] is not None else "sesuai jadwal",
            s["completed"],
            "" if s["median"] is None else s["median"],
            "" if s["p90"] is None else s["p90"],
            "" if s["on_time_share"] is None else s["on_time_share"],
            "ya" if s["over_standard"] else "tidak",
        ]
        for s in figures["steps"]
        if s["number"] in steps
    ]
    return [
        Item(
            f"07-kinerja/kinerja-langkah-{ctx.year}.csv",
            "kinerja_langkah",
            f"Kinerja langkah terhadap Mutu Baku (dasbor pengawasan), {period.start.isoformat()} "
            f"s.d. {period.end.isoformat()}",
            period.end,
            to_csv(headers, rows),
        )
    ]


COLLECTORS = {
    "lembar_sop": sop_sheet,
    "daftar_aplikasi": application_list,
    "naskah_proyek": project_letters,
    "jejak_audit": audit_extract,
    "riwayat_repositori": repository_histories,
    "matriks_integrasi": integration_matrix,
    "kinerja_langkah": step_figures,
}
