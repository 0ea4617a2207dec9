"""Running totals of one worker process, for its ``/metrics`` (Prometheus counters).

The store says where every document stands, whichever process asks; what it
does not keep is how fast the work went, so a worker counts that as it works:

- ``babelwire_translated_words_total``    words of English the engines wrote
  (copies of English text and cache hits left out: they cost no engine time);
- ``babelwire_translation_seconds_total`` wall time of the translation batches;
- ``babelwire_fetches_total{outcome}``    requests by outcome: ``http_200``,
  ``not_modified``, ``http_404``, or the error's kind (``FetchTimeout``,
  ``RobotsDisallowed``, ``BlockedAddress``...), never the URL.

``rate(words) / rate(seconds)`` is the translation speed in words/s while
translating; ``rate(words)`` alone, the words per second of wall time.
Totals start at zero when the process starts, as Prometheus counters may.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from babelwire.errors import HTTPStatusError
from babelwire.model import Fetched, Translation
from babelwire.translate.translator import PASSTHROUGH

#: A counter's labels, as sorted (name, value) pairs.
Labels = tuple[tuple[str, str], ...]

TRANSLATED_WORDS = "babelwire_translated_words_total"
TRANSLATION_SECONDS = "babelwire_translation_seconds_total"
FETCHES = "babelwire_fetches_total"

#: Counter name -> help line; the order of this table is the order of /metrics.
COUNTERS: dict[str, str] = {
    TRANSLATED_WORDS: "Words of English the translation engines wrote in this process.",
    TRANSLATION_SECONDS: "Seconds this process spent in translation batches.",
    FETCHES: "Requests this process made, by outcome (HTTP status or kind of error).",
}


class Tally:
    """Thread-safe running totals, by counter name and labels."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, dict[Labels, float]] = {name: {} for name in COUNTERS}

    def add(self, name: str, amount: float, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        with self._lock:
            family = self._values[name]
            family[key] = family.get(key, 0.0) + amount

    def snapshot(self) -> dict[str, dict[Labels, float]]:
        with self._lock:
            return {name: dict(family) for name, family in self._values.items()}

    def translated(self, translations: Iterable[Translation], seconds: float) -> None:
        self.add(TRANSLATION_SECONDS, seconds)
        self.add(TRANSLATED_WORDS, sum(engine_words(t) for t in translations))

    def fetched(self, outcome: Fetched | BaseException) -> None:
        self.add(FETCHES, 1, outcome=fetch_outcome(outcome))


def engine_words(translation: Translation) -> int:
    """Words of English an engine wrote for ``translation`` (not copied, not cached)."""
    return sum(len(seg.text.split())
               for seg in (translation.headline, translation.section, *translation.body)
               if seg is not None and seg.engine != PASSTHROUGH and not seg.cached)


def fetch_outcome(outcome: Fetched | BaseException) -> str:
    """A label for one request's end: its status, or the kind of error."""
    if isinstance(outcome, Fetched):
        return "not_modified" if outcome.not_modified else f"http_{outcome.status}"
    if isinstance(outcome, HTTPStatusError):
        return f"http_{outcome.status}"
    return type(outcome).__name__
