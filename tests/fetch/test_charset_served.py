"""Pages whose charset label lies, served on loopback, fetched and extracted.

A label is believed only when its text reads as text; UTF-16 without a byte
order mark is recognised; a page declared UTF-8 with invalid bytes is read
with replacement characters, or skipped with a reason that says so, never
failed as "binary".
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from babelwire.errors import Drop, ExtractError
from babelwire.extract import extract_fetched
from babelwire.fetch import decide_charset

PARAGRAPH = (
    "Министерство иностранных дел Российской Федерации сообщает о встрече министров. "
    "Переговоры прошли в конструктивной атмосфере, стороны обсудили вопросы торговли, "
    "энергетики и безопасности в регионе. "
)
TITLE = "Встреча министров иностранных дел"


def article(meta: str = "", paragraphs: int = 6) -> str:
    body = "".join(f"<p>{PARAGRAPH * 2}</p>" for _ in range(paragraphs))
    return (
        f"<!DOCTYPE html><html lang='ru'><head>{meta}<title>{TITLE}</title></head>"
        f"<body><article><h1>{TITLE}</h1>{body}</article></body></html>"
    )


def fetch_and_extract(server: Any, make_fetcher: Any, body: bytes, content_type: str) -> Any:
    server.route("/news/1", 200, body, {"Content-Type": content_type})
    fetched = make_fetcher().get("http://site.test/news/1")
    return fetched, extract_fetched(fetched, source_languages=("ru",))


@pytest.mark.parametrize(
    ("meta", "content_type"),
    [
        ("", "text/html; charset=koi8-r"),
        ('<meta charset="koi8-r">', "text/html"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=KOI8-R">', "text/html"),
        ('<meta charset="iso-8859-5">', "text/html"),
    ],
)
def test_windows_1251_page_labelled_otherwise_is_read_as_windows_1251(
    server: Any, make_fetcher: Any, meta: str, content_type: str
) -> None:
    body = article(meta).encode("cp1251")
    fetched, extracted = fetch_and_extract(server, make_fetcher, body, content_type)
    assert (fetched.charset, fetched.charset_source) == ("cp1251", "detected")
    assert extracted.title == TITLE
    assert "конструктивной атмосфере" in extracted.text


def test_a_true_koi8_r_label_is_kept(server: Any, make_fetcher: Any) -> None:
    body = article('<meta charset="koi8-r">').encode("koi8-r")
    fetched, extracted = fetch_and_extract(server, make_fetcher, body, "text/html")
    assert (fetched.charset, fetched.charset_source) == ("koi8-r", "meta")
    assert "конструктивной атмосфере" in extracted.text


@pytest.mark.parametrize(
    ("codec", "content_type"),
    [
        ("utf-16-le", "text/html"),
        ("utf-16-be", "text/html"),
        ("utf-16-le", "text/html; charset=utf-16"),
        ("utf-16-le", "text/html; charset=utf-8"),  # a header that lies as well
    ],
)
def test_utf16_without_bom_is_read(
    server: Any, make_fetcher: Any, codec: str, content_type: str
) -> None:
    # Cyrillic UTF-16 has no byte over 0x7F: read as UTF-8 it was all noise.
    body = article().encode(codec)
    fetched, extracted = fetch_and_extract(server, make_fetcher, body, content_type)
    assert fetched.charset == codec and fetched.charset_source == "detected"
    assert extracted.title == TITLE and "конструктивной атмосфере" in extracted.text


def test_utf16_starting_with_text_is_read() -> None:
    body = (PARAGRAPH * 4 + article()).encode("utf-16-le")
    assert decide_charset(body, "text/html") == ("utf-16-le", "detected")


def _damaged(body: bytes, share: float, seed: int) -> bytes:
    """``body`` with about ``share`` of its non-ASCII bytes replaced by 0xFF."""
    rng = random.Random(seed)
    return bytes(0xFF if b >= 0x80 and rng.random() < share else b for b in body)


def test_a_few_invalid_utf8_bytes_are_read_with_replacement(
    server: Any, make_fetcher: Any
) -> None:
    body = _damaged(article('<meta charset="utf-8">').encode(), 0.02, seed=7)
    fetched, extracted = fetch_and_extract(server, make_fetcher, body, "text/html; charset=utf-8")
    assert fetched.charset == "utf-8"
    assert "\ufffd" in extracted.text and "Министерство" in extracted.text


def test_mostly_invalid_utf8_is_skipped_with_a_reason_not_failed_as_binary(
    server: Any, make_fetcher: Any
) -> None:
    body = _damaged(article('<meta charset="utf-8">').encode(), 0.5, seed=7)
    with pytest.raises(Drop) as caught:
        fetch_and_extract(server, make_fetcher, body, "text/html; charset=utf-8")
    reason = str(caught.value)
    assert reason.startswith("extract: undecodable text: ")
    assert "bytes invalid in its charset for http://site.test/news/1" in reason
    assert "binary" not in reason


def test_binary_served_as_html_is_still_binary(server: Any, make_fetcher: Any) -> None:
    rng = random.Random(3)
    body = b"<html><body>" + bytes(rng.randrange(256) for _ in range(20_000))
    with pytest.raises(ExtractError, match=r"^extract: binary content, not HTML for http://site"):
        fetch_and_extract(server, make_fetcher, body, "text/html")
