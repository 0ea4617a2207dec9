"""Enrichment on every surface, both backends: ninjs subjects and places,
country/entity/topic filters and facets on the API, the wire, search, feeds
and export, and the item page's topics, places, people and quotes."""

from __future__ import annotations

import io
import json
from typing import Any
from xml.etree import ElementTree

from fastapi.testclient import TestClient

from babelwire.enrich.records import Enrichment, Entity, EntityKind, Mention, Place, Quote, Side
from babelwire.enrich.records import Topic as T
from babelwire.publish.export import export
from babelwire.publish.filters import Filters
from babelwire.publish.settings import PublishSettings
from babelwire.store import Store

POLITICS = T("medtop:11000000", "politics", 3.0)
CONFLICT = T("medtop:16000000", "conflict, war and peace", 2.0)
IRAQ = Place("country:IQ", "country", "Iraq", "IQ", 33.3, 44.4,
             (Mention(Side.ORIGINAL, 0, 0, 4, "Ирак"),))
BAGHDAD = Place("city:98182", "capital", "Baghdad", "IQ", 33.34, 44.4)
FRANCE = Place("country:FR", "country", "France", "FR", 48.85, 2.35)
GUTERRES = Entity("person:antónio guterres", EntityKind.PERSON, "António Guterres")
COUNCIL = Entity("org:unsc", EntityKind.ORGANISATION, "Security Council")
QUOTE = Quote("Мы завершим работу миссии к концу года", "We will complete the mission's work",
              0, 0, "António Guterres", "person:antónio guterres",
              "Гутерриш сказал: «Мы завершим работу миссии к концу года».")

#: slug -> what the enrich stage "found" (fixed here, so the expectations are exact).
FOUND: dict[str, tuple[tuple[Place, ...], tuple[Entity, ...], tuple[T, ...],
                       tuple[Quote, ...]]] = {
    "unami": ((IRAQ,), (GUTERRES,), (POLITICS,), (QUOTE,)),
    "visit": ((BAGHDAD, FRANCE), (), (POLITICS,), ()),
    "sanctions": ((FRANCE,), (COUNCIL,), (CONFLICT,), ()),
}


def _enrich(store: Store, seeded: Any) -> None:
    for slug, (places, entities, topics, quotes) in FOUND.items():
        doc_id = seeded.item(slug).document_id
        store.save_enrichment(Enrichment(doc_id, places, entities, topics, quotes),
                              input_key="test")


def _headlines(body: dict[str, Any]) -> set[str]:
    return {item["headlines"][0]["value"] for item in body["items"]}


UNAMI, VISIT, SANCTIONS = ("UN mission in Iraq to complete its work", "Minister visits Baghdad",
                           "Statement on sanctions")


def test_api_filters_by_country_entity_and_topic(wire: tuple[TestClient, Any],
                                                 store: Store) -> None:
    client, seeded = wire
    _enrich(store, seeded)
    get = lambda url: client.get(url).json()  # noqa: E731
    assert _headlines(get("/api/v1/items?country=IQ")) == {UNAMI, VISIT}
    assert _headlines(get("/api/v1/items?country=fr")) == {VISIT, SANCTIONS}
    assert _headlines(get("/api/v1/items?entity=Security%20Council")) == {SANCTIONS}
    assert _headlines(get("/api/v1/items?entity=person:antónio%20guterres")) == {UNAMI}
    assert _headlines(get("/api/v1/items?topic=medtop:16000000")) == {SANCTIONS}
    assert _headlines(get("/api/v1/items?topic=politics&country=FR")) == {VISIT}
    assert _headlines(get("/api/v1/items?q=country:IQ%20minister")) == {VISIT}
    assert _headlines(get("/api/v1/search?q=topic:medtop:11000000")) == {UNAMI, VISIT}
    facets = get("/api/v1/items?facets=true")["facets"]
    assert {f["value"]: f["count"] for f in facets["country"]} == {"IQ": 2, "FR": 2}
    assert {f["value"]: f["count"] for f in facets["topic"]} == {
        "medtop:11000000": 2, "medtop:16000000": 1}
    assert {f["value"] for f in facets["entity"]} == {"António Guterres", "Security Council"}


def test_hostile_filter_values_match_nothing_or_are_one_line(
    wire: tuple[TestClient, Any], store: Store
) -> None:
    client, seeded = wire
    _enrich(store, seeded)
    for value in ("'; DROP TABLE document_places; --", "%", "medtop:*", "x" * 900):
        body = client.get("/api/v1/items", params={"country": value, "entity": value}).json()
        assert body["items"] == []
    refused = client.get("/api/v1/items", params={"topic": "a\x00b"})
    assert refused.status_code == 400
    assert refused.json() == {"error": "The 'topic' filter contains a NUL character"}
    assert _headlines(client.get("/api/v1/items?country=IQ").json()) == {UNAMI, VISIT}


