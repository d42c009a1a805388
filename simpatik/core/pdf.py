"""HTML to PDF with WeasyPrint, which needs Debian's pango: say so plainly when it is missing.

Every rendering goes through `html_to_pdf`, whose URL fetcher never opens a network connection:
a page a user wrote (wiki markdown, a letter template from the admin) could otherwise make the
server fetch any address it can reach (SSRF) and print the answer into the PDF.
"""

import logging
import mimetypes
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

from simpatik.core.errors import Conflict

log = logging.getLogger(__name__)

MISSING = (
    "Mesin PDF belum siap di server: pasang pustaka sistem dengan "
    "`apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core`."
)


def base_url() -> str:
    """Relative and root-relative links in documents resolve against the public address."""
    return settings.SIMPATIK_PUBLIC_URL + "/"


def _inside(root: Path, relative: str) -> Path | None:
    root = Path(root).resolve()
    path = (root / relative).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def local_file(url: str) -> Path | None:
    """The file on disk behind one of our own static or media URLs, or None for anything else."""
    parts = urlsplit(url)
    own = urlsplit(base_url())
    if (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
        return None
    path = unquote(parts.path)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    media_prefix = "/" + (settings.MEDIA_URL.strip("/") or "media") + "/"
    if path.startswith(static_prefix):
        relative = path[len(static_prefix) :]
        if ".." in Path(relative).parts:
            return None
        found = finders.find(relative)
        if found:
            return Path(found)
        return _inside(settings.STATIC_ROOT, relative)
    if path.startswith(media_prefix):
        return _inside(settings.MEDIA_ROOT, path[len(media_prefix) :])
    return None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        """Our static files and media from disk, `data:` URIs; everything else is dropped."""

        def fetch(self, url, headers=None):
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            path = local_file(url)
            if path is None:
                log.warning("PDF: sumber luar ditolak (tidak diambil): %s", url[:300])
                raise ValueError(f"URL not allowed in documents: {url[:300]}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return SafeURLFetcher


def safe_url_fetcher():
    return _fetcher_class()(allowed_protocols={"data", "http", "https"}, allow_redirects=False)


_fonts = threading.local()
FONT_CONFIG_USES = 500


def _font_config():
    """The fonts, loaded once per thread and kept between documents.

    WeasyPrint otherwise makes a new fontconfig/pango font map for every PDF and loads each font
    again: two thirds of a short page's time. Pango's font maps are not shared between threads.
    Renewed now and then, so fonts that a template adds with @font-face do not pile up; the
    stylesheets parsed with a font map go with it.
    """
    from weasyprint.text.fonts import FontConfiguration

    if getattr(_fonts, "config", None) is None or _fonts.uses >= FONT_CONFIG_USES:
        _fonts.config, _fonts.uses, _fonts.sheets = FontConfiguration(), 0, {}
    _fonts.uses += 1
    return _fonts.config


# `<meta name="simpatik-stylesheet" content="letters/letter.css">` in a document's head: a
# static file of ours it is laid out with, parsed once per thread (parsing a letter's rules and
# compiling their selectors is a tenth of its rendering). It is applied as the user stylesheet:
# the document's own <style> wins over it whatever the selectors, as a later rule of equal weight
# would. Naming a file is no risk: only our own .css static files are found, and they are public.
SHARED_STYLESHEET = re.compile(r'<meta name="simpatik-stylesheet" content="([\w/.-]+\.css)">')


def _shared_stylesheets(html: str, font_config) -> list:
    from weasyprint import CSS

    head = html[: html.find("<body")] if "<body" in html else html[:4096]
    sheets = []
    for name in SHARED_STYLESHEET.findall(head):
        path = finders.find(name) if ".." not in Path(name).parts else None
        if not path:
            log.warning("PDF: lembar gaya tidak ditemukan: %s", name)
            continue
        version = Path(path).stat().st_mtime_ns  # an edited file is read again (development)
        kept = _fonts.sheets.get(name)
        if kept is None or kept[0] != version:
            url = base_url() + settings.STATIC_URL.strip("/") + "/" + name
            sheet = CSS(
                string=Path(path).read_text(),
                base_url=url,
                url_fetcher=safe_url_fetcher(),
                font_config=font_config,
            )
            kept = _fonts.sheets[name] = (version, sheet)
        sheets.append(kept[1])
    return sheets


class _OpenArrays:
    """WeasyPrint's font subsetting with C arrays typed by their length, `hb_codepoint_t[N]`.

    WeasyPrint asks cffi for `hb_codepoint_t[N]`, N the number of glyphs a font uses in the
    document, and cffi parses every new type string with pycparser (2-15 ms each, the first one
    half a second): a letter whose fonts use a glyph count not seen before paid for up to eight
    parses, so the first letters after a start and every letter with new text were slow. An
    array initialised from a sequence of its own length is the same array typed `T[]`, which
    cffi parses once. Everything else goes to cffi unchanged.
    """

    SIZED = re.compile(r"^\s*(\w[\w ]*?)\s*\[\s*(\d+)\s*\]\s*$")

    def __init__(self, ffi):
        self._ffi = ffi

    def __getattr__(self, name):
        return getattr(self._ffi, name)

    def new(self, cdecl, init=None):
        if isinstance(cdecl, str) and init is not None and hasattr(init, "__len__"):
            sized = self.SIZED.match(cdecl)
            if sized and int(sized.group(2)) == len(init):
                return self._ffi.new(f"{sized.group(1)}[]", init)
        return self._ffi.new(cdecl, init)


def _open_arrays_for_fonts() -> None:
    from weasyprint.pdf import fonts

    if not isinstance(getattr(fonts, "ffi", None), _OpenArrays | type(None)):
        fonts.ffi = _OpenArrays(fonts.ffi)


# Full-width Latin letters and digits (U+FF01-U+FF5E, "０５" typed with an East Asian input
# method) are the same text as ASCII; the document fonts have no glyphs for them, and a signed
# letter showed empty boxes. Only that block is folded: "m²" and "½" stay as written.
_FULL_WIDTH = {code: code - 0xFF01 + 0x21 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def html_to_pdf(html: str) -> bytes:
    html = html.translate(_FULL_WIDTH)
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the shared libraries cannot be loaded
        raise Conflict(MISSING, code="pdf_engine_missing") from exc
    _open_arrays_for_fonts()
    font_config = _font_config()
    document = HTML(string=html, base_url=base_url(), url_fetcher=safe_url_fetcher())
    return document.write_pdf(
        font_config=font_config, stylesheets=_shared_stylesheets(html, font_config)
    )
