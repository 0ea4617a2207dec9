"""Issue 8 in a real browser: labels, quality notes, the reading view, the archived
capture, the sources page and the feeds, each with a screenshot.

The server here serves the shared seed plus ``tests/publish/provenance_seed.py``
(residue flags, a post-edit, an English original, an archived capture,
skipped documents), with the WARC archive it needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ..publish import provenance_seed as MORE

pytestmark = pytest.mark.browser

Shoot = Callable[[Any, str], Path]
PHONE = {"width": 390, "height": 844}




class Served:
    def __init__(self, url: str, more: Any) -> None:
        self.url, self.more = url, more

    def item_path(self, name: str) -> str:
        item = getattr(self.more, name)
        return f"/items/{item.id}/{item.slug}"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, browser: Any, serve: Any) -> Iterator[Served]:
    from babelwire.publish.app import create_app
    from babelwire.publish.settings import PublishSettings
    from babelwire.store import Store

    folder = tmp_path_factory.mktemp("browser-item")
    seeding = MORE.SEEDING
    store = Store.open(f"sqlite:///{folder / 'wire.db'}", clock=lambda: seeding.NOW)
    store.migrate()
    more = MORE.seed_more(store, seeding.seed(store), folder / "archive")

    app = create_app(lambda: store, settings=PublishSettings(publisher="Test Wire"),
                     sources=MORE.ALL_SOURCES, compose=seeding.COMPOSE,
                     clock=lambda: seeding.NOW, archive_dir=folder / "archive")
    with serve(app) as url:
        yield Served(url, more)


@pytest.fixture
def tab(browser: Any, served: Served) -> Iterator[Any]:
    context = browser.new_context(base_url=served.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def phone(browser: Any, served: Served) -> Iterator[Any]:
    context = browser.new_context(base_url=served.url, viewport=PHONE, is_mobile=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def _top(page: Any, selector: str) -> float:
    """The element's top, in CSS pixels from the top of the document."""
    return float(page.evaluate(
        "s => document.querySelector(s).getBoundingClientRect().top + window.scrollY", selector))


def test_labels_and_quality_notes_read_the_same_everywhere(tab: Any, served: Served,
                                                           shoot: Shoot) -> None:
    tab.goto("/?source=casa-rosada")
    card = tab.locator(".item-card .flags").first
    assert "Words left untranslated: repavimentación, desaceleración" in card.inner_text()
    shoot(tab, "after-wire-card-flags")
    for name, label in (("spanish", "Machine translation (apertium, spa-eng)"),
                        ("edited", "Human translation or post-edit (editor, "),
                        ("english", "Original English")):
        tab.goto(served.item_path(name))
        assert label in tab.locator("p.meta .label").inner_text()
        assert label in tab.locator("section.provenance .label").inner_text()
        shoot(tab, f"after-item-{name}")
    tab.goto(served.item_path("spanish"))
    assert tab.locator(".notice.quality").is_visible()
    assert tab.errors == []


def test_reading_view_is_side_by_side_and_proportional_on_a_wide_screen(
        tab: Any, served: Served, shoot: Shoot) -> None:
    tab.goto(served.item_path("spanish"))
    pairs = tab.locator(".pairs .pair:not(.pair-head)")
    assert pairs.count() == 3
    for n in range(pairs.count()):
        english = pairs.nth(n).locator(".en").bounding_box()
        original = pairs.nth(n).locator(".orig").bounding_box()
        assert abs(english["y"] - original["y"]) < 1 and original["x"] > english["x"]
    font = tab.evaluate("getComputedStyle(document.querySelector('.pair p.en')).fontFamily")
    assert "mono" not in font.lower()
    assert not tab.locator("nav.tabs").is_visible()
    assert tab.locator("pre.wire-text").is_visible()
    shoot(tab, "after-item-wide")


