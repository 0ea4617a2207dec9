"""The stage sequence for one source and for one document: the one place
where the stages are composed.

Each function here takes records and resources and returns records; none of
them touches the database. The runners (``runner.py`` in-process, workers on a
distributed engine later, see ``tasks.py``) call these functions, store what
they return, and decide what runs where. Because a document's identity is
fixed at discovery and every write is an upsert, any function here may be
re-run after a crash or a retry without losing or duplicating anything.

::

    poll_source ─▶ Entry* ──(store: discovered)
    carry_document: fetch_document ─▶ Document(fetched, WARC pointer) ──(store)
                    extract_document ─▶ Document(extracted | skipped) ──(store)
    translation_request ─▶ (translator, in batches) ─▶ Translation ──(store)
    enrich_document ─▶ Enrichment ──(store; a failure is recorded, never fatal)
    compose_document ─▶ Item ──(store) ─▶ Document(published)

Any exception a stage raises stops only the one address or document it was
working on: the record says which stage, the exception's type and its first
line (``extract: OverflowError: date value out of range``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from babelwire.compose import ComposeSettings, compose_item
from babelwire.discover import DEFAULT_MAX_DECOMPRESSED_BYTES, discover
from babelwire.enrich import Enrichment, EnrichTables
from babelwire.enrich import enrich_document as find_enrichment
from babelwire.errors import (
    BabelwireError,
    BlockedAddress,
    Drop,
    HTTPStatusError,
    RobotsDisallowed,
)
from babelwire.extract import extract_fetched
from babelwire.fetch import Archive, Fetcher, fetched_from_archive
from babelwire.model import (
    Document,
    Entry,
    Fetched,
    FetchState,
    Item,
    Source,
    Stage,
    Translation,
    content_hash,
)
from babelwire.run import frontier
from babelwire.translate.translator import DocumentRequest

#: Statuses that say the page is not there and will not come back; anything
#: else (403, 5xx, timeouts) may pass, so those documents are retried.
GONE_STATUSES = frozenset({404, 410, 451})

#: Longest reason stored for an unexpected exception: one line, not a dump.
MAX_REASON_CHARS = 300


def failure_reason(stage: str, exc: BaseException) -> str:
    """One line naming the stage, the exception's type and what it said.

    Our own errors already start with their stage and say what and where.
    """
    if isinstance(exc, BabelwireError):
        return str(exc)
    lines = str(exc).strip().splitlines()
    said = f": {lines[0][:MAX_REASON_CHARS]}" if lines else ""
    return f"{stage}: {type(exc).__name__}{said}"


# -- one source ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of one source produced: entries, URL states, errors."""

    source_id: str
    entries: tuple[Entry, ...]
    states: tuple[FetchState, ...]
    errors: tuple[str, ...]
    #: Feeds, sitemaps and listings read (including 304 answers).
    read: int
    #: Addresses the cap on fetches per poll left for the next poll.
    left: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """A poll succeeds when at least one of the source's URLs could be read."""
        return self.read > 0


def poll_source(
    source: Source,
    fetcher: Fetcher,
    states: Callable[[str], FetchState | None],
    *,
    now: Callable[[], datetime],
    max_entries: int,
    failure_backoff_max_s: int,
    max_fetches: int,
    queued: Iterable[str] = (),
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES,
) -> PollResult:
    """Fetch a source's feeds, sitemaps and listing pages and list their entries.

    ``states`` gives what we remember of each URL (ETag, Last-Modified), so
    unchanged feeds answer 304 and cost nothing; ``queued`` are the addresses
    an earlier poll left (see ``frontier``).
    """
    entries: dict[str, Entry] = {}
    new_states: list[FetchState] = []
    errors: list[str] = []
    read = 0
    started = now()
    walk = frontier.Frontier.start(
        source, queued, max_fetches=max_fetches,
        recently_read=frontier.read_since(states, started - frontier.recent_window(source)),
    )
    while (step := walk.next()) is not None:
        where, depth = step
        previous = states(where.url)
        stage = "fetch"
        try:
            fetched = fetcher.get(
                where.url,
                etag=previous.etag if previous else None,
                last_modified=previous.last_modified if previous else None,
            )
            stage = "discover"
            found = None if fetched.not_modified else discover(
                fetched, source, where, max_entries=max_entries,
                max_decompressed_bytes=max_decompressed_bytes)
        except Exception as exc:  # a FetchError, or anything a hostile answer provokes
            reason = failure_reason(stage, exc)
            errors.append(reason)
            new_states.append(frontier.failed_state(where.url, source, previous, reason,
                                                    now(), failure_backoff_max_s))
            continue
        read += 1
        new_states.append(frontier.ok_state(where.url, source, fetched, now()))
        if found is None:
            continue
        if found.error:
            errors.append(found.error)
        for entry in found.entries:
            entries.setdefault(entry.url, entry)
        walk.add_children(found.sitemaps, depth + 1)
    left = walk.left()
    new_states += [frontier.queued_state(url, source, states(url), started) for url in left]
    return PollResult(source.id, tuple(entries.values()), tuple(new_states), tuple(errors),
                      read, left)


