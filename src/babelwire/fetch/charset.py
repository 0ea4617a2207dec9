"""Deciding which character encoding a body is in.

Sources are tried in a fixed order: byte order mark, HTTP header, the
document's own declaration (``<meta charset>``, ``<meta http-equiv>``, the XML
declaration), detection, then UTF-8. Every declared charset is checked
against the bytes before it is believed, because servers and templates lie:
a page labelled ISO-8859-1 or GB2312 is often really UTF-8, a "GB2312" page
often uses characters that only GBK or GB18030 have, and a "KOI8-R" page may
be windows-1251, which every single-byte codec decodes without an error but
which then reads as nonsense. So a declared legacy charset must also give
text that reads as text, or detection gets the last word.

The BOM comes first, not after the header: it is the one signal that cannot
be wrong by accident, and browsers (the WHATWG encoding standard) let it win
over the header for that reason.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter

import charset_normalizer
from charset_normalizer.md import mess_ratio

#: Bytes scanned for an in-document declaration. WHATWG scans 1024 bytes;
#: real pages put the <meta> after long scripts and styles, so we look further.
DECLARATION_SCAN_BYTES = 4096
#: Bytes handed to charset-normalizer; it samples anyway, and pages are long.
DETECTION_SAMPLE_BYTES = 200_000
#: Bytes whose text is judged for plausibility; the start of a page is enough.
PLAUSIBILITY_SAMPLE_BYTES = 64_000
#: charset-normalizer's mess ratio (the share of suspicious characters: case
#: flipping inside words, unlikely neighbours) up to which a declared legacy
#: charset is believed without asking detection. Right readings of the test
#: corpus, in 17 legacy charsets, stay under 0.06; windows-1251 read as KOI8-R
#: or the other way round scores 0.06 to 0.3 on its text.
PLAUSIBLE_MESS = 0.02

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_META_RE = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)
_XML_DECL_RE = re.compile(rb"""\A\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:\-]+)""")
_HEADER_RE = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)

# What browsers really decode a label as, tried in order. Labels for a subset
# are widened to the superset pages actually use (a "gb2312" page with GBK
# characters, Shift_JIS with Microsoft extensions). ISO-8859-1 and ASCII are
# read as windows-1252 first, as every browser does: the C1 control codes they
# would give instead are never what the author meant.
_WIDER: dict[str, tuple[str, ...]] = {
    "ascii": ("cp1252", "latin-1"),
    "iso8859-1": ("cp1252", "latin-1"),
    "iso8859-9": ("cp1254", "iso8859-9"),
    "gb2312": ("gb2312", "gbk", "gb18030"),
    "gbk": ("gbk", "gb18030"),
    "shift_jis": ("shift_jis", "cp932"),
    "euc_jp": ("euc_jp", "cp932"),
    "euc_kr": ("euc_kr", "cp949"),
    "big5": ("big5", "big5hkscs"),
    "tis-620": ("tis-620", "cp874"),
    "iso8859-11": ("iso8859-11", "cp874"),
}
# Labels Python does not know under these names.
_ALIASES = {
    "x-sjis": "shift_jis",
    "windows-31j": "cp932",
    "x-euc-jp": "euc_jp",
    "windows-874": "cp874",
    "x-gbk": "gbk",
    "iso-8859-8-i": "iso8859-8",
    "x-mac-roman": "mac-roman",
}


def decide_charset(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Return ``(codec, source)`` for ``body``; ``codec`` is a Python codec name.

    ``source`` is one of "bom", "header", "meta" (any in-document
    declaration), "detected" or "default".
    """
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return bom_codec, "bom"
    utf16 = _sniff_utf16(body)
    if utf16:
        return utf16, "detected"
    header_label = _header_label(content_type)
    declared: list[tuple[str, str]] = [(header_label, "header")] if header_label else []
    declared += [(label, "meta") for label in _document_labels(body, content_type)]
    for label, source in declared:
        codec = _check_label(body, label)
        if codec == "utf-8" and not _is_utf8_label(label):
            return codec, "detected"  # the label lied: the bytes are UTF-8
        if codec:
            better = _better_reading(body, codec)
            return (better, "detected") if better else (codec, source)
    if _valid_utf8(body):
        return "utf-8", ("detected" if not body.isascii() else "default")
    detected = _detect(body)
    if detected:
        return detected, "detected"
    return "utf-8", "default"


