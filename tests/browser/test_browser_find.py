"""Finding things, in a real browser: a document waiting for translation is
searched in its own language and opened; the wire says what is new; facets
take several values and drop one at a time; links follow the address the
page was served at (no base URL is set for this server)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

Shoot = Callable[[Any, str], Path]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, seeding: Any, browser: Any,
           serve: Callable[[Any], AbstractContextManager[str]]) -> Iterator[tuple[str, Any]]:
    """The seeded wire plus a Russian document waiting for translation, served
    on a port the OS picked, with ``publish_base_url`` left empty."""
    from babelwire.model import Block, BlockKind, Document, Extracted, Stage, document_id
    from babelwire.publish.app import create_app
    from babelwire.publish.settings import PublishSettings
    from babelwire.store import Store

    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('find') / 'wire.db'}")
    store.migrate()
    seeded = seeding.seed(store)
    url = "https://news.un.example/ru/sudan"
    sudan = Document(
        id=document_id("un-news-ru", url), source_id="un-news-ru", url=url,
        stage=Stage.EXTRACTED, fetched_at=seeding.NOW,
        reason="translate: no engine for ru→en: run `babelwire models install ru`",
        extracted=Extracted(title="Судан просит гуманитарной помощи",
                            blocks=(Block(BlockKind.PARAGRAPH, "Судан обратился к ООН."),),
                            language="ru", published=seeding.NOW - timedelta(minutes=12),
                            published_has_time=True))
    store.save_document(sudan)
    seeded.documents["sudan"] = sudan
    # The URL is not given to the app: its links must come from the request.
    app = create_app(lambda: store, settings=PublishSettings(publisher="Test Wire"),
                     sources=seeding.SOURCES, compose=seeding.COMPOSE)
    with serve(app) as url:
        yield url, seeded


@pytest.fixture
def tab(browser: Any, served: tuple[str, Any]) -> Iterator[Any]:
    context = browser.new_context(base_url=served[0], viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def test_a_waiting_document_is_searched_and_opened(tab: Any, served: tuple[str, Any],
                                                   shoot: Shoot) -> None:
    sudan = served[1].documents["sudan"]
    tab.goto("/search")
    tab.fill("input[name=q]", "Судан")
    tab.press("input[name=q]", "Enter")
    tab.wait_for_url("**/search?q=*")
    match = tab.locator("section.waiting-matches a.waiting-title")
    assert match.count() == 1 and match.get_attribute("lang") == "ru"
    assert "original, not yet translated" in tab.locator("section.waiting-matches").inner_text()
    shoot(tab, "after-search-waiting-original")
    match.click()
    tab.wait_for_url(f"**/documents/{sudan.id}")
    assert tab.locator("h1").get_attribute("lang") == "ru"
    assert "no translation engine for Russian" in tab.locator("section.why").inner_text()
    assert "Судан обратился к ООН." in tab.locator("div.original-body").inner_text()
    shoot(tab, "after-document-page")

    arabic = served[1].waiting
    tab.goto("/?region=egypt")
    link = tab.locator("aside.waiting a.waiting-title")
    assert link.count() == 1 and link.get_attribute("dir") == "rtl"
    shoot(tab, "after-waiting-panel-filtered")
    link.click()
    tab.wait_for_url(f"**/documents/{arabic.id}")
    assert tab.locator("div.original-body").get_attribute("dir") == "rtl"
    shoot(tab, "after-document-page-rtl")


def test_the_wire_says_what_is_new(tab: Any, shoot: Shoot) -> None:
    tab.goto("/?refresh=60")
    assert tab.locator("meta[http-equiv=refresh]").get_attribute("content") == "60"
    assert tab.locator("h3.day").first.inner_text().startswith(("Today", "Yesterday", "Friday"))
    assert tab.locator("ol.items span.ago").count() >= 2
    headlines = tab.locator("ol.items h3 a").all_inner_texts()
    assert headlines[:2] == ["UN mission in Iraq to complete its work", "Climate summit opens"]
    shoot(tab, "after-wire-new-first")


def test_facets_take_several_values_and_drop_one(tab: Any, shoot: Shoot) -> None:
    tab.goto("/?region=france")
    assert tab.locator("ol.items h3 a").all_inner_texts() == [
        "Minister visits Baghdad", "Statement on sanctions"]
    shoot(tab, "after-filter-region-lowercase")
    tab.select_option("select[name=region]", "China")
    tab.click("form.filters button[type=submit]")
    tab.wait_for_url("**/?*region=China*")
    assert len(tab.locator("ol.items h3 a").all_inner_texts()) == 4
    sources = tab.locator("select[name=source] option").all_inner_texts()
    assert "State Council — Policies (Chinese) (2)" in sources
    assert not any("Ministry of Defence" in s for s in sources)  # not in this result
    shoot(tab, "after-filter-two-regions")
    tab.goto("/search?q=council&region=France&region=China")
    tab.click("aside.facets li.chosen-value:has-text('France') a.remove")
    tab.wait_for_url("**/search?q=council&region=China")
    assert tab.locator("input[name=q]").input_value() == "council"
    shoot(tab, "after-facet-removed-query-kept")


def test_links_follow_the_address_served(tab: Any, served: tuple[str, Any],
                                         shoot: Shoot) -> None:
    tab.goto("/index.json")
    body = tab.evaluate("JSON.parse(document.body.innerText)")
    assert body["items"][0]["uri"].startswith(served[0] + "/items/")
    assert all(w["page"].startswith(served[0] + "/documents/") for w in body["waiting"])
    shoot(tab, "after-index-json-links")
