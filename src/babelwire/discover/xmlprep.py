"""Turning a fetched feed or sitemap body into bytes an XML parser reads correctly.

Real feeds arrive gzipped without saying so, labelled with the wrong charset,
encoded twice, or with a blank line before the XML declaration (which strict
parsers reject). This module fixes what can be fixed without guessing at the
content, and says what it fixed when the fix hides a well-formedness error.

The charset is the one fetch decided, checked against the bytes
(:mod:`babelwire.discover.charset`). When the parser can be trusted with the
original bytes (their declaration names the codec chosen) they are passed
unchanged; otherwise the text is re-encoded as UTF-8 and the declaration
rewritten to say so.
"""

from __future__ import annotations

import codecs
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from babelwire.discover.charset import choose_codec, repair_double_encoding
from babelwire.discover.xmlstream import (
    DECLARATION_MAX_CHARS,
    HEAD_CHARS,
    STEP_BYTES,
    Recoding,
    ReferenceCounts,
    declared_utf8,
    decoded_pieces,
    double_encoded_as,
    long_text_cut,
    may_hold_ampersand,
    repair_references,
)
from babelwire.model import Fetched

#: Largest body inflated when the caller names no limit: the default of the
#: ``max_decompressed_bytes`` setting, which runs pass in (a gzip bomb guard).
DEFAULT_MAX_DECOMPRESSED_BYTES = 30_000_000
#: Bodies from this size on are repaired and re-encoded a piece at a time
#: (:class:`Recoding`); real feeds of 200 entries are well below it.
STREAMED_BODY_BYTES = 2_000_000

GZIP_MAGIC = b"\x1f\x8b"
_DECLARATION_RE = re.compile(rb"<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:\-]+)[\"']")
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_FIRST_ELEMENT_RE = re.compile(r"<([A-Za-z_][^\s/>]*)")
#: First line beyond which a line break is put after the declaration.
_FIRST_LINE_MAX_CHARS = 4096
#: Text scanned for the document element; comments and DTDs before it are short.
_HEAD_CHARS = 65_536
_HTML_ROOTS = frozenset({"html", "head", "body"})
#: Document elements of the feeds feedparser reads (RSS 0.9x-2.0, RDF, Atom).
FEED_ROOTS = frozenset({"rss", "rdf", "feed", "channel"})
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})


@dataclass(frozen=True, slots=True)
class PreparedXml:
    """A body ready for feedparser or lxml."""

    #: The body as read (inflated when gzipped): the bytes to parse, unless
    #: ``recoding`` says how to make them from it.
    body: bytes
    #: Python codec of the bytes to parse.
    encoding: str
    #: Local name of the document element, lower-cased ("rss", "urlset"), or None.
    root: str | None
    #: One short phrase per defect found and worked around, for the error line.
    problems: tuple[str, ...] = ()
    #: For a large body that needed repairs or a new codec; None otherwise.
    recoding: Recoding | None = None

    @property
    def size_bytes(self) -> int:
        return len(self.body)

    @property
    def data(self) -> bytes:
        """The bytes to parse, whole: a copy for a large body, whose readers take ``chunks()``."""
        return self.body if self.recoding is None else b"".join(self.chunks())

    def chunks(self) -> Iterator[bytes]:
        """The bytes to parse, about a megabyte at a time."""
        if self.recoding is not None:
            yield from self.recoding.chunks(self.body)
            return
        view = memoryview(self.body)
        for start in range(0, len(view), STEP_BYTES):
            yield bytes(view[start : start + STEP_BYTES])

    def parser_chunks(self) -> Iterator[bytes]:
        """``chunks()`` less the middle of any run of text past ``TEXT_RUN_MAX_BYTES``."""
        if self.encoding != "utf-8":  # where a character's last bytes are easy to tell
            return self.chunks()
        return long_text_cut(self.chunks())

    def tail(self, size_bytes: int) -> bytes:
        """The last ``size_bytes`` of the bytes to parse."""
        if self.recoding is None:
            return self.body[-size_bytes:]
        last = b""
        for chunk in self.chunks():
            last = (last + chunk)[-size_bytes:]
        return last

    @property
    def is_html(self) -> bool:
        return self.root in _HTML_ROOTS

    @property
    def is_empty(self) -> bool:
        # isspace(), not strip(): the same test without a copy of the body.
        if self.recoding is None:
            return not self.body or self.body.isspace()
        return all(chunk.isspace() for chunk in self.chunks())


def prepare_xml(
    fetched: Fetched, *, max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES
) -> PreparedXml:
    """Gunzip, decode, repair and re-encode ``fetched.body`` for an XML parser.

    A gzipped body served without Content-Encoding is inflated to at most
    ``max_decompressed_bytes``, the limit fetch applies to declared encodings.
    """
    problems: list[str] = []
    body = fetched.body
    if body.startswith(GZIP_MAGIC):
        body = _gunzip(body, problems, max_decompressed_bytes)
    codec = choose_codec(body, fetched, default_type="application/xml")
    declared_as_chosen = _declared_codec(body) == _canonical(codec)
    if len(body) >= STREAMED_BODY_BYTES:
        return _prepare_large(body, codec, declared_as_chosen, problems)
    decoded = body.decode(codec, errors="replace")
    text = _repaired(decoded, problems)
    root = root_element(text)
    if text is decoded and declared_as_chosen:
        return PreparedXml(body, codec, root, tuple(problems))
    encoded = text.lstrip("\ufeff").encode("utf-8", errors="replace")
    return PreparedXml(declared_utf8(encoded), "utf-8", root, tuple(problems))


