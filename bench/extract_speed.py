"""Extraction speed: babelwire's extractor against plain ``trafilatura.extract``.

Both read every HTML page of ../shared/corpus, decoded with the codec the
manifest names. The baseline is trafilatura as the quality bench and issue 7
state it: ``trafilatura.extract(html, include_comments=False)``. After one
warm-up pass (lingua loads its models lazily, dateparser compiles its locales
on first use), the two run in interleaved repetitions, alternating which goes
first, so that drift in the machine's load affects both alike. Passes are
timed in CPU seconds of this process: on a shared machine wall time mostly
measures the neighbours. The median pass gives pages per second. Our
extractor does more per page (metadata, dates with htmldate, language
detection, the gate), so the ratio is the price of that work.

Run: .venv/bin/python bench/extract_speed.py [repetitions]
"""

from __future__ import annotations

import contextlib
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from babelwire.errors import Drop, ExtractError
from babelwire.extract import extract

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


def load_pages() -> list[tuple[str, str | None]]:
    pages = []
    for line in (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["kind"] != "page":
            continue
        raw = (CORPUS / record["path"]).read_bytes()
        pages.append((raw.decode(record["encoding"], errors="replace"), record.get("url")))
    return pages


def ours(html: str, url: str | None) -> None:
    with contextlib.suppress(Drop, ExtractError):
        extract(html, url=url)


def plain_trafilatura(html: str, url: str | None) -> None:
    trafilatura.extract(html, url=url, include_comments=False)


def one_pass(run: Callable[[str, str | None], None], pages: list[tuple[str, str | None]]) -> float:
    start = time.process_time()
    for html, url in pages:
        run(html, url)
    return time.process_time() - start


def main() -> int:
    if not CORPUS.is_dir():
        print(f"extract_speed: {CORPUS} is absent; nothing to measure")
        return 0
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    # Doubtful keeps are logged as warnings; the rates are what this prints.
    logging.getLogger("babelwire").setLevel(logging.ERROR)
    pages = load_pages()
    one_pass(ours, pages)  # warm-up: lingua models, regex caches
    one_pass(plain_trafilatura, pages)
    timings: dict[str, list[float]] = {"babelwire": [], "trafilatura": []}
    runners = {"babelwire": ours, "trafilatura": plain_trafilatura}
    for rep in range(repetitions):
        order = ["babelwire", "trafilatura"] if rep % 2 == 0 else ["trafilatura", "babelwire"]
        for name in order:
            timings[name].append(one_pass(runners[name], pages))
    rates = {name: len(pages) / statistics.median(t) for name, t in timings.items()}
    print(f"extract speed on {len(pages)} corpus pages, {repetitions} interleaved repetitions")
    for name, rate in rates.items():
        median_s = statistics.median(timings[name])
        print(f"{name:>12}: {rate:7.1f} pages/s  (median pass {median_s:.2f} CPU s)")
    ratio = rates["babelwire"] / rates["trafilatura"]
    print(f"{'ratio':>12}: {ratio:.2f} (babelwire / trafilatura)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
