"""Which codec a feed, sitemap or listing body is in, and undoing double encoding.

Fetch decides the charset (:func:`babelwire.fetch.charset.decide_charset`,
the one place that rule lives). Discovery asks that function again with the
charset the record carries, which checks it against the bytes: a hand-built
or stale record, or a label that lies (ISO-8859-1 on UTF-8 bytes, GB2312 on
GB18030 text), then gets the answer fetch would give for those bytes. UTF-32
without a byte order mark is recognised here first: no label or detector
names it reliably, and the zero bytes of markup give it away.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator

from babelwire.fetch.charset import decide_charset
from babelwire.model import Fetched


def choose_codec(body: bytes, fetched: Fetched, *, default_type: str) -> str:
    """Fetch's charset checked against ``body``; detection when there is none."""
    if utf32 := utf32_without_bom(body):
        return utf32
    if fetched.charset:
        content_type = f"{default_type}; charset={fetched.charset}"
    else:
        content_type = fetched.content_type or default_type
    codec, _source = decide_charset(body, content_type)
    return codec


def utf32_without_bom(body: bytes) -> str | None:
    """"utf-32-le" or "utf-32-be" when ``body`` is UTF-32 without a byte order mark.

    XML 1.0 (appendix F) tells the encoding from the zero bytes around the
    first "<": a document starts with markup or blanks, both ASCII. Every
    code unit of the start must also look like UTF-32 (a zero high byte,
    then 0x00-0x10), which UTF-16 text never does, so other bodies are left
    to fetch's rule.
    """
    probe = body[:_UTF32_PROBE_BYTES]
    head = probe[: len(probe) - len(probe) % 4]
    if len(head) < 4:
        return None
    units = [head[i : i + 4] for i in range(0, len(head), 4)]
    if head[:3] == b"\0\0\0" and head[3] and all(u[0] == 0 and u[1] <= 0x10 for u in units):
        return "utf-32-be"
    if head[1:4] == b"\0\0\0" and head[0] and all(u[3] == 0 and u[2] <= 0x10 for u in units):
        return "utf-32-le"
    return None


def repair_double_encoding(text: str) -> str:
    """Undo UTF-8 that was decoded as windows-1252 or windows-1251 and encoded again.

    ``Москва`` stored as ``ÐœÐ¾Ñ\\x81ÐºÐ²Ð°`` is the classic case. The repair is
    tried only when the text has the tell-tale pairs, and accepted only when
    the whole text survives the round trip: genuine Latin-1 or Cyrillic text
    practically never re-encodes to valid UTF-8, so a full success means the
    text was double-encoded.
    """
    if text.isascii():
        return text
    for codec in double_encoding_suspects(text):
        try:
            return text.encode(codec, errors=_SLOPPY).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def double_encoding_suspects(text: str) -> tuple[str, ...]:
    """The codecs UTF-8 may have been mis-decoded with, judged by the start of ``text``."""
    return tuple(
        codec
        for codec, tell in _MOJIBAKE_TELLS
        if len(tell.findall(text, 0, _TELL_SCAN_CHARS)) >= _MIN_TELLS
    )


def undo_double_encoding(pieces: Iterable[str], codec: str) -> Iterator[str]:
    """:func:`repair_double_encoding` with ``codec``, over text given in pieces.

    Raises UnicodeError, as the whole text would, when some piece does not
    survive the round trip; a caller that must not fail half-way reads the
    pieces once before it uses them.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    for piece in pieces:
        if text := decoder.decode(piece.encode(codec, errors=_SLOPPY)):
            yield text
    if text := decoder.decode(b"", final=True):
        yield text


def _sloppy_single_byte(error: UnicodeError) -> tuple[bytes, int]:
    """Encode the five bytes windows-1252 leaves undefined as themselves.

    Double-encoding software maps them through Latin-1, so ``\\x81`` in the
    text stands for the byte 0x81 of the original UTF-8.
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    if all(ord(ch) < 0x100 for ch in chunk):
        return chunk.encode("latin-1"), error.end
    raise error


# Registering a handler is global but harmless: the name is ours alone.
_SLOPPY = "babelwire-sloppy-single-byte"
codecs.register_error(_SLOPPY, _sloppy_single_byte)


def _tell_pattern(codec: str) -> re.Pattern[str]:
    """A UTF-8 lead byte followed by a continuation byte, as ``codec`` shows them."""
    leads = bytes(range(0xC2, 0xF0)).decode(codec, errors="ignore")
    trails = bytes(range(0x80, 0xC0)).decode(codec, errors="ignore") + "".join(
        chr(b) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    )
    return re.compile(f"[{re.escape(leads)}][{re.escape(trails)}]")


#: Bytes of the start that must look like UTF-32 (16 characters).
_UTF32_PROBE_BYTES = 64
#: Fewest tell-tale pairs before a repair is attempted; one pair can be real text.
_MIN_TELLS = 3
#: Characters scanned for tell-tale pairs; the start of a feed is enough to tell.
_TELL_SCAN_CHARS = 200_000
_MOJIBAKE_TELLS = tuple((codec, _tell_pattern(codec)) for codec in ("cp1252", "cp1251"))
