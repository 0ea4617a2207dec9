"""Body structure: block kinds, table rows, inline whitespace, nothing glued or invented."""

from __future__ import annotations

import lxml.html
import pytest

from babelwire.extract import extract
from babelwire.model import Block, BlockKind

from .pages import PAGE_URL, read_fixture

FILLER = (
    "<p>The regional council met for the third time this month to review the water budget, "
    "and its members heard reports from engineers, farmers and city officials.</p>"
)


def body_of(paragraphs: str, *, lang: str = "en") -> list[Block]:
    html = (
        f'<html lang="{lang}"><head><title>Test story</title></head><body><article>'
        f"<h1>Test story</h1>{FILLER}{paragraphs}{FILLER}</article></body></html>"
    )
    return list(extract(html, url=PAGE_URL).blocks)


def texts(blocks: list[Block]) -> str:
    return "\n".join(b.text for b in blocks)


def test_article_structure_keeps_block_kinds() -> None:
    blocks = extract(read_fixture("article_en.html"), url=PAGE_URL).blocks
    kinds = {b.kind for b in blocks}
    assert kinds == {BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM,
                     BlockKind.QUOTE, BlockKind.TABLE_ROW}
    assert Block(BlockKind.HEADING, "What the plan contains") in blocks
    quote = "Water does not stop at borders, and neither should our data."
    assert Block(BlockKind.QUOTE, quote) in blocks
    items = [b.text for b in blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == [
        "Forty new gauging stations on the main river and its tributaries.",
        "A shared database, updated every six hours, open to all member states.",
    ]


def test_table_rows_keep_their_cells() -> None:
    blocks = extract(read_fixture("article_en.html"), url=PAGE_URL).blocks
    rows = [b for b in blocks if b.kind is BlockKind.TABLE_ROW]
    assert rows == [
        Block(BlockKind.TABLE_ROW, "Country | Stations", ("Country", "Stations")),
        Block(BlockKind.TABLE_ROW, "North Province | 12", ("North Province", "12")),
        Block(BlockKind.TABLE_ROW, "South Province | 28", ("South Province", "28")),
    ]


def test_headline_is_not_repeated_in_the_body() -> None:
    blocks = extract(read_fixture("article_en.html"), url=PAGE_URL).blocks
    assert all(b.text != "Council backs regional water plan" for b in blocks)


def test_blocks_follow_the_page_order() -> None:
    text = extract(read_fixture("article_en.html"), url=PAGE_URL).text
    order = ["Member states agreed", "The Council adopted", "What the plan contains",
             "Forty new gauging", "Water does not stop", "North Province", "The first stations"]
    positions = [text.index(fragment) for fragment in order]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<p>The Council in <a href="/r">resolution 2773</a> called on the parties.</p>',
         "in resolution 2773 called on the parties"),
        ('<p>Совет Безопасности в <a href="/r">резолюции 2773</a> Силы М23 отступили.</p>',
         "в резолюции 2773 Силы М23 отступили"),
        ("<p>Members <span>voted</span> <b>for</b> <em>the</em> <strong>text</strong> today.</p>",
         "Members voted for the text today."),
        ('<p>Talks <a href="/a">went</a>\n   <a href="/b">well</a>,\n\tsaid the chair.</p>',
         "Talks went well, said the chair."),
        ("<p>First<span> </span>second <b><i>third</i></b>\u00a0fourth.</p>",
         "First second third fourth."),
    ],
)
def test_inline_elements_never_glue_separated_words(html: str, expected: str) -> None:
    assert expected in texts(body_of(html))


def test_words_glued_in_the_source_stay_as_written() -> None:
    # The page itself has no space after the link: adding one would change the text.
    body = texts(body_of('<p>See <a href="/r">Resolution 2773</a>The AFC/M23 withdrew.</p>'))
    assert "Resolution 2773The AFC/M23 withdrew." in body


def test_line_breaks_separate_paragraphs() -> None:
    body = body_of("<p>First line of the notice.<br>Second line of the notice.<br/><br/>Third.</p>")
    assert [b.text for b in body[1:4]] == [
        "First line of the notice.", "Second line of the notice.", "Third.",
    ]


