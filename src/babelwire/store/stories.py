"""Stories and their members (tables ``stories`` and ``story_members``, 0006).

Every item is a member of exactly one story. Members are only added (a
rerun adds nothing) or, when a new item joins two stories, moved from the
younger story to the older, whose row is all that remains; a story's counts
are recounted from its members in the transaction that changes them. Which story an item joins is
decided by ``enrich.stories.assign_stories``; ``run/stories.py`` feeds it
from here. The wire, the story page, the map and the API read through
:class:`StoryStore`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from babelwire.model import Item, utc_now
from babelwire.store.engine import reading, upsert_insert, writing
from babelwire.store.itemrows import item_from_json
from babelwire.store.schema import items, stories, story_members, translations

#: How many unassigned items one read returns; the step loops over reads.
UNASSIGNED_PAGE = 500


@dataclass(frozen=True, slots=True)
class MapPlace:
    """A place an item names, as the map draws it."""

    key: str
    name: str
    country_code: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True, slots=True)
class NewMember:
    """An item's place in a story, as the assignment decided it."""

    document_id: str
    story_id: str
    item_id: str
    source_id: str
    language: str
    seen_at: datetime
    score: float | None
    keys: tuple[str, ...]
    places: tuple[MapPlace, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredMember:
    """A member with what the grouping of newer items needs of it."""

    document_id: str
    story_id: str
    source_id: str
    language: str
    seen_at: datetime
    keys: frozenset[str]
    #: The item's English headline and body.
    english: str
    #: The original's headline and paragraphs (see :func:`_original`).
    original: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StorySummary:
    id: str
    first_seen_at: datetime
    last_seen_at: datetime
    member_count: int
    source_count: int
    language_count: int
    language_counts: dict[str, int]
    source_counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class StoryMember:
    """A member as the story page lists it."""

    item: Item
    language: str
    seen_at: datetime
    score: float | None


class StoryStore:
    """The story tables of one database (see ``Store.stories``)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    # -- assignment -------------------------------------------------------------

    def unassigned_items(self, limit: int = UNASSIGNED_PAGE) -> list[Item]:
        """Items in no story yet, oldest on the wire first."""
        query = (sa.select(items.c.data)
                 .outerjoin(story_members, story_members.c.document_id == items.c.document_id)
                 .where(story_members.c.document_id.is_(None))
                 .order_by(items.c.seq).limit(limit))
        with reading(self._engine, "reading items without a story") as connection:
            return [item_from_json(data) for data, in connection.execute(query)]

    def members_since(self, since: datetime) -> list[StoredMember]:
        """Members seen at or after ``since``, with their items' English text
        and their originals."""
        m = story_members.c
        query = (sa.select(m.document_id, m.story_id, m.source_id, m.language, m.seen_at,
                           m["keys"], items.c.data, translations.c.segments)
                 .join(items, items.c.document_id == m.document_id)
                 .outerjoin(translations, translations.c.document_id == m.document_id)
                 .where(m.seen_at >= since).order_by(m.seen_at, m.document_id))
        with reading(self._engine, "reading recent story members") as connection:
            return [StoredMember(doc_id, story_id, source, language, seen_at, frozenset(keys),
                                 _english(data), _original(data, segments))
                    for doc_id, story_id, source, language, seen_at, keys, data, segments
                    in connection.execute(query)]

    def originals(self, items_: Sequence[Item]) -> dict[str, tuple[str, ...]]:
        """Document id -> its original's headline and paragraphs, for these items."""
        ids = [item.document_id for item in items_]
        query = (sa.select(translations.c.document_id, translations.c.segments)
                 .where(translations.c.document_id.in_(ids)))
        with reading(self._engine, "reading the originals of items") as connection:
            segments = dict(connection.execute(query).all())
        return {item.document_id: _original({"headline": item.headline, "body": item.body},
                                            segments.get(item.document_id))
                for item in items_}

    def add_members(self, members: Sequence[NewMember],
                    merged: Mapping[str, str] | None = None) -> int:
        """Store new members, move the members of each story in ``merged``
        (old id -> new id) to its new story, and recount the stories
        touched; a member already stored is left as it is. Returns how many
        members were added."""
        merged = merged or {}
        if not members and not merged:
            return 0
        now = self._clock()
        with writing(self._engine, f"adding {len(members)} story members") as connection:
            # The story rows first, as the members' foreign key wants them;
            # _recount then writes their real values.
            for member in members:
                connection.execute(upsert_insert(connection, stories).values(
                    id=member.story_id, first_seen_at=member.seen_at,
                    last_seen_at=member.seen_at, member_count=0, source_count=0,
                    language_count=0, language_counts={}, source_counts={}, created_at=now,
                    updated_at=now).on_conflict_do_nothing(index_elements=["id"]))
            for old, new in sorted(merged.items()):
                connection.execute(sa.update(story_members)
                                   .where(story_members.c.story_id == old).values(story_id=new))
                connection.execute(sa.delete(stories).where(stories.c.id == old))
            # RETURNING counts what was inserted: rowcount is -1 on psycopg here.
            insert = upsert_insert(connection, story_members).on_conflict_do_nothing(
                index_elements=["document_id"]).returning(story_members.c.document_id)
            added = 0
            for member in members:
                added += len(connection.execute(insert, _member_row(member, now)).all())
            for story_id in sorted({m.story_id for m in members} | set(merged.values())):
                _recount(connection, story_id, now)
        return added

    def refresh_member(self, document_id: str, item_id: str, keys: Sequence[str],
                       places: Sequence[MapPlace]) -> bool:
        """Give a stored member the keys and places of its item's newer
        text; its story, time and score stay. False when it is in no story."""
        update = (sa.update(story_members).where(story_members.c.document_id == document_id)
                  .values(item_id=item_id, keys=sorted(keys), places=_places_row(places))
                  .returning(story_members.c.document_id))
        with writing(self._engine, f"refreshing the story member {document_id}") as connection:
            return bool(connection.execute(update).all())

    # -- reading ----------------------------------------------------------------

    def story(self, story_id: str) -> StorySummary | None:
        with reading(self._engine, f"reading story {story_id!r}") as connection:
            row = connection.execute(sa.select(stories).where(stories.c.id == story_id)).first()
        return _summary(row._mapping) if row else None

    def find(self, story_id: str) -> StorySummary | None:
        """The story named ``story_id``, or the story its first member is in
        now (a story merged into an older one is found by its old name)."""
        return self.story(story_id) or self.of_documents([story_id]).get(story_id)

    def recent(self, limit: int, *, min_members: int = 1) -> list[StorySummary]:
        """Stories most recently joined first."""
        query = (sa.select(stories).where(stories.c.member_count >= min_members)
                 .order_by(stories.c.last_seen_at.desc(), stories.c.id).limit(limit))
        with reading(self._engine, "listing stories") as connection:
            return [_summary(row._mapping) for row in connection.execute(query)]

    def of_documents(self, document_ids: Collection[str]) -> dict[str, StorySummary]:
        """The story of each of ``document_ids`` that is in one."""
        if not document_ids:
            return {}
        query = (sa.select(story_members.c.document_id, stories)
                 .join(stories, stories.c.id == story_members.c.story_id)
                 .where(story_members.c.document_id.in_(sorted(document_ids))))
        with reading(self._engine, "reading the stories of items") as connection:
            return {row.document_id: _summary(row._mapping) for row in connection.execute(query)}

    def members(self, story_id: str) -> list[StoryMember]:
        """A story's members, first seen first."""
        m = story_members.c
        query = (sa.select(items.c.data, m.language, m.seen_at, m.score)
                 .join(items, items.c.document_id == m.document_id)
                 .where(m.story_id == story_id).order_by(m.seen_at, m.document_id))
        with reading(self._engine, f"reading the members of story {story_id!r}") as connection:
            return [StoryMember(item_from_json(data), language, seen_at, score)
                    for data, language, seen_at, score in connection.execute(query)]

    def lead_items(self, story_ids: Collection[str]) -> dict[str, Item]:
        """Each story's first member's item (the story is named after it)."""
        if not story_ids:
            return {}
        query = sa.select(items.c.document_id, items.c.data).where(
            items.c.document_id.in_(sorted(story_ids)))
        with reading(self._engine, "reading the lead items of stories") as connection:
            return {doc_id: item_from_json(data) for doc_id, data in connection.execute(query)}

    def arrivals(self, story_ids: Iterable[str], since: datetime
                 ) -> dict[str, list[tuple[datetime, str, str]]]:
        """(seen_at, source id, language) of each story's members seen after ``since``."""
        wanted = sorted(set(story_ids))
        if not wanted:
            return {}
        m = story_members.c
        query = (sa.select(m.story_id, m.seen_at, m.source_id, m.language)
                 .where(m.story_id.in_(wanted), m.seen_at > since))
        out: dict[str, list[tuple[datetime, str, str]]] = {}
        with reading(self._engine, "reading recent story growth") as connection:
            for story_id, seen_at, source, language in connection.execute(query):
                out.setdefault(story_id, []).append((seen_at, source, language))
        return out

    def places_seen(self, since: datetime, until: datetime
                    ) -> list[tuple[str, str, tuple[MapPlace, ...]]]:
        """(document id, item id, places) of the members seen in [since, until)."""
        m = story_members.c
        query = (sa.select(m.document_id, m.item_id, m.places)
                 .where(m.seen_at >= since, m.seen_at < until).order_by(m.document_id))
        with reading(self._engine, "reading the places of items") as connection:
            return [(doc_id, item_id, tuple(MapPlace(*p) for p in places))
                    for doc_id, item_id, places in connection.execute(query)]


def _english(data: dict[str, Any]) -> str:
    return "\n".join([data.get("headline") or "", *(data.get("body") or ())])


def _original(data: dict[str, Any], segments: dict[str, Any] | None) -> tuple[str, ...]:
    """The original's headline and paragraphs: the source text of the
    translation's segments, or the item's own when it was written in English."""
    if not segments:
        return (data.get("headline") or "", *(data.get("body") or ()))
    headline = segments.get("headline") or {}
    return (headline.get("source_text") or "",
            *(s["source_text"] for s in segments.get("body") or () if s))


def _member_row(member: NewMember, now: datetime) -> dict[str, Any]:
    return {
        "document_id": member.document_id, "story_id": member.story_id,
        "item_id": member.item_id, "source_id": member.source_id,
        "language": member.language, "seen_at": member.seen_at, "score": member.score,
        "keys": sorted(member.keys), "places": _places_row(member.places), "joined_at": now,
    }


def _places_row(places: Iterable[MapPlace]) -> list[list[Any]]:
    return [[p.key, p.name, p.country_code, p.latitude, p.longitude] for p in places]


def _recount(connection: Connection, story_id: str, now: datetime) -> None:
    """Rewrite a story's row from its members (the story row is made here)."""
    m = story_members.c
    rows = connection.execute(
        sa.select(m.seen_at, m.source_id, m.language).where(m.story_id == story_id)).all()
    by_language: dict[str, int] = {}
    by_source: dict[str, int] = {}
    for _, source, language in rows:
        by_language[language] = by_language.get(language, 0) + 1
        by_source[source] = by_source.get(source, 0) + 1
    values = {
        "first_seen_at": min(r[0] for r in rows), "last_seen_at": max(r[0] for r in rows),
        "member_count": len(rows), "source_count": len(by_source),
        "language_count": len(by_language),
        "language_counts": dict(sorted(by_language.items())),
        "source_counts": dict(sorted(by_source.items())),
        "updated_at": now,
    }
    insert = upsert_insert(connection, stories)
    connection.execute(
        insert.values(id=story_id, created_at=now, **values)
        .on_conflict_do_update(index_elements=["id"], set_=values))


def _summary(row: Any) -> StorySummary:
    return StorySummary(
        row["id"], row["first_seen_at"], row["last_seen_at"], row["member_count"],
        row["source_count"], row["language_count"], dict(row["language_counts"]),
        dict(row["source_counts"]))