def test_every_enriched_item_carries_topics_places_and_people_in_ninjs(
    wire: tuple[TestClient, Any], store: Store, ninjs_validator: Any
) -> None:
    client, seeded = wire
    _enrich(store, seeded)
    listed = client.get("/api/v1/items?limit=50").json()["items"]
    for ninjs in listed:
        assert not [e.message for e in ninjs_validator.iter_errors(ninjs)]
    by_headline = {n["headlines"][0]["value"]: n for n in listed}
    unami = by_headline[UNAMI]
    assert {"name": "politics", "uri": "http://cv.iptc.org/newscodes/mediatopic/11000000",
            "literal": "medtop:11000000"} in unami["subjects"]
    assert {"name": "Iraq", "literal": "IQ", "rel": "mentioned"} in unami["places"]
    assert unami["people"] == [{"name": "António Guterres",
                                "literal": "person:antónio guterres"}]
    visit = by_headline[VISIT]
    assert {"name": "Baghdad", "uri": "https://sws.geonames.org/98182/", "literal": "IQ",
            "rel": "mentioned"} in visit["places"]
    assert "people" not in by_headline["Climate summit opens"]  # not enriched
    item = seeded.item("sanctions")
    for url in (f"/api/v1/items/{item.id}", f"/items/{item.id}.json"):
        one = client.get(url).json()
        assert one["organisations"] == [{"name": "Security Council", "literal": "org:unsc"}]
        assert not list(ninjs_validator.iter_errors(one))
    versions = client.get(f"/api/v1/items/{item.id}/versions").json()["versions"]
    assert all(v["subjects"][-1]["literal"] == "medtop:16000000" for v in versions)


def test_item_page_shows_topics_places_people_and_quotes(
    wire: tuple[TestClient, Any], store: Store
) -> None:
    client, seeded = wire
    _enrich(store, seeded)
    item = seeded.item("unami")
    page = client.get(f"/items/{item.id}/{item.slug}").text
    assert 'id="about-h"' in page
    assert '<a href="/?topic=medtop%3A11000000">politics</a>' in page
    assert '<a href="/?country=IQ">Iraq</a>' in page
    assert '<a href="/?entity=Ant%C3%B3nio%20Guterres">António Guterres</a>' in page
    assert "Мы завершим работу миссии к концу года" in page
    assert "In the original, sentence 1:" in page
    assert "Гутерриш сказал" in page
    plain = client.get(f"/items/{seeded.item('climate').id}/{seeded.item('climate').slug}")
    assert 'id="about-h"' not in plain.text


def test_wire_search_and_feeds_offer_and_apply_the_new_facets(
    wire: tuple[TestClient, Any], store: Store
) -> None:
    client, seeded = wire
    _enrich(store, seeded)
    front = client.get("/").text
    assert '<label for="f-country">Country</label>' in front
    assert '<option value="IQ">Iraq (2)</option>' in front
    assert '<option value="medtop:16000000">conflict, war and peace (1)</option>' in front
    chosen = client.get("/?country=FR").text
    assert "Statement on sanctions" in chosen and "UN mission in Iraq" not in chosen
    assert "Country:</span> France" in chosen
    twin = client.get("/index.json?country=FR").json()
    assert _headlines(twin) == {VISIT, SANCTIONS} and twin["filters"] == {"country": "FR"}
    search = client.get("/search?q=minister&topic=politics").text
    assert "Minister visits Baghdad" in search
    atom = ElementTree.fromstring(client.get("/feeds/atom?entity=Security%20Council").content)
    titles = [e.text for e in atom.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(t and "sanctions" in t for t in titles)
    assert not any(t and "Iraq" in t for t in titles)


def test_export_writes_enriched_ninjs(wire: tuple[TestClient, Any], store: Store) -> None:
    _, seeded = wire
    _enrich(store, seeded)
    out = io.BytesIO()
    count = export(store, Filters(country=("IQ",)), "ninjs", out,
                   settings=PublishSettings(base_url="http://127.0.0.1:8000"))
    lines = [json.loads(line) for line in out.getvalue().decode().splitlines()]
    assert count == 2 and all(any(p.get("literal") == "IQ" for p in n["places"]) for n in lines)
