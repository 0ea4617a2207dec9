"""decide_charset: every declared charset is checked against the bytes."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from babelwire.fetch import decide_charset

RUSSIAN = "Министерство иностранных дел Российской Федерации сообщает о переговорах."
FRENCH = "Le ministère a publié un communiqué à propos de l'économie française. Déjà été."


def _page(text: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def test_header_charset_is_used_when_the_bytes_agree() -> None:
    body = _page(RUSSIAN).encode("cp1251")
    assert decide_charset(body, "text/html; charset=windows-1251") == ("cp1251", "header")


def test_bom_wins_over_a_wrong_header() -> None:
    assert decide_charset(
        codecs.BOM_UTF8 + _page(RUSSIAN).encode(), "text/html; charset=latin-1"
    ) == ("utf-8-sig", "bom")
    body = codecs.BOM_UTF16_LE + _page(FRENCH).encode("utf-16-le")
    codec, source = decide_charset(body, None)
    assert (codec, source) == ("utf-16", "bom") and body.decode(codec) == _page(FRENCH)


def test_meta_charset_and_http_equiv() -> None:
    body = _page(RUSSIAN, '<meta charset="koi8-r">').encode("koi8-r")
    assert decide_charset(body, "text/html") == ("koi8-r", "meta")
    head = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2">'
    body = _page("Zażółć gęślą jaźń", head).encode("iso-8859-2")
    assert decide_charset(body, None) == ("iso8859-2", "meta")


def test_xml_declaration() -> None:
    body = f'<?xml version="1.0" encoding="windows-1251"?><rss><title>{RUSSIAN}</title></rss>'
    assert decide_charset(body.encode("cp1251"), "application/rss+xml") == ("cp1251", "meta")


def test_latin1_declared_but_really_utf8() -> None:
    body = _page(FRENCH, '<meta charset="iso-8859-1">').encode("utf-8")
    assert decide_charset(body, "text/html; charset=ISO-8859-1") == ("utf-8", "detected")


def test_gb2312_page_with_gbk_only_characters_is_widened() -> None:
    # 镕 and 喆 are not in GB2312; GBK and GB18030 have them.
    text = _page("朱镕基总理会见张喆代表团", '<meta charset="gb2312">')
    body = text.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    codec, source = decide_charset(body, "text/html")
    assert source == "meta" and body.decode(codec) == text


def test_iso_8859_1_is_read_as_windows_1252() -> None:
    text = _page("\u201cquoted\u201d \u2013 caf\u00e9", '<meta charset="iso-8859-1">')
    body = text.encode("cp1252")
    codec, source = decide_charset(body, None)
    assert (codec, source) == ("cp1252", "meta")
    assert "\u201cquoted\u201d" in body.decode(codec)


def test_a_label_that_fails_falls_through_to_the_next_source() -> None:
    body = _page(RUSSIAN, '<meta charset="windows-1251">').encode("cp1251")
    # The header claims Shift_JIS, which cannot decode these bytes.
    assert decide_charset(body, "text/html; charset=shift_jis") == ("cp1251", "meta")


def test_unknown_labels_are_ignored() -> None:
    body = _page(FRENCH).encode("utf-8")
    assert decide_charset(body, "text/html; charset=x-nonsense") == ("utf-8", "detected")


def test_utf16_without_bom_is_sniffed() -> None:
    body = _page(FRENCH, '<meta charset="utf-16">').encode("utf-16-le")
    assert decide_charset(body, "text/html") == ("utf-16-le", "detected")


def test_a_few_bad_bytes_in_utf8_keep_utf8() -> None:
    body = _page(RUSSIAN * 3, '<meta charset="utf-8">').encode() + b"\xe9 stray latin-1 byte"
    assert decide_charset(body, None) == ("utf-8", "meta")


def test_undeclared_legacy_text_is_detected() -> None:
    assert decide_charset(_page(RUSSIAN * 3).encode("cp1251"), None) == ("cp1251", "detected")
    assert decide_charset(_page(FRENCH * 3).encode("cp1252"), "text/html") == ("cp1252", "detected")


def test_plain_ascii_defaults_to_utf8() -> None:
    assert decide_charset(b"<html>hello</html>", None) == ("utf-8", "default")
    assert decide_charset(b"", None) == ("utf-8", "default")


# Python codecs that map a few characters differently from their JIS siblings;
# browsers use the Microsoft mapping (cp932), the manifest the JIS one.
_JIS_VARIANTS = {
    ("−", "－"),
    ("〜", "～"),
    ("‖", "∥"),
    ("¢", "￠"),
    ("£", "￡"),
    ("¬", "￢"),
    ("—", "―"),
}
# Documented in the corpus README as valid in no single encoding.
_INVALID_ANYWHERE = {
    "pages/pl_radiomaryja_bad-utf8.html",
    "pages/de_tierschutzpartei_bad-utf8.html",
}


def _same_text(expected: str, got: str) -> bool:
    """Equal, allowing a stripped BOM, cp1252 for C1 controls, and JIS mapping variants."""
    expected, got = expected.removeprefix("\ufeff"), got.removeprefix("\ufeff")
    if expected == got:
        return True
    if len(expected) != len(got):
        return False
    return all(
        a == b or 0x80 <= ord(a) <= 0x9F or (a, b) in _JIS_VARIANTS
        for a, b in zip(expected, got, strict=True)
    )


@pytest.mark.corpus
def test_corpus_encodings(corpus_dir: Path) -> None:
    rows = [json.loads(line) for line in (corpus_dir / "manifest.jsonl").read_text().splitlines()]
    checked = [r for r in rows if r.get("encoding") and r["path"] not in _INVALID_ANYWHERE]
    failures = []
    for row in checked:
        body = (corpus_dir / row["path"]).read_bytes()
        content_type = "text/html" if row["kind"] == "page" else None
        codec, source = decide_charset(body, content_type)
        try:
            ok = _same_text(body.decode(row["encoding"]), body.decode(codec))
        except UnicodeDecodeError:
            ok = False
        if not ok:
            failures.append(f"{row['path']}: {row['encoding']} != {codec} ({source})")
    print(f"decide_charset: {len(checked) - len(failures)}/{len(checked)} corpus files")
    assert len(checked) >= 180
    assert failures == []
