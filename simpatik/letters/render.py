"""Rendering official documents: a Django template (shipped, or the installation's own) to PDF."""

import base64
from pathlib import Path

import segno
from django.conf import settings
from django.template import Context, Template
from django.template.loader import get_template

from simpatik.core.pdf import html_to_pdf
from simpatik.letters.models import LetterTemplate

EMBLEM = Path(__file__).resolve().parent / "static" / "letters" / "lambang.svg"


def verification_url(code: str) -> str:
    return f"{settings.SIMPATIK_PUBLIC_URL}/verifikasi/{code}/"


def qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=3, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def logo_data_uri() -> str:
    path = Path(settings.SIMPATIK_KOP["logo"]) if settings.SIMPATIK_KOP["logo"] else EMBLEM
    mime = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(
        path.suffix.lower(), "image/svg+xml"
    )
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()


def render_html(kind: str, context: dict) -> str:
    """The installation's template from the admin when there is one, else the shipped file."""
    context = {**context, "kop": settings.SIMPATIK_KOP, "logo": logo_data_uri()}
    override = LetterTemplate.objects.filter(kind=kind).first()
    if override is not None:
        return Template(override.body).render(Context(context, autoescape=True))
    return get_template(f"letters/{kind}.html").render(context)


def render_pdf(kind: str, context: dict) -> bytes:
    return html_to_pdf(render_html(kind, context))
