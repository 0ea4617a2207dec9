"""The quality scorer, on a small corpus written into a temporary directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from babelwire.errors import Drop
from babelwire.model import Block, BlockKind, Extracted

from .evaluate import HALVES, half, load_expectations, normalize, score, title_matches

EXPECTATIONS = """
[[page]]
path = "pages/a.html"
title = "Bridge opens"
date = "2025-12-12"
language = "en"
must_contain = ["The bridge opened on Friday.", "Traffic was light."]
must_not_contain = ["Share this story", "Photo: Jane Roe"]

[[page]]
path = "pages/home.html"
expect = "drop"
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_bytes("<p>caf\u00e9</p>".encode("latin-1"))
    (tmp_path / "pages" / "home.html").write_text("<p>home</p>", encoding="utf-8")
    manifest = [
        {"path": "pages/a.html", "encoding": "latin-1", "url": "http://127.0.0.1/a"},
        {"path": "pages/home.html", "encoding": "utf-8", "url": None},
    ]
    (tmp_path / "manifest.jsonl").write_text("\n".join(json.dumps(m) for m in manifest))
    (tmp_path / "expectations.toml").write_text(EXPECTATIONS, encoding="utf-8")
    return tmp_path


def result(text: str, title: str = "Bridge opens", day: int = 12) -> Extracted:
    from datetime import UTC, datetime

    blocks = tuple(Block(BlockKind.PARAGRAPH, line) for line in text.split("\n"))
    return Extracted(title=title, blocks=blocks, language="en",
                     published=datetime(2025, 12, day, 9, tzinfo=UTC), published_has_time=True)


def test_perfect_extractor_scores_one(corpus: Path) -> None:
    seen: list[tuple[str, str | None]] = []

    def extractor(html: str, url: str | None) -> Extracted:
        seen.append((html, url))
        if url is None:
            raise Drop("not an article: home page", stage="extract")
        return result("The bridge  opened on Friday.\nTraffic was light.")

    report = score(load_expectations(corpus / "expectations.toml", corpus), extractor)
    assert report.overall == 1.0
    assert report.components == {"recall": 1.0, "precision": 1.0, "title": 1.0, "date": 1.0,
                                 "language": 1.0, "drop": 1.0}
    assert seen[0] == ("<p>café</p>", "http://127.0.0.1/a")  # decoded with the manifest codec


def test_misses_and_leaks_are_counted(corpus: Path) -> None:
    def extractor(html: str, url: str | None) -> Extracted:
        return result("The bridge opened on Friday.\nShare this story", title="Weather", day=11)

    report = score(load_expectations(corpus / "expectations.toml", corpus), extractor)
    page = report.pages[0]
    assert page.components == {"recall": 0.5, "precision": 0.5, "title": 0.0, "date": 0.0,
                               "language": 1.0}
    assert page.missing == ("Traffic was light.",)
    assert page.leaked == ("Share this story",)
    assert report.components["drop"] == 0.0
    assert report.overall == pytest.approx((0.5 + 0.5 + 0 + 0 + 1) / 5)
    assert "missing: Traffic was light." in report.format(verbose=True)


def test_dropping_an_article_scores_zero(corpus: Path) -> None:
    def extractor(html: str, url: str | None) -> Extracted:
        raise Drop("not an article: listing", stage="extract")

    report = score(load_expectations(corpus / "expectations.toml", corpus), extractor)
    assert report.overall == 0.0
    assert report.components["drop"] == 1.0


def test_crashing_extractor_scores_zero_and_goes_on(corpus: Path) -> None:
    def extractor(html: str, url: str | None) -> Extracted:
        raise RuntimeError("boom")

    report = score(load_expectations(corpus / "expectations.toml", corpus), extractor)
    assert report.overall == 0.0
    assert report.pages[0].error == "RuntimeError: boom"


@pytest.mark.parametrize(
    ("a", "b"),
    [("“Quoted” — text", '"quoted" - text'), ("a\u00a0 b\n c", "a b c"), ("ＡＢＣ", "abc"),
     ("尹錫悦 大統領", "尹錫悦大統領"), ("Wait…", "wait...")],
)
def test_normalize_folds_typography(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


def test_normalize_keeps_spaces_between_latin_words() -> None:
    assert normalize("2773 The") != normalize("2773The")


def test_title_match_is_tolerant_of_quotes_but_not_of_other_titles() -> None:
    assert title_matches("'Parasite' wins", ["“Parasite” wins"])
    assert title_matches("Bridge opens", ["Weather report", "Bridge opens"])
    assert not title_matches("Weather report", ["Bridge opens"])
    assert not title_matches(None, ["Bridge opens"])


def test_halves_are_decided_by_the_path_alone() -> None:
    paths = [f"pages/page-{i}.html" for i in range(400)]
    halves = [half(p) for p in paths]
    assert halves == [half(p) for p in paths]
    assert set(halves) == set(HALVES)
    # A hash splits about evenly.
    assert 150 <= halves.count("test") <= 250


def test_pages_without_a_manifest_take_url_and_encoding_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "own.html").write_bytes("<p>caf\u00e9</p>".encode("latin-1"))
    (tmp_path / "own.toml").write_text(
        '[[page]]\npath = "own.html"\nurl = "http://127.0.0.1/own"\nencoding = "latin-1"\n'
        'must_contain = ["café"]\n',
        encoding="utf-8",
    )
    [page] = load_expectations(tmp_path / "own.toml", tmp_path)
    assert page.url == "http://127.0.0.1/own"
    assert page.encoding == "latin-1"


def test_a_dropped_article_is_counted_as_lost(corpus: Path) -> None:
    def drop_all(html: str, url: str | None) -> Extracted:
        raise Drop("listing", stage="extract")

    report = score(load_expectations(corpus / "expectations.toml", corpus), drop_all)
    assert report.articles_lost == 1  # the article; the home page was meant to go
    assert [p.article_lost for p in report.pages] == [True, False]
