"""Content-Encoding decoding with a cap on what comes out.

We read the raw stream and decode it ourselves instead of letting httpx do
it, because a few kilobytes of gzip or brotli can expand to gigabytes. Every
decoder here produces output in bounded steps and stops as soon as the
decoded size passes ``max_decompressed_bytes``, before it allocates the rest.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import brotli

from babelwire.errors import FetchError, TooLarge

#: Largest piece of output one decoder call may produce.
STEP_BYTES = 64 * 1024

ChunkDecoder = Callable[[bytes], bytes]


class _Zlib:
    """gzip (possibly several members) or deflate (zlib-wrapped or raw)."""

    def __init__(self, encoding: str, cap: _Cap) -> None:
        self._encoding = encoding
        self._cap = cap
        self._pending = b""
        self._obj: zlib._Decompress | None = None
        if encoding == "gzip":
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def _start_deflate(self, data: bytes) -> bytes:
        # "deflate" is meant to be zlib-wrapped (RFC 9110) but many servers send
        # raw deflate; the two-byte zlib header tells them apart.
        self._pending += data
        if len(self._pending) < 2:
            return b""
        cmf, flg = self._pending[0], self._pending[1]
        wrapped = cmf & 0x0F == 8 and (cmf * 256 + flg) % 31 == 0
        self._obj = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        data, self._pending = self._pending, b""
        return data

    def __call__(self, data: bytes) -> bytes:
        if self._obj is None:
            data = self._start_deflate(data)
            if self._obj is None:
                return b""
        pieces = []
        while data:
            obj = self._obj
            out = obj.decompress(data, STEP_BYTES)
            self._cap.add(len(out))
            pieces.append(out)
            data = obj.unconsumed_tail
            if obj.eof:
                data = obj.unused_data
                if self._encoding != "gzip" or not data.startswith(b"\x1f"):
                    break  # padding or garbage after the stream: ignored, as browsers do
                self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)  # next gzip member
        return b"".join(pieces)


class _Brotli:
    def __init__(self, cap: _Cap) -> None:
        self._cap = cap
        self._obj = brotli.Decompressor()

    def __call__(self, data: bytes) -> bytes:
        if self._obj.is_finished():
            return b""
        pieces = [self._obj.process(data, output_buffer_limit=STEP_BYTES)]
        self._cap.add(len(pieces[-1]))
        # Once the output limit is hit the decoder holds input back; it must
        # be drained with empty calls before it takes more.
        while not self._obj.can_accept_more_data() and not self._obj.is_finished():
            pieces.append(self._obj.process(b"", output_buffer_limit=STEP_BYTES))
            self._cap.add(len(pieces[-1]))
        return b"".join(pieces)


class _Cap:
    def __init__(self, max_bytes: int, url: str, encoding: str) -> None:
        self.max_bytes = max_bytes
        self.total_bytes = 0
        self._url = url
        self._encoding = encoding

    def add(self, size: int) -> None:
        self.total_bytes += size
        if self.total_bytes > self.max_bytes:
            raise TooLarge(
                f"fetch: body of {self._url} expands past {self.max_bytes} bytes "
                f"({self._encoding} bomb?)",
                url=self._url,
            )


class BodyDecoder:
    """Undo a Content-Encoding header, chunk by chunk, within a size cap.

    Codings are listed in the order they were applied, so they are undone
    from the last to the first; each layer has its own cap, which stops a
    bomb wrapped in another bomb at the first layer that grows too big.
    """

    def __init__(self, content_encoding: str | None, *, max_decompressed_bytes: int, url: str):
        self._url = url
        names = [c.strip().lower() for c in (content_encoding or "").split(",")]
        self._layers: list[ChunkDecoder] = []
        # "none" is not a registered coding, but servers send it meaning identity.
        for name in reversed([n for n in names if n not in {"", "identity", "none"}]):
            cap = _Cap(max_decompressed_bytes, url, name)
            if name in {"gzip", "x-gzip"}:
                self._layers.append(_Zlib("gzip", cap))
            elif name == "deflate":
                self._layers.append(_Zlib("deflate", cap))
            elif name == "br":
                self._layers.append(_Brotli(cap))
            else:
                raise FetchError(f"fetch: unsupported Content-Encoding {name!r} for {url}", url=url)
        self._names = names

    def feed(self, data: bytes) -> bytes:
        try:
            for layer in self._layers:
                data = layer(data)
        except (zlib.error, brotli.error) as exc:
            raise FetchError(
                f"fetch: corrupt {','.join(self._names)} body from {self._url}: {exc}",
                url=self._url,
            ) from None
        return data
