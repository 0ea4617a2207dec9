"""What the wire is doing, in the Prometheus text format (version 0.0.4).

One renderer serves both ``babelwire serve`` (``GET /metrics``) and the
workers (``babelwire worker --metrics-port``). Everything is read from the
store and the broker when scraped, so every process reports the same
numbers, and a restarted process loses none:

- ``babelwire_documents{stage}``                 documents at each stage;
- ``babelwire_documents_stopped{stage,reason}``  skipped and failed documents
  by the kind of reason (the reason up to its first colon: "gone",
  "disallowed by robots.txt", "fetch"), so that URLs do not become labels;
- ``babelwire_queue_depth{queue}``               messages waiting per queue,
  when a Redis broker is configured (``babelwire_broker_up`` 0 when it does
  not answer: the scrape still answers);
- ``babelwire_item_age_at_publication_seconds``  from the source's date to
  the item's first publication, over the newest items: a histogram of a
  window, not a running count, so read it with ``histogram_quantile()``
  directly, not over ``rate()``.

A worker adds its own running totals (``run.workermetrics``): translated
words and translation seconds, and its requests by outcome.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from babelwire.model import Stage
from babelwire.run.workermetrics import COUNTERS, Labels
from babelwire.store.query.contract import ItemPage, ItemQuery

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

#: Newest items whose age at publication is summarised: recent enough to
#: show today's delay, few enough to read on every scrape.
AGE_SAMPLE_ITEMS = 500

#: Upper bounds of the age histogram's buckets: a minute to a month, the
#: steps an editor tells apart ("within the hour", "the same day").
AGE_BUCKETS_S = (60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400,
                 2 * 86_400, 7 * 86_400, 30 * 86_400)


class MetricsStore(Protocol):
    def stats(self) -> dict[str, Any]: ...
    def skip_reasons(self, stage: Stage = Stage.SKIPPED) -> dict[str, dict[str, int]]: ...
    def items(self, query: ItemQuery) -> ItemPage: ...


class QueueDepths(Protocol):
    def llen(self, name: str) -> Any: ...


def render(store: MetricsStore, *, broker: QueueDepths | None = None,
           queues: Iterable[str] = (),
           tally: Mapping[str, Mapping[Labels, float]] | None = None) -> str:
    lines: list[str] = []
    _family(lines, "babelwire_documents", "gauge", "Documents at each stage.",
            {(("stage", stage),): n for stage, n in store.stats()["by_stage"].items()})
    stopped: dict[tuple[tuple[str, str], ...], float] = {}
    for stage in (Stage.SKIPPED, Stage.FAILED):
        for reasons in store.skip_reasons(stage).values():
            for reason, n in reasons.items():
                key = (("stage", stage.value), ("reason", reason_kind(reason)))
                stopped[key] = stopped.get(key, 0) + n
    _family(lines, "babelwire_documents_stopped", "gauge",
            "Skipped and failed documents by the kind of reason.", stopped)
    if broker is not None:
        _queue_depths(lines, broker, queues)
    _ages(lines, store)
    if tally is not None:
        for name, help_text in COUNTERS.items():
            _family(lines, name, "counter", help_text, tally.get(name) or {(): 0})
    return "\n".join(lines) + "\n"


def _queue_depths(lines: list[str], broker: QueueDepths, queues: Iterable[str]) -> None:
    depths: dict[Labels, float] | None
    try:
        depths = {(("queue", q),): float(broker.llen(q)) for q in queues}
    except Exception:  # the broker is away: say so, and answer the rest
        depths = None
    _family(lines, "babelwire_broker_up", "gauge", "1 when the broker answered this scrape.",
            {(): 0 if depths is None else 1})
    if depths is not None:
        _family(lines, "babelwire_queue_depth", "gauge", "Messages waiting on each queue.",
                depths)


def reason_kind(reason: str) -> str:
    """The reason up to its first colon: its kind, without the URL it names."""
    return reason.split(":", 1)[0].strip()[:80] or "unknown"


def _ages(lines: list[str], store: MetricsStore) -> None:
    page = store.items(ItemQuery(limit=AGE_SAMPLE_ITEMS))
    ages_s = [(item.first_created - item.published).total_seconds()
              for item in page.items if item.published is not None]
    name = "babelwire_item_age_at_publication_seconds"
    lines += [f"# HELP {name} From the source's date to the item's first publication "
              f"(newest {AGE_SAMPLE_ITEMS} items).", f"# TYPE {name} histogram"]
    for bound in (*AGE_BUCKETS_S, float("inf")):
        le = "+Inf" if bound == float("inf") else str(bound)
        lines.append(f'{name}_bucket{{le="{le}"}} {sum(1 for a in ages_s if a <= bound)}')
    lines += [f"{name}_sum {sum(ages_s):g}", f"{name}_count {len(ages_s)}"]


def _family(lines: list[str], name: str, kind: str, help_text: str,
            samples: Mapping[tuple[tuple[str, str], ...], float]) -> None:
    lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    for labels, value in sorted(samples.items()):
        text = ",".join(f'{k}="{_escape(v)}"' for k, v in labels)
        lines.append(f"{name}{{{text}}} {value:g}" if text else f"{name} {value:g}")


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
