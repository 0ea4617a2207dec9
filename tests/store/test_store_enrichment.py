"""Enrichment storage on both backends: round trip, idempotent replace,
failures kept, hostile text, and item filters and facets by country, entity
and topic."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from babelwire.compose.item import item_id
from babelwire.enrich.records import Enrichment, Entity, Mention, Place, Quote, Topic
from babelwire.enrich.records import EntityKind as Kind
from babelwire.enrich.records import Side as On
from babelwire.model import Document, Item
from babelwire.store import Store, search
from babelwire.store.query import ItemQuery
from babelwire.store.search import SearchLimits


def _enrichment(doc_id: str, *, country: str = "FR", person: str = "António Guterres",
                topic: tuple[str, str] = ("medtop:11000000", "politics"),
                extra: str = "") -> Enrichment:
    mention = Mention(On.ORIGINAL, 0, 3, 8, "Paris" + extra)
    return Enrichment(
        document_id=doc_id,
        places=(Place(f"country:{country}", "country", "Somewhere" + extra, country,
                      48.85, 2.35, (mention,)),
                Place("city:2988507", "capital", "Paris", "FR", 48.85341, 2.3488,
                      (Mention(On.ENGLISH, -1, 0, 5, "Paris"),))),
        entities=(Entity(f"person:{person.casefold()}", Kind.PERSON, person,
                         (Mention(On.ENGLISH, 1, 10, 18, "Guterres"),)),
                  Entity("org:wfp", Kind.ORGANISATION, "World Food Programme")),
        topics=(Topic(*topic, 3.0), Topic("medtop:16000000",
                                                      "conflict, war and peace", 1.0)),
        quotes=(Quote("«Мир — это не отсутствие войны»" + extra, "Peace is not the absence",
                      2, 1, person, f"person:{person.casefold()}",
                      "Он сказал: «Мир — это не отсутствие войны»."),
                Quote("no speaker here at all today", None, 3, 2)),
    )


def _stored_doc(seeded: Store, make_document: Callable[..., Document], path: str) -> Document:
    doc = make_document(path)
    seeded.save_document(doc)
    return doc


def test_an_enrichment_reads_back_as_it_was_saved(
    seeded: Store, make_document: Callable[..., Document]
) -> None:
    doc = _stored_doc(seeded, make_document, "1")
    found = _enrichment(doc.id)
    assert seeded.enrichment(doc.id) is None
    seeded.save_enrichment(found, input_key="k1")
    assert seeded.enrichment(doc.id) == found
    assert seeded.enrichments([doc.id, "nothing"]) == {doc.id: found}
    assert seeded.enrichment_keys([doc.id]) == {doc.id: "k1"}


def test_saving_again_changes_no_row_and_a_reprocess_replaces_the_findings(
    seeded: Store, make_document: Callable[..., Document]
) -> None:
    doc = _stored_doc(seeded, make_document, "1")
    seeded.save_enrichment(_enrichment(doc.id), input_key="k1")
    before = seeded.dump()
    seeded.save_enrichment(_enrichment(doc.id), input_key="k1")
    assert seeded.dump() == before
    changed = dataclasses.replace(_enrichment(doc.id, country="DE"), quotes=())
    seeded.save_enrichment(changed, input_key="k2")
    assert seeded.enrichment(doc.id) == changed
    assert seeded.dump()["document_quotes"] == []


def test_a_failure_is_recorded_and_the_earlier_findings_stay(
    seeded: Store, make_document: Callable[..., Document]
) -> None:
    doc = _stored_doc(seeded, make_document, "1")
    other = _stored_doc(seeded, make_document, "2")
    seeded.save_enrichment(_enrichment(doc.id), input_key="k1")
    seeded.record_enrichment_failure(doc.id, "enrich: ValueError: bad", input_key="k2")
    seeded.record_enrichment_failure(other.id, "enrich: ValueError: bad", input_key="k3")
    assert seeded.enrichment_keys([doc.id, other.id]) == {doc.id: "k2", other.id: "k3"}
    assert [row["error"] for row in seeded.dump()["document_enrichment"]] == [
        "enrich: ValueError: bad"] * 2
    assert seeded.dump()["document_places"]  # the last good findings are kept
    assert seeded.enrichment(other.id) is None


def test_hostile_text_is_stored_as_data(
    seeded: Store, make_document: Callable[..., Document], samples: SimpleNamespace
) -> None:
    doc = _stored_doc(seeded, make_document, "1")
    for hostile in (*samples.HOSTILE, samples.MULTISCRIPT):
        seeded.save_enrichment(_enrichment(doc.id, person=hostile, extra=hostile),
                               input_key=hostile)
        assert seeded.enrichment(doc.id) == _enrichment(doc.id, person=hostile, extra=hostile)
    seeded.save_enrichment(_enrichment(doc.id, extra="a\x00b"), input_key="k")
    stored = seeded.enrichment(doc.id)
    assert stored is not None and stored.places[0].name == "Somewhereab"
    assert seeded.enrichment("a\x00b") is None


def _item(doc: Document, n: int) -> Item:
    moment = datetime(2025, 12, 12, 9, n, tzinfo=UTC)
    return Item(
        id=item_id(doc.id), document_id=doc.id, source_id=doc.source_id,
        source_name="UN News", desk="News", publisher="babelwire",
        region="Russian Federation",
        kind="translation", slug=f"item-{n}", headline=f"Headline {n}", section=None,
        body=("Body.",), original_url=doc.url, original_language="ru",
        original_headline="Заголовок", published=moment, published_has_time=True,
        first_created=moment, version_created=moment, version=1, engines=("test",),
        flags=(), disclaimer="Machine translation.", disclaimer_version="1",
    )


def test_items_filter_and_facet_by_country_entity_and_topic(
    seeded: Store, make_document: Callable[..., Document]
) -> None:
    docs = [_stored_doc(seeded, make_document, str(n)) for n in range(3)]
    for n, doc in enumerate(docs):
        seeded.save_item(_item(doc, n))
    seeded.save_enrichment(_enrichment(docs[0].id), input_key="k")
    seeded.save_enrichment(_enrichment(docs[1].id, country="DE", person="Ban Ki-moon",
                                       topic=("medtop:04000000", "economy, business and finance")),
                           input_key="k")
    # docs[2] is not enriched: it matches no enrichment filter.

    def ids(**filters: Any) -> set[str]:
        return {item.document_id for item in seeded.items(ItemQuery(**filters)).items}

    assert ids(country="fr") == {docs[0].id, docs[1].id}  # Paris is in France
    assert ids(country="DE") == {docs[1].id}
    assert ids(country=("DE", "JP")) == {docs[1].id}
    assert ids(entity="Ban Ki-moon") == {docs[1].id}
    assert ids(entity="person:antónio guterres") == {docs[0].id}
    assert ids(entity="org:wfp") == {docs[0].id, docs[1].id}
    assert ids(topic="medtop:11000000") == {docs[0].id}
    assert ids(topic="04000000") == {docs[1].id}
    assert ids(topic="Politics") == {docs[0].id}
    assert ids(country="DE", topic="medtop:11000000") == set()
    assert ids(text="country:DE") == {docs[1].id}
    assert ids(text="topic:medtop:04000000 entity:\"Ban Ki-moon\"") == {docs[1].id}
    assert ids(text="Headline country:FR") == {docs[0].id, docs[1].id}
    assert ids(country="ZZ") == set()

    page = seeded.items(ItemQuery(with_facets=True))
    assert dict(page.facets["country"]) == {"FR": 2, "DE": 1}
    assert dict(page.facets["topic"])["medtop:16000000"] == 2
    assert dict(page.facets["entity"]) == {"World Food Programme": 2, "António Guterres": 1,
                                           "Ban Ki-moon": 1}
    # A chosen country is counted as if free, like every facet.
    chosen = seeded.items(ItemQuery(country="DE", with_facets=True))
    assert dict(chosen.facets["country"]) == {"FR": 2, "DE": 1}
    assert dict(chosen.facets["topic"]) == {"medtop:04000000": 1, "medtop:16000000": 1}
    assert chosen.total == 1
    searched = seeded.items(ItemQuery(text="Headline", topic="medtop:04000000",
                                      with_facets=True))
    assert dict(searched.facets["country"]) == {"FR": 1, "DE": 1}


def test_enrichment_facets_past_the_window_are_estimates_and_say_so(
    seeded: Store, make_document: Callable[..., Document], monkeypatch: Any
) -> None:
    countries = ("FR", "DE", "JP", "DE", "JP")
    docs = [_stored_doc(seeded, make_document, str(n)) for n in range(len(countries))]
    for n, doc in enumerate(docs):
        seeded.save_item(_item(doc, n))
        seeded.save_enrichment(_enrichment(doc.id, country=countries[n]), input_key="k")
    exact = seeded.items(ItemQuery(with_facets=True))
    assert dict(exact.facets["country"]) == {"FR": 5, "JP": 2, "DE": 2}
    assert not exact.approximate
    # Region and the other item facets are exact (item_facet_counts); only
    # the enrichment window is small.
    monkeypatch.setattr(search, "DEFAULT_LIMITS", SearchLimits(enrich_window=2))
    page = seeded.items(ItemQuery(with_facets=True))
    # A full window counts one more than its size: the three newest items
    # (minutes 4, 3 and 2: Japan, Germany, Japan, each with Paris) cover
    # half the wire's minutes, so the counts are doubled, and said to be
    # estimates rather than passed off as the whole.
    assert dict(page.facets["country"]) == {"FR": 6, "JP": 4, "DE": 2}
    assert dict(page.facets["entity"])["World Food Programme"] == 6
    assert page.approximate
    # A window that holds every match counts them all.
    monkeypatch.setattr(search, "DEFAULT_LIMITS", SearchLimits(enrich_window=5))
    whole = seeded.items(ItemQuery(with_facets=True))
    assert dict(whole.facets["country"]) == {"FR": 5, "JP": 2, "DE": 2}
    assert not whole.approximate
