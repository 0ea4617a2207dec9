"""The story page, the wire's story badges, the story filter, the map and the
stories API, on both backends, over the four-language story of
``seeding.STORY_WIRE``."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from babelwire.enrich.storysettings import StorySettings
from babelwire.publish import landbuild
from babelwire.publish.app import create_app
from babelwire.publish.mappage import LAND_FILE, land_path, project
from babelwire.publish.responses import CONTENT_SECURITY_POLICY
from babelwire.publish.settings import PublishSettings
from babelwire.run.stories import assign_new_items
from babelwire.store import Store

from .seeding import OTHERS, SUDAN
from .seeding import STORY_WIRE as S


def _client(store: Store, **story: Any) -> TestClient:
    app = create_app(lambda: store, settings=PublishSettings(base_url="http://127.0.0.1:8000"),
                     sources=S.sources, compose=S.compose, clock=lambda: S.now,
                     story_settings=StorySettings(**story))
    return TestClient(app)


@pytest.fixture
def wire(store: Store) -> tuple[Store, dict[str, Any], str]:
    items = S.seed(store)
    assign_new_items(store)
    story = store.stories.of_documents([items["wfp-convoy"].document_id])
    return store, items, story[items["wfp-convoy"].document_id].id


def test_the_wire_shows_a_story_once_with_its_sources_and_languages(wire: Any) -> None:
    store, items, story_id = wire
    page = _client(store).get("/").text
    sudan = [items[r.slug] for r in SUDAN]
    shown = [i for i in sudan if f"/items/{i.id}/" in page]
    # The newest of the story's items stands for it.
    assert shown == [items["assistance-sudan"]]
    assert f'<a href="/stories/{story_id}">+3 sources · 4 languages</a>' in page
    for other in OTHERS:
        assert f"/items/{items[other.slug].id}/" in page


def test_the_wire_json_twin_names_the_story_of_the_lead(wire: Any) -> None:
    store, items, story_id = wire
    body = _client(store).get("/index.json").json()
    lead = items["assistance-sudan"].id
    assert body["stories"] == {lead: {
        "story_id": story_id, "url": f"/stories/{story_id}", "more_items": 3,
        "more_sources": 3, "languages": 4, "breaking": False}}
    assert len(body["items"]) == 3


@pytest.mark.parametrize("params", [{"story": "ID"}, {"q": "story:ID"}])
def test_the_wire_filtered_by_story_lists_its_items(wire: Any, params: dict[str, str]) -> None:
    store, items, story_id = wire
    asked = {k: v.replace("ID", story_id) for k, v in params.items()}
    page = _client(store).get("/", params=asked)
    assert page.status_code == 200
    for report in SUDAN:
        assert f"/items/{items[report.slug].id}/" in page.text
    for report in OTHERS:
        assert f"/items/{items[report.slug].id}/" not in page.text


def test_an_unknown_story_filter_is_a_message_not_an_error_page(wire: Any) -> None:
    store, _, _ = wire
    page = _client(store).get("/", params={"story": "<script>x</script>"})
    assert page.status_code == 400
    assert "not a story id" in page.text and "<script>x" not in page.text


def test_the_story_page_groups_items_by_language_and_source(wire: Any) -> None:
    store, items, story_id = wire
    page = _client(store).get(f"/stories/{story_id}")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    html = page.text
    languages = re.findall(r'<h3 id="lang-(\w+)">', html)
    assert languages == ["ru", "fr", "ar", "en"]  # in the order they joined
    assert "4 items · 4 sources · 4 languages" in " ".join(html.split())
    assert "first seen <time datetime=\"2025-12-10T15:30:00+00:00\">" in html
    for report in SUDAN:
        assert f"/items/{items[report.slug].id}/" in html
    # The growth chart: one bar per hour from the first seen, and the same numbers in a table.
    assert html.count("<rect ") == 19  # 15:30 to 09:30 the next day
    assert "<script" not in html


def test_the_story_json_twin_and_the_api_agree(wire: Any) -> None:
    store, _, story_id = wire
    client = _client(store)
    twin = client.get(f"/stories/{story_id}.json").json()
    assert client.get(f"/api/v1/stories/{story_id}").json() == twin
    assert twin["member_count"] == 4 and twin["languages"] == {"ar": 1, "en": 1, "fr": 1,
                                                               "ru": 1}
    assert [b["total"] for b in twin["growth"]["buckets"]][-1] == 4
    assert twin["first_seen"] == "2025-12-10T15:30:00+00:00"


def test_a_story_is_breaking_when_it_grew_fast_enough_within_the_window(wire: Any) -> None:
    store, _, story_id = wire
    # Six hours back from the clock: two items joined; eight hours back: three.
    assert not _client(store).get(f"/api/v1/stories/{story_id}").json()["breaking"]
    client = _client(store, breaking_window_s=8 * 3600)
    assert client.get(f"/api/v1/stories/{story_id}").json()["breaking"]
    assert "Breaking" in client.get(f"/stories/{story_id}").text
    assert "Breaking</strong> · <a href=\"/stories/" in client.get("/").text
    listed = client.get("/api/v1/stories", params={"breaking": "true"}).json()["stories"]
    assert [s["id"] for s in listed] == [story_id]


def test_the_stories_api_lists_stories_most_recently_joined_first(wire: Any) -> None:
    store, items, story_id = wire
    listed = _client(store).get("/api/v1/stories").json()["stories"]
    assert listed[0]["id"] == story_id
    assert len(listed) == 3
    assert listed[0]["headline"] == items["wfp-convoy"].headline
    several = _client(store).get("/api/v1/stories", params={"min_members": 2}).json()
    assert [s["id"] for s in several["stories"]] == [story_id]


@pytest.mark.parametrize("story_id", ["nope", "%3Cscript%3E", "a" * 300])
def test_an_unknown_story_is_404(wire: Any, story_id: str) -> None:
    store, _, _ = wire
    client = _client(store)
    for path in (f"/stories/{story_id}", f"/api/v1/stories/{story_id}"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert "<script>" not in answer.text


def test_the_map_draws_the_places_of_the_day_linked_to_the_wire_by_country(wire: Any) -> None:
    store, _, _ = wire
    client = _client(store)
    day = (S.now - timedelta(hours=1)).date().isoformat()
    page = client.get("/map", params={"day": day})
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert '<a href="/?q=country%3ASD"><circle' in page.text
    assert "<td>Sudan</td><td><a href=\"/?q=country%3ASD\">SD</a></td>" in page.text
    places = {p["key"]: p for p in client.get("/map.json", params={"day": day}).json()["places"]}
    # Sudan is named by the three items of the day about it (the fourth was the day before).
    assert places["country:SD"]["items"] == 3
    assert places["country:IQ"]["items"] >= 1
    # The land is drawn under the points: before the first of them.
    assert page.text.index(f'<path class="land" d="{land_path()}"') < page.text.index("<circle")


def test_the_map_of_a_day_without_items_is_empty_and_a_bad_day_is_said(wire: Any) -> None:
    store, _, _ = wire
    client = _client(store)
    assert "No item of 2020-01-01 names a place" in client.get("/map?day=2020-01-01").text
    bad = client.get("/map", params={"day": "2025-13-45"})
    assert bad.status_code == 400 and "Not a day" in bad.text


def test_the_projection_puts_the_corners_of_the_world_at_the_corners_of_the_map() -> None:
    assert project(90, -180) == (0, 0)
    assert project(-90, 180) == (720, 360)
    assert project(0, 0) == (360, 180)


def _rings(path: str) -> list[list[tuple[float, float]]]:
    """The absolute points of each ring of an ``M x y l dx dy … z`` path."""
    rings = []
    for start, steps in re.findall(r"M(-?[\d.]+ -?[\d.]+)l([-\d. ]*)z", path):
        x, y = map(float, start.split())
        numbers = [float(n) for n in steps.split()]
        ring = [(x, y)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def _on_land(rings: list[list[tuple[float, float]]], latitude: float, longitude: float) -> bool:
    """Even-odd rule, as the page fills the path: crossings of a ray to the east."""
    px, py = project(latitude, longitude)
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > py) != (y2 > py) and px < x1 + (py - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def test_the_shipped_land_outline_has_its_licence_and_its_continents_where_they_are() -> None:
    header = LAND_FILE.read_text(encoding="utf-8").split("\nM", 1)[0]
    assert "Natural Earth" in header and "public domain" in header and "ISC" in header
    path = land_path()
    assert re.fullmatch(r"(M-?[\d.]+ -?[\d.]+l[-\d. ]*z)+", path)
    assert len(path) < 60_000  # inlined in every map page
    rings = _rings(path)
    for place, latitude, longitude in (("Moscow", 55.75, 37.62), ("Khartoum", 15.55, 32.53),
                                       ("Brasília", -15.78, -47.93),
                                       ("Alice Springs", -23.7, 133.87),
                                       ("Chukotka", 66.0, 179.0), ("Chukotka", 66.0, -175.0),
                                       ("Antarctica", -85.0, 0.0)):
        assert _on_land(rings, latitude, longitude), place
    for sea, latitude, longitude in (("Pacific", 0.0, -150.0), ("Atlantic", 30.0, -40.0),
                                     ("Caspian Sea", 42.0, 50.5), ("Bering Sea", 58.0, 180.0),
                                     ("Indian Ocean", -20.0, 80.0)):
        assert not _on_land(rings, latitude, longitude), sea


def test_the_land_builder_reads_quantized_arcs_reversed_arcs_and_the_antimeridian() -> None:
    # Two arcs of one square, the second walked backwards (~1): quantized
    # with a scale of 10 degrees and delta-encoded, as TopoJSON writes them.
    square = {"type": "Topology", "transform": {"scale": [10, 10], "translate": [0, 0]},
              "arcs": [[[0, 0], [1, 0], [0, 1]], [[0, 0], [0, 1], [1, 0]]],
              "objects": {"land": {"type": "GeometryCollection", "geometries": [
                  {"type": "Polygon", "arcs": [[0, ~1]]}]}}}
    assert landbuild.land_path(square) == "M360 180l20 0 0 -20 -20 0z"
    # A ring across the antimeridian (170 E to 170 W) is drawn at both edges.
    across = {"type": "Topology", "arcs": [[[170, 0], [-170, 0], [-170, 10], [170, 10],
                                           [170, 0]]],
              "objects": {"land": {"type": "MultiPolygon", "arcs": [[[0]]]}}}
    assert landbuild.land_path(across) == (
        "M700 180l40 0 0 -20 -40 0zM-20 180l40 0 0 -20 -40 0z")
