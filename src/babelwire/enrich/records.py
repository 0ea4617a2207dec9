"""The records the enrich stage returns.

Every record is frozen, like those of ``babelwire.model``. A mention says on
which side it was found (``original`` text or its ``english`` translation),
in which block of the body (-1 for the headline) and where in that text, so
that a reader can be shown the words in either language.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Side(enum.StrEnum):
    ORIGINAL = "original"
    ENGLISH = "english"


@dataclass(frozen=True, slots=True)
class Mention:
    side: Side
    #: Index of the body block; -1 is the headline.
    block: int
    start: int
    end: int
    surface: str


@dataclass(frozen=True, slots=True)
class Place:
    """A place resolved in the gazetteer: a country or a large city."""

    #: "country:RU", "city:524901" (the GeoNames id) or "region:darfur".
    key: str
    #: "country", "capital" (a country's seat of government), "city" or "region".
    kind: str
    name: str
    #: ISO 3166-1 alpha-2 code of the country the place is in.
    country_code: str
    #: WGS 84; for a country, its capital. None when the gazetteer has none.
    latitude: float | None
    longitude: float | None
    mentions: tuple[Mention, ...] = ()


class EntityKind(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    #: A named occasion that many sources report on at once ("Human Rights
    #: Day"); its key groups them into one story.
    EVENT = "event"


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, an organisation or a named event in the document."""

    #: "org:wfp" for a body of the gazetteer (the same in every language);
    #: "person:<folded name>" or "org:<folded name>" for names found by rule,
    #: which are the same only within one language.
    key: str
    kind: EntityKind
    name: str
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    """An IPTC Media Topic, e.g. ``medtop:11000000`` (politics)."""

    code: str
    name: str
    #: Keyword hits, weighted by where they were found (headline counts more).
    score: float


@dataclass(frozen=True, slots=True)
class Quote:
    """Words in quotation marks and who said them."""

    #: The quoted words in the original; when only the translation marks them
    #: as a quote, the original sentence they translate.
    text: str
    #: The quoted words in the English translation, when it has them.
    english: str | None
    #: Index of the sentence in the original body (sentences counted across
    #: blocks, headline excluded), whichever side the quote was found on.
    original_sentence: int
    block: int
    speaker: str | None = None
    #: Key of the speaker's entity, when the speaker is one of the entities.
    speaker_key: str | None = None
    #: The text of that original sentence, so a reader sees the quote in place.
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class Enrichment:
    """Everything the enrich stage found in one document."""

    document_id: str
    places: tuple[Place, ...]
    entities: tuple[Entity, ...]
    topics: tuple[Topic, ...]
    quotes: tuple[Quote, ...]

    @property
    def country_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.country_code for p in self.places))
