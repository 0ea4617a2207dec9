"""Size caps on the wire and after decoding: bombs, huge bodies, lying lengths."""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import brotli
import pytest

from babelwire.errors import ConnectionFailed, FetchError, TooLarge
from babelwire.fetch.decode import BodyDecoder

HUNDRED_MB = 100_000_000


def _deflate(data_chunk: bytes, repeat: int, wbits: int) -> bytes:
    """Compress ``data_chunk * repeat`` without holding the expanded form."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return b"".join(compressor.compress(data_chunk) for _ in range(repeat)) + compressor.flush()


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    """Bodies that expand to 100 MB: built here, never stored."""
    megabyte = b"\0" * 1_000_000
    gzip_bomb = _deflate(megabyte, 100, 16 + zlib.MAX_WBITS)
    return {
        "gzip": gzip_bomb,
        "gzip, gzip": gzip.compress(gzip_bomb),  # about 300 bytes on the wire
        "deflate-zlib": _deflate(megabyte, 100, zlib.MAX_WBITS),
        "deflate-raw": _deflate(megabyte, 100, -zlib.MAX_WBITS),
        "br": brotli.compress(b"\0" * HUNDRED_MB, quality=5),
    }


@pytest.mark.parametrize("kind", ["gzip", "gzip, gzip", "deflate-zlib", "deflate-raw", "br"])
def test_decompression_bombs_are_stopped(
    server: Any, make_fetcher: Any, bombs: dict[str, bytes], kind: str
) -> None:
    body = bombs[kind]
    assert len(body) < 200_000
    encoding = kind.split("-")[0]
    server.route("/bomb", 200, body, {"Content-Encoding": encoding, "Content-Type": "text/html"})
    with pytest.raises(TooLarge) as caught:
        make_fetcher().get("http://site.test/bomb")
    message = str(caught.value)
    assert message.startswith("fetch: body of http://site.test/bomb expands past 30000000 bytes")
    assert "bomb?" in message


def test_tiny_double_gzip_bomb_is_about_a_kilobyte(bombs: dict[str, bytes]) -> None:
    assert len(bombs["gzip, gzip"]) < 1024


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: _deflate(b, 1, -zlib.MAX_WBITS)),  # raw deflate, as IIS sends
        ("br", brotli.compress),
        ("gzip, br", lambda b: brotli.compress(gzip.compress(b))),
        ("identity", lambda b: b),
        ("none", lambda b: b),  # not registered, but sent by real servers
    ],
)
def test_content_encodings_are_decoded(
    server: Any, make_fetcher: Any, encoding: str, encode: Any
) -> None:
    text = ("Пресс-релиз министерства. " * 2000).encode()
    server.route(
        "/p",
        200,
        encode(text),
        {"Content-Encoding": encoding, "Content-Type": "text/plain; charset=utf-8"},
    )
    fetched = make_fetcher().get("http://site.test/p")
    assert fetched.body == text
    assert fetched.header("content-encoding") == encoding  # kept, for the record


def test_decoder_handles_one_byte_chunks_and_gzip_members() -> None:
    data = gzip.compress(b"first ") + gzip.compress(b"second")
    decoder = BodyDecoder("gzip", max_decompressed_bytes=100, url="http://x.test/")
    assert b"".join(decoder.feed(data[i : i + 1]) for i in range(len(data))) == b"first second"
    raw = _deflate(b"raw deflate", 1, -zlib.MAX_WBITS)
    decoder = BodyDecoder("deflate", max_decompressed_bytes=100, url="http://x.test/")
    assert b"".join(decoder.feed(raw[i : i + 1]) for i in range(len(raw))) == b"raw deflate"


def test_corrupt_and_unknown_encodings_are_fetch_errors(server: Any, make_fetcher: Any) -> None:
    server.route("/corrupt", 200, b"this is not gzip at all", {"Content-Encoding": "gzip"})
    server.route("/zstd", 200, b"(\xb5/\xfd", {"Content-Encoding": "zstd"})
    fetcher = make_fetcher()
    with pytest.raises(FetchError, match=r"^fetch: corrupt gzip body from http://site\.test/"):
        fetcher.get("http://site.test/corrupt")
    with pytest.raises(FetchError, match="unsupported Content-Encoding 'zstd'"):
        fetcher.get("http://site.test/zstd")


def test_announced_length_over_the_cap_is_refused_before_reading(
    server: Any, make_fetcher: Any
) -> None:
    # The server announces 50 MB but would send only a little: we never read it.
    server.route("/big", 200, b"small", {"Content-Length": "50000000"})
    with pytest.raises(TooLarge, match=r"announces 50000000 bytes, over the cap of 10000000"):
        make_fetcher().get("http://site.test/big")


def _endless(handler: Any) -> None:
    """A body with no Content-Length, ended only by closing the connection."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b"<p>" + b"x" * 65_533
    try:
        for _ in range(2_000):  # 128 MB if nobody stops reading
            handler.wfile.write(chunk)
    except OSError:
        pass  # the client hung up, as it should
    handler.close_connection = True


def test_huge_body_without_length_is_cut_at_the_cap(server: Any, make_fetcher: Any) -> None:
    server.routes["/endless"] = _endless
    with pytest.raises(TooLarge, match=r"body of http://site\.test/endless passes 1000000 bytes"):
        make_fetcher(max_body_bytes=1_000_000).get("http://site.test/endless")


def test_length_smaller_than_the_body_reads_only_what_was_announced(
    server: Any, make_fetcher: Any
) -> None:
    def liar(handler: Any) -> None:
        server.respond(
            handler, 200, b"0123456789" * 1000, {"Content-Length": "10", "Connection": "close"}
        )

    server.routes["/liar"] = liar
    assert make_fetcher().get("http://site.test/liar").body == b"0123456789"


def test_length_larger_than_the_body_is_a_connection_failure(
    server: Any, make_fetcher: Any
) -> None:
    def short(handler: Any) -> None:
        server.respond(
            handler, 200, b"only this", {"Content-Length": "5000", "Connection": "close"}
        )
        handler.close_connection = True

    server.routes["/short"] = short
    with pytest.raises(ConnectionFailed, match=r"http://site\.test/short"):
        make_fetcher().get("http://site.test/short")
