"""One thread at a time parses and walks lxml trees, whatever the runner's threads.

Concurrent extraction with lxml 6 and trafilatura 2 can corrupt the C heap,
so the stages that parse take one lock (``babelwire.libxml.TREE_LOCK``). Each
test counts the threads inside a stage at once, with a pause inside that
would let them overlap without the lock.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest

from babelwire.discover import dispatch
from babelwire.extract import body, core, dates
from babelwire.model import Fetched, Listing, Source, SourceURL

THREADS = 6
PAGE = ("<html><head><title>Decree</title></head><body><article><h1>Decree</h1>"
        + "<p>The ministry published the decree on the budget today.</p>" * 8
        + "</article></body></html>")
RSS = ('<rss version="2.0"><channel><title>t</title><item><title>A</title>'
       "<link>http://bank.test/a</link></item></channel></rss>")
SOURCE = Source(id="bank", name="Bank", desk="Bank", region="Argentina", languages=("en",))


class Inside:
    """How many threads are inside the wrapped function at once, at most."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0
        self.most = 0

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.now += 1
                self.most = max(self.most, self.now)
            try:
                time.sleep(0.05)  # room for another thread to come in
                return function(*args, **kwargs)
            finally:
                with self._lock:
                    self.now -= 1
        return counted


@contextmanager
def counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> Iterator[Inside]:
    inside = Inside()
    monkeypatch.setattr(module, name, inside.wrap(getattr(module, name)))
    yield inside


def on_threads(work: Callable[[], object]) -> list[object]:
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return [f.result() for f in [pool.submit(work) for _ in range(THREADS * 2)]]


def fetched(body: bytes, url: str = "http://bank.test/rss.xml") -> Fetched:
    return Fetched(url=url, final_url=url, status=200, headers=(), body=body,
                   fetched_at=datetime(2025, 12, 12, tzinfo=UTC),
                   content_type="application/rss+xml", charset="utf-8")


def test_trafilatura_and_htmldate_run_one_thread_at_a_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    inside = Inside()
    monkeypatch.setattr(body, "bare_extraction", inside.wrap(body.bare_extraction))
    monkeypatch.setattr(dates, "find_date", inside.wrap(dates.find_date))
    results = on_threads(lambda: core.extract(PAGE, url="http://bank.test/a"))
    assert inside.most == 1
    assert {r.title for r in results} == {"Decree"}  # type: ignore[attr-defined]


@pytest.mark.parametrize("body", [RSS.encode(), gzip.compress(RSS.encode())],
                         ids=["small body", "gzipped body, on the large-body thread"])
def test_feeds_are_read_one_thread_at_a_time(monkeypatch: pytest.MonkeyPatch,
                                             body: bytes) -> None:
    where = SourceURL("http://bank.test/rss.xml", "feed")
    with counting(monkeypatch, dispatch, "_read_xml") as inside:
        results = on_threads(lambda: dispatch.discover(fetched(body), SOURCE, where))
    assert inside.most == 1
    assert {tuple(e.url for e in r.entries) for r in results} == {  # type: ignore[attr-defined]
        ("http://bank.test/a",)}


def test_trafilatura_and_listings_never_overlap(monkeypatch: pytest.MonkeyPatch) -> None:
    listing = Listing(url="http://bank.test/press/", link_selector="ul.press a")
    where = SourceURL(listing.url, "listing", listing)
    page = fetched(b'<ul class="press"><li><a href="/c">C</a></li></ul>', listing.url)
    inside = Inside()
    monkeypatch.setattr(body, "bare_extraction", inside.wrap(body.bare_extraction))
    monkeypatch.setattr(dispatch, "discover_listing", inside.wrap(dispatch.discover_listing))
    turns = [lambda: core.extract(PAGE, url="http://bank.test/a"),
             lambda: dispatch.discover(page, SOURCE, where)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(turns[i % 2]) for i in range(THREADS * 2)]
        for future in futures:
            future.result()
    assert inside.most == 1
