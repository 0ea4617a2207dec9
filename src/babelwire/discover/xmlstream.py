"""A large feed or sitemap body decoded, repaired and re-encoded a megabyte at a time.

:func:`~babelwire.discover.xmlprep.prepare_xml` repairs a small body whole.
A large one (a sitemap of 50,000 links, a gzip bomb inflated to the cap)
would then be held three or four times at once: the bytes, the decoded
text, the repaired text and the bytes re-encoded. Here the body is the one
copy kept; the text is made from it piece by piece each time a reader asks,
and only the repairs that need the whole text (undoing double encoding,
counting escaped references for the error line) read it once more first.

A piece boundary may fall inside a reference (``&amp;``), a CDATA section or
a comment: :class:`ReferenceRepair` holds back the undecided end of each
piece until the next one decides it, so the pieces give the text the whole
body gives.
"""

from __future__ import annotations

import codecs
import html.entities
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice

from babelwire.discover.charset import double_encoding_suspects, undo_double_encoding

#: Bytes decoded at a time; also the size of the pieces handed to a parser.
STEP_BYTES = 1_000_000
#: Characters at the start read before the first piece goes out: the repairs
#: of the start (a declaration not at the start, a long first line) and the
#: document element are decided within them.
HEAD_CHARS = 1_000_000

#: Longest XML declaration (or other processing instruction at the start) accepted.
DECLARATION_MAX_CHARS = 1024
#: Longest text a reader keeps of one element of a large body. Only short
#: fields are kept from a feed (a title, a link, a date, a 400-character
#: summary); feedparser held thirty times a million-character title.
MAX_TEXT_CHARS = 100_000
#: Longest run of text without markup handed to a parser: ``MAX_TEXT_CHARS``
#: in any UTF-8.
TEXT_RUN_MAX_BYTES = 4 * MAX_TEXT_CHARS
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))
_ANY_DECLARATION_RE = re.compile(rb"<\?xml\b[^>]*?\bencoding\s*=\s*([\"'])([^\"']*)\1")
_VERBATIM_RE = re.compile(r"(<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z))", re.S)
_VERBATIM_START_RE = re.compile(r"<!\[CDATA\[|<!--")
_BARE_AMPERSAND_RE = re.compile(r"&(?!#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z_][\w.\-]*;)")
_NAMED_REFERENCE_RE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
#: What may follow an "&" and still become a reference once its ";" comes.
_OPEN_REFERENCE_RE = re.compile(r"&[#\w.\-]*")
_VERBATIM_OPENERS = ("<![CDATA[", "<!--")


def decoded_pieces(
    body: bytes, codec: str, double_encoded_as: str | None = None
) -> Iterator[str]:
    """``body.decode(codec, errors="replace")`` in pieces, double encoding undone if named."""
    pieces = _decoded_pieces(body, codec)
    return undo_double_encoding(pieces, double_encoded_as) if double_encoded_as else pieces


