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
import html.entities
import re
import zlib
from dataclasses import dataclass

from babelwire.discover.charset import choose_codec, repair_double_encoding
from babelwire.model import Fetched

#: Largest body inflated when the caller names no limit: the default of the
#: ``max_decompressed_bytes`` setting, which runs pass in (a gzip bomb guard).
DEFAULT_MAX_DECOMPRESSED_BYTES = 30_000_000

GZIP_MAGIC = b"\x1f\x8b"
_DECLARATION_RE = re.compile(rb"<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:\-]+)[\"']")
_ANY_DECLARATION_RE = re.compile(rb"<\?xml\b[^>]*?\bencoding\s*=\s*([\"'])([^\"']*)\1")
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_FIRST_ELEMENT_RE = re.compile(r"<([A-Za-z_][^\s/>]*)")
_VERBATIM_RE = re.compile(r"(<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z))", re.S)
_BARE_AMPERSAND_RE = re.compile(r"&(?!#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z_][\w.\-]*;)")
_NAMED_REFERENCE_RE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
#: Longest XML declaration (or other processing instruction at the start) accepted.
_DECLARATION_MAX_CHARS = 1024
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

    #: The bytes to parse; their XML declaration, if any, names ``encoding``.
    data: bytes
    #: Python codec of ``data``.
    encoding: str
    #: Local name of the document element, lower-cased ("rss", "urlset"), or None.
    root: str | None
    #: One short phrase per defect found and worked around, for the error line.
    problems: tuple[str, ...] = ()

    @property
    def is_html(self) -> bool:
        return self.root in _HTML_ROOTS

    @property
    def is_empty(self) -> bool:
        return not self.data.strip()


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
    decoded = body.decode(codec, errors="replace")
    text = _repaired(decoded, problems)
    root = root_element(text)
    if text is decoded and declared_as_chosen:
        return PreparedXml(body, codec, root, tuple(problems))
    # A body may be as large as the inflation cap: each copy is let go as
    # soon as the next exists, so at most two are held at once.
    del body, decoded
    encoded = text.lstrip("\ufeff").encode("utf-8", errors="replace")
    del text
    return PreparedXml(_declared_utf8(encoded), "utf-8", root, tuple(problems))


def _repaired(text: str, problems: list[str]) -> str:
    """``text`` with the fixes an XML parser needs; the same object when none was needed."""
    text = repair_double_encoding(text)
    stripped = _strip_before_declaration(text)
    if stripped is not text:
        problems.append("XML declaration not at start of document")
    text = _short_first_line(stripped, problems)
    return repair_references(text, problems)


def _declared_utf8(data: bytes) -> bytes:
    """``data`` with the encoding its XML declaration names changed to UTF-8."""
    match = _ANY_DECLARATION_RE.match(data, 0, _DECLARATION_MAX_CHARS)
    if match is None:
        return data
    # join() copies from the view: no third copy of a large body.
    return b"".join((data[: match.start(2)], b"utf-8", memoryview(data)[match.end(2) :]))


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
    counts = {"bare": 0, "html": 0}

    def html_reference(match: re.Match[str]) -> str:
        name = match.group(1)
        chars = html.entities.html5.get(name + ";")
        if name in _XML_ENTITIES or chars is None:
            return match.group(0)
        counts["html"] += 1
        return "".join(f"&#{ord(ch)};" for ch in chars)

    pieces = _VERBATIM_RE.split(text)
    for index in range(0, len(pieces), 2):  # even pieces lie outside CDATA and comments
        piece, bare = _BARE_AMPERSAND_RE.subn("&amp;", pieces[index])
        counts["bare"] += bare
        pieces[index] = _NAMED_REFERENCE_RE.sub(html_reference, piece)
    if counts["bare"]:
        problems.append(f"{counts['bare']} unescaped '&' (escaped)")
    if counts["html"]:
        problems.append(f"{counts['html']} HTML entities undefined in XML (replaced)")
    return "".join(pieces) if counts["bare"] or counts["html"] else text


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
        close = text.find("?>", 2, _DECLARATION_MAX_CHARS)
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
    """Decompress a gzip body served without Content-Encoding, at most ``max_bytes`` of it."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_bytes)
    except zlib.error as exc:
        problems.append(f"gzip body is corrupt ({exc})")
        return b""
    if inflater.unconsumed_tail:
        problems.append(f"gzip body inflates past {max_bytes} bytes; read that much")
    elif not inflater.eof:
        problems.append("gzip body is truncated")
    return data
