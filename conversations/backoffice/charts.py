"""Charts as inline SVG drawn on the server: no JavaScript and nothing fetched, readable at a glance.

Colours come from the back office stylesheet (classes `chart-*`); the fill attributes are the fallback.
"""

import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal

_EMPTY = '<p class="chart-empty">Sin datos en este periodo.</p>'


def _nice_top(value: Number) -> int:
    """The axis top: the value rounded up to 1, 2 or 5 times a power of ten (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(float(value)))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return int(10 * magnitude)


def _number(value: Number) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{Decimal(str(value)).normalize():f}"


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    # Safe: every text that went into body passed through escape().
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def column_chart(
    points: Sequence[tuple[str, Number]], *, title: str, unit: str = "", max_labels: int = 10
) -> SafeString:
    """Vertical bars, one per point (e.g. per day), with a light grid and every n-th label."""
    if not points or not any(value for _, value in points):
        return mark_safe(_EMPTY)
    width, height, left, bottom, top_pad = 640, 180, 36, 26, 10
    plot_width, plot_height = width - left - 4, height - bottom - top_pad
    top = _nice_top(max(value for _, value in points))
    slot = plot_width / len(points)
    bar_width = max(slot * 0.7, 1)
    every = max(1, math.ceil(len(points) / max_labels))
    body = []
    for fraction in (0, 0.5, 1):
        y = top_pad + plot_height * (1 - fraction)
        body.append(
            f'<line class="chart-grid" x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text class="chart-axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(_number(top * fraction if fraction != 0.5 else top / 2))}</text>"
        )
    for index, (label, value) in enumerate(points):
        bar_height = plot_height * float(value) / top
        x = left + index * slot + (slot - bar_width) / 2
        y = top_pad + plot_height - bar_height
        tooltip = escape(f"{label}: {_number(value)} {unit}".strip())
        body.append(
            f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{bar_width:.1f}" height="{bar_height:.1f}" '
            f'fill="#417690"><title>{tooltip}</title></rect>'
        )
        if index % every == 0:
            body.append(
                f'<text class="chart-axis" x="{x + bar_width / 2:.1f}" y="{height - 8}" text-anchor="middle" '
                f'font-size="11">{escape(label)}</text>'
            )
    return _svg(width, height, title, body)


def bar_chart(
    rows: Sequence[tuple[str, Number]], *, title: str, suffix: str = "", notes: Sequence[str] = ()
) -> SafeString:
    """Horizontal bars with the label on the left and the value (and its note, e.g. a share) after each bar."""
    if not rows:
        return mark_safe(_EMPTY)
    width, label_width, row_height = 440, 150, 24
    value_room = 104 if notes else 56
    bar_room = width - label_width - value_room
    top = max(float(value) for _, value in rows) or 1
    body = []
    for index, (label, value) in enumerate(rows):
        y = index * row_height + 4
        bar_width = bar_room * float(value) / top
        note = f" · {notes[index]}" if index < len(notes) and notes[index] else ""
        text = escape(f"{_number(value)}{suffix}{note}")
        body.append(
            f'<text class="chart-label" x="{label_width - 8}" y="{y + 14}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>"
            f'<rect class="chart-bar" x="{label_width}" y="{y}" width="{bar_width:.1f}" height="{row_height - 8}" '
            f'fill="#417690"><title>{escape(label)}: {text}</title></rect>'
            f'<text class="chart-value" x="{label_width + bar_width + 6:.1f}" y="{y + 14}" font-size="12">{text}</text>'
        )
    return _svg(width, len(rows) * row_height + 8, title, body)