def _prepare_large(
    body: bytes, codec: str, declared_as_chosen: bool, problems: list[str]
) -> PreparedXml:
    """:func:`prepare_xml`'s repairs, decided without a second copy of ``body``.

    Undoing double encoding is all or nothing, and the error line counts the
    references escaped, so the text is read through once for each of those
    that may apply; the start is repaired once and kept. A start of blanks
    or comments longer than ``HEAD_CHARS`` is left as it is.
    """
    double = double_encoded_as(body, codec)
    head_parts: list[str] = []
    for piece in decoded_pieces(body, codec, double):
        head_parts.append(piece)
        if sum(map(len, head_parts)) >= HEAD_CHARS:
            break
    head = "".join(head_parts)
    fixed = _fixed_start(head, problems)
    recoding = Recoding(codec, double, fixed, len(head_parts))
    counts = recoding.references(body) if may_hold_ampersand(body, codec) else ReferenceCounts()
    problems += counts.problems()
    root = root_element(fixed)
    changed = double or fixed is not head or counts.bare or counts.html
    if not changed and declared_as_chosen:
        return PreparedXml(body, codec, root, tuple(problems))
    return PreparedXml(body, "utf-8", root, tuple(problems), recoding)


def _repaired(text: str, problems: list[str]) -> str:
    """``text`` with the fixes an XML parser needs; the same object when none was needed."""
    text = repair_double_encoding(text)
    text = _fixed_start(text, problems)
    return repair_references(text, problems)


def _fixed_start(text: str, problems: list[str]) -> str:
    """Repairs of the start: a declaration after blanks or comments, a long first line."""
    stripped = _strip_before_declaration(text)
    if stripped is not text:
        problems.append("XML declaration not at start of document")
    return _short_first_line(stripped, problems)


def _strip_before_declaration(text: str) -> str:
    """``text`` from its XML declaration on, when only blanks and comments precede it.

    Whitespace, byte order marks and comments before the declaration come
    from a PHP template's stray newline or a comment a tool put on top. A
    scan, not a regular expression: a pattern that alternates blanks with
    comments backtracks exponentially on a body of many comments and no
    declaration.
    """
    index = 0
    while index < len(text):
        if text[index].isspace() or text[index] == "\ufeff":
            index += 1
        elif text.startswith("<!--", index):
            end = text.find("-->", index + 4)
            if end < 0:
                return text
            index = end + 3
        else:
            break
    if index and text.startswith("<?xml", index) and not _is_name_char(text, index + 5):
        return text[index:]
    return text


def _short_first_line(text: str, problems: list[str]) -> str:
    """A broken declaration removed, and a line break after a declaration on a long line.

    feedparser finds the declared encoding with a pattern that backtracks
    over the whole first line once per ``encoding=`` in it: a declaration
    that never closes, or one followed by megabytes on the same line, held
    it for minutes. A real declaration is short, and a line break after it
    changes nothing for an XML parser.
    """
    removed = False
    while text.startswith("<?"):
        close = text.find("?>", 2, DECLARATION_MAX_CHARS)
        if close >= 0:
            end = close + 2
            if text.find("\n", end, _FIRST_LINE_MAX_CHARS) < 0 < len(text) - _FIRST_LINE_MAX_CHARS:
                # replace(), not slices: one new string, not three.
                text = text.replace(text[:end], text[:end] + "\n", 1)
            break
        following = text.find("<", 2)
        text = text[following:] if following >= 0 else ""
        removed = True
    if removed:
        problems.append("processing instruction at start not closed (removed)")
    return text


def _is_name_char(text: str, index: int) -> bool:
    return index < len(text) and (text[index].isalnum() or text[index] == "_")


def root_element(text: str) -> str | None:
    """Local name of the first element, skipping declarations, comments and DTDs."""
    head = _COMMENT_RE.sub("", text[:_HEAD_CHARS])
    match = _FIRST_ELEMENT_RE.search(head)
    if match is None:
        return None
    return match.group(1).rpartition(":")[2].lower()


def _declared_codec(body: bytes) -> str | None:
    match = _DECLARATION_RE.search(body[:4096])
    if match is None:
        # No declaration: XML parsers read UTF-8 (with or without a BOM).
        return "utf-8"
    return _canonical(match.group(1).decode("ascii"))


def _canonical(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name == "utf-8-sig" else name


def _gunzip(body: bytes, problems: list[str], max_bytes: int) -> bytes:
    """Decompress a gzip body served without Content-Encoding, at most ``max_bytes`` of it.

    Inflated a step at a time into one growing buffer: zlib asked for the
    whole at once gathers it in blocks and joins them, two copies of a body
    as large as the cap.
    """
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out = io.BytesIO()
    data, remaining = body, max_bytes
    try:
        while remaining > 0 and not inflater.eof:
            step = min(STEP_BYTES, remaining)
            piece = inflater.decompress(data, step)
            out.write(piece)
            remaining -= len(piece)
            data = inflater.unconsumed_tail
            if not data and len(piece) < step:
                break  # all read, and zlib holds nothing more back
    except zlib.error as exc:
        problems.append(f"gzip body is corrupt ({exc})")
        return b""
    if inflater.eof:
        pass  # what follows the stream (another member, padding) is ignored
    elif inflater.unconsumed_tail:
        problems.append(f"gzip body inflates past {max_bytes} bytes; read that much")
    else:
        problems.append("gzip body is truncated")
    return out.getvalue()  # the buffer itself, not a copy, once nothing else refers to it
