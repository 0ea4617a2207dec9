"""The one place where the stages are composed.

Each function here takes records and resources and returns records; none of
them touches the database. The runners (``runner.py`` in-process, workers on a
distributed engine) call these functions, store what they return, and decide
what runs where. Because a document's identity is fixed at discovery and every
write is an upsert, any function here may be re-run after a crash or a retry
without losing or duplicating anything.

::

    poll_source ─▶ Entry* ──(store: discovered)
    fetch_document ─▶ Document(fetched, WARC pointer) ──(store)
    extract_document ─▶ Document(extracted | skipped) ──(store)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from babelwire.discover import discover
from babelwire.errors import (
    BabelwireError,
    BlockedAddress,
    Drop,
    FetchError,
    HTTPStatusError,
    RobotsDisallowed,
)
from babelwire.extract import extract_fetched
from babelwire.fetch import Fetcher
from babelwire.model import (
    Document,
    Entry,
    Fetched,
    FetchState,
    Source,
    SourceURL,
    Stage,
    content_hash,
    source_urls,
)

#: Sitemap indexes may nest; real sites rarely go deeper than two levels, and
#: a cap stops a hostile index from sending us round in circles.
MAX_SITEMAP_DEPTH = 2

#: Statuses that say the page is not there and will not come back; anything
#: else (403, 5xx, timeouts) may pass, so those documents are retried.
GONE_STATUSES = frozenset({404, 410, 451})


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of one source produced: entries, URL states, errors."""

    source_id: str
    entries: tuple[Entry, ...]
    states: tuple[FetchState, ...]
    errors: tuple[str, ...]
    #: Feeds, sitemaps and listings read (including 304 answers).
    read: int

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
) -> PollResult:
    """Fetch a source's feeds, sitemaps and listing pages and list their entries.

    ``states`` gives what we remember of each URL (ETag, Last-Modified), so
    unchanged feeds answer 304 and cost nothing.
    """
    entries: dict[str, Entry] = {}
    new_states: list[FetchState] = []
    errors: list[str] = []
    read = 0
    # Sitemap indexes add their children to the queue, one level deeper.
    queue = [(where, 0) for where in source_urls(source)]
    seen: set[str] = set()
    while queue:
        where, depth = queue.pop(0)
        if where.url in seen:
            continue
        seen.add(where.url)
        previous = states(where.url)
        try:
            fetched = fetcher.get(
                where.url,
                etag=previous.etag if previous else None,
                last_modified=previous.last_modified if previous else None,
            )
        except FetchError as exc:
            errors.append(str(exc))
            new_states.append(_failed_state(where.url, source, previous, str(exc), now(),
                                            failure_backoff_max_s))
            continue
        read += 1
        new_states.append(_ok_state(where.url, source, fetched, now()))
        if fetched.not_modified:
            continue
        found = discover(fetched, source, where, max_entries=max_entries)
        if found.error:
            errors.append(found.error)
        for entry in found.entries:
            entries.setdefault(entry.url, entry)
        if depth < MAX_SITEMAP_DEPTH:
            queue.extend((SourceURL(child, "sitemap"), depth + 1) for child in found.sitemaps)
    return PollResult(source.id, tuple(entries.values()), tuple(new_states), tuple(errors), read)


def _ok_state(url: str, source: Source, fetched: Fetched, at: datetime) -> FetchState:
    return FetchState(
        url=url,
        source_id=source.id,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        status=fetched.status,
        consecutive_failures=0,
        last_success_at=at,
        last_error=None,
        last_fetched_at=at,
        next_due_at=at + timedelta(seconds=source.poll_interval_s),
    )


def _failed_state(
    url: str,
    source: Source,
    previous: FetchState | None,
    error: str,
    at: datetime,
    backoff_max_s: int,
) -> FetchState:
    failures = (previous.consecutive_failures if previous else 0) + 1
    return FetchState(
        url=url,
        source_id=source.id,
        etag=previous.etag if previous else None,
        last_modified=previous.last_modified if previous else None,
        status=previous.status if previous else None,
        consecutive_failures=failures,
        last_success_at=previous.last_success_at if previous else None,
        last_error=error,
        last_fetched_at=at,
        next_due_at=at + timedelta(seconds=failure_backoff_s(source, failures, backoff_max_s)),
    )


def failure_backoff_s(source: Source, failures: int, backoff_max_s: int) -> int:
    """Wait longer after each consecutive failure, up to a ceiling.

    Doubling from the poll interval keeps a broken source from being hammered
    while still noticing within a day when it comes back.
    """
    return min(source.poll_interval_s * 2 ** min(failures - 1, 16), backoff_max_s)


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


def stopped(doc: Document, exc: BaseException) -> Document:
    """The document as it is stored when a stage stops it."""
    if isinstance(exc, Drop):
        return replace(doc, stage=Stage.SKIPPED, reason=str(exc))
    if isinstance(exc, BabelwireError):
        # Our own errors already say stage, what and where.
        return replace(doc, stage=Stage.FAILED, reason=str(exc))
    return replace(doc, stage=Stage.FAILED, reason=f"pipeline: {type(exc).__name__}: {exc}")
