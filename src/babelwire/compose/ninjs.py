"""The canonical machine-readable item: IPTC ninjs 3.1 JSON.

Mapping (ninjs property ← item field), and why:

- ``uri`` ← ``{base_url}/items/{id}/{slug}``: the permalink. The slug is fixed
  at the first version, so the uri is the same for every version.
- ``type`` "text", ``representationType`` "full", ``profile`` ← kind
  ("translation", "official", "original"): how the English text came to be.
- ``version`` ← version as a string; ``firstCreated``/``versionCreated``.
- ``contentCreated`` ← the source's publication time with its own UTC
  offset, only when the source gave a time. ninjs wants a full date-time
  there, and a date-only publication would have to claim a midnight that the
  source never stated; its date is in the ``dateline`` description instead.
- ``language`` "en"; ``headlines`` [main]; ``bodies`` [text/plain, text/html]
  (the HTML is escaped and sanitised, see ``compose.html``).
- The original is an ``associations`` entry named "original". ninjs has no
  "original language" field on a headline or body, but an association is a
  whole ninjs object with its own ``uri`` (the original URL), ``language``
  (the original's) and ``headlines`` (the original title), which says all
  three faithfully; ``rel`` says how this item relates to it. The original URL
  and our document id are also in ``altIds`` for consumers that only index ids.
- ``infoSources``: the source as "originator" (uri = original URL) and the
  wire as "distributor".
- ``located`` and ``places`` ← region (``literal`` = ISO code when the caller
  knows it); ``subjects`` ← section, plus IPTC Media Topics, people,
  organisations and places from the enrich stage via :class:`NinjsExtras`.
- ``usageTerms`` ← the disclaimer; ``edNote`` ← translation quality flags.

The schema has no ``$schema`` or ``nature`` property at the top level (and
forbids unknown ones), so the standard and its schema are named in
``standard`` and the nature is ``type``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babelwire.compose.dateline import format_dateline
from babelwire.compose.html import body_html
from babelwire.model import Item

NINJS_VERSION = "3.1"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
MEDIA_TOPIC_BASE = "http://cv.iptc.org/newscodes/mediatopic/"

#: How an item relates to the original it was made from, by kind.
ORIGINAL_RELATIONS: dict[str, str] = {
    "translation": "translationOf",
    "official": "officialTranslationOf",
    "original": "republicationOf",
}


@dataclass(frozen=True, slots=True)
class Concept:
    """A subject, person, organisation or place, as ninjs names one."""

    name: str
    uri: str | None = None
    literal: str | None = None
    rel: str | None = None


def media_topic(code: str, name: str) -> Concept:
    """An IPTC Media Topic subject, e.g. ``media_topic("16000000", "conflict, war and peace")``."""
    return Concept(name=name, uri=MEDIA_TOPIC_BASE + code, literal=f"medtop:{code}")


@dataclass(frozen=True, slots=True)
class NinjsExtras:
    """What later stages (enrich, the catalog) know beyond the item itself."""

    #: ISO 3166-1 alpha-2 code of ``item.region`` when it is a country.
    region_code: str | None = None
    subjects: tuple[Concept, ...] = ()
    people: tuple[Concept, ...] = ()
    organisations: tuple[Concept, ...] = ()
    places: tuple[Concept, ...] = ()


def item_uri(item: Item, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/items/{item.id}/{item.slug}"


def _iso(moment: datetime | None) -> str | None:
    """RFC 3339 text in the datetime's own zone; None for a naive one (no zone to state)."""
    if moment is None or moment.utcoffset() is None:
        return None
    return moment.isoformat()


def _concept(concept: Concept) -> dict[str, str]:
    fields = {"name": concept.name, "uri": concept.uri, "literal": concept.literal,
              "rel": concept.rel}
    return {key: value for key, value in fields.items() if value}


def _bodies(item: Item) -> list[dict[str, Any]]:
    plain = "\n\n".join(item.body)
    return [
        {"role": "main", "contentType": "text/plain", "value": plain,
         "charCount": len(plain), "wordCount": len(plain.split())},
        {"role": "main", "contentType": "text/html", "value": body_html(item)},
    ]


def _original(item: Item) -> dict[str, Any]:
    original: dict[str, Any] = {
        "name": "original",
        "rel": ORIGINAL_RELATIONS[item.kind],
        "uri": item.original_url,
        "type": "text",
    }
    if item.original_language:
        original["language"] = item.original_language
    if item.original_headline:
        original["headlines"] = [{"role": "main", "value": item.original_headline}]
    if item.published_has_time and (created := _iso(item.published)):
        original["contentCreated"] = created
    return original


def _provenance(item: Item) -> str:
    """One sentence saying where the English text comes from."""
    if item.kind == "translation":
        engines = ", ".join(item.engines) or "an unnamed engine"
        return (f"Machine translation ({engines}) from {item.original_language} of "
                f"{item.source_name}: {item.original_url}")
    if item.kind == "official":
        return f"Official English version published by {item.source_name}: {item.original_url}"
    return f"Published in English by {item.source_name}: {item.original_url}"


def _descriptions(item: Item) -> list[dict[str, str]]:
    descriptions = [{"role": "provenance", "contentType": "text/plain",
                     "value": _provenance(item)}]
    dateline = format_dateline(item.published, item.published_has_time, item.section)
    if dateline:
        descriptions.append({"role": "dateline", "contentType": "text/plain", "value": dateline})
    return descriptions


def _places(item: Item, extras: NinjsExtras) -> list[dict[str, str]]:
    region = Concept(name=item.region, literal=extras.region_code, rel="located")
    return [_concept(place) for place in (region, *extras.places) if place.name]


def _subjects(item: Item, extras: NinjsExtras) -> list[dict[str, str]]:
    section = [Concept(name=item.section, rel="section")] if item.section else []
    return [_concept(subject) for subject in (*section, *extras.subjects)]


def to_ninjs(item: Item, *, base_url: str, extras: NinjsExtras | None = None) -> dict[str, Any]:
    """The item as a ninjs 3.1 object (a JSON-ready dict); see the module doc."""
    extras = extras or NinjsExtras()
    ninjs: dict[str, Any] = {
        "uri": item_uri(item, base_url),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "representationType": "full",
        "profile": item.kind,
        "version": str(item.version),
        "firstCreated": _iso(item.first_created),
        "versionCreated": _iso(item.version_created),
        "contentCreated": _iso(item.published) if item.published_has_time else None,
        "pubStatus": "usable",
        "language": "en",
        "slugline": item.slug,
        "headlines": [{"role": "main", "value": item.headline}],
        "bodies": _bodies(item),
        "descriptions": _descriptions(item),
        "associations": [_original(item)],
        "altIds": [{"role": "original-url", "value": item.original_url},
                   {"role": "babelwire-document", "value": item.document_id}],
        "infoSources": [
            {"name": item.source_name, "role": "originator", "uri": item.original_url},
            {"name": item.publisher, "role": "distributor"},
        ],
        "located": item.region or None,
        "places": _places(item, extras),
        "subjects": _subjects(item, extras),
        "people": [_concept(person) for person in extras.people],
        "organisations": [_concept(org) for org in extras.organisations],
        "usageTerms": item.disclaimer,
        "edNote": f"Translation quality flags: {', '.join(item.flags)}" if item.flags else None,
    }
    # Absent beats empty: a consumer should not have to tell "none" from "unknown".
    return {key: value for key, value in ninjs.items() if value not in (None, [], "")}
