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
  when a Redis broker is configured;
- ``babelwire_item_age_at_publication_seconds``  from the source's date to
  the item's first publication, over the newest items (a summary).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from babelwire.model import Stage
from babelwire.store.query.contract import ItemPage, ItemQuery

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

#: Newest items whose age at publication is summarised: recent enough to
#: show today's delay, few enough to read on every scrape.
AGE_SAMPLE_ITEMS = 500


class MetricsStore(Protocol):
    def stats(self) -> dict[str, Any]: ...
    def skip_reasons(self, stage: Stage = Stage.SKIPPED) -> dict[str, dict[str, int]]: ...
    def items(self, query: ItemQuery) -> ItemPage: ...


class QueueDepths(Protocol):
    def llen(self, name: str) -> Any: ...


def render(store: MetricsStore, *, broker: QueueDepths | None = None,
           queues: Iterable[str] = ()) -> str:
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
        _family(lines, "babelwire_queue_depth", "gauge", "Messages waiting on each queue.",
                {(("queue", q),): int(broker.llen(q)) for q in queues})
    _ages(lines, store)
    return "\n".join(lines) + "\n"


def reason_kind(reason: str) -> str:
    """The reason up to its first colon: its kind, without the URL it names."""
    return reason.split(":", 1)[0].strip()[:80] or "unknown"


def _ages(lines: list[str], store: MetricsStore) -> None:
    page = store.items(ItemQuery(limit=AGE_SAMPLE_ITEMS))
    ages_s = sorted((item.first_created - item.published).total_seconds()
                    for item in page.items if item.published is not None)
    name = "babelwire_item_age_at_publication_seconds"
    lines += [f"# HELP {name} From the source's date to the item's first publication "
              f"(newest {AGE_SAMPLE_ITEMS} items).", f"# TYPE {name} summary"]
    for quantile in (0.5, 0.9, 0.99):
        if ages_s:
            value = ages_s[min(len(ages_s) - 1, int(quantile * len(ages_s)))]
            lines.append(f'{name}{{quantile="{quantile}"}} {value:g}')
    lines += [f"{name}_sum {sum(ages_s):g}", f"{name}_count {len(ages_s)}"]


def _family(lines: list[str], name: str, kind: str, help_text: str,
            samples: Mapping[tuple[tuple[str, str], ...], float]) -> None:
    lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    for labels, value in sorted(samples.items()):
        text = ",".join(f'{k}="{_escape(v)}"' for k, v in labels)
        lines.append(f"{name}{{{text}}} {value:g}")


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
