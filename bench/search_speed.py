"""Search and feed-page latency at scale, SQLite (FTS5) against PostgreSQL.

Builds N synthetic items (default 100,000) with their documents in each
backend through the store's own bulk methods, then times ~200 mixed search
queries (rare, common, AND, phrase, OR, exclusion, field filter, Cyrillic,
Chinese), the same with facet counts, and 50-item feed pages (first page,
a filtered page, a page reached by cursor). Prints p50/p95 per backend side
by side, with the PostgreSQL/SQLite ratio.

    .venv/bin/python bench/search_speed.py            # 100,000 items
    .venv/bin/python bench/search_speed.py 20000      # fewer
    .venv/bin/python bench/search_speed.py --million  # 1,000,000 items

PostgreSQL comes from BABELWIRE_BENCH_DATABASE_URL (a server where a
database may be created), else from ``scripts/pg-test-server``; without
either, only SQLite runs. Synthetic text is smaller than real articles
(a 12-word headline, a ~90-word body, a ~60-word original) so that the
default run stays within a few minutes on two cores; ../shared/notes has
figures for 400-word bodies at 1M items.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from babelwire.model import Block, BlockKind, Document, Extracted, Item, Source, Stage
from babelwire.store import Store
from babelwire.store.query import ItemQuery

ROOT = Path(__file__).resolve().parents[1]
BATCH = 2000
SEED = 20251212
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN_S = 3 * 365 * 86400  # three years of items
REGIONS = ("Russian Federation", "France", "China", "Egypt", "Brazil", "India", "Japan",
           "Germany", "Kenya", "Mexico", "Turkey", "Ukraine")
LANGUAGES = ("ru", "fr", "zh", "ar", "pt", "hi", "ja", "de", "sw", "es", "tr", "uk", "fa", "id")
CYRILLIC = "абвгдежзиклмнопрстуфхцчшщыэюя"
HAN = "国务院发布贸易新政策安全理事会经济合作部长会议和平发展人民共和声明"


@dataclass(frozen=True)
class World:
    english: list[str]
    cum_weights: list[float]
    cyrillic: list[str]


def make_world(rng: random.Random) -> World:
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "dor", "pen", "tar", "ul",
                 "bel", "fa", "gu", "hin", "jo", "ker", "qua", "wen"]
    words = [a + b for a in syllables for b in syllables]
    words += [a + b + c for a in syllables for b in syllables for c in syllables[:19]]
    rng.shuffle(words)
    common = ["the", "council", "minister", "security", "report", "trade", "policy", "mission"]
    english = common + words[:8000]
    # Zipf-like: a few words in most items, most words in very few.
    cum_weights = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(english))))
    cyrillic = ["".join(rng.choices(CYRILLIC, k=rng.randint(4, 9))) for _ in range(3000)]
    return World(english, cum_weights, cyrillic)


def sentence(rng: random.Random, world: World, n: int) -> str:
    words = rng.choices(world.english, cum_weights=world.cum_weights, k=n)
    return " ".join(words).capitalize() + "."


def original(rng: random.Random, world: World, language: str, n: int) -> str:
    if language == "zh":
        return "".join(rng.choices(HAN, k=n * 2)) + "。"
    if language in ("ru", "uk"):
        return " ".join(rng.choices(world.cyrillic, k=n)).capitalize() + "."
    return sentence(rng, world, n)


def synthetic(n: int, rng: random.Random, world: World) -> Iterator[tuple[Document, Item]]:
    sources = [f"src-{k:02d}" for k in range(60)]
    for k in range(n):
        source_id = sources[k % 60]
        language = LANGUAGES[k % 60 % len(LANGUAGES)]
        created = START + timedelta(seconds=SPAN_S * k // n)
        url = f"http://127.0.0.1:1/{source_id}/{k}"
        blocks = tuple(
            Block(BlockKind.PARAGRAPH, original(rng, world, language, 20)) for _ in range(3)
        )
        title = original(rng, world, language, 8)
        doc = Document(id=f"d{k:07d}", source_id=source_id, url=url, stage=Stage.EXTRACTED,
                       extracted=Extracted(title=title, blocks=blocks, language=language,
                                           published=created, published_has_time=True))
        body = tuple(sentence(rng, world, 30) for _ in range(3))
        item = Item(
            id=f"i{k:07d}", document_id=doc.id, version=1, slug=f"item-{k}",
            headline=sentence(rng, world, 12), section=f"Section {k % 9}", body=body,
            kind="translation", source_id=source_id, source_name=f"Ministry {source_id}",
            desk="Press", region=REGIONS[k % 60 % len(REGIONS)], original_language=language,
            original_headline=title, original_url=url, published=created,
            published_has_time=True, first_created=created, version_created=created,
            disclaimer="Please note.", disclaimer_version="1", publisher="Bench Wire",
        )
        yield doc, item


def load(store: Store, n: int) -> float:
    """Fill the store; return items per second."""
    rng = random.Random(SEED)
    world = make_world(rng)
    store.upsert_sources(
        [Source(id=f"src-{k:02d}", name=f"Ministry src-{k:02d}", desk="Press",
                region=REGIONS[k % len(REGIONS)], languages=(LANGUAGES[k % len(LANGUAGES)],))
         for k in range(60)]
    )
    started = time.perf_counter()
    batch: list[tuple[Document, Item]] = []
    for pair in synthetic(n, rng, world):
        batch.append(pair)
        if len(batch) == BATCH:
            _save(store, batch)
            batch = []
    _save(store, batch)
    store.optimize_search()
    return n / (time.perf_counter() - started)


def _save(store: Store, batch: list[tuple[Document, Item]]) -> None:
    if batch:
        store.save_documents(doc for doc, _ in batch)
        store.save_items(item for _, item in batch)


def queries(rng: random.Random, world: World) -> list[tuple[str, str]]:
    """(class, query text): ~200 queries in eleven classes."""
    words = world.english

    def pick(low: int, high: int) -> str:
        return words[rng.randrange(low, high)]

    classes: dict[str, Callable[[], str]] = {
        "rare": lambda: pick(5000, 8000),
        "uncommon": lambda: pick(500, 2000),
        "mid": lambda: pick(50, 300),
        "common": lambda: pick(0, 8),
        "and": lambda: f"{pick(50, 300)} {pick(500, 2000)}",
        "phrase": lambda: f'"{pick(8, 60)} {pick(8, 60)}"',
        "or": lambda: f"{pick(500, 2000)} OR {pick(500, 2000)}",
        "exclude": lambda: f"{pick(50, 300)} -{pick(20, 100)}",
        "filter": lambda: f"{pick(50, 300)} region:{rng.choice(['France', 'China', 'Kenya'])}",
        "cyrillic": lambda: rng.choice(world.cyrillic),
        "chinese": lambda: "".join(rng.choices(HAN, k=2)),
    }
    return [(name, make()) for _ in range(18) for name, make in classes.items()]


def timed(call: Callable[[], object], repeats: int = 1) -> list[float]:
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def measure(store: Store, mixed: list[tuple[str, str]]) -> dict[str, list[float]]:
    for _, text in mixed[:20]:  # warm the caches the way a running server has them
        store.items(ItemQuery(text=text, limit=20))
    results: dict[str, list[float]] = {"search, page of 20": [], "search + facets": []}
    for _, text in mixed:
        results["search, page of 20"] += timed(
            lambda t=text: store.items(ItemQuery(text=t, limit=20))
        )
        results["search + facets"] += timed(
            lambda t=text: store.items(ItemQuery(text=t, limit=20, with_facets=True))
        )
    first = store.items(ItemQuery(limit=50))
    results["feed page (50 items)"] = timed(lambda: store.items(ItemQuery(limit=50)), 30)
    results["feed page, one region"] = timed(
        lambda: store.items(ItemQuery(region="Kenya", limit=50)), 30
    )
    results["feed page by cursor"] = timed(
        lambda: store.items(ItemQuery(limit=50, cursor=first.next_cursor)), 30
    )
    results["wire page + facets"] = timed(
        lambda: store.items(ItemQuery(limit=50, with_facets=True)), 5
    )
    return results


def run_backend(url: str, n: int) -> tuple[float, dict[str, list[float]]]:
    with Store.open(url) as store:
        store.migrate()
        rate = load(store, n)
        mixed = queries(random.Random(SEED + 1), make_world(random.Random(SEED)))
        return rate, measure(store, mixed)


@contextmanager
def postgres_database() -> Iterator[str | None]:
    """A fresh database on the bench server (or the test server), dropped after."""
    url = os.environ.get("BABELWIRE_BENCH_DATABASE_URL", "").strip()
    started_server = False
    if not url:
        script = ROOT / "scripts" / "pg-test-server"
        done = subprocess.run([str(script), "start"], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"PostgreSQL: not run ({done.stderr.strip() or 'pg-test-server failed'})")
            yield None
            return
        url, started_server = done.stdout.strip(), True
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
        if started_server:
            subprocess.run([str(ROOT / "scripts" / "pg-test-server"), "stop"], check=False)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(n: int, runs: dict[str, tuple[float, dict[str, list[float]]]]) -> None:
    names = list(runs)
    print(f"\n{n:,} items; latency in ms, p50 / p95")
    header = f"{'':26}" + "".join(f"{name:>22}" for name in names)
    print(header + ("   PG/SQLite (p50, p95)" if len(names) == 2 else ""))
    for metric in next(iter(runs.values()))[1]:
        cells, ratios = [], []
        for name in names:
            values = runs[name][1][metric]
            p50, p95 = statistics.median(values), percentile(values, 0.95)
            cells.append(f"{p50:9.1f} / {p95:9.1f}")
            ratios.append((p50, p95))
        line = f"{metric:26}" + "".join(f"{cell:>22}" for cell in cells)
        if len(ratios) == 2:
            line += f"   {ratios[1][0] / ratios[0][0]:5.1f}x, {ratios[1][1] / ratios[0][1]:5.1f}x"
        print(line)
    rates = "".join(f"{runs[name][0]:>22,.0f}" for name in names)
    print(f"{'ingest, items/s':26}{rates}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("items", nargs="?", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="1,000,000 items")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    n = 1_000_000 if args.million else args.items
    runs: dict[str, tuple[float, dict[str, list[float]]]] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        runs["SQLite"] = run_backend(f"sqlite:///{Path(tmp) / 'bench.db'}", n)
    print(f"SQLite: {time.perf_counter() - started:.0f} s")
    if not args.sqlite_only:
        started = time.perf_counter()
        with postgres_database() as url:
            if url is not None:
                runs["PostgreSQL"] = run_backend(url, n)
                print(f"PostgreSQL: {time.perf_counter() - started:.0f} s")
    report(n, runs)


if __name__ == "__main__":
    main()
