"""Rebuild ``data/land-110m.txt``, the land outline the map draws, from
Natural Earth's 1:110m land as TopoJSON.

Run ``python -m babelwire.publish.landbuild PATH/land-110m.json`` with the
file of the npm package ``world-atlas`` 2.0.2 (``npm pack world-atlas@2.0.2``
and unpack it: it is Natural Earth 4.1.0, public domain, redistributed under
the ISC licence). Nothing here runs in the wire: the map reads only the text
file this writes, so nothing is downloaded or derived at run time.

The output is one SVG path (``d``) in the map's own units (see
``mappage.project``), simplified for a 720-unit-wide map: points are rounded
to :data:`GRID` units and a point closer than :data:`MIN_STEP` to the last
one kept is dropped, which keeps every coastline a reader can see at that
size and makes the page's SVG about half the source's size. Rings that
shrink to fewer than three points (islets under a pixel) are left out.

The TopoJSON is on the sphere: a ring may cross the antimeridian (Chukotka,
Fiji), and Antarctica's goes round the pole. On a flat map such a ring is
unwrapped into continuous longitudes, closed along the pole when it goes
round one, and drawn a second time a world-width over, so that the part
beyond the edge comes back in at the other; the SVG's viewport crops the rest.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from babelwire.publish.mappage import MAP_HEIGHT, MAP_WIDTH

OUTPUT = Path(__file__).parent / "data" / "land-110m.txt"
#: Coordinates are written in tenths of a map unit at most: a unit is half a
#: degree, finer than any line of a 720-unit map.
GRID = 0.5
#: A point this close (map units) to the last kept point adds nothing visible.
MIN_STEP = 1.0
HEADER = """\
# Land outline of the map (publish/mappage.py): an SVG path in map units.
# From Natural Earth 1:110m land, version 4.1.0 (public domain,
# naturalearthdata.com), as TopoJSON in the npm package world-atlas 2.0.2
# (ISC licence, (c) 2013-2019 Michael Bostock); simplified and projected by
# python -m babelwire.publish.landbuild. Do not edit by hand.
"""

Point = tuple[float, float]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Each arc as (longitude, latitude) points: TopoJSON arcs are quantized
    and delta-encoded when the topology has a ``transform``."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: Sequence[int], arcs: Sequence[Sequence[Point]]) -> list[Point]:
    """A ring's points from its arc indices (``~i``, i.e. ``-i - 1``: arc i reversed);
    each arc after the first starts where the last one ended."""
    points: list[Point] = []
    for index in ring:
        arc = list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def polygons(topology: dict[str, Any], name: str = "land") -> list[list[list[int]]]:
    """Every polygon (a list of rings of arc indices) of the named object."""
    found: list[list[list[int]]] = []

    def walk(geometry: dict[str, Any]) -> None:
        kind = geometry.get("type")
        if kind == "GeometryCollection":
            for part in geometry["geometries"]:
                walk(part)
        elif kind == "Polygon":
            found.append(geometry["arcs"])
        elif kind == "MultiPolygon":
            found.extend(geometry["arcs"])

    walk(topology["objects"][name])
    return found


def _snap(value: float) -> float:
    return round(round(value / GRID) * GRID, 1)


def unwrapped(points: Sequence[Point]) -> list[Point]:
    """Longitudes made continuous (no step of more than 180 degrees); a ring
    that goes round a pole is closed along it."""
    out = [points[0]]
    for longitude, latitude in points[1:]:
        previous = out[-1][0]
        longitude += 360.0 * round((previous - longitude) / 360.0)
        out.append((longitude, latitude))
    if abs(out[-1][0] - out[0][0]) >= 180.0:
        pole = -90.0 if sum(lat for _, lat in out) < 0 else 90.0
        out += [(out[-1][0], pole), (out[0][0], pole)]
    return out


def copies(points: Sequence[Point]) -> list[list[Point]]:
    """The ring, and the ring a world-width over where it leaves the map."""
    rings = [list(points)]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    if west < -180.0:
        rings.append([(lon + 360.0, lat) for lon, lat in points])
    if east > 180.0:
        rings.append([(lon - 360.0, lat) for lon, lat in points])
    return rings


def simplified(points: Sequence[Point]) -> list[Point]:
    """The ring in map units (equirectangular, as ``mappage.project`` but
    unclamped), snapped to the grid, without near repeats."""
    kept: list[Point] = []
    for longitude, latitude in points:
        x = (longitude + 180.0) / 360.0 * MAP_WIDTH
        y = (90.0 - latitude) / 180.0 * MAP_HEIGHT
        point = (_snap(x), _snap(y))
        if not kept or math.dist(point, kept[-1]) >= MIN_STEP:
            kept.append(point)
    if len(kept) > 1 and kept[0] == kept[-1]:
        kept.pop()  # the path's "z" closes it
    return kept


def _number(value: float) -> str:
    return f"{value:g}"


def ring_path(points: Sequence[Point]) -> str:
    """``M x y`` then relative ``l`` steps: shorter than absolute points."""
    (x0, y0), *rest = points
    steps = []
    last = (x0, y0)
    for x, y in rest:
        steps.append(f"{_number(round(x - last[0], 1))} {_number(round(y - last[1], 1))}")
        last = (x, y)
    return f"M{_number(x0)} {_number(y0)}l" + " ".join(steps) + "z"


def land_path(topology: dict[str, Any]) -> str:
    arcs = decode_arcs(topology)
    rings = []
    for polygon in polygons(topology):
        for ring in polygon:
            for copy in copies(unwrapped(ring_points(ring, arcs))):
                points = simplified(copy)
                if len(points) >= 3:
                    rings.append(ring_path(points))
    return "".join(rings)


def main(argv: Sequence[str] = ()) -> int:
    if len(argv) != 1:
        print("usage: python -m babelwire.publish.landbuild PATH/land-110m.json",
              file=sys.stderr)
        return 2
    topology = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    path = land_path(topology)
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(HEADER + path + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(path)} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
