"""The canonical machine-readable item: IPTC ninjs 3.1 JSON.

Mapping (ninjs property ← item field), and why:

- ``uri`` ← ``{base_url}/items/{id}/{slug}``: the permalink. The slug is fixed
  at the first version, so the uri is the same for every version.
- ``type`` "text", ``representationType`` "full", ``profile`` ← kind
  ("translation", "official", "original"): how the English text came to be.
- ``version`` ← version as a string; ``firstCreated``/``versionCreated``.
- ``contentCreated`` ← the source's publication time with its own UTC
  offset. ninjs wants a full date-time there; when the source gave only a
  date, it is that date at 00:00 in the source's zone (UTC when the source
  named none), and a ``contentCreated-precision`` description says "date",
  so that nobody reads the midnight as a time the source stated.
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
- ``descriptions``: ``translation`` ← the label of ``compose.labels``
  (the same words as the item page and the feeds), ``provenance`` ← that
  label with the source and original URL, ``quality`` ← the quality flags in
  words (the untranslated words named), ``dateline``.
- ``usageTerms`` ← the disclaimer; ``edNote`` ← the raw quality flags.

The schema has no ``$schema`` or ``nature`` property at the top level (and
forbids unknown ones), so the standard and its schema are named in
``standard`` and the nature is ``type``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from babelwire.compose.dateline import format_dateline
from babelwire.compose.html import body_html
from babelwire.compose.labels import flag_notes, language_name, text_label
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
    # Only a stated time: the note on a date-only midnight is the item's, not the original's.
    if item.published_has_time and (created := _iso(item.published)):
        original["contentCreated"] = created
    return original


def _provenance(item: Item) -> str:
    """One sentence saying where the English text comes from."""
    label = text_label(item)
    if item.kind == "original":
        return f"{label}, published by {item.source_name}: {item.original_url}"
    language = language_name(item.original_language) if item.original_language else "unknown"
    return f"{label}; original ({language}) published by {item.source_name}: {item.original_url}"


def content_created(item: Item) -> str | None:
    """``contentCreated``: the source's time, or its date at 00:00 in the source's zone."""
    if item.published is None:
        return None
    if item.published_has_time and (stated := _iso(item.published)):
        return stated
    day = item.published
    zone = day.tzinfo if day.utcoffset() is not None else UTC
    return datetime(day.year, day.month, day.day, tzinfo=zone).isoformat()


#: The ``contentCreated-precision`` description of a date-only publication.
DATE_PRECISION_NOTE = ("date: the source gave a date without a time of day; "
                       "the 00:00 in contentCreated is not a time the source stated")


def _descriptions(item: Item) -> list[dict[str, str]]:
    descriptions = [
        {"role": "translation", "contentType": "text/plain", "value": text_label(item)},
        {"role": "provenance", "contentType": "text/plain", "value": _provenance(item)},
    ]
    if notes := flag_notes(item.flags):
        descriptions.append({"role": "quality", "contentType": "text/plain",
                             "value": ". ".join(notes) + "."})
    if item.published is not None and not item.published_has_time:
        descriptions.append({"role": "contentCreated-precision", "contentType": "text/plain",
                             "value": DATE_PRECISION_NOTE})
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
        "contentCreated": content_created(item),
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
