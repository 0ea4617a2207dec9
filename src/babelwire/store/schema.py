"""The tables, as the queries see them.

This is the schema *after* every migration in ``migrations/versions``; the
migrations are the history that produced it and are never edited. A test
compares the two, so a change here without a migration fails the suite.

Conventions:

- Free text is ``Text`` without a length: names and regions are printed
  verbatim in the wire header and must never be cut, and PostgreSQL would
  reject an over-long ``VARCHAR(n)`` rather than store it.
- Every timestamp is an aware UTC ``datetime`` in Python (:class:`UTCDateTime`).
- Lists and structured values are JSON (JSONB on PostgreSQL, so that equal
  values compare equal in SQL and idempotent upserts can detect "no change").
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

#: Length of a UTC timestamp written by :class:`UTCDateTime` on SQLite,
#: e.g. ``2025-12-12T09:30:00.000000+00:00``.
SQLITE_TIMESTAMP_CHARS = 32


class UTCDateTime(sa.TypeDecorator[datetime]):
    """An aware datetime, stored as an instant and read back in UTC.

    PostgreSQL gets ``timestamptz``. SQLite has no date type, so the value is
    written as fixed-width ISO-8601 text in UTC: every row then sorts and
    compares chronologically as plain text, which ``ORDER BY published``
    relies on. Naive datetimes are refused, since their instant is unknown.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(SQLITE_TIMESTAMP_CHARS))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"store: naive datetime {value.isoformat()} (a zone is required)")
        utc = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return utc.isoformat(timespec="microseconds")
        return utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.astimezone(UTC)


def json_type() -> sa.types.TypeEngine[Any]:
    # none_as_null: a Python None must be SQL NULL, not the JSON text 'null',
    # so that "IS NULL" and the round trip mean the same thing.
    return sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


metadata = sa.MetaData()

sources = sa.Table(
    "sources",
    metadata,
    # From the catalog, rewritten by every upsert_sources().
    sa.Column("id", sa.Text, primary_key=True, comment="catalog id, e.g. 'un-news-ru'"),
    sa.Column("name", sa.Text, nullable=False, comment="publisher name as printed"),
    sa.Column("desk", sa.Text, nullable=False, comment="desk or service as printed"),
    sa.Column("region", sa.Text, nullable=False, comment="region as printed"),
    sa.Column("languages", json_type(), nullable=False, comment="JSON list of language codes"),
    sa.Column("category", sa.Text, nullable=False),
    sa.Column("homepage", sa.Text),
    sa.Column("origin", sa.Text, nullable=False, comment="catalog file it came from"),
    sa.Column("poll_interval_s", sa.Integer, nullable=False),
    # Operator state, never touched by upsert_sources().
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column(
        "verified",
        sa.Boolean,
        nullable=False,
        server_default=sa.false(),
        comment="a live check found the source working",
    ),
    sa.Column("checked_at", UTCDateTime, comment="when verified was last decided"),
    # Health, written after every poll of the source.
    sa.Column("last_success_at", UTCDateTime),
    sa.Column("last_error", sa.Text, comment="last failure message; kept after a success"),
    sa.Column("last_error_at", UTCDateTime),
    sa.Column("consecutive_failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_due_at", UTCDateTime, comment="do not poll before this instant"),
)