def test_whitespace_is_folded_and_invisible_characters_removed() -> None:
    body = texts(body_of("<p>A\u200bB  spaced\n\n  out\u00adtext and\u00a0more.</p>"))
    assert "AB spaced outtext and more." in body


def test_layout_tables_read_as_text_not_rows() -> None:
    cell = "The ministry published its annual report on river quality, " * 10
    html = (
        "<html><head><title>Report</title></head><body><table><tr>"
        "<td><a href='/'>Home</a><br><a href='/news'>News</a></td>"
        f"<td><h1>Report</h1><p>{cell}</p><p>{cell}</p></td></tr></table></body></html>"
    )
    blocks = extract(html, url=PAGE_URL).blocks
    assert all(b.kind is not BlockKind.TABLE_ROW for b in blocks)
    assert "annual report on river quality" in blocks[0].text


def own_page(name: str) -> list[Block]:
    return list(extract(read_fixture(f"quality/{name}"), url=PAGE_URL).blocks)


def test_last_paragraph_that_repeats_an_earlier_one_is_kept() -> None:
    reminder = ("Sailings may be cancelled at short notice in strong winds. "
                "Check the status of your sailing before you travel.")
    blocks = own_page("own_repeat_last.html")
    assert [b.text for b in blocks].count(reminder) == 2
    assert blocks[-1].text == reminder


@pytest.mark.parametrize(
    ("name", "headings", "items", "rows"),
    [("own_encyclopedia.html", 10, 9, 5), ("own_technical_chapter.html", 6, 7, 3)],
)
def test_long_page_keeps_its_headings_lists_and_tables(
    name: str, headings: int, items: int, rows: int
) -> None:
    blocks = own_page(name)
    kinds = [b.kind for b in blocks]
    assert kinds.count(BlockKind.HEADING) == headings
    assert kinds.count(BlockKind.LIST_ITEM) == items
    assert kinds.count(BlockKind.TABLE_ROW) == rows


def test_long_page_keeps_all_of_its_article_words() -> None:
    # Every word of the article part of the page (between the <h1> and the
    # "See also" list) is in the body, in order of its sections.
    html = read_fixture("quality/own_encyclopedia.html")
    article = lxml.html.fromstring(html).get_element_by_id("content")
    words = []
    for element in article.iter("p", "li", "h2", "h3", "td", "th"):
        if element.getparent().get("class") in ("seealso",) or "toc" in (
            element.getparent().getparent().get("class") or ""
        ):
            continue
        words.extend(element.text_content().split())
    body_words = " ".join(b.text for b in own_page("own_encyclopedia.html")).split()
    kept = sum(1 for w in words if w in set(body_words))
    assert kept >= 0.98 * len(words), (kept, len(words))
    headings = [b.text for b in own_page("own_encyclopedia.html") if b.kind is BlockKind.HEADING]
    assert headings[:3] == ["Geography", "Dimensions", "Inflows"]


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("own_br_short_es.html", [
            "La empresa de aguas informa que el martes 14 de octubre se interrumpirá el servicio "
            "entre las 8 y las 16 horas.",
            "El corte afectará a las calles Los Álamos, San Martín y Las Heras, entre la avenida "
            "del Río y el puente viejo.",
            "Durante la obra se cambiará un tramo de cañería de doscientos metros que presentaba "
            "pérdidas.",
            "Se recomienda a los vecinos reservar agua para el consumo del día y mantener "
            "cerradas las canillas.",
            "Un camión cisterna estará disponible frente a la escuela número 12 durante todo "
            "el corte.",
        ]),
        ("own_br_statement_ru.html", [
            "В связи с ремонтом дорожного покрытия пункт пропуска «Северный» с 8 по 12 декабря "
            "будет работать только для легковых автомобилей.",
            "Грузовой транспорт будет направлен через пункт пропуска «Южный», где на эти дни "
            "открыты две дополнительные полосы.",
            "Пассажирские автобусы проходят контроль в обычном порядке.",
            "Справки по телефону горячей линии круглосуточно.",
        ]),
    ],
)
def test_short_br_separated_page_keeps_every_paragraph(name: str, lines: list[str]) -> None:
    assert [b.text for b in own_page(name)] == lines
