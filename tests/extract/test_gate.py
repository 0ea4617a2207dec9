"""The gate: pages served with 200 that are not articles are dropped, with the reason."""

from __future__ import annotations

import logging

import pytest

from babelwire.errors import Drop
from babelwire.extract import extract
from babelwire.extract.gate import SIGNATURES

from .pages import PAGE_URL, read_fixture


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("gate_cloudflare.html", "not an article: bot challenge page"),
        ("gate_ddos_guard.html", "not an article: bot challenge page"),
        ("gate_sucuri.html", "not an article: bot challenge page"),
        ("gate_captcha.html", "not an article: bot challenge page"),
        ("gate_login.html", "not an article: login wall"),
        ("gate_404_en.html", "not an article: error page"),
        ("gate_404_ru.html", "not an article: error page"),
        ("gate_empty_shell.html", "not an article: no article text"),
        ("gate_forum.html", "not an article: forum thread"),
        ("gate_home.html", "not an article: home page"),
    ],
)
def test_non_articles_are_dropped(fixture: str, reason: str) -> None:
    with pytest.raises(Drop) as caught:
        extract(read_fixture(fixture), url="http://127.0.0.1:8080/")
    assert caught.value.reason.startswith(reason)
    assert caught.value.stage == "extract"
    assert str(caught.value).startswith("extract: not an article: ")


def test_listing_off_the_home_page_is_a_listing() -> None:
    with pytest.raises(Drop, match="listing"):
        extract(read_fixture("gate_home.html"), url="http://127.0.0.1:8080/region/news")


def test_article_that_mentions_the_signatures_is_kept() -> None:
    # A real story about outages, with a captcha for its comment form: the
    # signatures only count on pages with little text.
    extra = "".join(
        f"<p>Readers saw pages titled 'Just a moment' and 'Page not found' during the outage, "
        f"and the Cloudflare status page confirmed problems in region {i}.</p>"
        for i in range(12)
    )
    html = read_fixture("article_en.html").replace(
        "</article>", f'{extra}<div class="g-recaptcha"></div></article>'
    ).replace("</head>", '<script src="https://www.google.com/recaptcha/api.js"></script></head>')
    extracted = extract(html, url=PAGE_URL)
    assert "Cloudflare status page" in extracted.text


def test_every_signature_says_why() -> None:
    assert all(s.why and s.where in {"title", "text", "html"} for s in SIGNATURES)


@pytest.mark.parametrize(
    ("title", "h1"),
    [("Just a moment...", "news.example.org"), ("Attention Required! | Cloudflare", "Blocked")],
)
def test_challenge_titles_alone_are_enough(title: str, h1: str) -> None:
    head = f"<html><head><title>{title}</title></head>"
    html = f"{head}<body><h1>{h1}</h1><p>One moment.</p></body></html>"
    with pytest.raises(Drop, match="bot challenge page"):
        extract(html, url=PAGE_URL)


def read_own(name: str) -> str:
    return read_fixture(f"quality/{name}")


def test_short_story_among_teaser_headlines_is_kept_and_flagged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Four short paragraphs under 18 linked headlines: the shape of a listing,
    # but the paragraphs form a block of article text in one container.
    with caplog.at_level(logging.WARNING, logger="babelwire.extract"):
        extracted = extract(read_own("own_short_story_busy_page.html"), url=PAGE_URL)
    assert extracted.text.startswith("Night buses will run again")
    assert "day tickets bought after six" in extracted.text
    assert any("doubtful" in r.getMessage() for r in caplog.records)


def test_teasers_without_article_text_are_still_a_listing() -> None:
    with pytest.raises(Drop, match=r"listing \(teasers, no article text\)"):
        extract(read_own("own_listing.html"), url="http://127.0.0.1:8080/section/local")


def test_one_summary_paragraph_among_many_links_is_kept() -> None:
    # A video story: one paragraph of summary in a page of navigation links.
    links = "".join(f'<li><a href="/topic/{i}">Topic number {i} of the site</a></li>'
                    for i in range(80))
    summary = (
        "Twenty-four billion tonnes of fertile soil are lost every year, a study by a "
        "research institute in Dakar found. Farmers in the dry south of the country feel it first."
    )
    html = (
        "<html><head><title>Soil loss</title></head><body><ul>" + links + "</ul>"
        f"<h1>Soil loss</h1><p>{summary}</p><ul>{links}</ul></body></html>"
    )
    assert extract(html, url=PAGE_URL).text == summary
