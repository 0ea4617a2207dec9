"""Hostile and broken input: the stage answers quickly with text, Drop or ExtractError."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from babelwire.errors import Drop, ExtractError
from babelwire.extract import extract

from .pages import PAGE_URL

PARA = "<p>" + "The council met on Monday to discuss the budget, and members agreed on a plan. " * 6
STORY = f"{PARA}</p>{PARA}</p>"


def page(body: str) -> str:
    head = "<html><head><title>Budget talks</title></head>"
    return f"{head}<body><article>{body}</article></body></html>"


def extract_or_stop(html: str) -> str | None:
    try:
        return extract(html, url=PAGE_URL).text
    except (Drop, ExtractError):
        return None


def test_ten_thousand_nested_levels_do_not_crash() -> None:
    html = page("<div>" * 10_000 + STORY + "</div>" * 10_000)
    extract_or_stop(html)  # libxml2 stops at its depth limit; nothing may escape


def test_text_before_deep_nesting_survives() -> None:
    text = extract_or_stop(page(STORY + "<span>" * 10_000 + "deep" + "</span>" * 10_000))
    assert text is not None and "discuss the budget" in text


def test_huge_attribute_value() -> None:
    html = page(PARA + '</p><img src="data:image/png;base64,' + "A" * 3_000_000 + '">' + STORY)
    text = extract_or_stop(html)
    assert text is not None and "discuss the budget" in text


def test_thousands_of_attributes_on_one_tag() -> None:
    attributes = " ".join(f'data-x{i}="{i}"' for i in range(50_000))
    text = extract_or_stop(page(f"<p {attributes}>" + STORY))
    assert text is not None and "discuss the budget" in text


def test_very_many_elements_still_finish() -> None:
    text = extract_or_stop(page("<p>word</p>" * 40_000 + STORY))
    assert text is not None


def test_nul_bytes_and_control_characters_are_removed() -> None:
    text = extract_or_stop(page(STORY.replace("council", "coun\x00cil\x07")))
    assert text is not None
    assert "council" in text
    assert "\x00" not in text and "\x07" not in text


def test_script_and_style_never_leak_into_text() -> None:
    body = (STORY + "<p>Before <script>var secret = 'LEAKED';</script>after "
            "<style>.x { color: red }</style>end.</p><noscript><style>.y{}</style></noscript>")
    text = extract_or_stop(page(body))
    assert text is not None
    assert "LEAKED" not in text and "color" not in text


def test_broken_markup_is_repaired() -> None:
    opened = "<html><body><article><p>Unclosed <b>bold <i>italic "
    text = extract_or_stop(opened + STORY + "</div></span>")
    assert text is not None and "discuss the budget" in text


def test_windows_1252_mistakes_are_repaired() -> None:
    # "WHO\x92s" is Windows-1252 read as Latin-1; "&#147;" the same mistake as a reference.
    mistakes = ("<p>The WHO\x92s board met and said &#147;yes&#148; to the plan "
                "after a long debate about the budget and its priorities.</p>")
    text = extract_or_stop(page(STORY + mistakes))
    assert text is not None
    assert "WHO’s board" in text and "“yes”" in text


@pytest.mark.parametrize(
    "text",
    ["", "   ", "%PDF-1.4\n" + "\x00\x01binary" * 100, "plain words and no markup " * 20,
     '{"json": [1, 2, 3]}', "\ufffd" * 5000],
)
def test_non_html_is_an_extract_error(text: str) -> None:
    with pytest.raises(ExtractError) as caught:
        extract(text, url=PAGE_URL)
    assert str(caught.value).startswith("extract: ")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_text_gives_a_record_or_an_expected_error(text: str) -> None:
    extract_or_stop(text)


_TAGS = st.sampled_from(["p", "div", "span", "a", "b", "table", "tr", "td", "ul", "li", "h1",
                         "h2", "script", "style", "figure", "figcaption", "nav", "article", "br"])
_FRAGMENT = st.one_of(
    st.builds(lambda t: f"<{t}>", _TAGS),
    st.builds(lambda t: f"</{t}>", _TAGS),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FRAGMENT, max_size=200))
def test_any_tag_soup_gives_a_record_or_an_expected_error(fragments: list[str]) -> None:
    extract_or_stop("<html><body>" + "".join(fragments) + "</body></html>")
