"""Server-rendered SVG charts that read without colour: every bar carries its own number and
label, and each chart sits beside a table of the same figures."""
from markupsafe import Markup, escape

WIDTH = 640
ROW = 28
LABEL = 250


def bars(rows: list[tuple[str, float]], *, title_id: str, unit: str = "") -> Markup:
    """Horizontal bars, one per labelled value, the value written at the end of the bar."""
    top = max((value for _label, value in rows), default=0) or 1
    height = ROW * len(rows) + 8
    span = WIDTH - LABEL - 70
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="{escape(title_id)}" focusable="false">']
    for i, (label, value) in enumerate(rows):
        y = 4 + i * ROW
        length = max(1, round(span * value / top)) if value else 0
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 18}" text-anchor="end" class="chart-label">'
            f'{escape(_clip(label))}</text>'
            f'<rect x="{LABEL}" y="{y + 4}" width="{length}" height="{ROW - 10}" '
            'class="chart-bar"/>'
            f'<text x="{LABEL + length + 6}" y="{y + 18}" class="chart-value">'
            f'{escape(_number(value))}{escape(unit)}</text>')
    parts.append("</svg>")
    return _svg(parts)


def columns(values: list[int], labels: list[str], *, title_id: str) -> Markup:
    """Columns over time; the first, last and highest columns are labelled with their value."""
    height, base, left = 180, 150, 36
    top = max(values, default=0) or 1
    step = (WIDTH - left - 8) / max(len(values), 1)
    width = max(2, step * 0.7)
    peak = values.index(max(values)) if values else -1
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="{escape(title_id)}" focusable="false">',
             f'<line x1="{left}" y1="{base}" x2="{WIDTH - 4}" y2="{base}" class="chart-axis"/>',
             f'<text x="{left - 4}" y="16" text-anchor="end" class="chart-value">{top}</text>',
             f'<text x="{left - 4}" y="{base}" text-anchor="end" class="chart-value">0</text>']
    for i, value in enumerate(values):
        x = left + i * step + (step - width) / 2
        h = round((base - 20) * value / top)
        parts.append(f'<rect x="{x:.1f}" y="{base - h}" width="{width:.1f}" height="{h}" '
                     f'class="chart-bar"/>')
        if i in (0, len(values) - 1, peak) and value:
            parts.append(f'<text x="{x + width / 2:.1f}" y="{base - h - 4}" text-anchor="middle" '
                         f'class="chart-value">{value}</text>')
    if labels:
        parts.append(f'<text x="{left}" y="{base + 20}" class="chart-label">'
                     f'{escape(labels[0])}</text>'
                     f'<text x="{WIDTH - 4}" y="{base + 20}" text-anchor="end" class="chart-label">'
                     f'{escape(labels[-1])}</text>')
    parts.append("</svg>")
    return _svg(parts)


def _clip(text: str, length: int = 34) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _svg(parts: list[str]) -> Markup:
    svg = "".join(parts)
    return Markup(svg)  # noqa: S704 - every label was escaped where it was written # nosec B704
