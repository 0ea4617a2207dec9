"""Enrichment cost per document against extraction time, on the same pages.

Both run over every HTML page of ../shared/corpus (decoded with the codec the
manifest names) and, when the corpus is absent, over the demo world's pages.
Each page is extracted once; then extraction and enrichment of the extracted
document are timed in interleaved repetitions, so that drift in the
machine's load affects both alike; the median pass counts, as in a running
worker, and the first (the folding cache still cold) is shown beside it.
The target is an added cost of at most
20% of extraction time on CPU. Times are this process's CPU time. The
story embedding of each document's original headline (``enrich.embedding``,
its cache cleared before each pass, the model loaded before the first, the
pages in one batch as the story step embeds them) is a
cost per document too, and counts with enrichment. Story grouping is timed
separately: it runs over a batch, not per document. What a run adds per document is the stage
and the write of what it found (``Store.save_enrichment``, timed on a SQLite
file here); both are printed against extraction.

Run: .venv/bin/python bench/enrich_speed.py [repetitions]
"""

from __future__ import annotations

import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from babelwire.enrich import Enrichment, embedding, enrich_document, load_tables
from babelwire.enrich.stories import TfidfModel, cluster_stories, story_doc
from babelwire.errors import Drop, ExtractError
from babelwire.extract import extract
from babelwire.model import Document, Source, Stage
from babelwire.store import Store

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


def corpus_pages() -> list[tuple[str, str | None]]:
    pages = []
    for line in (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["kind"] == "page":
            raw = (CORPUS / record["path"]).read_bytes()
            pages.append((raw.decode(record["encoding"], errors="replace"), record.get("url")))
    return pages


def demo_pages() -> list[tuple[str, str | None]]:
    from babelwire.demo import WORLD_DIR
    from babelwire.demo.manifest import load_manifest
    from babelwire.demo.world import file_for

    pages = []
    for article in load_manifest(WORLD_DIR).articles:
        parts = urlsplit(article.url)
        path = file_for(WORLD_DIR, parts.hostname or "", parts.path)
        if path is not None:
            pages.append((path.read_bytes().decode(article.charset, errors="replace"), article.url))
    return pages


def store_s_per_doc(enriched: list[tuple[Document, Enrichment]], repetitions: int) -> float:
    """Median seconds per document of ``save_enrichment`` on a SQLite file
    (each pass replaces what the previous one saved, as a reprocess does)."""
    with tempfile.TemporaryDirectory() as tmp, Store.open(f"sqlite:///{tmp}/bench.db") as store:
        store.migrate()
        store.upsert_sources([Source(id="bench", name="bench", desk="bench", region="-",
                                     languages=("und",))])
        store.save_documents(document for document, _ in enriched)
        passes = []
        for _ in range(repetitions):
            began = time.perf_counter()
            for _, found in enriched:
                store.save_enrichment(found, input_key="bench")
            passes.append((time.perf_counter() - began) / len(enriched))
    return statistics.median(passes)


def main() -> int:
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    where = "corpus" if CORPUS.is_dir() else "demo world"
    pages = corpus_pages() if CORPUS.is_dir() else demo_pages()
    start = time.perf_counter()
    tables = load_tables()
    load_s = time.perf_counter() - start
    documents = []
    for n, (html, url) in enumerate(pages):
        with contextlib.suppress(Drop, ExtractError):
            extracted = extract(html, url=url)
            documents.append((html, url, Document(id=str(n), source_id="bench", url=url or str(n),
                                                  stage=Stage.EXTRACTED, extracted=extracted)))
    originals = [embedding.original_text(d.extracted.language or "und", d.extracted.title,
                                         (b.text for b in d.extracted.blocks))
                 for _, _, d in documents if d.extracted]
    originals_read = [text for text in originals if text]
    began = time.process_time()
    embedding.embed(["."])
    embed_load_s = time.process_time() - began
    timings: dict[str, list[float]] = {"extract": [], "enrich": [], "embed": []}
    for rep in range(repetitions):
        names = ["extract", "enrich", "embed"]
        for name in (names if rep % 2 == 0 else names[::-1]):
            embedding.clear_cache()
            began = time.process_time()
            if name == "embed":
                embedding.embed(originals_read)  # the story step embeds a batch at once
            for html, url, document in documents:
                if name == "extract":
                    extract(html, url=url)
                elif name == "enrich":
                    enrich_document(document, None, tables)
            timings[name].append(time.process_time() - began)
    extract_s = statistics.median(timings["extract"]) / len(documents)
    enrich_s = statistics.median(timings["enrich"]) / len(documents)
    embed_s = statistics.median(timings["embed"]) / len(documents)
    enrichments = [(d, enrich_document(d, None, tables)) for _, _, d in documents]
    began = time.perf_counter()
    cluster_stories([story_doc(e, published=d.extracted.published if d.extracted else None,
                               language="und", english=None) for d, e in enrichments],
                    TfidfModel())
    stories_s = time.perf_counter() - began
    store_s = store_s_per_doc(enrichments, repetitions)
    print(f"enrich speed on {len(documents)} {where} pages, {repetitions} interleaved repetitions")
    print(f"  tables loaded once in {load_s:.2f} s")
    print(f"  extract: {extract_s * 1000:7.1f} ms/page")
    print(f"   enrich: {enrich_s * 1000:7.1f} ms/page "
          f"(first pass, word cache cold: {timings['enrich'][0] / len(documents) * 1000:.1f})")
    print(f"    embed: {embed_s * 1000:7.1f} ms/page ({len(originals_read)} of the pages in a "
          f"language the model reads; model loaded in {embed_load_s:.2f} s CPU)")
    print(f"  stories: {stories_s * 1000:7.1f} ms for the batch of {len(documents)}")
    print(f"    ratio: {(enrich_s + embed_s) / extract_s:.2f} ((enrich + embed) / extract; "
          f"target <= 0.20; enrich alone {enrich_s / extract_s:.2f})")
    print(f"    store: {store_s * 1000:7.1f} ms/page (save_enrichment, SQLite)")
    print(f"    added: {(enrich_s + embed_s + store_s) / extract_s:.2f} "
          "((enrich + embed + store) / extract, what a run adds per document)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
