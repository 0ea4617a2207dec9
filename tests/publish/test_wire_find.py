"""Finding things on the wire: every stored document has a page and is
searchable in its own language, what is new comes first and is said in
relative time, facets come from the data, and links follow the request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from lxml import html as lxml_html

from babelwire.model import Block, BlockKind, Document, Extracted, Stage, document_id
from babelwire.publish.app import create_app
from babelwire.publish.settings import PublishSettings
from babelwire.store import Store


def russian_waiting(seeding: Any) -> Document:
    url = "https://news.un.example/ru/sudan"
    extracted = Extracted(title="Гуманитарная помощь Судану: Судан просит поддержки",
                          blocks=(Block(BlockKind.PARAGRAPH, "Судан обратился к ООН."),),
                          language="ru", published=seeding.NOW - timedelta(minutes=12),
                          published_has_time=True)
    return Document(id=document_id("un-news-ru", url), source_id="un-news-ru", url=url,
                    stage=Stage.EXTRACTED, extracted=extracted, fetched_at=seeding.NOW,
                    reason="translate: no engine for ru→en: run `babelwire models install ru`")


def test_a_waiting_document_is_found_in_its_language_and_has_a_page(
    wire: tuple[TestClient, Any], store: Store, seeding: Any
) -> None:
    client, _ = wire
    doc = russian_waiting(seeding)
    store.save_document(doc)
    found = client.get("/search.json", params={"q": "Судан"}).json()
    assert found["items"] == []
    assert [w["document_id"] for w in found["waiting"]] == [doc.id]
    assert found["waiting"][0]["status"] == "original, not yet translated"
    page = lxml_html.fromstring(client.get("/search", params={"q": "Судан"}).text)
    link = page.cssselect("section.waiting-matches a.waiting-title")[0]
    assert link.get("href") == f"/documents/{doc.id}" and link.get("lang") == "ru"
    # Filtered views list the documents of the view only.
    assert [w["document_id"] for w in client.get("/index.json?region=egypt").json()[
        "waiting"]] == [d["document_id"] for d in client.get("/index.json?source=mod-ar").json()[
        "waiting"]]
    assert doc.id not in str(client.get("/index.json?region=egypt").json()["waiting"])
    assert doc.id in str(client.get("/index.json?language=RU").json()["waiting"])

    answer = client.get(f"/documents/{doc.id}")
    assert answer.status_code == 200
    tree = lxml_html.fromstring(answer.text)
    assert tree.cssselect("h1")[0].get("lang") == "ru"
    assert "Судан обратился к ООН." in tree.cssselect("div.original-body")[0].text_content()
    why = tree.cssselect("section.why")[0].text_content()
    assert "no translation engine for Russian" in why and "babelwire" not in why
    twin = client.get(f"/documents/{doc.id}.json").json()
    assert twin["paragraphs"] == ["Судан обратился к ООН."]
    assert twin["provenance"]["url"] == doc.url
    assert client.get("/documents/nope").status_code == 404


def test_arabic_text_is_right_to_left(client: TestClient, seeded: Any) -> None:
    waiting = seeded[1].waiting
    tree = lxml_html.fromstring(client.get(f"/documents/{waiting.id}").text)
    assert (tree.cssselect("h1")[0].get("dir"), tree.cssselect("h1")[0].get("lang")) == (
        "rtl", "ar")
    panel = lxml_html.fromstring(client.get("/").text).cssselect("aside.waiting a")[0]
    assert (panel.get("dir"), panel.get("href")) == ("rtl", f"/documents/{waiting.id}")


def test_newest_first_by_day_with_relative_times_and_refresh(client: TestClient) -> None:
    tree = lxml_html.fromstring(client.get("/").text)
    assert tree.cssselect("h3.day")[0].text_content().startswith("Today, Friday 12 December 2025")
    agos = [a.text_content() for a in tree.cssselect("ol.items span.ago")]
    # The seed's first story was published 2 h before "now" and wired 1 h before.
    assert agos[:2] == ["(2 h ago)", "(1 h ago)"]
    assert not tree.cssselect("meta[http-equiv=refresh]")
    refreshed = lxml_html.fromstring(client.get("/?refresh=60&region=France").text)
    assert refreshed.cssselect("meta[http-equiv=refresh]")[0].get("content") == "60"
    assert refreshed.cssselect("form.filters input[name=refresh]")[0].get("value") == "60"
    floor = lxml_html.fromstring(client.get("/?refresh=1").text)
    assert floor.cssselect("meta[http-equiv=refresh]")[0].get("content") == "30"


def test_facets_come_from_the_data_with_several_values(client: TestClient) -> None:
    body = client.get("/index.json?region=france&region=CHINA").json()
    assert body["total"] == 4
    assert body["filters"]["region"] == ["france", "CHINA"]
    tree = lxml_html.fromstring(client.get("/search?q=council&region=France&region=china").text)
    chosen = {a.getparent().text_content().split(" ×")[0].strip(): a.get("href")
              for a in tree.cssselect("aside.facets li.chosen-value a.remove")}
    # Removing one value keeps the query and the other value.
    assert chosen["France"] == "/search?q=council&region=china"
    labels = [a.text_content() for a in tree.cssselect("aside.facets a")]
    assert "State Council — Policies (Chinese)" in labels
    form = lxml_html.fromstring(client.get("/").text)
    sources = [o.text_content() for o in form.cssselect("select[name=source] option")]
    assert "United Nations — UN News (Russian) (2)" in sources
    languages = [o.text_content() for o in form.cssselect("select[name=language] option")]
    assert "French (2)" in languages and "fr (2)" not in languages
    assert "Egypt" not in " ".join(o.text_content() for o in form.cssselect(
        "select[name=region] option"))


def test_links_follow_the_request_unless_a_base_url_is_set(seeded: Any, seeding: Any) -> None:
    store = seeded[0]
    app = create_app(lambda: store, settings=PublishSettings(page_size=2, publisher="Test Wire"),
                     sources=seeding.SOURCES, compose=seeding.COMPOSE)
    client = TestClient(app, base_url="http://wire.example:8123")
    body = client.get("/index.json").json()
    assert body["items"][0]["uri"].startswith("http://wire.example:8123/items/")
    assert body["next"].startswith("http://wire.example:8123/index.json?cursor=")
    feed = client.get("/feeds/atom").text
    assert "http://wire.example:8123/" in feed and "127.0.0.1:8000" not in feed
    other = TestClient(app, base_url="http://10.1.2.3:9000")
    assert other.get("/index.json").json()["items"][0]["uri"].startswith("http://10.1.2.3:9000/")
    fixed = create_app(lambda: store, settings=PublishSettings(
        base_url="https://wire.example.org/", publisher="Test Wire"), sources=seeding.SOURCES)
    uri = TestClient(fixed, base_url="http://internal:1").get("/index.json").json()["items"][0]
    assert uri["uri"].startswith("https://wire.example.org/items/")


def test_serve_says_which_base_url_links_use(tmp_path: Any, monkeypatch: Any) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from babelwire.cli import app as cli_app

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    database = f"sqlite:///{tmp_path / 'wire.db'}"
    with Store.open(database) as made:
        made.migrate()
    runner = CliRunner()
    env = {"BABELWIRE_DATABASE_URL": database}
    said = runner.invoke(cli_app, ["serve", "--port", "8123"], env=env)
    assert said.exit_code == 0, said.output
    assert "links start with the address each request came to" in said.output
    env["BABELWIRE_PUBLISH_BASE_URL"] = "https://wire.example.org"
    said = runner.invoke(cli_app, ["serve"], env=env)
    assert "links start with https://wire.example.org (publish_base_url)" in said.output
