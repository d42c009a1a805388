"""Drawing primitives shared by the SVG and PDF backends (points, origin at the top left)."""

from dataclasses import dataclass, field

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

FONT, FONT_BOLD = "Helvetica", "Helvetica-Bold"


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str | None = None
    stroke: str | None = "#000000"
    width: float = 0.6
    radius: float = 0  # corner radius: a capsule when radius = h / 2


@dataclass
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 7
    bold: bool = False
    anchor: str = "start"  # start, middle, end
    color: str = "#000000"


@dataclass
class Path:
    points: list[tuple[float, float]]
    arrow: bool = False
    dashed: bool = False
    closed: bool = False
    fill: str | None = None
    stroke: str = "#000000"
    width: float = 0.7


@dataclass
class Image:
    """A raster image file (the regency's logo) fitted into the box, keeping its proportions."""

    x: float
    y: float
    w: float
    h: float
    path: str


@dataclass
class Page:
    width: float
    height: float
    items: list = field(default_factory=list)

    def add(self, *items):
        self.items.extend(items)


def wrap(text: str, width: float, size: float = 7, bold: bool = False) -> list[str]:
    return simpleSplit(str(text or ""), FONT_BOLD if bold else FONT, size, width) or [""]


def text_width(text: str, size: float = 7, bold: bool = False) -> float:
    return stringWidth(text, FONT_BOLD if bold else FONT, size)


def paragraph(
    x, y, text, width, size=7, bold=False, leading=None, anchor="start"
) -> tuple[list[Text], float]:
    """Wrapped lines starting with their top at y; returns the texts and the height used."""
    leading = leading or size * 1.22
    lines = wrap(text, width, size, bold)
    tx = x + width / 2 if anchor == "middle" else x
    texts = [
        Text(tx, y + size + i * leading, line, size, bold, anchor) for i, line in enumerate(lines)
    ]
    return texts, len(lines) * leading