fetch_state = sa.Table(
    "fetch_state",
    metadata,
    # One row per polled URL (feed, sitemap, listing page), not per article.
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column(
        "source_id",
        sa.Text,
        sa.ForeignKey("sources.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("etag", sa.Text, comment="validator for If-None-Match"),
    sa.Column("last_modified", sa.Text, comment="validator for If-Modified-Since, verbatim"),
    sa.Column("status", sa.Integer, comment="HTTP status of the last response"),
    sa.Column("consecutive_failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_success_at", UTCDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("last_fetched_at", UTCDateTime),
    sa.Column("next_due_at", UTCDateTime),
)

documents = sa.Table(
    "documents",
    metadata,
    # Identity and progress.
    sa.Column("id", sa.Text, primary_key=True, comment="model.document_id(source, url)"),
    sa.Column(
        "source_id", sa.Text, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("url", sa.Text, nullable=False, comment="URL as discovered"),
    sa.Column("stage", sa.String(16), nullable=False, index=True, comment="model.Stage value"),
    sa.Column("reason", sa.Text, comment="why it was skipped or failed"),
    sa.Column(
        "attempts",
        sa.Integer,
        nullable=False,
        server_default="0",
        comment="times it was saved as failed; pending() stops retrying at a cap",
    ),
    # Where it was found (discover).
    sa.Column("found_in", sa.Text, comment="feed, sitemap or listing URL"),
    sa.Column("entry_title", sa.Text),
    sa.Column("entry_published", UTCDateTime),
    # The HTTP exchange (fetch) and its archived copy.
    sa.Column("final_url", sa.Text, comment="after redirects"),
    sa.Column("fetched_at", UTCDateTime),
    sa.Column("http_status", sa.Integer),
    sa.Column("charset", sa.Text),
    sa.Column("warc_file", sa.Text),
    sa.Column("warc_offset", sa.BigInteger),
    sa.Column("warc_record_id", sa.Text),
    # What extract read. ``blocks`` is NULL exactly when nothing was extracted.
    sa.Column("canonical_url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("text", sa.Text, comment="blocks joined by newlines, for search"),
    sa.Column("blocks", json_type(), comment="JSON list of {kind, text[, cells]}"),
    sa.Column("language", sa.Text, comment="detected language code"),
    sa.Column("declared_language", sa.Text, comment="what the page says it is"),
    sa.Column("language_confidence", sa.Float),
    sa.Column("published", UTCDateTime),
    sa.Column("published_has_time", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("section", sa.Text),
    sa.Column("byline", sa.Text),
    sa.Column("description", sa.Text),
    # Duplicate detection.
    sa.Column("content_hash", sa.Text, index=True, comment="model.content_hash(text)"),
    sa.Column(
        "duplicate_of",
        sa.Text,
        sa.ForeignKey("documents.id", ondelete="SET NULL"),
        comment="earlier document with the same text",
    ),
    sa.Column("extra", json_type(), comment="JSON list of [key, value] pairs"),
    # Bookkeeping: updated_at moves only when a stored value changes.
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    # Added by 0002: the UTC offset the page gave with its dates, so that
    # the dateline prints the date in the source's own zone.
    sa.Column("published_offset_s", sa.Integer, comment="UTC offset of published, seconds"),
    sa.Column(
        "entry_published_offset_s", sa.Integer, comment="UTC offset of entry_published, seconds"
    ),
    sa.UniqueConstraint("source_id", "url", name="uq_documents_source_url"),
    sa.Index("ix_documents_published", "published"),
)

translations = sa.Table(
    "translations",
    metadata,
    # The document's current English text; a human edit replaces the machine
    # translation (its segments then name the engine "human").
    sa.Column(
        "document_id",
        sa.Text,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("source_language", sa.Text, nullable=False),
    sa.Column("target_language", sa.Text, nullable=False),
    sa.Column("translated_at", UTCDateTime, nullable=False),
    sa.Column("segments", json_type(), nullable=False, comment="{headline, section, body}"),
)

translation_cache = sa.Table(
    "translation_cache",
    metadata,
    # One translated sentence per (engine, model, version, pair, masked text).
    sa.Column("engine", sa.Text, primary_key=True),
    sa.Column("model", sa.Text, primary_key=True),
    sa.Column("model_version", sa.Text, primary_key=True),
    sa.Column("source_lang", sa.Text, primary_key=True),
    sa.Column("target_lang", sa.Text, primary_key=True),
    sa.Column("text_sha256", sa.Text, primary_key=True, comment="of the masked sentence"),
    sa.Column("output", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

subscriptions = sa.Table(
    "subscriptions",
    metadata,
    # Saved searches (store/subscriptions.py, migration 0007).
    sa.Column("name", sa.Text, primary_key=True, comment="e.g. 'sahel-watch'; in its URLs"),
    sa.Column("query", sa.Text, nullable=False, comment="search text, the wire's syntax"),
    sa.Column("delivery", sa.Text, nullable=False, comment="atom, webhook or email"),
    sa.Column("target", sa.Text, comment="webhook URL or e-mail address"),
    sa.Column("secret", sa.Text, comment="webhook signing key"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("cursor_at", UTCDateTime, nullable=False,
              comment="first_created of the last item considered"),
    sa.Column("cursor_item", sa.Text, nullable=False, server_default="",
              comment="id of that item; ties on first_created go by id"),
    sa.Column("delivered_count", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("last_delivered_at", UTCDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("last_error_at", UTCDateTime),
    sa.Column("lease_until", UTCDateTime, comment="a delivery pass holds it until then"),
)

subscription_deliveries = sa.Table(
    "subscription_deliveries",
    metadata,
    sa.Column("subscription", sa.Text, sa.ForeignKey("subscriptions.name", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("item_id", sa.Text, primary_key=True),
    sa.Column("delivered_at", UTCDateTime, nullable=False),
)

items = sa.Table(
    "items",
    metadata,
    # The current version of each wire item: the whole Item in ``data``, and
    # the columns that lists, filters and facets read.
    sa.Column("id", sa.Text, primary_key=True, comment="compose.item_id(document_id)"),
    sa.Column("seq", sa.BigInteger, nullable=False, comment="first_created order (items.py)"),
    sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id"), nullable=False),
    sa.Column("source_id", sa.Text, sa.ForeignKey("sources.id"), nullable=False),
    sa.Column("region", sa.Text, nullable=False),
    sa.Column("original_language", sa.Text, nullable=False),
    sa.Column("section", sa.Text),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("published", UTCDateTime),
    sa.Column("dated_at", UTCDateTime, nullable=False, comment="published, else first_created"),
    sa.Column("first_created", UTCDateTime, nullable=False),
    sa.Column("version_created", UTCDateTime, nullable=False),
    sa.Column("data", json_type(), nullable=False, comment="the whole Item, dates with offsets"),
    sa.UniqueConstraint("document_id", name="uq_items_document_id"),
    # seq is unique. The index that says so also holds every column a facet
    # count or a filter reads, so counting the matches of a search never reads
    # the wide ``data`` rows; with a second, narrower unique index on seq
    # SQLite would pick that one and read every row.
    sa.Index(
        "ix_items_seq",
        "seq", "region", "source_id", "original_language", "section", "dated_at",
        unique=True,
    ),
    # Region first, then the facet columns: SQLite groups the facet counts of
    # an unfiltered list by walking this (narrow) index in region order.
    sa.Index(
        "ix_items_region_seq",
        "region", "seq", "source_id", "original_language", "section", "dated_at",
    ),
    sa.Index("ix_items_source_seq", "source_id", "seq"),
    sa.Index("ix_items_language_seq", "original_language", "seq"),
    sa.Index("ix_items_section_seq", "section", "seq"),
    sa.Index("ix_items_dated_at", "dated_at"),
    # seq -> document without reading the wide row (enrichment facets, 0008).
    sa.Index("ix_items_seq_document", "seq", "document_id"),
)

item_versions = sa.Table(
    "item_versions",
    metadata,
    # Every version ever published, as it was first published.
    sa.Column(
        "item_id", sa.Text, sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("version_created", UTCDateTime, nullable=False),
    sa.Column("data", json_type(), nullable=False, comment="the whole Item of this version"),
)

item_facet_counts = sa.Table(
    "item_facet_counts",
    metadata,
    # Items per combination of facet values, kept by every save: the facets
    # of a list without text or dates come from here, not from a count of
    # every item (about a second at a million items).
    sa.Column("region", sa.Text, primary_key=True),
    sa.Column("source_id", sa.Text, primary_key=True),
    sa.Column("original_language", sa.Text, primary_key=True),
    sa.Column("section", sa.Text, primary_key=True, comment="'' for no section"),
    sa.Column("item_count", sa.BigInteger, nullable=False),
)

# What the enrich stage found in a document (migration 0005; see
# store/enrichment.py). Keyed by the document, not the item: a document is
# enriched before its item exists, and the item is found through
# ``items.document_id``. A reprocess replaces a document's rows wholesale.
def _enriched_document() -> sa.Column[str]:
    return sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"),
                     primary_key=True)


document_enrichment = sa.Table(
    "document_enrichment",
    metadata,
    _enriched_document(),
    sa.Column("input_key", sa.Text, nullable=False,
              comment="what was enriched: content hash and translation time"),
    sa.Column("enriched_at", UTCDateTime, nullable=False),
    sa.Column("error", sa.Text, comment="why the stage failed on it; NULL when it did not"),
)

document_places = sa.Table(
    "document_places",
    metadata,
    _enriched_document(),
    sa.Column("place_key", sa.Text, primary_key=True, comment="'country:FR', 'city:524901'"),
    sa.Column("rank", sa.Integer, nullable=False, comment="0 = most mentioned"),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("country_code", sa.Text, nullable=False, comment="ISO 3166-1 alpha-2"),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("mentions", json_type(), nullable=False,
              comment="JSON list of [side, block, start, end, surface]"),
    sa.Index("ix_document_places_country", "country_code", "document_id"),
)

document_entities = sa.Table(
    "document_entities",
    metadata,
    _enriched_document(),
    sa.Column("entity_key", sa.Text, primary_key=True, comment="'org:wfp', 'person:…'"),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("kind", sa.Text, nullable=False, comment="person, organisation or event"),
    sa.Column("name", sa.Text, nullable=False, comment="canonical name"),
    sa.Column("mentions", json_type(), nullable=False),
    sa.Index("ix_document_entities_key", "entity_key", "document_id"),
)

document_topics = sa.Table(
    "document_topics",
    metadata,
    _enriched_document(),
    sa.Column("code", sa.Text, primary_key=True, comment="IPTC Media Topic, 'medtop:11000000'"),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Index("ix_document_topics_code", "code", "document_id"),
)

document_quotes = sa.Table(
    "document_quotes",
    metadata,
    _enriched_document(),
    sa.Column("position", sa.Integer, primary_key=True, comment="order in the document"),
    sa.Column("text", sa.Text, nullable=False, comment="the quoted words in the original"),
    sa.Column("english", sa.Text, comment="the quoted words in the translation"),
    sa.Column("original_sentence", sa.Integer, nullable=False,
              comment="index of the original body sentence"),
    sa.Column("sentence", sa.Text, nullable=False, comment="that sentence's text"),
    sa.Column("block", sa.Integer, nullable=False),
    sa.Column("speaker", sa.Text),
    sa.Column("speaker_key", sa.Text, comment="entity_key of the speaker, when one"),
)

stories = sa.Table(
    "stories",
    metadata,
    # Items about one event across languages and sources (migration 0006;
    # see store/stories.py). The counts are kept by every assignment, so the
    # wire can show "+N sources" without counting the members of each story.
    sa.Column("id", sa.Text, primary_key=True, comment="document id of its first member"),
    sa.Column("first_seen_at", UTCDateTime, nullable=False,
              comment="earliest member's time on the wire (published, else composed)"),
    sa.Column("last_seen_at", UTCDateTime, nullable=False),
    sa.Column("member_count", sa.Integer, nullable=False),
    sa.Column("source_count", sa.Integer, nullable=False),
    sa.Column("language_count", sa.Integer, nullable=False),
    sa.Column("language_counts", json_type(), nullable=False, comment="JSON {language: items}"),
    sa.Column("source_counts", json_type(), nullable=False, comment="JSON {source id: items}"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Index("ix_stories_last_seen_at", "last_seen_at"),
)

story_members = sa.Table(
    "story_members",
    metadata,
    # One row per item: every item is in exactly one story, for good.
    sa.Column(
        "document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "story_id", sa.Text, sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("item_id", sa.Text, nullable=False),
    sa.Column("source_id", sa.Text, nullable=False),
    sa.Column("language", sa.Text, nullable=False, comment="original language"),
    sa.Column("seen_at", UTCDateTime, nullable=False,
              comment="the item's time on the wire: published, never after composed"),
    sa.Column("score", sa.Float, comment="score with the member it joined; NULL: the first"),
    sa.Column("keys", json_type(), nullable=False,
              comment="JSON list of place and entity keys it was grouped by"),
    sa.Column("places", json_type(), nullable=False,
              comment="JSON list of [key, name, country code, latitude, longitude]"),
    sa.Column("joined_at", UTCDateTime, nullable=False),
    sa.Index("ix_story_members_story_seen", "story_id", "seen_at"),
    sa.Index("ix_story_members_seen_at", "seen_at"),
)

#: The full-text indexes: FTS5 tables on SQLite, tsvector tables on
#: PostgreSQL. Each exists on one backend only, so it is made with raw DDL in
#: migrations 0002 (items, written by ``searchindex.py``) and 0004 (documents,
#: written by ``documentsearch.py``) and compared by nobody.
SEARCH_INDEX_TABLES = ("items_fts", "items_search", "documents_fts", "documents_search")


def in_compared_schema(name: str | None, type_: str, _parent_names: object) -> bool:
    """``include_name`` for alembic's compare_metadata: everything but the
    search index (FTS5 adds shadow tables named ``items_fts_*``)."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_INDEX_TABLES))


#: Columns whose values depend on when a run happened, not on what it found;
#: ``Store.dump()`` leaves them out so two runs over the same sources compare
#: equal however they were interrupted and resumed.
VOLATILE_COLUMNS: dict[str, frozenset[str]] = {
    "sources": frozenset({"checked_at", "last_success_at", "last_error_at", "next_due_at"}),
    # status: 200 on a first poll, 304 on the next one with the same content.
    "fetch_state": frozenset({"status", "last_success_at", "last_fetched_at", "next_due_at"}),
    # The WARC pointer names the archive file and record of *this* fetch; a
    # re-fetch after a crash archives the same page under a new record.
    "documents": frozenset(
        {"attempts", "fetched_at", "created_at", "updated_at"}
        | {"warc_file", "warc_offset", "warc_record_id"}
    ),
    # ``cached`` in the segments says whether this run found them in the cache.
    "translations": frozenset({"translated_at", "segments"}),
    "translation_cache": frozenset({"created_at"}),
    # An item's times (and ``seq``, made from them) are when a run composed
    # it; ``data`` holds them too. The remaining columns say what was published.
    "items": frozenset({"seq", "dated_at", "first_created", "version_created", "data"}),
    "item_versions": frozenset({"version_created", "data"}),
    # When a run assigned them, and the item times they are made of (an
    # undated item's time is when it was composed); who is in which story
    # follows from the items.
    "stories": frozenset({"first_seen_at", "last_seen_at", "created_at", "updated_at"}),
    "story_members": frozenset({"seen_at", "joined_at"}),
    "document_enrichment": frozenset({"enriched_at"}),
}
