"""Progress as a small SVG drawn on the server: the line from baseline to target (dashed), each
year's figure with its uncertainty interval (a bar), the year not yet over as a hollow dot.

No script and no inline style (the CSP forbids both): attributes only, so the chart shows
offline and on a phone. The table beneath it carries the same figures for screen readers.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lantern.response.programmes.progress import Point

W, H = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 28


def _fmt(v: float) -> str:
    return f"{v:.1f}"


def progress_svg(
    points: list[Point],
    *,
    baseline_year: int,
    baseline: float,
    target_year: int,
    target: float,
    title: str,
) -> SafeString:
    """The chart of one target's progress."""
    years = [baseline_year, target_year, *(p.year for p in points)]
    first, last = min(years), max(years)
    tops = [baseline, target, *(p.value for p in points), *(p.high or 0 for p in points)]
    top = max(max(tops) * 1.1, 1.0)

    def x(year: float) -> float:
        span = max(last - first, 1)
        return LEFT + (year - first) / span * (W - LEFT - RIGHT)

    def y(value: float) -> float:
        return TOP + (1 - value / top) * (H - TOP - BOTTOM)

    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#555"/>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#555"/>'
        '<text x="{}" y="{}" font-size="10" text-anchor="end">{}</text>'
        '<text x="{}" y="{}" font-size="10" text-anchor="end">0</text>',
        LEFT,
        TOP,
        LEFT,
        H - BOTTOM,
        LEFT,
        H - BOTTOM,
        W - RIGHT,
        H - BOTTOM,
        LEFT - 4,
        TOP + 8,
        f"{top:.0f}",
        LEFT - 4,
        H - BOTTOM,
    )
    step = max(1, (last - first + 1) // 6)
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
        ((_fmt(x(yr)), H - BOTTOM + 14, yr) for yr in range(first, last + 1, step)),
    )
    line = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#2a6f97" stroke-dasharray="5 4"/>'
        '<circle cx="{}" cy="{}" r="4" fill="#2a6f97"/>',
        _fmt(x(baseline_year)),
        _fmt(y(baseline)),
        _fmt(x(target_year)),
        _fmt(y(target)),
        _fmt(x(target_year)),
        _fmt(y(target)),
    )
    bars = format_html_join(
        "",
        '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#b5651d" stroke-width="2"/>',
        (
            (_fmt(x(p.year)), _fmt(y(p.low)), _fmt(y(p.high)))
            for p in points
            if p.low is not None and p.high is not None
        ),
    )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" fill="{}" stroke="#b5651d" stroke-width="2">'
        "<title>{}: {}</title></circle>",
        (
            (
                _fmt(x(p.year)),
                _fmt(y(p.value)),
                "#fff" if p.partial else "#b5651d",
                p.year,
                f"{p.value:g}",
            )
            for p in points
        ),
    )
    return format_html(
        '<svg class="progress-chart" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-label="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}{}{}{}{}</svg>',
        W,
        H,
        title,
        _("Progress against the target: %(t)s") % {"t": title},
        axis,
        ticks,
        line,
        bars,
        dots,
    )
