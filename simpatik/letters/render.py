"""Rendering official documents: a Django template (shipped, or the installation's own) to PDF."""

import base64
import io
from pathlib import Path

import segno
from django.conf import settings
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import translation

from simpatik.core.pdf import html_to_pdf
from simpatik.letters.models import LetterTemplate

EMBLEM = Path(__file__).resolve().parent / "static" / "letters" / "lambang.svg"


def verification_url(code: str) -> str:
    return f"{settings.SIMPATIK_PUBLIC_URL}/verifikasi/{code}/"


def qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=3, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# The letterhead shows the emblem 22 mm wide (letters/letter.css, `.kop img`): 260 pixels at
# 300 dpi. A larger raster logo is scaled down to that once per process: WeasyPrint decodes and
# compresses a raster image again for every PDF, and a 1000-pixel emblem cost 70 ms and 90 KB
# a letter.
LOGO_WIDTH_PX = 260
_logo: tuple[tuple, str] | None = None


def logo_data_uri() -> str:
    """The emblem as a data: URI, read (and sized) again only when its file changes."""
    global _logo
    path = Path(settings.SIMPATIK_KOP["logo"]) if settings.SIMPATIK_KOP["logo"] else EMBLEM
    stat = path.stat()
    version = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    kept = _logo
    if kept is None or kept[0] != version:
        mime = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(
            path.suffix.lower(), "image/svg+xml"
        )
        data = path.read_bytes()
        if mime != "image/svg+xml":
            data = _presized(data)
        kept = _logo = (version, f"data:{mime};base64," + base64.b64encode(data).decode())
    return kept[1]


def _presized(data: bytes) -> bytes:
    """A raster logo no wider than LOGO_WIDTH_PX, in its own format; a smaller one as it is."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        if image.width <= LOGO_WIDTH_PX:
            return data
        kind = image.format
        upright = ImageOps.exif_transpose(image)  # the orientation its EXIF tag asked for
        if upright.mode not in ("RGB", "RGBA", "L", "LA"):
            upright = upright.convert("RGBA")  # palette images scale only pixel by pixel
        height = max(1, round(upright.height * LOGO_WIDTH_PX / upright.width))
        smaller = upright.resize((LOGO_WIDTH_PX, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG":
        smaller.convert("RGB").save(out, "JPEG", quality=92)
    else:
        smaller.save(out, "PNG", optimize=True)
    return out.getvalue()


def render_html(kind: str, context: dict) -> str:
    """The installation's template from the admin when there is one, else the shipped file; in
    Indonesian, an official document (contexts.build)."""
    context = {**context, "kop": settings.SIMPATIK_KOP, "logo": logo_data_uri()}
    override = LetterTemplate.objects.filter(kind=kind).first()
    with translation.override("id"):
        if override is not None:
            return Template(override.body).render(Context(context, autoescape=True))
        return get_template(f"letters/{kind}.html").render(context)


def render_pdf(kind: str, context: dict) -> bytes:
    return html_to_pdf(render_html(kind, context))
