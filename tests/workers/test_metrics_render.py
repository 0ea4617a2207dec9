"""The metrics renderer: reasons grouped by kind, queue depths, escaping."""

from __future__ import annotations

from typing import Any

from babelwire import metrics
from babelwire.model import Stage
from babelwire.store.query.contract import ItemPage, ItemQuery


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
