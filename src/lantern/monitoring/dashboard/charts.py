"""Charts and the map: Vega-Lite specifications built with Altair, drawn as SVG on the server by
vl-convert, so that a page needs no JavaScript and nothing is fetched (``allowed_base_urls``
is empty; the boundaries are vendored in ``boundaries/``).

Hidden figures (disclosure control) are left out of a chart; the table beneath says so.
"""

from __future__ import annotations

import html
import json
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert as vlc
from django.utils.translation import get_language

from lantern.taxonomy.countries import country
from lantern.taxonomy.errors import UnknownCode

BOUNDARIES = Path(__file__).resolve().parent / "boundaries" / "countries-110m.json"
LOCALES: dict[str, Any] = {"fr": "fr-FR", "es": "es-ES", "en": "en-US"}
WIDTH = 560


@cache
def _topology() -> dict[str, Any]:
    value: dict[str, Any] = json.loads(BOUNDARIES.read_text())
    return value


def _svg(chart: alt.TopLevelMixin, title: str) -> str:
    """The chart as an SVG element that scales to its box, named for assistive technology."""
    locale = LOCALES.get((get_language() or "en")[:2], "en-US")
    # Vega's own descriptions of marks and legends are English: the page names the chart itself
    spec = chart.configure(aria=False).to_dict()
    svg: str = vlc.vegalite_to_svg(
        spec, format_locale=locale, time_format_locale=locale, allowed_base_urls=[]
    )
    svg = re.sub(r' aria-roledescription="[^"]*"', "", svg)  # English, and redundant
    name = html.escape(title, quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{name}" ', 1)


def _data(
    rows: list[dict[str, Any]], category: str, value: str, group: str | None
) -> list[dict[str, Any]]:
    """The rows under fixed field names: a label as a field name (an apostrophe, a dot)
    would be read by Vega as a path."""
    return [{"c": r[category], "v": r[value], **({"g": r[group]} if group else {})} for r in rows]


def _legend(group: str, rows: list[dict[str, Any]]) -> alt.Color:
    return alt.Color(
        "g:N",
        title=group,
        sort=list(dict.fromkeys(r["g"] for r in rows)),
        scale=alt.Scale(scheme="tableau10"),
        legend=alt.Legend(orient="bottom", columns=2, labelLimit=240),
    )


def bars(
    rows: list[dict[str, Any]], category: str, value: str, group: str | None, title: str
) -> str:
    """Horizontal bars: one per category (in the given order), stacked by ``group``."""
    data = _data(rows, category, value, group)
    order = list(dict.fromkeys(r["c"] for r in data))
    enc: dict[str, Any] = {
        "y": alt.Y("c:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)),
        "x": alt.X("v:Q", title=value),
    }
    if group:
        enc["color"] = _legend(group, data)
    height = max(60, 22 * len(order))
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(**enc)
        .properties(width=WIDTH, height=height)
    )
    return _svg(chart, title)


def lines(
    rows: list[dict[str, Any]], period: str, value: str, group: str | None, title: str
) -> str:
    """A time series: periods in order along the bottom, one line per group."""
    data = _data(rows, period, value, group)
    order = list(dict.fromkeys(r["c"] for r in data))
    enc: dict[str, Any] = {
        "x": alt.X("c:O", title=period, sort=order, axis=alt.Axis(labelAngle=-45)),
        "y": alt.Y("v:Q", title=value),
    }
    if group:
        enc["color"] = _legend(group, data)
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_line(point=True)
        .encode(**enc)
        .properties(width=WIDTH, height=240)
    )
    return _svg(chart, title)


def _numeric(iso3: str) -> str | None:
    try:
        return str(int(country(iso3).numeric))
    except (UnknownCode, ValueError, TypeError):
        return None


def world(
    counts: dict[str, int],
    legend: str,
    title: str,
    flows: list[tuple[str, str, int]] | None = None,
) -> str:
    """A world map shading each country (ISO alpha-3 -> count), with a line for each flow
    (origin, destination, count) between two countries; countries without a published figure
    stay grey."""
    from lantern.monitoring.dashboard.geo import centroids

    rows = [
        {"id": num, "n": n}
        for code, n in counts.items()
        if n > 0 and (num := _numeric(code)) is not None
    ]
    shapes = alt.Data(
        values=_topology(), format=alt.DataFormat(type="topojson", feature="countries")
    )
    land = alt.Chart(shapes).mark_geoshape(fill="#e8e8e8", stroke="#ffffff", strokeWidth=0.4)
    shaded = (
        alt.Chart(shapes)
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.4)
        .transform_lookup(lookup="id", from_=alt.LookupData(alt.Data(values=rows), "id", ["n"]))
        .transform_filter("isValid(datum.n)")
        .encode(
            color=alt.Color(
                "n:Q",
                title=legend,
                scale=alt.Scale(scheme="orangered"),
                # no legend for a map with no figure (it would read "NaN")
                legend=alt.Legend(orient="bottom", gradientLength=200) if rows else None,
            )
        )
    )
    layers: list[Any] = [land, shaded]
    points = centroids()
    lines_ = []
    for origin, dest, n in flows or ():
        a, b = _numeric(origin), _numeric(dest)
        if a in points and b in points and a != b:
            (x0, y0), (x1, y1) = points[a], points[b]
            lines_.append({"x0": x0, "y0": y0, "x1": x1, "y1": y1, "n": n})
    if lines_:
        layers.append(
            alt.Chart(alt.Data(values=lines_))
            .mark_rule(color="#1f4e79", opacity=0.8, strokeCap="round")
            .encode(
                longitude="x0:Q",
                latitude="y0:Q",
                longitude2="x1:Q",
                latitude2="y1:Q",
                strokeWidth=alt.StrokeWidth("n:Q", legend=None, scale=alt.Scale(range=[1, 6])),
            )
        )
        layers.append(
            alt.Chart(alt.Data(values=lines_))
            .mark_circle(color="#1f4e79", size=30)
            .encode(longitude="x1:Q", latitude="y1:Q")
        )
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT)
    shown = [points[num] for code in counts if (num := _numeric(code) or "") in points]
    shown += [(r["x0"], r["y0"]) for r in lines_]
    return _svg(chart.project(**_frame(shown)), title)


HEIGHT = 320


def _frame(points: list[tuple[float, float]]) -> dict[str, Any]:
    """The projection: the whole world, or closer in on the countries shown when they lie
    near each other (a region's flows are lost on a world map)."""
    if not points:
        return {"type": "equalEarth"}
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    span_lon = max(max(lons) - min(lons) + 30, 40)
    span_lat = max(max(lats) - min(lats) + 20, 25)
    if span_lon > 200:
        return {"type": "equalEarth"}
    scale = min(WIDTH / math.radians(span_lon), HEIGHT / math.radians(span_lat))
    centre = [(max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2]
    return {
        "type": "mercator",
        "center": centre,
        "scale": scale,
        "translate": [WIDTH / 2, HEIGHT / 2],
    }
