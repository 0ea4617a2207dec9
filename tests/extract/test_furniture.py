"""No captions, credits, share widgets, related links, cookie banners or navigation in the body."""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from babelwire.extract import extract
from babelwire.extract.blockfilter import RULES as BLOCK_RULES
from babelwire.extract.blockfilter import filter_blocks, furniture_reason
from babelwire.extract.clean import RULES, is_furniture, remove_furniture
from babelwire.model import Block, BlockKind

from .pages import PAGE_URL, read_fixture


@pytest.mark.parametrize(
    "furniture",
    [
        "Delegates during the closing session",  # figcaption
        "Photo: World Desk/Jane Roe",  # credit inside the caption
        "Share on Facebook",  # share widget
        "Tweet this story",
        "Drought hits farming towns",  # related links
        "Related stories",
        "We use cookies",  # consent banner
        "Accept all",
        "Climate Desk",  # navigation
        "morning newsletter",  # newsletter box
        "All rights reserved",  # footer
        "Contact us",
    ],
)
def test_english_page_body_has_no_furniture(furniture: str) -> None:
    text = extract(read_fixture("article_en.html"), url=PAGE_URL).text
    assert furniture not in text
    assert "The first stations are due to open in the spring" in text


@pytest.mark.parametrize(
    "furniture",
    ["Фото ООН/Марк Гартен", "Читайте также", "Все права защищены", "Экономика", "12 декабря 2025"],
)
def test_russian_page_body_has_no_captions_teasers_or_menus(furniture: str) -> None:
    text = extract(read_fixture("article_ru.html"), url=PAGE_URL).text
    assert furniture not in text
    assert "Эксперты считают" in text


@pytest.mark.parametrize(
    "line",
    [
        "Генеральный секретарь Антониу Гутерриш. Фото ООН/Эскиндер Дебебе",
        "Photo: UN/John Isaac",
        "Foto: dpa",
        "Y bác sĩ nội soi cho bệnh nhân. Ảnh: Bệnh viện cung cấp",
        "图片来源：新华社",
        "图注：测试表明传言不正确",
        "新华社记者 王明 摄",
        "Lawmakers leave the chamber. REUTERS/Jane Doe",
        "A crowd outside the court (AFP/Getty Images)",
        "© 2025 Example Media",
        "Share Tweet Email",
        "Поделиться",
        "Read also: Storm closes mountain passes",
        "Lesen Sie auch: Die Bahn streikt wieder",
        "関連記事：台風が接近",
        "We use cookies to improve the site. By continuing you agree to our cookie policy.",
        "Advertisement",
        "Tags: water, budget, council",
    ],
)
def test_furniture_lines_are_recognised(line: str) -> None:
    assert furniture_reason(Block(BlockKind.PARAGRAPH, line)) is not None


@pytest.mark.parametrize(
    "line",
    [
        "The AU/UN hybrid operation in Darfur continues to protect civilians.",
        "UN/AU mission continues to patrol the area around the camps.",
        "Their image: tarnished by years of delays.",
        "The photographer said the light was perfect that morning, and the crowd agreed.",
        "Совет Безопасности в резолюции 2773 осудил наступление.",
        "Der Minister sagte: Das Wasser bleibt knapp.",
    ],
)
def test_article_sentences_are_not_taken_for_furniture(line: str) -> None:
    assert furniture_reason(Block(BlockKind.PARAGRAPH, line)) is None


def test_table_rows_are_never_filtered() -> None:
    row = Block(BlockKind.TABLE_ROW, "Photo: | 12", ("Photo:", "12"))
    assert filter_blocks([row]) == [row]


def test_repeated_paragraphs_are_all_kept() -> None:
    # An author who repeats a sentence (a closing reminder) means it twice;
    # dropping the repeat loses the end of the story.
    sentence = "Universal health coverage is a powerful equalizer, the director said."
    blocks = [Block(BlockKind.PARAGRAPH, sentence), Block(BlockKind.PARAGRAPH, "Middle."),
              Block(BlockKind.PARAGRAPH, sentence)]
    assert [b.text for b in filter_blocks(blocks)] == [sentence, "Middle.", sentence]


@pytest.mark.parametrize(
    "caption",
    ["援助物资在广州白云机场装机。（中国国际发展合作署供图）", "研讨会现场。（外交部供图）"],
)
def test_chinese_photo_credit_in_parentheses_is_a_caption(caption: str) -> None:
    assert furniture_reason(Block(BlockKind.PARAGRAPH, caption)) is not None


def test_every_rule_says_why() -> None:
    assert all(rule.why and rule.kind in {"tag", "role", "marker"} for rule in RULES)


