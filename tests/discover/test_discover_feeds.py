"""discover_feed on hand-written RSS, RDF and Atom fixtures, and on hostile bodies."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from babelwire.discover import discover_feed
from babelwire.model import Fetched, Source

MakeFetched = Callable[..., Fetched]


def test_rss20_entries_fields_and_error_line(make_fetched: MakeFetched, source: Source) -> None:
    feed_url = "https://ministry.example/fr/rss.xml"
    result = discover_feed(make_fetched("rss20.xml", feed_url), source)

    assert result.format == "rss"
    assert [e.url for e in result.entries] == [
        "https://ministry.example/fr/communiques/2025/port-saint-aubin",  # tracking removed
        "https://ministry.example/fr/communiques/2025/rapport-littoral",  # relative resolved
        "https://ministry.example/fr/avis/42",  # guid that is a URL
    ]
    first, second, third = result.entries
    assert first.title == "Le ministre visite le port de Saint-Aubin & rencontre les pêcheurs"
    assert first.published == datetime(2025, 12, 9, 13, 30, tzinfo=UTC)
    assert (
        first.summary
        == "Le ministre s'est rendu mardi au port. Il a annoncé un plan de modernisation."
    )
    assert first.language == "fr-FR"
    assert first.found_in == feed_url and first.source_id == source.id
    # Markup stripped, whitespace folded, a twice-escaped entity decoded.
    assert second.title == "Publication du rapport annuel sur le littoral"
    assert second.summary == 'Le rapport annuel est disponible. Il couvre l\'année 2024 "entière".'
    # No zone in the feed: the time as printed, read as UTC. Item language beats channel.
    assert second.published == datetime(2025, 12, 8, 9, 0, tzinfo=UTC)
    assert second.language == "fr-BE"
    assert third.published == datetime(2025, 12, 7, 18, 0, tzinfo=UTC)
    # The duplicate (other spelling of the first link) was dropped; the draft
    # with only a tag: id was skipped and counted.
    assert result.error == (
        f"discover: {feed_url}: 1 of 5 entries had no usable http(s) URL; recovered 3 entries"
    )


def test_rss10_rdf(make_fetched: MakeFetched, source: Source) -> None:
    result = discover_feed(make_fetched("rss10.rdf", "https://statistik.example/rss"), source)
    assert result.format == "rdf" and result.error is None
    assert [e.url for e in result.entries] == [
        "https://statistik.example/pm/2025-101",
        "https://statistik.example/pm/2025-102",
    ]
    assert result.entries[0].published == datetime(2025, 12, 10, 7, 0, tzinfo=UTC)
    assert result.entries[1].published == datetime(2025, 12, 11, tzinfo=UTC)  # date only
    assert result.entries[1].title == "Außenhandel: Exporte leicht rückläufig"
    assert {e.language for e in result.entries} == {"de"}


@pytest.mark.parametrize("charset", [None, "iso-8859-1", "utf-8"])
def test_rss091_latin1_decodes_whatever_charset_fetch_reported(
    make_fetched: MakeFetched, source: Source, charset: str | None
) -> None:
    fetched = make_fetched("rss091_latin1.xml", "http://camara.example/rss", charset=charset)
    result = discover_feed(fetched, source)
    assert result.format == "rss" and result.error is None
    assert [e.title for e in result.entries] == [
        "Obras na avenida começam em março",
        "Horário de atendimento no período de Natal",
    ]
    assert result.entries[0].language == "pt-PT"


def test_atom_xml_base_and_link_relations(make_fetched: MakeFetched, source: Source) -> None:
    result = discover_feed(
        make_fetched("atom10_xmlbase.atom", "https://hacienda.example/f"), source
    )
    assert result.format == "atom" and result.error is None
    assert [e.url for e in result.entries] == [
        "https://hacienda.example/sala-de-prensa/notas/2025/311",  # alternate, not edit
        "https://hacienda.example/comunicados/2025/312.html",  # entry-level xml:base
        "https://hacienda.example/sala-de-prensa/notas/2025/313",  # id that is a URL
    ]
    first, second, _ = result.entries
    assert first.title == "El Gobierno aprueba el techo de gasto para 2026"
    assert first.published == datetime(2025, 12, 11, 8, 0, tzinfo=UTC)  # published, not updated
    assert (first.language, second.language) == ("es", "ca")
    assert second.summary == "La recaptació ha crescut un 4 %. Més dades a l'informe."


def test_malformed_feed_recovers_entries_and_says_where(
    make_fetched: MakeFetched, source: Source
) -> None:
    result = discover_feed(make_fetched("broken_feed.xml", "https://port.example/rss"), source)
    urls = [e.url for e in result.entries]
    # The bare & was escaped, not read as the HTML entity &lang;.
    assert "https://port.example/notices/berth-4?from=rss&lang=en" in urls
    # The item after the unclosed <title> is not lost.
    assert "https://port.example/notices/night-navigation" in urls
    assert result.error is not None
    assert result.error.startswith("discover: https://port.example/rss: ")
    assert "1 unescaped '&'" in result.error
    assert "not well-formed XML at line 14 (mismatched tag)" in result.error
    assert result.error.endswith(f"recovered {len(urls)} entries")
    assert "\n" not in result.error


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("html_page.html", "not a feed (HTML page)"),
        (b"", "empty body"),
        (b"   \n\t ", "empty body"),
        (b"Service temporarily unavailable", "not a feed (no XML element)"),
        (
            b"<?xml version='1.0'?><catalog><book/></catalog>",
            "not a feed (document element <catalog>)",
        ),
        # Looks like a URL: must be parsed as text, never opened.
        (b"http://127.0.0.1:9/feed.xml", "not a feed (no XML element)"),
    ],
)
def test_bodies_that_are_not_feeds(
    make_fetched: MakeFetched, source: Source, body: bytes | str, problem: str
) -> None:
    result = discover_feed(make_fetched(body, "https://port.example/rss"), source)
    assert result.entries == ()
    assert result.error == f"discover: https://port.example/rss: {problem}"


def test_not_modified_is_quiet(make_fetched: MakeFetched, source: Source) -> None:
    result = discover_feed(make_fetched(b"", not_modified=True), source)
    assert result.entries == () and result.error is None


def test_max_entries_keeps_the_first(make_fetched: MakeFetched, source: Source) -> None:
    result = discover_feed(make_fetched("rss20.xml"), source, max_entries=2)
    assert len(result.entries) == 2
    assert result.entries[0].url.endswith("port-saint-aubin")


def _rss(title: str, declaration: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    return (
        f'{declaration}\n<rss version="2.0"><channel><title>t</title>'
        f"<link>https://a.example/</link><item><title>{title}</title>"
        f"<link>https://a.example/1</link></item></channel></rss>"
    )


def test_label_that_lies_about_utf8(make_fetched: MakeFetched, source: Source) -> None:
    body = _rss("Kursziel erhöht für Müller AG", '<?xml version="1.0" encoding="ISO-8859-1"?>')
    fetched = make_fetched(body.encode("utf-8"), charset="iso-8859-1")
    assert discover_feed(fetched, source).entries[0].title == "Kursziel erhöht für Müller AG"


@pytest.mark.parametrize("via", ["cp1252", "cp1251"])
def test_double_encoded_feed_is_repaired(
    make_fetched: MakeFetched, source: Source, via: str
) -> None:
    title = "В Москве из-за сильных морозов отменили занятия"
    # What broken software does: read UTF-8 bytes as a single-byte code page
    # (bytes the code page leaves undefined pass through as Latin-1), save as UTF-8.
    misread = "".join(
        bytes([b]).decode(via, errors="ignore") or chr(b) for b in _rss(title).encode("utf-8")
    )
    mojibake = misread.encode("utf-8")
    result = discover_feed(make_fetched(mojibake, charset="utf-8"), source)
    assert result.entries[0].title == title


def test_blank_line_before_declaration(make_fetched: MakeFetched, source: Source) -> None:
    body = ("\n\n  " + _rss("Alerta")).encode()
    result = discover_feed(make_fetched(body), source)
    assert [e.title for e in result.entries] == ["Alerta"]
    assert result.error is not None and "XML declaration not at start" in result.error


def test_html_entities_in_xml_are_understood(make_fetched: MakeFetched, source: Source) -> None:
    result = discover_feed(make_fetched(_rss("Caf&eacute;&nbsp;cr&egrave;me").encode()), source)
    assert result.entries[0].title == "Café crème"


def test_gzipped_feed_without_content_encoding(make_fetched: MakeFetched, source: Source) -> None:
    body = gzip.compress(_rss("Comprimido").encode(), mtime=0)
    result = discover_feed(make_fetched(body, content_type="application/x-gzip"), source)
    assert [e.title for e in result.entries] == ["Comprimido"]


def test_sitemap_handed_to_discover_feed_is_read_as_sitemap(
    make_fetched: MakeFetched, source: Source
) -> None:
    result = discover_feed(make_fetched("sitemap_news.xml", "https://mfa.example/s.xml"), source)
    assert result.format == "sitemap" and len(result.entries) == 3


def test_feed_entities_are_never_expanded(
    make_fetched: MakeFetched, source: Source, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-7731")
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY s SYSTEM "{secret.as_uri()}">\n'
        f'<!ENTITY l0 "lol">\n{laughs}\n]>\n<rss version="2.0"><channel><title>t</title>'
        "<item><title>one &s;</title><link>https://a.example/1</link>"
        "<description>&l9;</description></item></channel></rss>"
    )
    result = discover_feed(make_fetched(body.encode()), source)
    text = repr(result)
    assert "TOPSECRET" not in text
    assert "lollollol" not in text
    assert [e.url for e in result.entries] == ["https://a.example/1"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le"])
def test_utf16_feed(make_fetched: MakeFetched, source: Source, codec: str) -> None:
    body = _rss("Привет, мир", '<?xml version="1.0" encoding="UTF-16"?>').encode(codec)
    assert [e.title for e in discover_feed(make_fetched(body), source).entries] == ["Привет, мир"]


def test_rss_labelled_as_json_is_still_read(make_fetched: MakeFetched, source: Source) -> None:
    fetched = make_fetched(_rss("Etiqueta").encode(), content_type="application/json")
    assert [e.title for e in discover_feed(fetched, source).entries] == ["Etiqueta"]
