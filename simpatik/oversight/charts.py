"""Server-side SVG bar charts: no script, no CDN; every number is a whole pixel (a localised
decimal comma once broke an SVG here), every label escaped. Each chart has its table beside it."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH, LABEL, ROW = 640, 170, 22


def bars(title: str, rows: list[tuple[str, list[tuple[str, float | None, str]]]], unit: str = ""):
    """rows: (label, [(series name, value, css class)]). Returns an accessible <svg> in a figure
    captioned with its title and a key to its colours."""
    values = [value for _label, series in rows for _name, value, _css in series if value]
    top = max(values) if values else 1
    per_row = max(len(series) for _label, series in rows) if rows else 1
    height = len(rows) * (ROW * per_row + 8) + 10
    scale = (WIDTH - LABEL - 60) / top
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    y = 5
    for label, series in rows:
        parts.append(
            f'<text x="0" y="{y + ROW * per_row // 2 + 4}" class="chart-label">{escape(label[:28])}</text>'
        )
        for offset, (name, value, css) in enumerate(series):
            bar_y = y + offset * ROW
            length = int(round((value or 0) * scale))
            shown = "—" if value is None else f"{value:g}{unit}"
            parts.append(
                f'<rect x="{LABEL}" y="{bar_y}" width="{max(length, 1)}" height="{ROW - 6}" '
                f'class="{escape(css)}"><title>{escape(name)}: {escape(shown)}</title></rect>'
                f'<text x="{LABEL + length + 4}" y="{bar_y + ROW - 10}" class="chart-value">'
                f"{escape(shown)}</text>"
            )
        y += ROW * per_row + 8
    parts.append("</svg>")
    # What the chart shows and what each colour is, in words people see (the <title> above is
    # read by screen readers only).
    names, over = {}, False
    for _label, series in rows:
        for name, _value, css in series:
            names.setdefault(name, css.split()[0] if css else "")
            over = over or "bar-over" in css.split()
    if over:
        names[_("melebihi waktu baku")] = "bar-over"
    legend = "".join(
        f'<span class="chart-key"><span class="swatch {escape(css)}"></span>{escape(name)}</span>'
        for name, css in names.items()
    )
    return mark_safe(
        f'<figure class="chart-figure"><figcaption>{escape(title)}'
        f'<span class="chart-legend">{legend}</span></figcaption>{"".join(parts)}</figure>'
    )
