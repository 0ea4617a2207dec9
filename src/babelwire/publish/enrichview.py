"""What the enrich stage found in an item's document, as the item page shows it.

Each topic, place, person and organisation links to the wire filtered by it
(``/?topic=…``, ``/?country=…``, ``/?entity=…``: the same filters as the API
and the feeds). Each quote is shown with its speaker and with the sentence
of the original it comes from, so a reader can check the words in the
source's own language.
"""

from __future__ import annotations

from dataclasses import dataclass

from babelwire.enrich.places import country_names
from babelwire.enrich.records import Enrichment, EntityKind
from babelwire.publish.pages import with_params


@dataclass(frozen=True, slots=True)
class Tag:
    label: str
    #: The wire filtered by this value.
    url: str
    #: A short qualifier printed after the label ("FR", "medtop:11000000").
    note: str = ""


@dataclass(frozen=True, slots=True)
class QuoteView:
    text: str
    english: str | None
    speaker: str | None
    speaker_url: str | None
    #: The original sentence the quote is in, and its number (from 1) in the body.
    sentence: str
    sentence_number: int


@dataclass(frozen=True, slots=True)
class About:
    topics: tuple[Tag, ...]
    places: tuple[Tag, ...]
    people: tuple[Tag, ...]
    organisations: tuple[Tag, ...]
    quotes: tuple[QuoteView, ...]


def about(found: Enrichment | None) -> About | None:
    """The item page's "who, where, what about" section; None when not enriched."""
    if found is None:
        return None
    names = country_names()
    countries = {p.country_code: None for p in found.places}
    places = [Tag(p.name, with_params("/", {"country": p.country_code}), p.country_code)
              for p in found.places]
    # A country only named through one of its cities still gets its own link.
    places += [Tag(names.get(code, code), with_params("/", {"country": code}), code)
               for code in countries if f"country:{code}" not in {p.key for p in found.places}]

    def entities(kind: EntityKind) -> tuple[Tag, ...]:
        return tuple(Tag(e.name, with_params("/", {"entity": e.name}))
                     for e in found.entities if e.kind == kind)

    speakers = {e.key: e.name for e in found.entities}
    quotes = tuple(
        QuoteView(q.text, q.english, q.speaker,
                  with_params("/", {"entity": speakers[q.speaker_key]})
                  if q.speaker_key in speakers else None,
                  q.sentence, q.original_sentence + 1)
        for q in found.quotes)
    return About(
        topics=tuple(Tag(t.name, with_params("/", {"topic": t.code}), t.code)
                     for t in found.topics),
        places=tuple(places),
        people=entities(EntityKind.PERSON),
        organisations=entities(EntityKind.ORGANISATION),
        quotes=quotes,
    )
