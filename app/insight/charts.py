"""Server-rendered SVG charts that read without colour: every bar carries its own number and
label, each chart states its unit, the two bars of a comparison differ by pattern as well as by
colour (with a legend), and each chart sits beside a table of the same figures."""
from markupsafe import Markup, escape

WIDTH = 640
ROW = 28
LABEL = 250
CAPTION = 22  # the line above a chart that states its unit
GAP = 16  # the least room between two date labels
LEGEND = 26


def bars(rows: list[tuple[str, float]], *, title_id: str, unit: str = "",
         caption: str = "") -> Markup:
    """Horizontal bars, one per labelled value, the value written at the end of the bar;
    `caption` states what the numbers count ("Supports", "Share of proposals, in %")."""
    top = max((value for _label, value in rows), default=0) or 1
    head = CAPTION if caption else 0
    height = head + ROW * len(rows) + 8
    span = WIDTH - LABEL - 70
    parts = [_open(height, title_id, caption), _caption(title_id, caption)]
    for i, (label, value) in enumerate(rows):
        y = head + 4 + i * ROW
        parts.append(_bar(label, value, y, round_length(span, value, top), unit, "chart-bar"))
    parts.append("</svg>")
    return _svg(parts)


def compare(groups: list[tuple[str, float, float]], *, series: tuple[str, str], title_id: str,
            unit: str = "", caption: str = "") -> Markup:
    """Two bars per group, the first solid, the second hatched in another colour, under a
    legend naming the two `series`; each bar carries its value."""
    top = max((max(a, b) for _label, a, b in groups), default=0) or 1
    head = (CAPTION if caption else 0) + LEGEND
    pair = 2 * (ROW - 8) + 12
    height = head + pair * len(groups) + 8
    span = WIDTH - LABEL - 70
    hatch = f"{title_id}-hatch"
    parts = [_open(height, title_id, caption), _caption(title_id, caption),
             f'<defs><pattern id="{escape(hatch)}" patternUnits="userSpaceOnUse" width="6" '
             'height="6" patternTransform="rotate(45)"><rect width="6" height="6" '
             'class="chart-bar-compare"/><rect width="2" height="6" class="chart-hatch"/>'
             '</pattern></defs>',
             _legend(head - LEGEND, series, hatch)]
    for i, (label, first, second) in enumerate(groups):
        y = head + i * pair
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + ROW - 4}" text-anchor="end" class="chart-label">'
            f'{escape(_clip(label))}</text>'
            + _bar("", first, y, round_length(span, first, top), unit, "chart-bar")
            + _bar("", second, y + ROW - 8, round_length(span, second, top), unit,
                   "chart-bar-hatched", fill=f"url(#{hatch})"))
    parts.append("</svg>")
    return _svg(parts)


def columns(values: list[int], labels: list[str], *, title_id: str, caption: str = "") -> Markup:
    """Columns over time; the first, last and highest columns carry their value, and as many
    dates as fit side by side are written under their columns, evenly spaced."""
    head = CAPTION if caption else 0
    height, base, left = 190 + head, 150 + head, 36
    top = max(values, default=0) or 1
    step = (WIDTH - left - 8) / max(len(values), 1)
    width = max(2, step * 0.7)
    peak = values.index(max(values)) if values else -1
    parts = [_open(height, title_id, caption), _caption(title_id, caption),
             f'<line x1="{left}" y1="{base}" x2="{WIDTH - 4}" y2="{base}" class="chart-axis"/>',
             f'<text x="{left - 4}" y="{head + 16}" text-anchor="end" class="chart-value">'
             f'{top}</text>',
             f'<text x="{left - 4}" y="{base}" text-anchor="end" class="chart-value">0</text>']
    for i, value in enumerate(values):
        x = left + i * step + (step - width) / 2
        h = round((base - head - 20) * value / top)
        parts.append(f'<rect x="{x:.1f}" y="{base - h}" width="{width:.1f}" height="{h}" '
                     f'class="chart-bar"/>')
        if i in (0, len(values) - 1, peak) and value:
            parts.append(f'<text x="{x + width / 2:.1f}" y="{base - h - 4}" text-anchor="middle" '
                         f'class="chart-value">{value}</text>')
    for i, x in date_ticks(labels, left, step):
        middle = left + i * step + step / 2
        parts.append(f'<line x1="{middle:.1f}" y1="{base}" x2="{middle:.1f}" y2="{base + 5}" '
                     f'class="chart-axis"/><text x="{x:.1f}" y="{base + 22}" '
                     f'text-anchor="middle" class="chart-label">{escape(labels[i])}</text>')
    parts.append("</svg>")
    return _svg(parts)


