"""A large body is repaired a piece at a time and reads as it did whole.

Bodies from ``STREAMED_BODY_BYTES`` on are decoded, repaired and re-encoded
in pieces (discover/xmlstream.py) so that about one copy of them is alive.
Each case here is read both ways, the whole way by raising the threshold,
and must give the same bytes, problems and entries.
"""

from __future__ import annotations

import gzip
import random
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from babelwire.discover import discover_feed, discover_sitemap, xmlprep
from babelwire.discover.xmlprep import prepare_xml
from babelwire.discover.xmlstream import (
    MAX_TEXT_CHARS,
    TEXT_RUN_MAX_BYTES,
    ReferenceRepair,
    long_text_cut,
    repair_references,
)
from babelwire.model import Source

from .conftest import MakeFetched

_ITEM = (
    "<item><title>{title} {n}</title><link>https://ministry.example/a/{n}?x=1{amp}y=2</link>"
    "<description>{text}</description><pubDate>Mon, 01 Dec 2025 10:00:00 GMT</pubDate></item>"
)


def _feed(declaration: str, item_text: str, *, count: int, lead: str = "", amp: str = "&amp;",
          title: str = "Новости") -> str:
    items = "".join(_ITEM.format(title=title, n=n, amp=amp, text=item_text) for n in range(count))
    return f"{lead}{declaration}<rss version='2.0'><channel><title>t</title>{items}</channel></rss>"


_DECLARED_UTF8 = "<?xml version='1.0' encoding='utf-8'?>"
#: Bodies of about 3 MB, each needing a different repair (or none).
CASES = {
    "clean utf-8": _feed(_DECLARED_UTF8, "Ж€ текст", count=14_000).encode(),
    "bare ampersands": _feed(_DECLARED_UTF8, "a & b", count=14_000, amp="&").encode(),
    "html entities": _feed(_DECLARED_UTF8, "a&nbsp;b&eacute;", count=14_000).encode(),
    "cdata and comments": _feed(
        _DECLARED_UTF8, "<![CDATA[a & b &nbsp;]]><!-- & -->&copy;", count=12_000
    ).encode(),
    "comments before the declaration": _feed(
        _DECLARED_UTF8, "x", count=14_000, lead="\n<!-- generated -->\n"
    ).encode(),
    "declaration on a long first line": _feed("<?xml version='1.0'?>", "x", count=14_000).encode(),
    "windows-1251 declared": _feed(
        "<?xml version='1.0' encoding='windows-1251'?>", "текст &amp; ещё", count=14_000
    ).encode("cp1251"),
    "double-encoded utf-8": _feed(_DECLARED_UTF8, "Москва", count=14_000)
    .encode()
    .decode("cp1251", errors="replace")
    .encode(),
    "byte order mark": b"\xef\xbb\xbf" + _feed(_DECLARED_UTF8, "é", count=14_000).encode(),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_large_body_prepared_in_pieces_gives_what_the_whole_body_gives(
    name: str, make_fetched: MakeFetched, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = CASES[name]
    assert len(body) >= xmlprep.STREAMED_BODY_BYTES
    in_pieces = prepare_xml(make_fetched(body))
    monkeypatch.setattr(xmlprep, "STREAMED_BODY_BYTES", 10**12)
    whole = prepare_xml(make_fetched(body))
    assert whole.recoding is None
    assert in_pieces.data == whole.data, name
    assert (in_pieces.encoding, in_pieces.root, in_pieces.problems) == (
        whole.encoding, whole.root, whole.problems
    )


@pytest.mark.parametrize(
    "name", ["double-encoded utf-8", "bare ampersands", "windows-1251 declared"]
)
def test_a_large_non_ascii_feed_read_in_pieces_gives_the_same_entries(
    name: str, make_fetched: MakeFetched, source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched = make_fetched(gzip.compress(CASES[name], mtime=0))
    in_pieces = discover_feed(fetched, source)
    monkeypatch.setattr(xmlprep, "STREAMED_BODY_BYTES", 10**12)
    whole = discover_feed(fetched, source)
    assert len(in_pieces.entries) == 200
    assert in_pieces.entries == whole.entries
    assert in_pieces.error == whole.error
    if name == "double-encoded utf-8":
        assert in_pieces.entries[0].title == "Новости 0"


def test_a_large_text_sitemap_is_read_line_by_line(
    make_fetched: MakeFetched, source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = "".join(f"https://ministry.example/p/{n}\r\n  \n# note {n}\n" for n in range(70_000))
    fetched = make_fetched(lines.encode(), "https://ministry.example/sitemap.txt")
    in_pieces = discover_sitemap(fetched, source, max_entries=50_000)
    monkeypatch.setattr(xmlprep, "STREAMED_BODY_BYTES", 10**12)
    whole = discover_sitemap(fetched, source, max_entries=50_000)
    assert len(in_pieces.entries) == 50_000
    assert in_pieces.entries == whole.entries


_REFERENCE_TEXT = st.lists(
    st.sampled_from(["&", "amp;", "nbsp;", "#12;", "#x1F;", "<![CDATA[", "]]>", "<!--", "-->",
                     "<", "!", "a", ";", " ", "é", "-", "]", ">", "copy;", "lang="]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_REFERENCE_TEXT, cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=6))
def test_references_repaired_in_pieces_equal_the_whole(text: str, cuts: list[int]) -> None:
    problems: list[str] = []
    whole = repair_references(text, problems)
    bounds = sorted({min(cut, len(text)) for cut in cuts})
    pieces = [text[a:b] for a, b in zip([0, *bounds], [*bounds, len(text)], strict=True)]
    repair = ReferenceRepair()
    assert "".join(repair.feed(piece) for piece in pieces) + repair.finish() == whole
    assert repair.counts.problems() == problems


def test_gzip_is_inflated_in_steps_as_one_call_would() -> None:
    rng = random.Random(3)
    for _ in range(60):
        raw = rng.randbytes(rng.randrange(1, 3000)) * rng.choice([1, 1000, 3000])
        packed = gzip.compress(raw, mtime=0)
        packed = rng.choice([packed, packed[: rng.randrange(len(packed))], packed + packed])
        cap = rng.choice([10, 1000, 1_000_000, 2_500_000, len(raw), len(raw) + 1])
        once = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            expected = once.decompress(packed, cap)
        except zlib.error:
            expected = b""
        assert xmlprep._gunzip(packed, [], cap) == expected


def test_a_long_run_of_text_is_cut_whole_characters_and_its_start_kept() -> None:
    start = "Ж€" * MAX_TEXT_CHARS  # 5 bytes a pair: the run crosses several chunks
    body = ("<a>" + start + "ж" * 3_000_000 + "</a><b>kept</b>").encode()
    chunks = [body[i : i + 1_000_000] for i in range(0, len(body), 1_000_000)]
    cut = b"".join(long_text_cut(chunks))
    assert len(cut) < len(body) - 3_000_000
    text = cut.decode("utf-8")  # strict: no character was split
    assert text.startswith("<a>" + start[:MAX_TEXT_CHARS])
    assert text.endswith("</a><b>kept</b>")
    assert len(cut) < len(start.encode()) + 2 * TEXT_RUN_MAX_BYTES + 2_000_000
