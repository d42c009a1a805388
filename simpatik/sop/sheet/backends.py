"""The SOP sheet's primitives drawn as SVG (for the web page) and as PDF (ReportLab)."""

import io
from xml.sax.saxutils import escape

from reportlab.pdfgen import canvas

from simpatik.sop.sheet.primitives import FONT, FONT_BOLD, Box, Image, Path, Text


def _fmt(value: float) -> str:
    return f"{value:.1f}"  # always a decimal point: SVG is never localised


def to_svg(page) -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(page.width)} {_fmt(page.height)}" '
        f'class="sop-sheet" font-family="Helvetica, Arial, DejaVu Sans, sans-serif">',
        '<defs><marker id="panah" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
        f'<rect width="{_fmt(page.width)}" height="{_fmt(page.height)}" fill="#ffffff"/>',
    ]
    for item in page.items:
        if isinstance(item, Box):
            parts.append(
                f'<rect x="{_fmt(item.x)}" y="{_fmt(item.y)}" width="{_fmt(item.w)}" height="{_fmt(item.h)}" '
                f'rx="{_fmt(item.radius)}" fill="{item.fill or "none"}" stroke="{item.stroke or "none"}" '
                f'stroke-width="{_fmt(item.width)}"/>'
            )
        elif isinstance(item, Text):
            anchor = {"start": "start", "middle": "middle", "end": "end"}[item.anchor]
            weight = ' font-weight="bold"' if item.bold else ""
            parts.append(
                f'<text x="{_fmt(item.x)}" y="{_fmt(item.y)}" font-size="{_fmt(item.size)}" '
                f'fill="{item.color}" text-anchor="{anchor}"{weight}>{escape(item.text)}</text>'
            )
        elif isinstance(item, Image):
            parts.append(
                f'<image x="{_fmt(item.x)}" y="{_fmt(item.y)}" width="{_fmt(item.w)}" '
                f'height="{_fmt(item.h)}" preserveAspectRatio="xMidYMid meet" '
                f'href="{_data_uri(item.path)}"/>'
            )
        elif isinstance(item, Path):
            points = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in item.points)
            tag = "polygon" if item.closed else "polyline"
            extra = ' marker-end="url(#panah)"' if item.arrow else ""
            dash = ' stroke-dasharray="3 2"' if item.dashed else ""
            parts.append(
                f'<{tag} points="{points}" fill="{item.fill or "none"}" stroke="{item.stroke}" '
                f'stroke-width="{_fmt(item.width)}"{dash}{extra}/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _data_uri(path: str) -> str:
    import base64
    from pathlib import Path as FilePath

    data = FilePath(path).read_bytes()
    mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{mime};base64," + base64.b64encode(data).decode()


def _arrow_head(pdf, start, end, height):
    import math

    (x1, y1), (x2, y2) = start, end
    angle = math.atan2((height - y2) - (height - y1), x2 - x1)
    size = 4.0
    left = (x2 - size * math.cos(angle - 0.4), (height - y2) - size * math.sin(angle - 0.4))
    right = (x2 - size * math.cos(angle + 0.4), (height - y2) - size * math.sin(angle + 0.4))
    path = pdf.beginPath()
    path.moveTo(x2, height - y2)
    path.lineTo(*left)
    path.lineTo(*right)
    path.close()
    pdf.drawPath(path, stroke=0, fill=1)


def to_pdf(pages, title: str = "", invariant: bool = False) -> bytes:
    """`invariant`: no creation date or random file id, so the same pages give the same bytes
    (an evidence bundle's SOP sheet hashes the same every time)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(
        buffer, pagesize=(pages[0].width, pages[0].height), invariant=1 if invariant else 0
    )
    pdf.setTitle(title)
    pdf.setAuthor("SIMPATIK")
    for page in pages:
        height = page.height
        for item in page.items:
            if isinstance(item, Box):
                pdf.setLineWidth(item.width)
                pdf.setStrokeColor(item.stroke or "#000000")
                if item.fill:
                    pdf.setFillColor(item.fill)
                pdf.roundRect(
                    item.x,
                    height - item.y - item.h,
                    item.w,
                    item.h,
                    item.radius,
                    stroke=1 if item.stroke else 0,
                    fill=1 if item.fill else 0,
                )
            elif isinstance(item, Text):
                pdf.setFillColor(item.color)
                pdf.setFont(FONT_BOLD if item.bold else FONT, item.size)
                draw = {
                    "start": pdf.drawString,
                    "middle": pdf.drawCentredString,
                    "end": pdf.drawRightString,
                }
                draw[item.anchor](item.x, height - item.y, item.text)
            elif isinstance(item, Image):
                pdf.drawImage(
                    item.path,
                    item.x,
                    height - item.y - item.h,
                    item.w,
                    item.h,
                    preserveAspectRatio=True,
                    anchor="c",
                    mask="auto",
                )
            elif isinstance(item, Path):
                pdf.setLineWidth(item.width)
                pdf.setStrokeColor(item.stroke)
                pdf.setDash(3, 2) if item.dashed else pdf.setDash()
                path = pdf.beginPath()
                path.moveTo(item.points[0][0], height - item.points[0][1])
                for x, y in item.points[1:]:
                    path.lineTo(x, height - y)
                if item.closed:
                    path.close()
                if item.fill:
                    pdf.setFillColor(item.fill)
                pdf.drawPath(path, stroke=1, fill=1 if item.fill else 0)
                pdf.setDash()
                if item.arrow and len(item.points) > 1:
                    pdf.setFillColor(item.stroke)
                    _arrow_head(pdf, item.points[-2], item.points[-1], height)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
