"""The map: where one day's items are, as server-rendered SVG.

Places come from the enrich stage as the story step stored them with each
item (ISO 3166-1 code, WGS 84 coordinates). The projection is
equirectangular (x from longitude, y from latitude), drawn over a
graticule and Natural Earth's land outline (``data/land-110m.txt``, built by
``landbuild.py``, read once); no tiles and no script, so the page loads
nothing from anywhere and the Content-Security-Policy stays as strict as
on every page. A point is a place; its area grows with the items naming
it, and it links to the wire filtered by its country (``country:XX`` in
the search text). The same counts are in a table beside the map (and in
``/map.json``), sorted by count, for readers who do not see it.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from babelwire.publish.context import Context, Ctx
from babelwire.publish.pages import render, with_params

router = APIRouter(include_in_schema=False)

MAP_WIDTH = 720
MAP_HEIGHT = 360
#: Radii of the smallest and the largest point, in map units.
MIN_RADIUS = 3.0
MAX_RADIUS = 18.0
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: The land outline as one SVG path in map units, after '#' comment lines.
LAND_FILE = Path(__file__).parent / "data" / "land-110m.txt"


@dataclass(frozen=True, slots=True)
class MapPoint:
    key: str
    name: str
    country_code: str
    latitude: float
    longitude: float
    items: int
    x: float
    y: float
    radius: float
    wire_url: str


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Equirectangular: the map's x and y of a WGS 84 point."""
    x = (longitude + 180.0) / 360.0 * MAP_WIDTH
    y = (90.0 - latitude) / 180.0 * MAP_HEIGHT
    return round(min(max(x, 0.0), MAP_WIDTH), 2), round(min(max(y, 0.0), MAP_HEIGHT), 2)


def read_day(text: str | None, today: date) -> tuple[date, str | None]:
    """The day asked for (``?day=YYYY-MM-DD``), else today; and an error for a bad one."""
    if not text:
        return today, None
    if _DAY.fullmatch(text):
        try:
            return date.fromisoformat(text), None
        except ValueError:
            pass
    return today, f"Not a day: {text[:40]!r} (use YYYY-MM-DD); showing today."


def map_points(ctx: Context, day: date) -> list[MapPoint]:
    """Each place named by items seen on ``day`` (UTC), most named first."""
    start = datetime.combine(day, time(0), UTC)
    counts: dict[str, int] = {}
    where: dict[str, tuple[str, str, float, float]] = {}
    for _, _, places in ctx.store.stories.places_seen(start, start + timedelta(days=1)):
        for place in places:
            if place.latitude is None or place.longitude is None:
                continue  # a place without coordinates cannot be drawn
            counts[place.key] = counts.get(place.key, 0) + 1
            where[place.key] = (place.name, place.country_code, place.latitude,
                                place.longitude)
    most = max(counts.values(), default=1)
    points = []
    for key, items in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        name, country, latitude, longitude = where[key]
        x, y = project(latitude, longitude)
        # Area, not radius, in proportion to the count: a place named twice
        # as often must not look four times as big.
        radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(items / most)
        points.append(MapPoint(key, name, country, latitude, longitude, items, x, y,
                               round(radius, 2), with_params("/", {"q": f"country:{country}"})))
    return points


def graticule() -> dict[str, list[float]]:
    """x of every 30th meridian and y of every 30th parallel."""
    return {"x": [project(0.0, lon)[0] for lon in range(-180, 181, 30)],
            "y": [project(lat, 0.0)[1] for lat in range(-90, 91, 30)]}


@functools.cache
def land_path() -> str:
    """The ``d`` of the land outline (MAP_WIDTH x MAP_HEIGHT units)."""
    lines = LAND_FILE.read_text(encoding="utf-8").splitlines()
    return "".join(line for line in lines if line and not line.startswith("#"))


def _day_of(ctx: Context, request: Request) -> tuple[date, str | None]:
    return read_day(request.query_params.get("day"), ctx.clock().astimezone(UTC).date())


def map_json(points: list[MapPoint], day: date, root_url: str) -> dict[str, Any]:
    return {"day": day.isoformat(), "places": [
        {"key": p.key, "name": p.name, "country": p.country_code, "latitude": p.latitude,
         "longitude": p.longitude, "items": p.items, "wire": root_url + p.wire_url}
        for p in points]}


@router.get("/map.json")
def map_page_json(request: Request, ctx: Ctx) -> Response:
    day, error = _day_of(ctx, request)
    body = map_json(map_points(ctx, day), day, ctx.settings.root_url)
    if error:
        body["error"] = error
    return JSONResponse(body, status_code=400 if error else 200)


@router.get("/map")
def map_page(request: Request, ctx: Ctx) -> Response:
    day, error = _day_of(ctx, request)
    points = map_points(ctx, day)
    return render("map", {
        "site": ctx.settings, "title": f"Map of {day.isoformat()}", "day": day,
        "error": error, "points": points, "grid": graticule(), "land": land_path(),
        "width": MAP_WIDTH, "height": MAP_HEIGHT,
        "previous_url": with_params("/map", {"day": (day - timedelta(days=1)).isoformat()}),
        "next_url": with_params("/map", {"day": (day + timedelta(days=1)).isoformat()}),
        "json_url": with_params("/map.json", {"day": day.isoformat()}), "feeds": [],
    }, status_code=400 if error else 200)
