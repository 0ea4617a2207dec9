"""The WARC archive: exact round trips, every response archived, pointers in Fetched."""

from __future__ import annotations

import gzip
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from babelwire.errors import FetchError, HTTPStatusError
from babelwire.fetch import Archive

HEADERS = (
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Encoding", "gzip"),
    ("Transfer-Encoding", "chunked"),
    ("Set-Cookie", "a=1"),
    ("Set-Cookie", "b=2"),
)


def _write(archive: Archive, url: str, body: bytes, status: int = 200) -> tuple[str, int, str]:
    return archive.write(
        url=url,
        status=status,
        headers=HEADERS,
        body=body,
        request_headers=(("Host", "site.test"), ("User-Agent", "babelwire/0.1")),
        fetched_at=datetime(2025, 12, 12, 9, 30, 1, 123456, tzinfo=UTC),
    )


def test_round_trip_read_and_records(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    bodies = [b"<p>one</p>", "<p>два</p>".encode(), b"", bytes(range(256))]
    pointers = [_write(archive, f"http://site.test/{n}?q=1", b) for n, b in enumerate(bodies)]
    # Flushed after each record: readable while the archive is still open.
    for (warc_file, offset, record_id), body in zip(pointers, bodies, strict=True):
        record = archive.read(warc_file, offset)
        assert record.body == body and record.record_id == record_id
        assert record.headers == HEADERS
        assert record.status == 200
        assert record.fetched_at == datetime(2025, 12, 12, 9, 30, 1, 123456, tzinfo=UTC)
    listed = list(archive.records())
    assert [r.body for r in listed] == bodies
    assert [(r.warc_file, r.offset, r.record_id) for r in listed] == pointers
    assert listed[1].url == "http://site.test/1?q=1"
    archive.close()


def test_one_file_per_archive_named_by_time_and_pid(tmp_path: Path) -> None:
    first, second = Archive(tmp_path), Archive(tmp_path)
    name_1 = _write(first, "http://a.test/", b"1")[0]
    name_2 = _write(second, "http://a.test/", b"2")[0]
    assert name_1 != name_2
    assert re.fullmatch(rf"\d{{8}}T\d{{6}}Z-{os.getpid()}\.warc\.gz", name_1)
    assert _write(first, "http://a.test/", b"3")[0] == name_1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name_1, name_2])
    assert sorted(r.body for r in Archive(tmp_path).records()) == [b"1", b"2", b"3"]


def test_stored_headers_describe_the_stored_payload(tmp_path: Path) -> None:
    """Other WARC tools must not try to gunzip a body we stored decoded."""
    archive = Archive(tmp_path)
    warc_file, _, _ = _write(archive, "http://site.test/", b"plain text")
    with (tmp_path / warc_file).open("rb") as stream:
        records = list(ArchiveIterator(stream))
    kinds = [r.rec_type for r in records]
    assert kinds == ["response", "request"]
    with gzip.open(tmp_path / warc_file) as raw:
        text = raw.read().decode()
    assert "\r\nContent-Encoding:" not in text and "X-Babelwire-Orig-Content-Encoding: gzip" in text
    assert "WARC-Concurrent-To:" in text


def test_read_refuses_paths_outside_the_directory(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    with pytest.raises(FetchError, match="outside"):
        archive.read("../secrets.warc.gz", 0)
    with pytest.raises(FetchError, match="cannot read WARC record"):
        archive.read("missing.warc.gz", 0)


def test_fetcher_archives_every_response(server: Any, make_fetcher: Any, tmp_path: Path) -> None:
    server.route("/robots.txt", 404, b"none")
    server.route("/old", 301, b"", {"Location": "/new"})
    server.route("/new", 200, b"<p>new</p>", {"Content-Type": "text/html"})
    server.route("/same", 304, b"", {"ETag": '"e"'})
    server.route("/missing", 404, b"no such page")
    archive = Archive(tmp_path)
    fetcher = make_fetcher(archive=archive)
    page = fetcher.get("http://site.test/old")
    same = fetcher.get("http://site.test/same", etag='"e"')
    with pytest.raises(HTTPStatusError):
        fetcher.get("http://site.test/missing")
    records = list(archive.records())
    assert [(r.url.rsplit("/", 1)[1], r.status) for r in records] == [
        ("robots.txt", 404),
        ("old", 301),
        ("new", 200),
        ("same", 304),
        ("missing", 404),
    ]
    assert page.warc_file is not None and page.warc_offset is not None
    stored = archive.read(page.warc_file, page.warc_offset)
    assert stored.body == page.body and stored.record_id == page.warc_record_id
    assert stored.url == "http://site.test/new" and stored.fetched_at == page.fetched_at
    assert same.not_modified and same.warc_record_id == records[3].record_id
    assert records[4].body == b"no such page"


def test_archived_body_is_the_decoded_body(server: Any, make_fetcher: Any, tmp_path: Path) -> None:
    text = b"<p>" + b"compressed " * 500 + b"</p>"
    server.route("/gz", 200, gzip.compress(text), {"Content-Encoding": "gzip"})
    archive = Archive(tmp_path)
    fetched = make_fetcher(archive=archive).get("http://site.test/gz", check_robots=False)
    assert fetched.warc_file is not None and fetched.warc_offset is not None
    stored = archive.read(fetched.warc_file, fetched.warc_offset)
    assert stored.body == text
    assert ("Content-Encoding", "gzip") in stored.headers