def _decoded_pieces(body: bytes, codec: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    view = memoryview(body)
    for start in range(0, len(view), STEP_BYTES):
        if piece := decoder.decode(view[start : start + STEP_BYTES]):
            yield piece
    if piece := decoder.decode(b"", final=True):
        yield piece


@dataclass(frozen=True, slots=True)
class Recoding:
    """How a large body becomes the bytes to parse, made a piece at a time."""

    #: Python codec of the body.
    codec: str
    #: The codec UTF-8 was wrongly decoded with, undone; None when it was not.
    double_encoded_as: str | None
    #: The start of the text, repaired, and how many decoded pieces it stands for.
    head: str
    head_pieces: int

    def text_pieces(self, body: bytes) -> Iterator[str]:
        """The text of ``body``, its start repaired, references not yet."""
        yield self.head
        pieces = decoded_pieces(body, self.codec, self.double_encoded_as)
        yield from islice(pieces, self.head_pieces, None)

    def references(self, body: bytes) -> ReferenceCounts:
        """What repairing the references of the whole text changes, counted."""
        repair = ReferenceRepair()
        for piece in self.text_pieces(body):
            repair.feed(piece)
        repair.finish()
        return repair.counts

    def chunks(self, body: bytes) -> Iterator[bytes]:
        """The repaired text as UTF-8, its declaration saying so, a piece at a time."""
        repair = ReferenceRepair()
        started = False
        pieces = (repair.feed(piece) for piece in self.text_pieces(body))
        for text in chain(pieces, _finished(repair)):
            if not started:
                text = text.lstrip("\ufeff")
                if not text:
                    continue
                started = True
                yield declared_utf8(text.encode("utf-8", errors="replace"))
            elif text:
                yield text.encode("utf-8", errors="replace")


def _finished(repair: ReferenceRepair) -> Iterator[str]:
    yield repair.finish()  # only once every piece was fed


def double_encoded_as(body: bytes, codec: str) -> str | None:
    """The codec that :func:`repair_double_encoding` would undo for the text of ``body``."""
    start = ""
    for piece in decoded_pieces(body, codec):
        start += piece
        if len(start) >= HEAD_CHARS:
            break
    for suspect in double_encoding_suspects(start):
        try:
            for _ in undo_double_encoding(decoded_pieces(body, codec), suspect):
                pass
        except UnicodeError:
            continue
        return suspect
    return None


def may_hold_ampersand(body: bytes, codec: str) -> bool:
    """False only when the text of ``body`` surely has no "&": no byte 0x26 where one is needed."""
    name = codecs.lookup(codec).name
    ascii_based = name.startswith(("utf-16", "utf-32")) or (
        name != "utf-7" and "&".encode(codec) == b"&"
    )
    return not ascii_based or b"&" in body


def declared_utf8(data: bytes) -> bytes:
    """``data`` with the encoding its XML declaration names changed to UTF-8."""
    match = _ANY_DECLARATION_RE.match(data, 0, DECLARATION_MAX_CHARS)
    if match is None:
        return data
    # join() copies from the view: no third copy of a large body.
    return b"".join((data[: match.start(2)], b"utf-8", memoryview(data)[match.end(2) :]))


def long_text_cut(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """UTF-8 ``chunks`` less the middle of any run of text longer than ``TEXT_RUN_MAX_BYTES``.

    A reader keeps at most ``MAX_TEXT_CHARS`` of an element's text, and
    libxml2 holds the whole of a text node (up to ten megabytes), lxml then
    a copy of it and feedparser thirty: the start of a long run is all that
    is read. A piece with no "<" is left out once the run before it is long
    enough, less the bytes that end a character begun before it.
    """
    run_bytes, cutting = 0, False
    for chunk in chunks:
        if cutting:  # the ends of a character whose start was left out
            chunk = chunk.lstrip(_CONTINUATION_BYTES)
        markup = chunk.rfind(b"<")
        if markup < 0 and run_bytes >= TEXT_RUN_MAX_BYTES:
            if finishing := len(chunk) - len(chunk.lstrip(_CONTINUATION_BYTES)):
                yield chunk[:finishing]  # completes the character fed last
            cutting = True
            continue
        cutting = False
        run_bytes = len(chunk) - markup - 1 if markup >= 0 else run_bytes + len(chunk)
        yield chunk


@dataclass(slots=True)
class ReferenceCounts:
    #: Bare "&" escaped as "&amp;".
    bare: int = 0
    #: HTML-only entities replaced by character references.
    html: int = 0

    def problems(self) -> list[str]:
        found = []
        if self.bare:
            found.append(f"{self.bare} unescaped '&' (escaped)")
        if self.html:
            found.append(f"{self.html} HTML entities undefined in XML (replaced)")
        return found


def repair_references(text: str, problems: list[str]) -> str:
    """Escape bare ``&`` and turn HTML-only entities into character references.

    Both are the commonest reasons a real feed is not well-formed XML
    (``?a=1&b=2`` in a link, ``&nbsp;`` in a title). Left alone, they send
    feedparser to its lenient parser, which reads ``&lang=en`` as the HTML
    entity ``&lang;`` and mangles the URL. CDATA sections and comments, where
    both are legal, are left untouched; entities the document may declare
    itself (names HTML does not know) are left for the parser.
    """
    if "&" not in text:
        return text
    counts = ReferenceCounts()
    pieces = _VERBATIM_RE.split(text)
    for index in range(0, len(pieces), 2):  # even pieces lie outside CDATA and comments
        pieces[index] = _repair_outside(pieces[index], counts)
    problems += counts.problems()
    return "".join(pieces) if counts.bare or counts.html else text


def _repair_outside(text: str, counts: ReferenceCounts) -> str:
    """Bare "&" escaped and HTML entities made character references, in text outside CDATA."""
    text, bare = _BARE_AMPERSAND_RE.subn("&amp;", text)
    counts.bare += bare

    def html_reference(match: re.Match[str]) -> str:
        name = match.group(1)
        chars = html.entities.html5.get(name + ";")
        if name in _XML_ENTITIES or chars is None:
            return match.group(0)
        counts.html += 1
        return "".join(f"&#{ord(ch)};" for ch in chars)

    return _NAMED_REFERENCE_RE.sub(html_reference, text)


class ReferenceRepair:
    """:func:`~babelwire.discover.xmlprep.repair_references` over text given in pieces.

    ``feed`` returns the repaired text that is decided so far; ``finish``
    the rest. Inside a CDATA section or a comment nothing is changed.
    """

    def __init__(self) -> None:
        self.counts = ReferenceCounts()
        self._held = ""
        #: "]]>" or "-->" while inside a CDATA section or a comment.
        self._closing: str | None = None

    def feed(self, piece: str, *, final: bool = False) -> str:
        text, self._held = self._held + piece, ""
        out: list[str] = []
        pos = 0
        while pos < len(text):
            if self._closing is not None:
                end = text.find(self._closing, pos)
                if end < 0:
                    # A closing mark may be cut in two at the end of the piece.
                    keep = len(text) if final else max(pos, len(text) - len(self._closing) + 1)
                    out.append(text[pos:keep])
                    pos = keep
                    break
                end += len(self._closing)
                out.append(text[pos:end])
                pos, self._closing = end, None
                continue
            opener = _VERBATIM_START_RE.search(text, pos)
            stop = opener.start() if opener else len(text) if final else _decided_end(text, pos)
            out.append(_repair_outside(text[pos:stop], self.counts))
            pos = stop
            if opener is None:
                break
            out.append(opener.group())
            pos = opener.end()
            self._closing = "]]>" if opener.group().startswith("<![") else "-->"
        self._held = text[pos:]
        return "".join(out)

    def finish(self) -> str:
        return self.feed("", final=True)


def _decided_end(text: str, start: int) -> int:
    """Where the text from ``start`` on stops being certain without what follows.

    An "&" followed only by name characters may still become a reference,
    and a "<!" at the end may open a CDATA section or a comment.
    """
    end = len(text)
    ampersand = text.rfind("&", start)
    if ampersand >= 0 and _OPEN_REFERENCE_RE.fullmatch(text, ampersand):
        end = ampersand
    less = text.rfind("<", max(start, len(text) - 8))
    if less >= 0 and any(o.startswith(text[less:]) for o in _VERBATIM_OPENERS):
        end = min(end, less)
    return end
