"""Where to draw a country's flows from: a point inside its largest polygon, read from the
vendored world-atlas TopoJSON (quantized, delta-encoded arcs)."""

from __future__ import annotations

from functools import cache

from lantern.monitoring.dashboard.charts import _topology


def _arcs() -> list[list[tuple[float, float]]]:
    topo = _topology()
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    decoded = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(arcs: list[list[tuple[float, float]]], refs: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for ref in refs:
        arc = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """The polygon's area and centroid (shoelace), in degrees: good enough to anchor a line."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(a / 2), cx / (3 * a), cy / (3 * a)


@cache
def centroids() -> dict[str, tuple[float, float]]:
    """ISO 3166 numeric code (as world-atlas writes it, no leading zeros kept) -> (lon, lat)."""
    arcs = _arcs()
    found: dict[str, tuple[float, float]] = {}
    for geom in _topology()["objects"]["countries"]["geometries"]:
        if "id" not in geom or not geom.get("arcs"):
            continue
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        best = max((_area_centroid(_ring(arcs, poly[0])) for poly in polygons), default=None)
        if best is not None:
            found[str(int(geom["id"]))] = (best[1], best[2])
    return found