def _header_label(content_type: str | None) -> str | None:
    match = _HEADER_RE.search(content_type or "")
    return match.group(1) if match else None


def _document_labels(body: bytes, content_type: str | None) -> list[str]:
    head = body[:DECLARATION_SCAN_BYTES]
    xml = _XML_DECL_RE.match(head)
    meta = _META_RE.search(head)
    labels = [m.group(1).decode("ascii") for m in (xml, meta) if m]
    if "html" in (content_type or "").lower():
        labels.reverse()  # an HTML parser ignores the XML declaration, so <meta> first
    return labels


def _normalise(label: str) -> str | None:
    label = _ALIASES.get(label.strip().lower(), label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _is_utf8_label(label: str) -> bool:
    return _normalise(label) in {"utf-8", "utf-8-sig"}


def _check_label(body: bytes, label: str) -> str | None:
    """The codec a declared label really means for these bytes, or None."""
    name = _normalise(label)
    if name is None or name.startswith(("utf-16", "utf-32")):
        # A UTF-16 label on bytes that are not UTF-16 (no BOM, not sniffed) is
        # a template mistake; WHATWG also reads it as UTF-8.
        return None
    if name in {"utf-8", "utf-8-sig"}:
        return "utf-8" if _mostly_utf8(body) else None
    if not body.isascii() and _valid_utf8(body):
        # Legacy-encoded text is almost never valid UTF-8 by chance, while
        # UTF-8 pages behind a stale legacy label are common.
        return "utf-8"
    for codec in _WIDER.get(name, (name,)):
        if _decodes(body, codec):
            return codec
    return None


def _decodes(body: bytes, codec: str) -> bool:
    # A megabyte at a time: decoding a body of tens of megabytes whole only
    # to throw the text away held a second copy of it (up to four times its
    # size for UTF-32). The BOM-reading UTF-16 and UTF-32 decoders read a
    # body without a BOM differently in pieces, so those decode whole.
    try:
        if codecs.lookup(codec).name in {"utf-16", "utf-32"}:
            body.decode(codec)
            return True
        decoder = codecs.getincrementaldecoder(codec)()
        view = memoryview(body)
        for start in range(0, len(view), _CHECK_STEP_BYTES):
            decoder.decode(view[start : start + _CHECK_STEP_BYTES])
        decoder.decode(b"", final=True)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


_CHECK_STEP_BYTES = 1_000_000


def _valid_utf8(body: bytes) -> bool:
    return _decodes(body, "utf-8")


def _mostly_utf8(body: bytes) -> bool:
    """True when the body is UTF-8 apart from a few stray bytes.

    Pages that declare UTF-8 sometimes carry a pasted Latin-1 byte or a
    truncated sequence; keeping UTF-8 (with replacement characters) loses a
    letter, while switching to a legacy codec garbles every other one. A
    legacy body read as UTF-8 has almost no valid multi-byte sequences, so we
    keep UTF-8 while valid sequences outnumber bad ones four to one.
    """
    if _valid_utf8(body):
        return True
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if ord(char) > 0x7F) - bad
    return good >= 4 * bad


# Bytes that text in an 8-bit charset or UTF-8 practically never holds (C0
# controls other than tab, line feed, form feed and carriage return), while
# in UTF-16 they are the high byte of every ASCII (0x00), Greek (0x03),
# Cyrillic (0x04), Hebrew, Arabic or Thai character.
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


