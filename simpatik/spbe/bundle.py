"""An evidence bundle: one ZIP per indicator and year, reproducible item for item.

A bundle is of one SOP in force (the seed SOP unless another is chosen), through that SOP's
mapping. The ZIP holds `00-indeks.pdf` (every item with its source, date and SHA-256, sealed by SIMPATIK
with the certificate that seals the monthly report), `SHA256SUMS` and the items. Entries are
sorted and carry a fixed timestamp and mode, and the items are deterministic (see
simpatik.spbe.evidence), so two bundles of the same period hold the same items with the same
hashes; only the index PDF differs, by its seal's signing time.

Bundles are made on request and streamed back, not queued: they hold a regency's letters of one
year (tens of PDFs) and a few CSVs, which takes seconds; nothing is stored, so nothing is left
to clean up, and the audit trail records who made which bundle.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from simpatik.accounts.permissions import system_actor
from simpatik.core.pdf import html_to_pdf
from simpatik.letters.signing import LocalSigner
from simpatik.spbe.evidence import COLLECTORS, Item, Period

INDEX_NAME = "00-indeks.pdf"
SUMS_NAME = "SHA256SUMS"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a ZIP can say: a date that never changes


@dataclass(frozen=True)
class Context:
    mapping: object
    indicator: object
    year: int
    actor: object
    sop_version: object  # the version in force of the SOP the bundle is of

    @property
    def period(self) -> Period:
        return Period(self.year)


@dataclass(frozen=True)
class Listed:
    path: str
    kind: str
    source: str
    date: str
    sha256: str
    size: int


@dataclass
class Bundle:
    filename: str
    content: bytes
    items: list[Listed]


def collect(ctx: Context) -> list[Item]:
    items = []
    for kind in ctx.indicator.bukti:
        items.extend(COLLECTORS[kind](ctx))
    return sorted(items, key=lambda item: item.path)


def listing(items: list[Item]) -> list[Listed]:
    return [
        Listed(
            item.path,
            item.kind,
            item.source,
            item.date.isoformat(),
            hashlib.sha256(item.content).hexdigest(),
            len(item.content),
        )
        for item in items
    ]


def _index_pdf(ctx: Context, row, listed: list[Listed]) -> bytes:
    version = ctx.sop_version
    mapping = ctx.mapping
    title = f"Indeks Bukti SPBE {ctx.indicator.kode} Tahun {ctx.year}"
    period = ctx.period
    steps = [
        {"number": n, "stage": mapping.stage_name(n)} for n in mapping.steps_of(ctx.indicator.kode)
    ]
    system = system_actor()
    html = render_to_string(
        "spbe/indeks.html",
        {
            "title": title,
            "instansi": settings.SIMPATIK_KOP["pemerintah"],
            "dinas": settings.SIMPATIK_KOP["dinas"],
            "indicator": ctx.indicator,
            "kerangka": mapping.kerangka,
            "period_text": f"{period.start.isoformat()} s.d. {period.end.isoformat()}",
            "sop_title": version.judul,
            "sop_version": version.version,
            "mapping_kode": row.kode,
            "mapping_version": row.version,
            "mapping_sha": row.sha256,
            "steps": steps,
            "items": listed,
            "sealed_by": system.display_name,
        },
    )
    # Sealed as the monthly report is: SIMPATIK's own certificate from the local CA (a periodic
    # or on-demand reckoning of the records, not an official's statement).
    return LocalSigner().sign(html_to_pdf(html), system, reason=title)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3  # unix, whatever system made it
    return info


def sums(listed: list[Listed]) -> bytes:
    return "".join(f"{item.sha256}  {item.path}\n" for item in listed).encode()


def build(mapping, row, indicator, year: int, *, actor, sop_version) -> Bundle:
    ctx = Context(mapping, indicator, year, actor, sop_version)
    items = collect(ctx)
    listed = listing(items)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_entry(INDEX_NAME), _index_pdf(ctx, row, listed))
        archive.writestr(_entry(SUMS_NAME), sums(listed))
        for item in items:
            archive.writestr(_entry(item.path), item.content)
    slug = indicator.kode.replace(".", "").replace(" ", "").lower()
    return Bundle(f"bukti-spbe-{slug}-{year}-{sop_version.kode}.zip", buffer.getvalue(), listed)
