"""The WARC archive of every raw response, so any item can be rebuilt.

One file per :class:`Archive` (one per run), named
``<UTC timestamp>-<pid>.warc.gz``; every exchange is a ``response`` record
followed by its ``request`` record, each a separate gzip member, flushed as
soon as it is written, so a crash loses at most the record being written.

The stored body is the body after Content-Encoding was undone (that is what
the size caps let through). Headers that described the wire form
(Content-Encoding, Transfer-Encoding, Content-Length) would now lie about
the payload and mislead WARC replay tools, so they are stored under an
``X-Babelwire-Orig-`` prefix and given back under their own names on read.
"""

from __future__ import annotations

import http
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.warcwriter import WARCWriter

from babelwire.errors import FetchError
from babelwire.model import Fetched

_RENAMED = ("content-encoding", "transfer-encoding", "content-length")
_PREFIX = "X-Babelwire-Orig-"


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One archived response, exactly as it was written."""

    url: str
    status: int
    #: Response headers with their original names and case, in order.
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: datetime
    record_id: str
    warc_file: str
    offset: int


class Archive:
    """Writes and reads WARC records under ``directory``; safe across threads."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._file: BinaryIO | None = None
        self._name: str | None = None

    def write(
        self,
        *,
        url: str,
        status: int,
        headers: Sequence[tuple[str, str]],
        body: bytes,
        request_headers: Sequence[tuple[str, str]],
        fetched_at: datetime,
    ) -> tuple[str, int, str]:
        """Archive one exchange; return ``(warc_file, offset, record_id)`` of the response."""
        date = datetime_to_iso_date(
            fetched_at.astimezone(UTC).replace(tzinfo=None), use_micros=True
        )
        stored = [(_PREFIX + k if k.lower() in _RENAMED else k, v) for k, v in headers]
        with self._lock:
            out, name = self._open()
            writer = WARCWriter(out, gzip=True, warc_version="1.1")
            response = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                length=len(body),
                warc_headers_dict={"WARC-Date": date},
                http_headers=StatusAndHeaders(_status_line(status), stored, protocol="HTTP/1.1"),
            )
            record_id = response.rec_headers.get_header("WARC-Record-ID")
            request = writer.create_warc_record(
                url,
                "request",
                warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id},
                http_headers=StatusAndHeaders(
                    f"GET {_target(url)} HTTP/1.1", list(request_headers), is_http_request=True
                ),
            )
            offset = out.tell()
            try:
                writer.write_record(response)  # the gzip wrapper flushes the file after each
                writer.write_record(request)
            except OSError as exc:
                raise FetchError(
                    f"fetch: cannot archive {url} in {self.directory / name}: {exc}", url=url
                ) from None
        return name, offset, record_id

    def read(self, warc_file: str, offset: int) -> RawRecord:
        """The response record written at ``offset`` of ``warc_file``."""
        path = self._path(warc_file)
        try:
            with path.open("rb") as stream:
                stream.seek(offset)
                for record in ArchiveIterator(stream):
                    return _raw_record(record, warc_file, offset)
        except (OSError, ArchiveLoadFailed) as exc:
            raise FetchError(
                f"fetch: cannot read WARC record {warc_file}@{offset}: {exc}"
            ) from None
        raise FetchError(f"fetch: no WARC record at {warc_file}@{offset}")

    def records(self) -> Iterator[RawRecord]:
        """Every response record in every WARC file of the directory, oldest file first."""
        for path in sorted(self.directory.glob("*.warc.gz")):
            try:
                with path.open("rb") as stream:
                    iterator = ArchiveIterator(stream)
                    for record in iterator:
                        if record.rec_type == "response":
                            raw = _raw_record(record, path.name, offset=-1)
                            # Asking for the offset reads the record to its end,
                            # so it comes after the body was read.
                            yield replace(raw, offset=iterator.get_record_offset())
            except ArchiveLoadFailed as exc:
                raise FetchError(f"fetch: cannot read WARC file {path}: {exc}") from None

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def _open(self) -> tuple[BinaryIO, str]:
        if self._file is not None and self._name is not None:
            return self._file, self._name
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FetchError(
                f"fetch: cannot create WARC directory {self.directory}: {exc}"
            ) from None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        for attempt in range(1000):
            suffix = f"-{attempt}" if attempt else ""
            name = f"{stamp}-{os.getpid()}{suffix}.warc.gz"
            try:
                # Exclusive create: two archives in one second and one process
                # must not interleave their records in one file.
                self._file = (self.directory / name).open("xb")
            except FileExistsError:
                continue
            self._name = name
            return self._file, name
        raise FetchError(f"fetch: cannot create a new WARC file in {self.directory}")

    def _path(self, warc_file: str) -> Path:
        path = (self.directory / warc_file).resolve()
        if path.parent != self.directory.resolve():
            raise FetchError(f"fetch: WARC file {warc_file!r} is outside {self.directory}")
        return path


def _status_line(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _raw_record(record: ArcWarcRecord, warc_file: str, offset: int) -> RawRecord:
    http_headers = record.http_headers
    headers = tuple(
        (name[len(_PREFIX) :] if name.startswith(_PREFIX) else name, value)
        for name, value in http_headers.headers
    )
    date = record.rec_headers.get_header("WARC-Date")
    return RawRecord(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        status=int(http_headers.get_statuscode()),
        headers=headers,
        body=record.raw_stream.read(),
        fetched_at=iso_date_to_datetime(date, tz_aware=True),
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        warc_file=warc_file,
        offset=offset,
    )


def fetched_from_archive(archive: Archive, warc_file: str, offset: int) -> Fetched:
    """Rebuild the ``Fetched`` record of an archived response, without the network.

    The charset is decided again from the archived bytes and headers, the
    same way ``Fetcher`` decided it when the page was fetched.
    """
    from babelwire.fetch.charset import decide_charset

    record = archive.read(warc_file, offset)
    headers = tuple((k.lower(), v) for k, v in record.headers)
    content_type = next((v for k, v in headers if k == "content-type"), "")
    charset, charset_source = decide_charset(record.body, content_type) if record.body else (
        None, None)
    return Fetched(
        url=record.url,
        final_url=record.url,
        status=record.status,
        headers=headers,
        body=record.body,
        fetched_at=record.fetched_at,
        content_type=content_type,
        charset=charset,
        charset_source=charset_source,
        etag=next((v for k, v in headers if k == "etag"), None),
        last_modified=next((v for k, v in headers if k == "last-modified"), None),
        warc_file=record.warc_file,
        warc_offset=record.offset,
        warc_record_id=record.record_id,
    )
