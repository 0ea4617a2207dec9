"""The gate: pages served with 200 that are not articles are dropped, with the reason."""

from __future__ import annotations

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