def test_phone_reads_english_first_and_the_original_is_one_tap_away(
        phone: Any, served: Served, shoot: Shoot) -> None:
    phone.goto(served.item_path("spanish"))
    assert phone.locator("nav.tabs").is_visible()
    first_original = ".pair:not(.pair-head) .orig"
    assert not phone.locator(first_original).first.is_visible()
    shoot(phone, "after-item-phone-english")
    phone.click("nav.tabs >> text=Original")
    phone.wait_for_url("**#read-original")
    assert phone.locator(first_original).first.is_visible()
    assert not phone.locator(".pair:not(.pair-head) .en").first.is_visible()
    top = _top(phone, first_original)
    print(f"phone: first original paragraph at {top:.0f} px from the top")
    assert top < 2 * PHONE["height"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(phone, "after-item-phone-original")


def test_on_a_phone_a_long_original_starts_near_the_top(phone: Any, served: Served,
                                                       shoot: Shoot) -> None:
    phone.goto(served.item_path("long") + "#read-original")
    first_original = ".pair:not(.pair-head) .orig"
    assert phone.locator(first_original).first.is_visible()
    top = _top(phone, first_original)
    height = phone.evaluate("document.documentElement.scrollHeight")
    print(f"phone, 40 paragraphs: original starts at {top:.0f} px of {height} px")
    # Below the header, the quality notes and the capped wire-text box only.
    assert top < 2 * PHONE["height"]
    shoot(phone, "after-item-long-phone-original")


def test_wire_text_download_is_the_exact_text(tab: Any, served: Served) -> None:
    tab.goto(served.item_path("spanish"))
    href = tab.locator("a.download").get_attribute("href")
    response = tab.request.get(href)
    assert response.ok
    assert response.text() == tab.locator("pre.wire-text").text_content()


def test_archived_capture_opens_framed_with_scripts_off(tab: Any, served: Served,
                                                        shoot: Shoot) -> None:
    tab.goto(served.item_path("spanish"))
    tab.click("a.archive-link")
    tab.wait_for_selector(".archive-banner")
    banner = tab.locator(".archive-banner").inner_text()
    assert MORE.ES_URL in banner and "2025-12-12 09:15 UTC" in banner
    assert "El Gobierno anunció la repavimentación." in tab.locator("section.capture").inner_text()
    assert tab.evaluate("window.__pwned === undefined")
    assert tab.locator("section.capture img, section.capture iframe").count() == 0
    shoot(tab, "after-archive-capture")


def test_sources_page_sorts_filters_and_names_skip_reasons(tab: Any, served: Served,
                                                           shoot: Shoot) -> None:
    tab.goto("/sources")
    assert tab.locator("p.summary").inner_text().startswith(f"{len(MORE.ALL_SOURCES)} sources")
    row = tab.locator("table.sources tbody tr", has_text="guarded-ministry")
    assert any(reason in row.inner_text() for reason in (
        MORE.ROBOTS_REASON, MORE.CHALLENGE_REASON, MORE.PRIVATE_REASON))
    shoot(tab, "after-sources")
    tab.click("table.sources thead >> text=Waiting")
    tab.wait_for_url("**/sources?sort=waiting*")
    assert "casa-rosada" in tab.locator("table.sources tbody tr").first.inner_text()
    shoot(tab, "after-sources-by-waiting")
    tab.select_option("select[name=health]", "failing")
    tab.click("form.filters button[type=submit]")
    tab.wait_for_url("**health=failing*")
    assert tab.locator("table.sources tbody tr").count() == 1
    shoot(tab, "after-sources-failing")


def test_feeds_show_provenance(tab: Any, served: Served, shoot: Shoot) -> None:
    for fmt in ("atom", "rss"):
        response = tab.goto(f"/feeds/{fmt}?source=casa-rosada")
        assert response.ok
        text = response.text()
        assert MORE.ES_URL in text and "Presidencia de la Nación – Prensa" in text
        shoot(tab, f"after-feed-{fmt}")
    tab.goto(f"/items/{served.more.spanish.id}.json")
    assert "contentCreated-precision" in tab.content()
    shoot(tab, "after-ninjs-spanish")
