"""Extraction quality and speed: babelwire's extractor against plain trafilatura.

Both run, in one pass, on the hand-written expectations for pages of
../shared/corpus (tests/extract/expectations.toml), for the demo world's
pages (expectations_demo.toml) and for pages written for the tests
(expectations_own.toml), scored by
tests/extract/evaluate.py. Every page is in the "tuning" or the "test" half
(by a hash of its path); the extractor is tuned on the first only, so the
second says how it does on pages nobody tuned it for.

The baseline is trafilatura as most projects call it:
``trafilatura.extract(html, include_comments=False)`` for the text,
``trafilatura.extract_metadata`` for title and date, and lingua (the same
detector as ours) on its text for the language; a page for which it returns
no text counts as dropped. Pages per second compare our whole extract call
with that ``trafilatura.extract`` call alone, both timed page by page in the
same pass after a warm-up page, in CPU seconds of this process (on a shared
machine wall time mostly measures the neighbours); the ratio is printed, not
asserted, because it depends on the machine.

Run: .venv/bin/python bench/extract_quality.py [-v]
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from babelwire.errors import Drop
from babelwire.extract import extract
from babelwire.extract.language import detect
from babelwire.model import Block, BlockKind, Extracted

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.extract.evaluate import (  # noqa: E402  (the support code lives with the tests)
    HALVES,
    Expectation,
    Report,
    load_expectations,
    read_page,
    score,
)

CORPUS = REPO.parent / "shared" / "corpus"
EXPECTATIONS = REPO / "tests" / "extract" / "expectations.toml"
OWN_EXPECTATIONS = REPO / "tests" / "extract" / "expectations_own.toml"
OWN_PAGES = REPO / "tests" / "extract" / "data" / "quality"
DEMO_EXPECTATIONS = REPO / "tests" / "extract" / "expectations_demo.toml"
DEMO_PAGES = REPO / "src" / "babelwire" / "demo" / "world"

MEASURES = ("recall", "precision", "title", "date", "language", "drop")
LABELS = {"drop": "non-articles dropped"}


class Replay:
    """An extractor that hands back what was recorded for each page."""

    def __init__(self) -> None:
        self.outcomes: dict[str, Extracted | Exception] = {}

    def __call__(self, html: str, url: str | None) -> Extracted:
        outcome = self.outcomes[html]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def ours(html: str, url: str | None) -> Extracted:
    return extract(html, url=url)


def plain_trafilatura(html: str, url: str | None) -> str | None:
    return trafilatura.extract(html, url=url, include_comments=False)


def as_extracted(html: str, url: str | None, text: str | None) -> Extracted:
    """trafilatura's text with its metadata and our language detector, as we score it."""
    if not text:
        raise Drop("trafilatura returned no text", stage="bench")
    meta = trafilatura.extract_metadata(html, default_url=url)
    published = None
    if meta is not None and meta.date:
        published = datetime.fromisoformat(meta.date[:10]).replace(tzinfo=UTC)
    detection = detect(text)
    return Extracted(
        title=meta.title if meta is not None else None,
        blocks=tuple(Block(BlockKind.PARAGRAPH, line) for line in text.splitlines() if line),
        language=detection.language if detection else None,
        published=published,
    )


def run_both(pages: list[Expectation]) -> tuple[Replay, Replay, float, float]:
    """Run both extractors on every page, timing each call.

    The two alternate which goes first from page to page, so that changes in
    the machine's load fall on both alike.
    """
    mine, theirs = Replay(), Replay()
    seconds = {"ours": 0.0, "trafilatura": 0.0}
    for number, expectation in enumerate(pages):
        html = read_page(expectation)
        order = ("ours", "trafilatura") if number % 2 else ("trafilatura", "ours")
        for who in order:
            start = time.process_time()
            try:
                result: object = (ours if who == "ours" else plain_trafilatura)(
                    html, expectation.url
                )
            except Exception as exc:  # recorded, then scored as the page's outcome
                result = exc
            seconds[who] += time.process_time() - start
            if who == "ours":
                mine.outcomes[html] = result  # type: ignore[assignment]
            else:
                try:
                    theirs.outcomes[html] = as_extracted(
                        html, expectation.url, result if isinstance(result, str) else None
                    )
                except Exception as exc:
                    theirs.outcomes[html] = exc
    return mine, theirs, seconds["ours"], seconds["trafilatura"]


def load_all() -> list[Expectation]:
    pages = load_expectations(DEMO_EXPECTATIONS, DEMO_PAGES)
    pages += load_expectations(OWN_EXPECTATIONS, OWN_PAGES)
    if CORPUS.is_dir():
        pages = load_expectations(EXPECTATIONS, CORPUS) + pages
    else:
        print(f"extract_quality: {CORPUS} is absent; own pages only")
    return pages


def table(reports: dict[tuple[str, str], Report], counts: dict[str, tuple[int, int]]) -> str:
    head = f"{'measure':>24}"
    for name in HALVES:
        articles, others = counts[name]
        head += f" | {name + f' ({articles}+{others})':>22}"
    lines = [head, f"{'':>24}" + " | babelwire  trafilatura" * len(HALVES)]
    for measure in MEASURES:
        row = f"{LABELS.get(measure, measure):>24}"
        for name in HALVES:
            mine, theirs = reports[name, "ours"], reports[name, "trafilatura"]
            row += (f" | {mine.components.get(measure, 0.0):9.3f}"
                    f"  {theirs.components.get(measure, 0.0):11.3f}")
        lines.append(row)
    row = f"{'real articles dropped':>24}"
    for name in HALVES:
        row += (f" | {reports[name, 'ours'].articles_lost:9d}"
                f"  {reports[name, 'trafilatura'].articles_lost:11d}")
    lines.append(row)
    return "\n".join(lines)


def main() -> int:
    # Doubtful keeps are logged as warnings; the table is what this prints.
    logging.getLogger("babelwire").setLevel(logging.ERROR)
    expectations = load_all()
    if not expectations:
        print("extract_quality: no pages to measure")
        return 0
    # Warm-up: lingua loads its models on first use.
    warm_up = read_page(expectations[0])
    with contextlib.suppress(Exception):
        ours(warm_up, expectations[0].url)
    plain_trafilatura(warm_up, expectations[0].url)
    mine, theirs, mine_s, theirs_s = run_both(expectations)
    reports: dict[tuple[str, str], Report] = {}
    counts: dict[str, tuple[int, int]] = {}
    for name in HALVES:
        part = [e for e in expectations if e.half == name]
        counts[name] = (sum(not e.expect_drop for e in part), sum(e.expect_drop for e in part))
        reports[name, "ours"] = score(part, mine)
        reports[name, "trafilatura"] = score(part, theirs)
    print(f"extract quality on {len(expectations)} pages (articles+non-articles per half)")
    print(table(reports, counts))
    ours_rate, theirs_rate = len(expectations) / mine_s, len(expectations) / theirs_s
    print(f"\npages/s: babelwire {ours_rate:.1f}, trafilatura.extract {theirs_rate:.1f}, "
          f"ratio {ours_rate / theirs_rate:.2f}x (target 0.8x)")
    if "-v" in sys.argv:
        for name in HALVES:
            print(f"\nbabelwire, {name} half, pages below 1:\n"
                  + reports[name, "ours"].format(verbose=True))
            print(f"\ntrafilatura, {name} half, pages below 1:\n"
                  + reports[name, "trafilatura"].format(verbose=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
