"""Issue 8, points 4, 5, 7, 8, 9, 11 and 12 through the HTTP surfaces.

One label vocabulary on the page, in ninjs and in the feeds; quality flags in
words; the reading view and the exact wire text; the archived capture; the
sources page by outcome; feeds that carry provenance; ETags on pages and the
JSON API; ``contentCreated`` for a date-only publication.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from lxml import html as lxml_html

from babelwire.compose import render_wire
from babelwire.compose.ninjs import DATE_PRECISION_NOTE
from babelwire.publish.app import create_app
from babelwire.publish.settings import PublishSettings
from babelwire.store import Store

from . import provenance_seed as MORE

SEEDING = MORE.SEEDING
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


class Wire:
    def __init__(self, client: TestClient, seeded: Any, more: Any) -> None:
        self.client, self.seeded, self.more = client, seeded, more

    def page(self, path: str) -> Any:
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        return lxml_html.fromstring(response.text)


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wire]:
    folder = tmp_path_factory.mktemp("provenance")
    store = Store.open(f"sqlite:///{folder / 'wire.db'}", clock=lambda: SEEDING.NOW)
    store.migrate()
    seeded = SEEDING.seed(store)
    more = MORE.seed_more(store, seeded, folder / "archive")
    app = create_app(lambda: store, settings=PublishSettings(publisher="Test Wire", feed_size=50),
                     sources=MORE.ALL_SOURCES, compose=SEEDING.COMPOSE,
                     clock=lambda: SEEDING.NOW, archive_dir=folder / "archive")
    try:
        yield Wire(TestClient(app), seeded, more)
    finally:
        store.close()


def _path(item: Any) -> str:
    return f"/items/{item.id}/{item.slug}"


def _description(ninjs: dict[str, Any], role: str) -> str | None:
    return next((d["value"] for d in ninjs["descriptions"] if d["role"] == role), None)


def _atom_entries(wire: Wire, params: str = "") -> dict[str, Any]:
    tree = etree.fromstring(wire.client.get(f"/feeds/atom{params}").content)
    return {entry.findtext(f"{ATOM}title"): entry for entry in tree.iter(f"{ATOM}entry")}


# -- 4. one label vocabulary --------------------------------------------------------


LABELS = {
    "spanish": "Machine translation (apertium, spa-eng)",
    "edited": "Human translation or post-edit (editor, December 12, 2025 11:30 UTC)",
    "english": "Original English",
}


@pytest.mark.parametrize("which", sorted(LABELS))
def test_one_label_on_page_provenance_ninjs_and_feeds(wire: Wire, which: str) -> None:
    item = getattr(wire.more, which)
    label = LABELS[which]
    page = wire.page(_path(item))
    assert [e.text_content() for e in page.cssselect("span.label")] == [label, label]
    ninjs = wire.client.get(f"/items/{item.id}.json").json()
    assert _description(ninjs, "translation") == label
    assert (_description(ninjs, "provenance") or "").startswith(label)
    entry = _atom_entries(wire)[item.headline]
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert f"<strong>{label}</strong>" in content.text
    rss = feedparser.parse(wire.client.get("/feeds/rss").content)
    assert f"<strong>{label}</strong>" in next(
        e.description for e in rss.entries if e.title == item.headline)
    cards = wire.page(f"/?source={item.source_id}").cssselect(".item-card")
    card = next(c for c in cards if c.cssselect("h3 a")[0].text_content() == item.headline)
    assert card.cssselect("span.label")[0].text_content() == label
    # Never the old contradictions.
    text = page.text_content()
    assert "Machine translation (human)" not in text and "none · ·" not in text


def test_english_original_says_so_and_has_no_translation_column(wire: Wire) -> None:
    page = wire.page(_path(wire.more.english))
    assert not page.cssselect(".pair .orig")
    checks = page.cssselect("section.provenance")[0].text_content()
    assert "not translated, nothing to check" in checks


# -- 5. residue flagged, in words -----------------------------------------------------


RESIDUE_WORDS = "Words left untranslated: repavimentación, desaceleración"


def test_residue_flags_reach_card_item_ninjs_and_feeds(wire: Wire) -> None:
    item = wire.more.spanish
    card = wire.page("/?source=casa-rosada").cssselect(".item-card .flags")[0].text_content()
    assert RESIDUE_WORDS in card and "1.234" in card
    page = wire.page(_path(item))
    notice = page.cssselect(".notice.quality")[0].text_content()
    assert RESIDUE_WORDS in notice
    assert "Figures to check in the original" in notice
    ninjs = wire.client.get(f"/items/{item.id}.json").json()
    assert RESIDUE_WORDS in (_description(ninjs, "quality") or "")
    assert "residue(repavimentación)" in ninjs["edNote"]
    content = _atom_entries(wire)[item.headline].find(f"{ATOM}content").text
    assert RESIDUE_WORDS in content


# -- 7. the wire text readable --------------------------------------------------------


def test_reading_view_pairs_each_paragraph_with_its_original(wire: Wire) -> None:
    item = wire.more.spanish
    page = wire.page(_path(item))
    pairs = [(p.cssselect(".en")[0].text_content(), p.cssselect(".orig")[0].text_content())
             for p in page.cssselect(".pairs .pair:not(.pair-head)")]
    assert pairs == [(MORE.EN_HEADLINE, MORE.ES_TITLE), *zip(MORE.EN_BODY, MORE.ES_BODY,
                                                             strict=True)]
    original = page.cssselect(".pair:not(.pair-head) .orig")[0]
    assert original.get("lang") == "es" and original.get("dir") == "ltr"
    tabs = [a.get("href") for a in page.cssselect("nav.tabs a")]
    assert tabs == ["#read-english", "#read-original"]
    assert page.cssselect("pre.wire-text")[0].text_content() == render_wire(item)


def test_arabic_original_is_marked_right_to_left(wire: Wire) -> None:
    from babelwire.publish.itempage import text_direction

    assert text_direction("ar") == "rtl" and text_direction("fa-IR") == "rtl"
    assert text_direction("es") == "ltr"


def test_wire_text_downloads_as_txt_exactly(wire: Wire) -> None:
    item = wire.more.spanish
    page = wire.page(_path(item))
    link = page.cssselect("a.download")[0]
    assert link.get("href") == f"/items/{item.id}.txt" and link.get("download")
    response = wire.client.get(link.get("href"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == render_wire(item)
    assert f'filename="{item.slug}.txt"' in response.headers["content-disposition"]
    assert wire.client.get("/items/0000000000.txt").status_code == 404
    old = wire.client.get(f"/items/{wire.more.edited.id}.txt?version=1")
    assert old.status_code == 200 and old.text.startswith("Minister visits Baghdad\n")


# -- 8. provenance usable -------------------------------------------------------------


def test_item_page_links_the_archived_capture_and_shows_both_times(wire: Wire) -> None:
    item = wire.more.spanish
    page = wire.page(_path(item))
    link = page.cssselect("a.archive-link")[0]
    assert link.get("href") == f"/archive/{item.document_id}"
    times = page.cssselect("p.times")[0]
    assert times.cssselect("time.source-time")[0].get("datetime") == "2025-12-11"
    assert "(date only)" in times.text_content()
    assert times.cssselect("time.wire-time")[0].get("datetime") == (
        item.first_created.isoformat())


def test_archived_capture_is_sanitised_sandboxed_and_framed(wire: Wire) -> None:
    item = wire.more.spanish
    response = wire.client.get(f"/archive/{item.document_id}")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert csp.startswith("sandbox;") and "img-src 'none'" in csp
    page = lxml_html.fromstring(response.text)
    banner = page.cssselect(".archive-banner")[0].text_content()
    assert MORE.ES_URL in banner and "2025-12-12 09:15 UTC" in banner
    assert "not the live page" in banner
    capture = page.cssselect("section.capture")[0]
    assert "El Gobierno anunció la repavimentación." in capture.text_content()
    assert not capture.cssselect("script, img, iframe, [onclick], [onerror], style")
    assert "__pwned" not in response.text
    # Links lead to the source's pages, never to this server or a script.
    hrefs = [a.get("href") for a in capture.cssselect("a")]
    assert "https://casarosada.example/noticias/otra" in hrefs
    assert not any(h and h.startswith("javascript:") for h in hrefs)


def test_archive_refuses_what_it_cannot_show(wire: Wire, tmp_path: Path) -> None:
    english = wire.more.english
    missing = wire.client.get(f"/archive/{english.document_id}")
    assert missing.status_code == 404 and "was not archived" in missing.text
    assert wire.client.get("/archive/0000000000").status_code == 404
    # A server started without the archive says so.
    bare = create_app(lambda: Store.open(f"sqlite:///{tmp_path / 'x.db'}"),
                      settings=PublishSettings(), sources=())
    store = Store.open(f"sqlite:///{tmp_path / 'x.db'}")
    store.migrate()
    store.upsert_sources(list(MORE.SOURCES))
    store.save_document(wire.client.app.state.publish.store.document(  # type: ignore[attr-defined]
        wire.more.spanish.document_id))
    store.close()
    answer = TestClient(bare).get(f"/archive/{wire.more.spanish.document_id}")
    assert answer.status_code == 404 and "does not keep the archive" in answer.text


# -- 9. sources page -----------------------------------------------------------------


def test_sources_page_counts_outcomes_and_names_skip_reasons(wire: Wire) -> None:
    rows = {r["id"]: r for r in wire.client.get("/sources.json").json()["sources"]}
    waiting = rows["casa-rosada"]
    assert waiting["outcomes"]["waiting"] == MORE.WAITING_COUNT
    assert waiting["documents"] == MORE.WAITING_COUNT + 1 and waiting["outcomes"]["published"] == 1
    guarded = rows["guarded-ministry"]
    assert guarded["outcomes"] == {"published": 0, "waiting": 0, "skipped": 3, "failed": 1,
                                   "in_progress": 0}
    assert guarded["health"] == "skipping"
    assert guarded["reason"] in {MORE.ROBOTS_REASON, MORE.CHALLENGE_REASON, MORE.PRIVATE_REASON}
    assert guarded["reason_kind"] == "skipped"
    assert rows["mod-ar"]["health"] == "failing" and rows["mod-ar"]["reason_kind"] == "poll"
    page = wire.page("/sources")
    row = next(tr for tr in page.cssselect("table.sources tbody tr")
               if "guarded-ministry" in tr.text_content())
    assert guarded["reason"] in row.text_content()
    summary = page.cssselect("p.summary")[0].text_content()
    assert summary.startswith(f"{len(MORE.ALL_SOURCES)} sources: ")
    waiting_total = sum(r["outcomes"]["waiting"] for r in rows.values())
    assert "1 failing to poll" in summary
    assert f"{waiting_total} waiting for translation" in summary


def test_sources_sort_and_filter_by_query_parameters(wire: Wire) -> None:
    body = wire.client.get("/sources.json?sort=waiting").json()
    assert body["sources"][0]["id"] == "casa-rosada"
    body = wire.client.get("/sources.json?sort=name&order=desc").json()
    names = [r["name"] for r in body["sources"]]
    assert names == sorted(names, key=str.casefold, reverse=True)
    failing = wire.client.get("/sources.json?health=failing").json()["sources"]
    assert [r["id"] for r in failing] == ["mod-ar"]
    found = wire.client.get("/sources.json?q=presidencia").json()["sources"]
    assert [r["id"] for r in found] == ["casa-rosada"]
    regions = wire.client.get("/sources.json?region=FRANCE").json()["sources"]
    assert [r["id"] for r in regions] == ["mfa-fr"]
    page = wire.page("/sources?sort=waiting")
    assert "(1 shown)" not in page.cssselect("p.summary")[0].text_content()
    assert page.cssselect("th a.sorted")[0].text_content().startswith("Waiting")
    shown = wire.page("/sources?health=failing").cssselect("p.summary")[0].text_content()
    assert "(1 shown)" in shown
    bad = wire.client.get("/sources?sort=nonsense")
    assert bad.status_code == 400 and "Sort by one of" in bad.text


# -- 11. feeds carry provenance; validators on pages and the API ------------------------


def test_feed_entries_carry_original_language_author_and_source_time(wire: Wire) -> None:
    item = wire.more.spanish
    entry = _atom_entries(wire)[item.headline]
    via = entry.find(f"{ATOM}link[@rel='via']")
    assert via.get("href") == MORE.ES_URL and via.get("hreflang") == "es"
    assert entry.findtext(f"{ATOM}published") == "2025-12-11T00:00:00+00:00"
    assert entry.findtext(f"{ATOM}updated") == item.version_created.isoformat()
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == MORE.SPANISH.name
    rss = etree.fromstring(wire.client.get("/feeds/rss").content)
    rss_item = next(i for i in rss.iter("item") if i.findtext("title") == item.headline)
    assert rss_item.findtext(f"{DC}creator") == MORE.SPANISH.name
    assert rss_item.findtext(f"{DC}source") == MORE.ES_URL
    assert rss_item.findtext(f"{DC}language") == "es"
    assert rss_item.findtext("pubDate") == "Thu, 11 Dec 2025 00:00:00 +0000"
    parsed = feedparser.parse(wire.client.get("/feeds/rss").content)
    assert not parsed.bozo


def test_feed_titles_name_sources_and_empty_feeds_are_not_1970(wire: Wire) -> None:
    atom = feedparser.parse(wire.client.get("/feeds/atom?source=casa-rosada").content)
    assert atom.feed.title == "Test Wire: source Presidencia de la Nación – Prensa"
    empty = wire.client.get("/feeds/rss?region=Atlantis")
    assert "last-modified" not in empty.headers
    assert "1970" not in empty.text and "Fri, 12 Dec 2025 12:00:00 +0000" in empty.text


@pytest.mark.parametrize("path", ["/index.json", "/api/v1/items", "/sources", "/sources.json",
                                  "/", "ITEM"])
def test_pages_and_json_have_etags_and_answer_304(wire: Wire, path: str) -> None:
    if path == "ITEM":
        path = _path(wire.more.spanish)
    first = wire.client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    assert wire.client.get(path).headers["etag"] == etag
    again = wire.client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["content-security-policy"]


def test_writes_and_credentialed_reads_get_no_shared_cache_headers(wire: Wire) -> None:
    response = wire.client.get("/index.json", headers={"Authorization": "Bearer x"})
    assert "etag" not in response.headers


# -- 12. ninjs contentCreated for a date-only publication -------------------------------


def test_date_only_publication_has_content_created_with_precision(wire: Wire,
                                                                 ninjs_validator: Any) -> None:
    ninjs = wire.client.get(f"/items/{wire.more.spanish.id}.json").json()
    assert list(ninjs_validator.iter_errors(ninjs)) == []
    assert ninjs["contentCreated"] == "2025-12-11T00:00:00+00:00"
    assert _description(ninjs, "contentCreated-precision") == DATE_PRECISION_NOTE
    timed = wire.client.get(f"/items/{wire.more.english.id}.json").json()
    assert list(ninjs_validator.iter_errors(timed)) == []
    assert timed["contentCreated"] == "2025-12-12T04:00:00+00:00"
    assert _description(timed, "contentCreated-precision") is None
    edited = wire.client.get(f"/items/{wire.more.edited.id}.json").json()
    assert list(ninjs_validator.iter_errors(edited)) == []