# -- one document --------------------------------------------------------------


def carry_document(doc: Document, source: Source, fetcher: Fetcher,
                   archive: Archive) -> list[Document]:
    """Fetch and extract one document; return each state to store, in order.

    Touches no database, so it may run on any thread: the caller writes the
    returned states in order. Whatever a stage raises ends as the last state
    (skipped or failed, with the reason).
    """
    states: list[Document] = []
    stage = "fetch"
    try:
        if doc.stage == Stage.FETCHED and doc.warc_file and doc.warc_offset is not None:
            # Fetched before a crash: the archive has the page, don't ask again.
            fetched = fetched_from_archive(archive, doc.warc_file, doc.warc_offset)
            current = doc
        else:
            current, fetched = fetch_document(doc, fetcher)
            states.append(current)
        stage = "extract"
        states.append(extract_document(current, fetched, source))
    except Exception as exc:  # one broken page must not stop the run
        states.append(stopped(states[-1] if states else doc, exc, stage=stage))
    return states


def fetch_document(doc: Document, fetcher: Fetcher) -> tuple[Document, Fetched]:
    """Fetch an article page; the returned document points at its WARC record.

    Raises ``Drop`` when robots.txt forbids the page (final), ``FetchError``
    for anything a later run may retry.
    """
    try:
        fetched = fetcher.get(doc.url)
    except RobotsDisallowed as exc:
        if exc.retryable:  # robots.txt itself was unreachable: try again later
            raise
        raise Drop(f"disallowed by robots.txt: {doc.url}", stage="fetch") from exc
    except BlockedAddress as exc:
        # Final: the link leads to an address we never connect to.
        raise Drop(str(exc).removeprefix("fetch: "), stage="fetch") from exc
    except HTTPStatusError as exc:
        if exc.status in GONE_STATUSES:
            raise Drop(f"gone: HTTP {exc.status} for {doc.url}", stage="fetch") from exc
        raise
    fetched_doc = replace(
        doc,
        stage=Stage.FETCHED,
        reason=None,
        fetched_at=fetched.fetched_at,
        http_status=fetched.status,
        final_url=fetched.final_url,
        charset=fetched.charset,
        warc_file=fetched.warc_file,
        warc_offset=fetched.warc_offset,
        warc_record_id=fetched.warc_record_id,
    )
    return fetched_doc, fetched


def extract_document(doc: Document, fetched: Fetched, source: Source) -> Document:
    """Turn a fetched page into text and metadata; raises Drop for non-articles."""
    content_type = (fetched.content_type or "").lower()
    if content_type and "html" not in content_type and "xml" not in content_type:
        raise Drop(f"not an article: content type {content_type}", stage="extract")
    extracted = extract_fetched(fetched, source_languages=source.languages)
    if not extracted.blocks:
        raise Drop("not an article: no main text found", stage="extract")
    return replace(
        doc,
        stage=Stage.EXTRACTED,
        reason=None,
        extracted=extracted,
        content_hash=content_hash(extracted.text),
    )


def translation_request(doc: Document, source: Source) -> DocumentRequest:
    """What the translator needs of an extracted document."""
    assert doc.extracted is not None
    ex = doc.extracted
    return DocumentRequest(
        document_id=doc.id,
        blocks=ex.blocks,
        headline=ex.title or doc.entry_title,
        section=ex.section,
        source_lang=ex.language or (source.languages[0] if source.languages else "und"),
        glossary=source.glossary,
    )


def enrich_document(doc: Document, translation: Translation | None,
                    tables: EnrichTables) -> Enrichment:
    """Places, people, organisations, topics and quotes of a document, read in
    its original and its English translation."""
    return find_enrichment(doc, translation, tables)


def enrichment_key(doc: Document, translation: Translation | None) -> str:
    """What an enrichment was made from: the original's content hash and a
    hash of the English text.

    Stored with the enrichment, so the same document is not enriched twice
    from the same texts, and a new extraction or a changed translation is
    enriched again. It holds no time, so two runs over the same pages store
    the same rows.
    """
    english = "-"
    if translation is not None:
        parts = [translation.headline.text if translation.headline else "",
                 *(segment.text for segment in translation.body)]
        english = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return f"{doc.content_hash or '-'} {english}"


def compose_document(doc: Document, source: Source, translation: Translation, *,
                     settings: ComposeSettings, now: datetime, previous: Item | None) -> Item:
    """The wire item of a translated document; raises Drop when it may not be published."""
    return compose_item(doc, source, translation, settings=settings, now=now,
                        previous=previous)


def stopped(doc: Document, exc: BaseException, *, stage: str = "pipeline") -> Document:
    """The document as it is stored when ``stage`` stops it with ``exc``."""
    if isinstance(exc, Drop):
        return replace(doc, stage=Stage.SKIPPED, reason=str(exc))
    return replace(doc, stage=Stage.FAILED, reason=failure_reason(stage, exc))
