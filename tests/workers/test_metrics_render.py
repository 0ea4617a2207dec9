"""The metrics renderer: reasons grouped by kind, queue depths, escaping, the
age histogram and a worker's running totals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from babelwire import metrics
from babelwire.errors import FetchTimeout, HTTPStatusError
from babelwire.model import Fetched, SegmentTranslation, Stage, Translation
from babelwire.run.workermetrics import Tally, engine_words, fetch_outcome
from babelwire.store.query.contract import ItemPage, ItemQuery

NOW = datetime(2025, 12, 12, 12, 0, tzinfo=UTC)


class FakeStore:
    def stats(self) -> dict[str, Any]:
        return {"by_stage": {"published": 3, "skipped": 2}}

    def skip_reasons(self, stage: Stage = Stage.SKIPPED) -> dict[str, dict[str, int]]:
        if stage == Stage.SKIPPED:
            return {"a": {"gone: HTTP 404 for http://a.example/1": 1},
                    "b": {"gone: HTTP 410 for http://b.example/2": 1}}
        return {"a": {'fetch: "odd"\nreason': 1}}

    def items(self, query: ItemQuery) -> ItemPage:
        return ItemPage(items=())


class FakeBroker:
    def llen(self, name: str) -> int:
        return {"fetch": 7}.get(name, 0)


def test_reasons_are_counted_by_kind_without_urls_and_labels_are_escaped() -> None:
    text = metrics.render(FakeStore(), broker=FakeBroker(), queues=("fetch", "cpu"))
    assert 'babelwire_documents_stopped{stage="skipped",reason="gone"} 2' in text
    assert 'babelwire_documents_stopped{stage="failed",reason="fetch"} 1' in text
    assert "example" not in text
    assert 'babelwire_queue_depth{queue="fetch"} 7' in text
    assert 'babelwire_queue_depth{queue="cpu"} 0' in text
    assert "babelwire_item_age_at_publication_seconds_count 0" in text


def test_no_broker_no_queue_depths() -> None:
    assert "queue_depth" not in metrics.render(FakeStore())


class DownBroker:
    def llen(self, name: str) -> int:
        raise ConnectionError("broker: connection refused")


def test_a_broker_that_does_not_answer_is_a_sample_not_a_failed_scrape() -> None:
    text = metrics.render(FakeStore(), broker=DownBroker(), queues=("fetch",))
    assert "babelwire_broker_up 0" in text
    assert "babelwire_queue_depth" not in text
    assert 'babelwire_documents{stage="published"} 3' in text
    up = metrics.render(FakeStore(), broker=FakeBroker(), queues=("fetch",))
    assert "babelwire_broker_up 1" in up


class AgedStore(FakeStore):
    """Three items published 30 s, 2 h and 3 days after their source's date."""

    def items(self, query: ItemQuery) -> ItemPage:
        ages = (timedelta(seconds=30), timedelta(hours=2), timedelta(days=3))
        return ItemPage(items=tuple(  # type: ignore[arg-type]
            SimpleNamespace(published=NOW - age, first_created=NOW) for age in ages))


def test_item_age_at_publication_is_a_histogram_with_cumulative_buckets() -> None:
    lines = metrics.render(AgedStore()).splitlines()
    name = "babelwire_item_age_at_publication_seconds"
    assert f"# TYPE {name} histogram" in lines
    assert f'{name}_bucket{{le="60"}} 1' in lines
    assert f'{name}_bucket{{le="3600"}} 1' in lines
    assert f'{name}_bucket{{le="10800"}} 2' in lines
    assert f'{name}_bucket{{le="86400"}} 2' in lines
    assert f'{name}_bucket{{le="+Inf"}} 3' in lines
    assert f"{name}_count 3" in lines
    assert f"{name}_sum {30 + 7200 + 3 * 86400}" in lines


def segment(text: str, engine: str = "apertium", cached: bool = False) -> SegmentTranslation:
    return SegmentTranslation(source_text="x", text=text, engine=engine, model="m",
                              model_version="1", cached=cached)


def test_a_workers_totals_count_engine_words_seconds_and_fetch_outcomes() -> None:
    translation = Translation(
        document_id="d", source_language="es", target_language="en",
        headline=segment("Budget talks end"), section=segment("News", engine="none"),
        body=(segment("The council agreed the budget."),
              segment("Seen before, from the cache.", cached=True)),
        translated_at=NOW)
    assert engine_words(translation) == 3 + 5  # not the copy, not the cache hit
    tally = Tally()
    tally.translated([translation, translation], 1.5)
    ok = Fetched(url="u", final_url="u", status=200, headers=(), body=b"", fetched_at=NOW)
    for outcome in (ok, ok, FetchTimeout("fetch: timed out"),
                    HTTPStatusError("fetch: HTTP 404 for http://a.example/x", status=404)):
        tally.fetched(outcome)
    text = metrics.render(FakeStore(), tally=tally.snapshot())
    assert "# TYPE babelwire_translated_words_total counter" in text
    assert "babelwire_translated_words_total 16" in text
    assert "babelwire_translation_seconds_total 1.5" in text
    assert 'babelwire_fetches_total{outcome="http_200"} 2' in text
    assert 'babelwire_fetches_total{outcome="http_404"} 1' in text
    assert 'babelwire_fetches_total{outcome="FetchTimeout"} 1' in text
    assert "example" not in text


@pytest.mark.parametrize("outcome, label", [
    (Fetched(url="u", final_url="u", status=304, headers=(), body=b"", fetched_at=NOW,
             not_modified=True), "not_modified"),
    (ValueError("odd"), "ValueError"),
])
def test_fetch_outcome_labels(outcome: Any, label: str) -> None:
    assert fetch_outcome(outcome) == label


def test_a_process_that_counted_nothing_says_zero() -> None:
    text = metrics.render(FakeStore(), tally=Tally().snapshot())
    assert "babelwire_translated_words_total 0" in text
    assert "babelwire_fetches_total 0" in text