@pytest.mark.parametrize(
    ("markup", "furniture"),
    [
        ('<div class="photoCredit">x</div>', True),
        ('<div class="share-bar">x</div>', True),
        ('<div id="relatedArticles">x</div>', True),
        ('<div class="pullme">x</div>', True),
        ('<div role="navigation">x</div>', True),
        ('<div aria-hidden="true">x</div>', True),
        ('<div style="display: none">x</div>', True),
        ('<div class="header">x</div>', False),  # "ad" must match whole words only
        ('<div class="overflow-hidden">x</div>', False),  # a layout utility, not hidden text
        ('<div class="text-size-20">x</div>', False),
        ('<div class="download-area">x</div>', False),
        ('<article class="story social">x</article>', False),  # landmarks are never markers
    ],
)
def test_rules_match_whole_words(markup: str, furniture: bool) -> None:
    element = lxml.html.fragment_fromstring(markup)
    assert is_furniture(element) is furniture


def test_wrapper_named_like_furniture_keeps_the_story() -> None:
    story = "<p>" + "The river commission published new figures on Monday, and they are grim. " * 5
    html = (
        "<html><body><div class='PrintThis social-tools'><h1>Figures published</h1>"
        f"{story}</p>{story}</p></div><div class='share'>Share</div></body></html>"
    )
    tree = lxml.html.document_fromstring(html)
    remove_furniture(tree, "Figures published")
    text = tree.text_content()
    assert "river commission" in text
    assert "Share" not in text


def test_link_only_paragraphs_are_teasers() -> None:
    sentence = "Engineers inspected the dam on Tuesday and found no new cracks in the wall. "
    filler = "<p>" + sentence * 4
    html = (
        f"<html><head><title>Dam safe</title></head><body><article><h1>Dam safe</h1>{filler}</p>"
        '<p><a href="/other">Factbox: every dam inspected since 2010</a></p>'
        f"{filler}</p></article></body></html>"
    )
    text = extract(html, url=PAGE_URL).text
    assert "Factbox" not in text
    assert "Engineers inspected the dam" in text


def test_ruby_readings_are_not_text() -> None:
    annotated = "<ruby>子<rt>こ</rt></ruby>どもへの<ruby>虐待<rt>ぎゃくたい</rt></ruby>"
    para = "<p>" + f"{annotated}をなくすための法律ができました。" * 4
    html = f"<html lang='ja'><body><article><h1>法律</h1>{para}</p></article></body></html>"
    text = extract(html, url=PAGE_URL).text
    assert "子どもへの虐待をなくすための法律ができました。" in text
    assert "ぎゃくたい" not in text


def test_furniture_inside_furniture_goes_with_it_and_a_hidden_root_stays() -> None:
    # The walk does not look inside an element it removes; the page's root is
    # never removed, however it is marked, and its furniture still goes.
    html = (
        "<html hidden><body><div class='sidebar'>Side<div class='share'>Share</div>"
        "<aside>Box</aside>after</div><!-- a note -->kept tail<p>Body text</p>"
        "<nav>Menu</nav></body></html>"
    )
    tree = lxml.html.document_fromstring(html)
    remove_furniture(tree, None)
    text = tree.text_content()
    assert text == "kept tailBody text"
    assert tree.tag == "html"


# Pieces that the block rules look for, in both cases and with the letters
# that match others only when case is ignored ("ſ", "İ", "K" for Kelvin).
_RULE_PIECES = (
    "Photo", "PHOTO", "foto", "Фото", "Ảnh", "图片来源", "사진", "写真", "출처", "摄", "攝", "供图",
    "记者", "（", "）", "(", ")", "/", ":", "：", "=", " ", " ", ".", "Reuters", "AFP", "UN", "ООН",
    "Getty Images", "John", "Doe", "cookie", "COOKİE", "Kelvin", "accept", "agree", "policy",
    "Subscribe to", "ſubscribe to", "newsletter", "2025", "©", "a", "z", "Ж", "新华社",
)


@given(st.lists(st.sampled_from(_RULE_PIECES), max_size=12).map("".join))
def test_a_rule_matches_only_where_its_hint_does(text: str) -> None:
    # Hints only skip work: a block a rule's pattern matches always has the hint.
    for rule in BLOCK_RULES:
        if rule.hints is not None and rule.pattern.search(text):
            assert rule.hints.search(text), (rule.why, text)


def test_the_furniture_lines_have_their_rules_hints() -> None:
    lines = [
        "Photo: UN/John Isaac", "图片来源：新华社", "新华社记者 王明 摄",
        "研讨会现场。（外交部供图）",
        "Y bác sĩ nội soi cho bệnh nhân. Ảnh: Bệnh viện cung cấp", "A crowd (AFP/Getty Images)",
        "We use cookies to improve the site. By continuing you agree to our cookie policy.",
    ]
    for line in lines:
        matched = [r for r in BLOCK_RULES if r.pattern.search(line) and r.hints is not None]
        assert matched and all(r.hints is not None and r.hints.search(line) for r in matched)