def date_ticks(labels: list[str], left: float, step: float) -> list[tuple[int, float]]:
    """Which columns get their date, and where it is written (under its column, kept inside the
    chart): evenly spaced, as many as fit without touching, always the first and the last."""
    if not labels:
        return []
    widest = max(text_width(label) for label in labels) + GAP
    every = int(max(1, -(-widest // step)))  # columns from one label to the next, rounded up
    last = len(labels) - 1
    placed: list[tuple[int, float]] = []

    def clear_of(previous: tuple[int, float], i: int, x: float) -> bool:
        return x - previous[1] >= (text_width(labels[previous[0]]) + text_width(labels[i])) / 2

    for i in [*range(0, last, every), last]:
        half = text_width(labels[i]) / 2
        x = min(max(left + i * step + step / 2, half + 2), WIDTH - half - 2)
        while i == last and len(placed) > 1 and not clear_of(placed[-1], i, x):
            placed.pop()  # the last date is written; the one too close before it is not
        if not placed or clear_of(placed[-1], i, x):
            placed.append((i, x))
    return placed


def text_width(text: str) -> float:
    """About how wide a label is drawn at 13 px: a Chinese character is a square, a Latin
    letter or digit a little over half of one."""
    return sum(13 if ord(char) >= 0x2E80 else 7.5 for char in text)


def round_length(span: int, value: float, top: float) -> int:
    return max(1, round(span * value / top)) if value else 0


def _open(height: int, title_id: str, caption: str) -> str:
    names = f"{title_id} {title_id}-unit" if caption else title_id
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="{escape(names)}" focusable="false">')


def _caption(title_id: str, caption: str) -> str:
    if not caption:
        return ""
    return (f'<text x="0" y="15" class="chart-unit" id="{escape(title_id)}-unit">'
            f'{escape(caption)}</text>')


def _legend(y: int, series: tuple[str, str], hatch: str) -> str:
    first, second = series
    x = LABEL
    second_x = x + 24 + text_width(first) + 24
    return (f'<g class="chart-legend"><rect x="{x}" y="{y + 6}" width="16" height="12" '
            f'class="chart-bar"/><text x="{x + 22}" y="{y + 17}" class="chart-label">'
            f'{escape(first)}</text><rect x="{second_x:.0f}" y="{y + 6}" width="16" height="12" '
            f'fill="url(#{escape(hatch)})" class="chart-bar-hatched"/>'
            f'<text x="{second_x + 22:.0f}" y="{y + 17}" class="chart-label">{escape(second)}'
            '</text></g>')


def _bar(label: str, value: float, y: int, length: int, unit: str, kind: str,
         fill: str = "") -> str:
    painted = f' fill="{escape(fill)}"' if fill else ""
    named = (f'<text x="{LABEL - 8}" y="{y + 18}" text-anchor="end" class="chart-label">'
             f'{escape(_clip(label))}</text>') if label else ""
    return (f'{named}<rect x="{LABEL}" y="{y + 4}" width="{length}" height="{ROW - 10}" '
            f'class="{kind}"{painted}/>'
            f'<text x="{LABEL + length + 6}" y="{y + 18}" class="chart-value">'
            f'{escape(_number(value))}{escape(unit)}</text>')


def _clip(text: str, length: int = 34) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _svg(parts: list[str]) -> Markup:
    svg = "".join(parts)
    return Markup(svg)  # noqa: S704 - every label was escaped where it was written # nosec B704
