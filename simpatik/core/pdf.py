"""HTML to PDF with WeasyPrint, which needs Debian's pango: say so plainly when it is missing."""

from simpatik.core.errors import Conflict

MISSING = (
    "Mesin PDF belum siap di server: pasang pustaka sistem dengan "
    "`apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core`."
)


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the shared libraries cannot be loaded
        raise Conflict(MISSING, code="pdf_engine_missing") from exc
    return HTML(string=html, base_url=base_url).write_pdf()
