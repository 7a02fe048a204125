"""Small bar charts drawn on the server as inline SVG: no JavaScript, no CDN, nothing to load.

Each chart is an image to assistive technology (``role="img"`` and a ``<title>``); the
page always prints the same figures as a table next to it (``_chart.html``). Every label
is escaped here, since the SVG is inserted as markup.
"""
from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

INK, BAR, AXIS = "#222", "#1a5d1a", "#9a9a90"


def _svg(chart_id: str, title: str, width: int, height: int, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{escape(chart_id)}-title" font-family="sans-serif">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>{"".join(body)}</svg>')


def bars(chart_id: str, title: str, rows: Sequence[tuple[str, int]], width: int = 360) -> Markup:
    """Horizontal bars, one a row, the label above its bar (long names fit a phone's width)."""
    top = max((value for _, value in rows), default=0) or 1
    room = width - 60                       # the value is written after the longest bar
    body, y = [], 0
    for label, value in rows:
        length = round(room * value / top)
        body.append(f'<text x="0" y="{y + 12}" font-size="12" fill="{INK}">{escape(label)}</text>')
        if length:
            body.append(f'<rect x="0" y="{y + 16}" width="{length}" height="12" fill="{BAR}"/>')
        body.append(f'<text x="{length + 4}" y="{y + 26}" font-size="11" fill="{INK}">{value}</text>')
        y += 34
    return _svg(chart_id, title, width, max(y, 20), body)


def columns(chart_id: str, title: str, rows: Sequence[tuple[str, int]], *, note: str = "", tick_every: int = 5,
            width: int = 600, height: int = 170) -> Markup:
    """Vertical columns in order (e.g. days), every ``tick_every``-th and the last one labelled;
    ``note`` (e.g. the scale: "highest: 42") is written at the top left."""
    top = max((value for _, value in rows), default=0)
    base, plot = height - 22, height - 40       # baseline; tallest column's height
    step = width / max(len(rows), 1)
    body = [f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="{AXIS}"/>',
            f'<text x="0" y="11" font-size="11" fill="{INK}">{escape(note)}</text>']
    for n, (label, value) in enumerate(rows):
        x = n * step
        tall = round(plot * value / top) if top else 0
        if tall:
            body.append(f'<rect x="{x + 1:.1f}" y="{base - tall}" width="{max(step - 2, 1):.1f}" height="{tall}" '
                        f'fill="{BAR}"><title>{escape(label)}: {value}</title></rect>')
        if n % tick_every == 0 or n == len(rows) - 1:
            body.append(f'<text x="{x + step / 2:.1f}" y="{height - 6}" font-size="11" fill="{INK}" '
                        f'text-anchor="middle">{escape(label)}</text>')
    return _svg(chart_id, title, width, height, body)
