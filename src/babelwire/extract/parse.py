"""Turn page text into an lxml tree, refusing what is not HTML at all.

This is the one module of the extract stage that calls the lxml parser, so
parser errors become :class:`~babelwire.errors.ExtractError` here. The text is
repaired before parsing (control characters, mis-decoded Windows-1252) because
those faults are common on real pages and cost nothing to fix.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    document_fromstring,
)

from babelwire.errors import Drop, ExtractError

#: Pages longer than this are cut before parsing. Real articles are far
#: smaller (the largest in the test corpus is under 1 MB); the cap bounds the
#: time one hostile page can take. Fetch already caps bodies at 10 MB.
MAX_HTML_CHARS = 5_000_000

#: How much of the start of the text is checked for markup and binary noise.
SNIFF_CHARS = 65_536

#: A start tag longer than this loses its attributes before parsing. Real tags
#: stay far below it (a long inline image is the usual exception, and its
#: attributes are not needed); libxml2 takes time quadratic in the number of
#: attributes of one tag, so a hostile page could stall it otherwise.
MAX_TAG_CHARS = 10_000

#: Share of control characters above which the text is taken for binary data
#: decoded as text (a PDF, an image): random bytes give about 11%, web pages
#: next to none, and a page with stray controls a few percent.
MAX_CONTROL_SHARE = 0.05
#: Share of replacement characters (bytes invalid in the charset) above which
#: a page is skipped as undecodable: its text would be mostly holes. Fewer
#: are kept; a stray byte costs one letter.
MAX_NOISE_SHARE = 0.10

# C0 controls other than tab, newline, form feed and carriage return are never
# text; NUL in particular makes libxml2 stop or substitute mid-document.
_C0_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# Characters U+0080..U+009F are C1 controls that no page means to show; they
# appear when Windows-1252 bytes (curly quotes, dashes) were decoded as
# Latin-1. Mapping them back restores "WHO’s" instead of "WHOs".
_C1_TO_CP1252 = {
    code: bytes([code]).decode("cp1252", errors="ignore") or None for code in range(0x80, 0xA0)
}

# The same mistake written as a character reference: "&#147;" or "&#x93;"
# mean the curly quote the author typed, which HTML5 parsers also assume.
_C1_REFERENCE = re.compile(
    r"&#(?:[xX]0*([89][0-9a-fA-F])(?![0-9a-fA-F])|0*(12[89]|1[3-5][0-9])(?![0-9]));?"
)
_C1 = re.compile(r"[\x80-\x9f]")
_LONG_TAG = re.compile(rf"<([a-zA-Z][a-zA-Z0-9:-]{{0,30}})\s[^<>]{{{MAX_TAG_CHARS},}}>")
_MARKUP = re.compile(r"<\s*(?:[a-zA-Z][a-zA-Z0-9:-]*|!--|!doctype)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

_PARSER = HTMLParser(
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    collect_ids=False,
    default_doctype=False,
)
# lxml.html picks each element's class in a Python method, called every time
# lxml hands an element to Python: hundreds of thousands of calls per page
# across our stages, trafilatura and htmldate. Its special classes (forms,
# inputs) offer only form-filling helpers that extraction never uses, so one
# class for every element, chosen in C, gives the same tree for less.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement,
        comment=HtmlComment,
        pi=HtmlProcessingInstruction,
        entity=HtmlEntity,
    )
)


def repair_text(html: str) -> str:
    """Remove control characters and undo Latin-1-for-Windows-1252 mistakes."""
    html = _C0_CONTROLS.sub("", html)
    html = _C1_REFERENCE.sub(_cp1252_reference, html)
    # A regex finds the rare C1 character far faster than str.translate walks
    # a whole page through a mapping.
    return _C1.sub(lambda m: _C1_TO_CP1252.get(ord(m.group())) or "", html)


def _cp1252_reference(match: re.Match[str]) -> str:
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    return _C1_TO_CP1252.get(code) or ""


def parse_html(html: str, *, url: str | None = None) -> HtmlElement:
    """Parse a page into an lxml HTML tree.

    Raises ExtractError when the text is empty, binary or has no markup,
    and Drop when most of it could not be decoded. Broken markup is not an
    error: libxml2 repairs it as browsers do.
    """
    where = f" for {url}" if url else ""
    head = html[:SNIFF_CHARS]
    if not head.strip():
        raise ExtractError(f"extract: empty document{where}", url=url)
    if len(_C0_CONTROLS.findall(head)) > MAX_CONTROL_SHARE * len(head):
        raise ExtractError(f"extract: binary content, not HTML{where}", url=url)
    if not _MARKUP.search(head):
        raise ExtractError(f"extract: no HTML markup in the document{where}", url=url)
    undecodable = head.count("\ufffd")
    if undecodable > MAX_NOISE_SHARE * len(head):
        raise Drop(
            f"undecodable text: {undecodable} of the first {len(head)} characters are "
            f"bytes invalid in its charset{where}",
            stage="extract",
        )
    text = repair_text(_XML_DECLARATION.sub("", html[:MAX_HTML_CHARS], count=1))
    text = _LONG_TAG.sub(r"<\1>", text)
    try:
        tree = document_fromstring(text.encode("utf-8", errors="replace"), parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractError(f"extract: cannot parse HTML{where}: {exc}", url=url) from None
    if not isinstance(tree, HtmlElement):
        raise ExtractError(f"extract: parser returned no HTML tree{where}", url=url)
    return tree
