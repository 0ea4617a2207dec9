"""What the enrich stage adds to an item's ninjs 3.1 form.

``compose.to_ninjs`` takes a :class:`~babelwire.compose.ninjs.NinjsExtras`;
this builds one from an :class:`Enrichment`:

- ``subjects`` ← IPTC Media Topics (uri in the IPTC vocabulary, literal
  ``medtop:…``), then named occasions with rel "event";
- ``places`` ← places with rel "mentioned", literal = the ISO 3166-1 code,
  uri = the GeoNames feature for cities and capitals;
- ``people`` and ``organisations`` ← entities, literal = the entity key, so a
  consumer can tell the gazetteer's bodies ("org:wfp") from names found by rule.
"""

from __future__ import annotations

from babelwire.compose.ninjs import Concept, NinjsExtras, media_topic
from babelwire.enrich.records import Enrichment, EntityKind, Place

GEONAMES_URI = "https://sws.geonames.org/{}/"


def ninjs_extras(enrichment: Enrichment, *, region_code: str | None = None) -> NinjsExtras:
    topics = [media_topic(t.code.removeprefix("medtop:"), t.name) for t in enrichment.topics]
    events = [Concept(name=e.name, literal=e.key, rel="event")
              for e in enrichment.entities if e.kind == EntityKind.EVENT]
    return NinjsExtras(
        region_code=region_code,
        subjects=(*topics, *events),
        people=tuple(Concept(name=e.name, literal=e.key)
                     for e in enrichment.entities if e.kind == EntityKind.PERSON),
        organisations=tuple(Concept(name=e.name, literal=e.key)
                            for e in enrichment.entities if e.kind == EntityKind.ORGANISATION),
        places=tuple(_place(p) for p in enrichment.places),
    )


def _place(place: Place) -> Concept:
    uri = None
    if place.key.startswith("city:"):
        uri = GEONAMES_URI.format(place.key.removeprefix("city:"))
    return Concept(name=place.name, uri=uri, literal=place.country_code, rel="mentioned")
