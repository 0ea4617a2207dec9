"""Search at a million items: p50/p95 per query class on SQLite and PostgreSQL.

Generates N synthetic items (default 1,000,000) whose English bodies and
original texts are composed from word lists of eight languages (Chinese and
Japanese among them), loads them in bulk (``search_scale_load``: the rows
the store writes, in large transactions or COPY, indexes made after), and
times seven query classes
through ``store.search.find_items``: top-20 by relevance, by date, with
facets, phrase, common word, CJK and filter-only. Each class runs twice in
the same process: with the store's limits (``SearchLimits()``: recent-window
ranking, capped facets) and with none (every match ranked and counted, the
straightforward query), whose ratio is the baseline column.

    make bench-scale                                    # 1,000,000 items
    BENCH_SCALE_ITEMS=100000 make bench-scale           # or --items 100000
    BENCH_SCALE_BACKEND=sqlite make bench-scale         # or --backend sqlite
    .venv/bin/python bench/search_scale.py --items 100000 --repeat 3

The machine's load average is printed beside each backend's figures: on a
shared machine they mean little without it.

Built databases are kept under ``build/bench-scale/`` (SQLite files) and on
the PostgreSQL server (databases named ``bench_scale_<n>_v<corpus>``), so a
rerun only queries. PostgreSQL comes from BABELWIRE_BENCH_DATABASE_URL, else
from ``scripts/pg-test-server``; without either, only SQLite runs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from babelwire.model import Item
from babelwire.store.engine import create_engine, reading, writing
from babelwire.store.migrate import upgrade
from babelwire.store.query import ItemQuery
from babelwire.store.schema import sources
from babelwire.store.search import NO_LIMITS, SearchLimits, find_items
from search_scale_load import bulk_load

ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = ROOT / "build" / "bench-scale"
#: Bumped whenever the generated corpus changes, so cached databases are rebuilt.
CORPUS_VERSION = 1
SEED = 20261204
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN_S = 3 * 365 * 86400
SOURCES = 60
REGIONS = ("Russian Federation", "France", "China", "Egypt", "Brazil", "Spain", "Japan",
           "Germany", "Kenya", "Mexico", "Ukraine", "Belgium")

# Frequent words of each language, most frequent first; a Zipf tail of
# made-up words in the same script follows them (see ``vocabulary``).
COMMON = {
    "en": "the of and to in a is that for on said with by as was it from at be has minister "
          "government president security council talks trade foreign state new against people "
          "year would after were this who which also its their been more country two will "
          "meeting national economic peace agreement official military support talks week "
          "report policy mission election energy border health court water prices",
    "fr": "le la les de des et à un une du en que est pour dans qui au sur par ministre "
          "gouvernement président sécurité conseil accord pays année nouvelle politique "
          "paix frontière élection santé",
    "es": "el la los las de y en que a del un una por con para es se al ministro gobierno "
          "presidente seguridad consejo acuerdo país año nueva política paz frontera "
          "elecciones salud",
    "de": "der die und das in den von zu mit des ist im für auf dem nicht ein eine Minister "
          "Regierung Präsident Sicherheit Rat Abkommen Land Jahr neue Politik Frieden Grenze "
          "Wahl Gesundheit",
    "ru": "и в не на что с по как из это к министр правительство президент безопасности "
          "совет соглашение страны году новой политики мира границы выборы здравоохранения "
          "заявил встреча переговоры",
    "ar": "في من على إلى أن عن مع هذا التي الذي وزير الحكومة الرئيس الأمن مجلس اتفاق البلاد "
          "العام الجديدة السياسة السلام الحدود الانتخابات الصحة",
}
SYLLABLES = {
    "en": "ka lo mi ne ru sa to vi dor pen tar ul bel fa gu hin jo ker qua wen",
    "fr": "ai eau on ré mè pa ti lu sé ber chan gou mir ton vel",
    "es": "ca lo ma ri ño te vi sa do gua pe ran ció tor mal",
    "de": "ge ber lin sch ach tung keit hei wal der rot sta mun fel",
    "ru": "ка ло ми не ру са то ви дор пен тар ул бел фа гу хин",
    "ar": "كا لو مي نا را سا تو في دار بن تر ول بل فا",
}
# Han characters used in news (Chinese), and kana with kanji (Japanese).
HAN = ("国务院发布贸易新政策安全理事会经济合作部长会议和平发展人民共和声明外交总统选举能源价格"
       "边境卫生法院水资源军事支持报告协议官员国家政府中国美国俄罗斯欧洲联合组织问题关系地区")
JAPANESE = ("政府首相外務大臣会談安全保障理事会経済協力発表東京日本国際平和選挙"
            "の は が を に で と した する された について により ます です また")
LANGUAGES = ("en", "fr", "es", "de", "ru", "ar", "zh", "ja")


class Vocabulary:
    """Words drawn with Zipf weights, sampled a million at a time (numpy:
    drawing word by word was a third of the load time)."""

    def __init__(self, words: list[str], seed: int) -> None:
        self.words = words
        cum = np.cumsum(1.0 / np.arange(1, len(words) + 1))
        self._cum = cum / cum[-1]
        self._rng = np.random.default_rng(seed)
        self._drawn: list[int] = []
        self._next = 0

    def draw(self, n: int) -> list[str]:
        if self._next + n > len(self._drawn):
            picks = np.searchsorted(self._cum, self._rng.random(1_000_000), side="right")
            self._drawn, self._next = picks.tolist(), 0
        start, self._next = self._next, self._next + n
        return [self.words[i] for i in self._drawn[start:self._next]]


def vocabulary(rng: random.Random, language: str, size: int) -> Vocabulary:
    """Common words, then made-up words, with Zipf weights (rank r: 1/r)."""
    if language == "zh":
        words = list(HAN)
    elif language == "ja":
        words = JAPANESE.split() + list(HAN[:40])
    else:
        syllables = SYLLABLES[language].split()
        made_up = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size * 2)}
        words = COMMON[language].split() + sorted(made_up)[:size]
    return Vocabulary(words, rng.randrange(2**32))


def text(vocab: Vocabulary, language: str, n: int) -> str:
    words = vocab.draw(n)
    if language in ("zh", "ja"):
        return "".join(words) + "。"
    return " ".join(words).capitalize() + "."


@dataclass(frozen=True)
class World:
    vocabularies: dict[str, Vocabulary]


def make_world() -> World:
    rng = random.Random(SEED)
    return World({language: vocabulary(rng, language, 20_000 if language == "en" else 5_000)
                  for language in LANGUAGES})


def synthetic(n: int, world: World) -> Iterator[tuple[dict[str, Any], Item, str]]:
    """(document row, item, original text) in publication order."""
    rng = random.Random(SEED + 1)
    english = world.vocabularies["en"]
    for k in range(n):
        source = rng.randrange(SOURCES)
        language = LANGUAGES[source % len(LANGUAGES)]
        vocab = world.vocabularies[language]
        created = START + timedelta(seconds=SPAN_S * k / n)
        source_id = f"src-{source:02d}"
        url = f"http://127.0.0.1:1/{source_id}/{k}"
        length = 30 if language in ("zh", "ja") else 25
        original_text = "\n".join(text(vocab, language, length) for _ in range(4))
        title = text(vocab, language, 10)
        doc = {"id": f"d{k:07d}", "source_id": source_id, "url": url, "stage": "extracted",
               "text": original_text, "language": language, "created_at": created,
               "updated_at": created}
        body = tuple(text(english, "en", rng.randint(25, 45)) for _ in range(4))
        item = Item(
            id=f"i{k:07d}", document_id=doc["id"], version=1, slug=f"item-{k}",
            headline=text(english, "en", 12), section=f"Section {source % 7}", body=body,
            kind="translation", source_id=source_id, source_name=f"Ministry {source_id}",
            desk="Press", region=REGIONS[source % len(REGIONS)], original_language=language,
            original_headline=title, original_url=url, published=created,
            published_has_time=True, first_created=created, version_created=created,
            disclaimer="Please note.", disclaimer_version="1", publisher="Bench Wire",
        )
        yield doc, item, original_text


def load(engine: Engine, n: int, world: World) -> float:
    """Fill a migrated database (``search_scale_load``); return items per second."""
    with writing(engine, "bench sources") as connection:
        connection.execute(sa.insert(sources), [
            {"id": f"src-{k:02d}", "name": f"Ministry src-{k:02d}", "desk": "Press",
             "region": REGIONS[k % len(REGIONS)], "languages": [LANGUAGES[k % len(LANGUAGES)]],
             "category": "ministry", "origin": "bench", "poll_interval_s": 3600}
            for k in range(SOURCES)])
    started = time.perf_counter()

    def progress(done: int) -> None:
        if done % 100_000 == 0:
            print(f"  {engine.dialect.name}: {done:,} items, "
                  f"{done / (time.perf_counter() - started):,.0f}/s", flush=True)

    return bulk_load(engine, synthetic(n, world), progress)


# -- the database, built once -------------------------------------------------


def sqlite_url(n: int) -> str:
    """The cached SQLite file of ``n`` items, built when missing."""
    path = CACHE_DIR / f"sqlite-{n}-v{CORPUS_VERSION}.db"
    if not path.exists():
        building = path.with_suffix(".building")
        for leftover in CACHE_DIR.glob(building.name + "*"):
            leftover.unlink()
        engine = create_engine(f"sqlite:///{building}")
        upgrade(engine)
        rate = load(engine, n, make_world())
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        building.rename(path)
        print(f"SQLite: built {n:,} items at {rate:,.0f} items/s -> {path}")
    return f"sqlite:///{path}"


def postgres_url(n: int) -> str | None:
    """The cached PostgreSQL database of ``n`` items, built when missing;
    None without a server."""
    url = os.environ.get("BABELWIRE_BENCH_DATABASE_URL", "").strip()
    if not url:
        script = ROOT / "scripts" / "pg-test-server"
        done = subprocess.run([str(script), "start"], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"PostgreSQL: not run ({done.stderr.strip() or 'pg-test-server failed'})")
            return None
        url = done.stdout.strip()
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"bench_scale_{n}_v{CORPUS_VERSION}"
    building = name + "_building"
    target = admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                   {"name": name})
        if not exists:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{building}"')
    if not exists:
        engine = create_engine(admin.url.set(database=building).render_as_string(
            hide_password=False))
        upgrade(engine)
        rate = load(engine, n, make_world())
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        print(f"PostgreSQL: built {n:,} items at {rate:,.0f} items/s -> database {name}")
    admin.dispose()
    return target


# -- the queries ---------------------------------------------------------------


def query_classes(world: World, rng: random.Random) -> dict[str, list[ItemQuery]]:
    """Seven classes of 20 queries each, words picked by frequency rank."""
    en = world.vocabularies["en"].words
    ru = world.vocabularies["ru"].words

    def word(low: int, high: int) -> str:
        return en[rng.randrange(low, high)]

    def any_word() -> str:  # rare, uncommon or frequent, as readers type them
        return word(*rng.choice(((60, 300), (300, 3000), (3000, 20_000))))

    def cjk() -> str:
        return "".join(rng.choices(HAN[:60], k=2))

    def phrase() -> str:
        return f'"{word(12, 80)} {word(12, 80)}"'

    def filter_only() -> ItemQuery:
        since = START + timedelta(days=rng.randrange(0, 1000))
        return ItemQuery(region=rng.choice(REGIONS), since=since, limit=20, with_facets=True)

    makers: dict[str, Callable[[], ItemQuery]] = {
        "top-20 by relevance": lambda: ItemQuery(text=any_word(), order="relevance", limit=20),
        "top-20 by date": lambda: ItemQuery(text=any_word(), limit=20),
        "with facets": lambda: ItemQuery(text=any_word(), limit=20, with_facets=True),
        "phrase": lambda: ItemQuery(text=phrase(), limit=20, with_facets=True),
        # Ranks 20-40 ("minister", "council"...): in most items, and no English
        # stop word, which PostgreSQL's english configuration would drop.
        "common word": lambda: ItemQuery(text=word(20, 40), order="relevance", limit=20,
                                         with_facets=True),
        "CJK": lambda: ItemQuery(text=cjk() if rng.random() < 0.7 else rng.choice(ru[:40]),
                                 limit=20, with_facets=True),
        "filter-only": filter_only,
    }
    return {name: [make() for _ in range(20)] for name, make in makers.items()}


def timed(engine: Engine, query: ItemQuery, limits: SearchLimits) -> tuple[float, float]:
    """Wall and CPU milliseconds of one query. This process's CPU time is
    the whole work on SQLite, which a busy machine inflates far less than
    wall time; on PostgreSQL the server does the work and only wall counts."""
    started, cpu = time.perf_counter(), time.process_time()
    with reading(engine, "bench query") as connection:
        find_items(connection, query, limits)
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def measure(url: str, classes: dict[str, list[ItemQuery]], repeat: int,
            baseline_repeat: int) -> dict[str, dict[str, list[float]]]:
    """class -> {"designed": ms..., "designed CPU": ms..., "straightforward": ms...}. The
    straightforward queries run ``baseline_repeat`` times (at a million
    items each takes seconds), interleaved with the designed ones."""
    engine = create_engine(url)
    upgrade(engine)  # a database cached by an older version gains the new revisions
    out: dict[str, dict[str, list[float]]] = {}
    try:
        for queries in classes.values():  # warm the caches as a running server has them
            timed(engine, queries[0], SearchLimits())
        for name, queries in classes.items():
            out[name] = {"designed": [], "designed CPU": [], "straightforward": []}
            for turn in range(repeat):
                for query in queries:
                    wall_ms, cpu_ms = timed(engine, query, SearchLimits())
                    out[name]["designed"].append(wall_ms)
                    out[name]["designed CPU"].append(cpu_ms)
                    if turn < baseline_repeat:
                        out[name]["straightforward"].append(timed(engine, query, NO_LIMITS)[0])
            print(f"  {engine.dialect.name}: {name} done, load {_load()}", flush=True)
    finally:
        engine.dispose()
    return out


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(n: int, runs: dict[str, dict[str, dict[str, list[float]]]],
           loads: dict[str, str]) -> None:
    print(f"\n{n:,} items; ms p50 / p95; baseline = every match ranked and counted")
    for backend, load in loads.items():
        print(f"load average (1, 5, 15 min) {backend}: {load}")
    print("designed CPU: this process's CPU time (SQLite only: PostgreSQL works in the server)")
    print(f"{'class':22}{'backend':12}{'designed':>20}{'designed CPU':>20}"
          f"{'straightforward':>20}{'ratio p95':>11}")
    for name in next(iter(runs.values())):
        for backend, results in runs.items():
            designed, plain = results[name]["designed"], results[name]["straightforward"]
            line = f"{name:22}{backend:12}{_cells(designed):>20}"
            line += f"{_cells(results[name]['designed CPU']) if backend == 'SQLite' else '':>20}"
            if plain:
                line += f"{_cells(plain):>20}"
                line += f"{percentile(plain, 0.95) / percentile(designed, 0.95):10.1f}x"
            print(line)


def _cells(values: list[float]) -> str:
    return f"{statistics.median(values):9.1f} / {percentile(values, 0.95):7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int,
                        default=int(os.environ.get("BENCH_SCALE_ITEMS", "1000000")))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each class's 20 queries")
    parser.add_argument("--backend", choices=("both", "sqlite", "postgresql"),
                        default=os.environ.get("BENCH_SCALE_BACKEND", "both"))
    parser.add_argument("--baseline-repeat", type=int, default=1,
                        help="runs of the straightforward queries (0: none; slow at 1M)")
    parser.add_argument("--query-seed", type=int, default=SEED + 2,
                        help="draw of the queries' words (another seed: a set the "
                             "search was never tuned on)")
    args = parser.parse_args()
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    classes = query_classes(make_world(), random.Random(args.query_seed))
    runs: dict[str, dict[str, dict[str, list[float]]]] = {}
    loads: dict[str, str] = {}
    if args.backend != "postgresql":
        url = sqlite_url(args.items)
        before = _load()
        runs["SQLite"] = measure(url, classes, args.repeat, args.baseline_repeat)
        loads["SQLite"] = f"{before} before, {_load()} after"
    if args.backend != "sqlite":
        pg_url = postgres_url(args.items)
        if pg_url is not None:
            before = _load()
            runs["PostgreSQL"] = measure(pg_url, classes, args.repeat, args.baseline_repeat)
            loads["PostgreSQL"] = f"{before} before, {_load()} after"
    report(args.items, runs, loads)


if __name__ == "__main__":
    main()
