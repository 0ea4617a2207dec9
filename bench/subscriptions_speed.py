"""What a delivery pass costs: subscriptions matched against new items.

Builds N items (default 5,000) wired one a minute in a SQLite store, adds S
subscriptions (default 20: words, phrases, OR, exclusions, region filters),
and times ``deliver_subscriptions`` with a sender that only counts:

- backlog: the first pass over all N items (every subscription reads them);
- steady: a pass after 100 more items, as after one run.

Each is run 3 times on a fresh copy of the database; the median is printed
with items considered per second (N × S / time for the backlog).

    .venv/bin/python bench/subscriptions_speed.py            # 5,000 items, 20 subscriptions
    .venv/bin/python bench/subscriptions_speed.py 2000 50
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from babelwire.compose import ComposeSettings, compose_item
from babelwire.model import (
    Block,
    BlockKind,
    Document,
    Extracted,
    SegmentTranslation,
    Source,
    Stage,
    Translation,
    document_id,
)
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.subscriptions import Subscription
from babelwire.subscribe import SubscribeSettings, deliver_subscriptions
from babelwire.subscribe.matching import Batch
from babelwire.subscribe.subscriptions import new_subscription

START = datetime(2026, 12, 1, tzinfo=UTC)
REGIONS = ("France", "Russian Federation", "China", "Egypt", "India")
WORDS = ("summit", "minister", "council", "sanctions", "ceasefire", "harvest", "election",
         "treaty", "storm", "vaccine", "budget", "trade", "mission", "report", "visit", "talks",
         "aid", "border", "water", "energy")
QUERIES = ("summit", "ceasefire OR treaty", '"border talks"', "council -sanctions",
           "region:France minister", 'region:"Russian Federation" aid', "storm water",
           "election", "vaccine OR energy OR budget", "trade -harvest")
COMPOSE = ComposeSettings(publisher="Bench Wire")


def _sources() -> list[Source]:
    return [Source(id=f"src-{n}", name=f"Source {n}", desk="Desk", region=region,
                   languages=("fr",), feeds=(f"https://s{n}.example/rss",))
            for n, region in enumerate(REGIONS)]


def _put(store: Store, sources: Sequence[Source], first: int, count: int,
         rng: random.Random) -> None:
    docs, translations, items = [], [], []
    for n in range(first, first + count):
        source = sources[n % len(sources)]
        at = START + timedelta(minutes=n)
        headline = " ".join(rng.sample(WORDS, 6))
        body = " ".join(rng.choices(WORDS, k=60))
        url = f"https://s.example/{n}"
        extracted = Extracted(title=headline, blocks=(Block(BlockKind.PARAGRAPH, body),),
                              language="fr", published=at, published_has_time=True)
        doc = Document(id=document_id(source.id, url), source_id=source.id, url=url,
                       stage=Stage.EXTRACTED, extracted=extracted, fetched_at=at)

        def seg(text: str) -> SegmentTranslation:
            return SegmentTranslation(text, text, "argos", "opus-mt-fr-en", "1.0")

        translation = Translation(document_id=doc.id, source_language="fr",
                                  target_language="en", headline=seg(headline), section=None,
                                  body=(seg(body),), translated_at=at)
        docs.append(doc)
        translations.append(translation)
        items.append(compose_item(doc, source, translation, settings=COMPOSE, now=at))
    store.save_documents(docs)
    for translation in translations:
        store.save_translation(translation)
    store.save_items(items)


class Counter:
    def __init__(self) -> None:
        self.items = 0

    def send(self, subscription: Subscription, batch: Batch) -> None:
        self.items += len(batch.items)

    def close(self) -> None:
        pass


def _pass(url: str, now: datetime) -> tuple[float, int]:
    counter = Counter()
    with Store.open(url) as store:
        began = time.perf_counter()
        deliver_subscriptions(store, Settings.load({}),
                              subscribe=SubscribeSettings.load({}, batch_items=500),
                              clock=lambda: now, senders={"webhook": counter})
        return time.perf_counter() - began, counter.items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("items", type=int, nargs="?", default=5000)
    parser.add_argument("subscriptions", type=int, nargs="?", default=20)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.db"
        with Store.open(f"sqlite:///{base}") as store:
            store.migrate()
            sources = _sources()
            store.upsert_sources(sources)
            for n in range(args.subscriptions):
                store.add_subscription(new_subscription(
                    f"s{n}", QUERIES[n % len(QUERIES)], now=START - timedelta(minutes=1),
                    webhook="https://hooks.example/in"))
            built = time.perf_counter()
            for first in range(0, args.items, 1000):
                _put(store, sources, first, min(1000, args.items - first), rng)
            print(f"built {args.items} items in {time.perf_counter() - built:.1f} s")
        backlog, steady = [], []
        sent = 0
        end = START + timedelta(minutes=args.items + 200)
        for run in range(3):
            copy = Path(tmp) / f"run{run}.db"
            shutil.copy(base, copy)
            url = f"sqlite:///{copy}"
            seconds, sent = _pass(url, end)
            backlog.append(seconds)
            with Store.open(url) as store:
                _put(store, _sources(), args.items, 100, random.Random(run))
            steady.append(_pass(url, end + timedelta(minutes=1))[0])
        considered = args.items * args.subscriptions
        median = statistics.median(backlog)
        print(f"backlog pass: {median:.2f} s median of 3 ({considered / median:,.0f} "
              f"item×subscription/s, {sent} items sent)")
        print(f"steady pass (100 new items): {statistics.median(steady) * 1000:.0f} ms "
              "median of 3")


if __name__ == "__main__":
    main()