def _sniff_utf16(body: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte is a control byte.

    Markup in UTF-16 leaves a NUL in every high byte, and Cyrillic or Arabic
    text a 0x04 or 0x06, while the low bytes vary. Such bodies are otherwise
    read as ASCII (Cyrillic UTF-16 has no byte over 0x7F) and end as noise.
    """
    head = body[:1024]
    if len(head) < 64:
        return None
    even = _share(head[0::2], _CONTROL_BYTES)
    odd = _share(head[1::2], _CONTROL_BYTES)
    if odd > 0.3 and even < odd / 3 and _decodes(body, "utf-16-le"):
        return "utf-16-le"
    if even > 0.3 and odd < even / 3 and _decodes(body, "utf-16-be"):
        return "utf-16-be"
    return None


def _share(data: bytes, wanted: frozenset[int]) -> float:
    counts = Counter(data)
    return sum(counts[b] for b in wanted) / len(data)


def _mess(body: bytes, codec: str) -> float:
    """How little ``body`` read as ``codec`` looks like text: 0 is clean.

    Markup is left out first: it is ASCII in every charset and would dilute
    the score of the text (``<[^<>]*>`` stops at every "<", so it stays linear).
    """
    text = body[:PLAUSIBILITY_SAMPLE_BYTES].decode(codec, errors="replace")
    return float(mess_ratio(_MARKUP_RE.sub(" ", text), maximum_threshold=1.0))


_MARKUP_RE = re.compile(r"<[^<>]*>|&#?\w{1,10};")


def _better_reading(body: bytes, codec: str) -> str | None:
    """Detection's codec when ``codec`` gives messy text and detection clearly less.

    Two legacy charsets of one script decode the same bytes without an error
    (windows-1251 and KOI8-R, say), so only the text can tell which one is
    right. "Clearly" is half the mess: near-equal readings keep the label.
    """
    if codec in {"utf-8", "utf-8-sig"} or body.isascii():
        return None
    declared_mess = _mess(body, codec)
    if declared_mess <= PLAUSIBLE_MESS:
        return None
    detected = _detect(body)
    if detected is None or codecs.lookup(detected).name == codecs.lookup(codec).name:
        return None
    return detected if _mess(body, detected) <= declared_mess / 2 else None


# Western letters and punctuation that windows-1252 text is made of. Used to
# tell cp1252 from the other Latin code pages, which charset-normalizer scores
# almost equally on short Western text (a Portuguese feed came out as Baltic
# cp1257, a French page as cp1257, an Italian one as mac_latin2). Left out on
# purpose: Icelandic ð, þ, ý, which in a "cp1252" reading are usually Turkish
# ğ, ş, ı or Czech ý, and signs that stand for Central European letters when
# the text is really cp1250 (¹ is ą, ³ is ł, ¦ and ¤ are Polish in Latin-2).
_WESTERN = set(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜßàáâãäåæçèéêëìíîïñòóôõöøùúûüÿŒœŠšŽžŸ"
    "\u00a0¡¢£¥§©ª«\u00ad®°±´µ·º»¿×€„…‘’“”•–—™"
)


def _detect(body: bytes) -> str | None:
    """Ask charset-normalizer, preferring windows-1252 among equal Latin guesses."""
    matches = charset_normalizer.from_bytes(body[:DETECTION_SAMPLE_BYTES])
    best = matches.best()
    if best is None:
        return None
    # cp1252 among the plausible readings and clean Western text under it: the
    # most common legacy charset on the web wins over a near-equal guess.
    if any("cp1252" in m.could_be_from_charset for m in matches) and _looks_western(body):
        codec = "cp1252"
    else:
        codec = best.encoding
    # The sample may end before a byte the guess cannot decode; check it all.
    return codec if _decodes(body, codec) else None


def _looks_western(body: bytes) -> bool:
    if not _decodes(body, "cp1252"):
        return False
    return all(char in _WESTERN for char in body.decode("cp1252") if ord(char) > 0x7F)
