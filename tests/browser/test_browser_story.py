"""Stories and the map in a real browser: the wire's story badge leads to the
story page (items by language, the growth chart), and the map's points lead
to the wire filtered by country; no script runs and nothing is fetched from
elsewhere, under the site's Content-Security-Policy. Each with a screenshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ..publish.seeding import STORY_WIRE as S

pytestmark = pytest.mark.browser

Shoot = Callable[[Any, str], Path]




@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, browser: Any, serve: Any) -> Iterator[str]:
    from babelwire.publish.app import create_app
    from babelwire.publish.settings import PublishSettings
    from babelwire.run.stories import assign_new_items
    from babelwire.store import Store

    folder = tmp_path_factory.mktemp("browser-story")
    store = Store.open(f"sqlite:///{folder / 'wire.db'}", clock=lambda: S.now)
    store.migrate()
    S.seed(store)
    assign_new_items(store)
    app = create_app(lambda: store, settings=PublishSettings(publisher="Test Wire"),
                     sources=S.sources, compose=S.compose, clock=lambda: S.now)
    with serve(app) as url:
        yield url
    store.close()


@pytest.fixture
def tab(browser: Any, served: str) -> Iterator[Any]:
    context = browser.new_context(base_url=served, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.requests = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    try:
        yield page
    finally:
        context.close()


def test_the_wire_badge_opens_the_story_page_with_its_languages_and_growth(
        tab: Any, served: str, shoot: Shoot) -> None:
    tab.goto("/")
    badge = tab.locator(".story-badge a")
    assert badge.count() == 1
    assert badge.inner_text() == "+3 sources · 4 languages"
    shoot(tab, "after-wire-story-badge")
    badge.click()
    tab.wait_for_url("**/stories/*")
    assert [h.inner_text() for h in tab.locator("section h3").all()] == [
        "Russian", "French", "Arabic", "English"]
    chart = tab.locator("svg.chart")
    assert chart.is_visible() and chart.locator("rect").count() == 19
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300
    assert tab.locator("table.growth-table tbody tr").count() == 4
    shoot(tab, "after-story-page")
    assert tab.errors == []
    assert all(url.startswith(served) for url in tab.requests)


def test_the_map_points_lead_to_the_wire_filtered_by_country(
        tab: Any, served: str, shoot: Shoot) -> None:
    tab.goto("/")
    tab.click('nav[aria-label="Main"] >> text=Map')
    tab.wait_for_url("**/map")
    day = S.now.date().isoformat()
    tab.goto(f"/map?day={day}")
    points = tab.locator("svg.map-svg circle")
    assert points.count() >= 2
    assert tab.locator("table.places tbody tr").count() == points.count()
    shoot(tab, "after-map")
    # Sudan and Darfur are both in SD: the smaller point, drawn last, is on top.
    tab.locator('svg.map-svg a[href="/?q=country%3ASD"]').last.click()
    tab.wait_for_url("**/?q=country%3ASD")
    assert tab.errors == []
    assert all(url.startswith(served) for url in tab.requests)
