"""How well stories are grouped: precision and recall over labelled pairs.

The labelled documents are ``tests/enrich/story_events.toml`` (every stored
page of the demo world, with its event and its half), the pages of
``tests/enrich/story_pages.toml`` (reports of one event written apart in
several languages, in events paired to be hard to tell apart: one city, one
kind of news, a day or two apart) plus, when ``../shared/corpus`` is
present, its article pages: each an event of its own but for the few that
the file's ``[[corpus]]`` entries group.
Documents are extracted and enriched here with the real stages; no
translation engine is assumed, so only English originals carry English text
and every other pair is judged on shared keys and dates. The written pages
are also measured "as on the wire", with the English each has in the file
standing for its translation (``translated=True``), tuned again on their
tune half.

Every document also carries its original headline for the multilingual
embedding model (``enrich.embedding``; the opening lengths of ``OPENINGS``
are compared too). Parameters are chosen on the demo and written pages of
the ``tune`` half (:func:`tune`: the best F1 of the demo's pages and of the
written pages, counting alike, over a small grid; first the embeddings'
own weight and threshold on the pages untranslated, then the rest as on a
wire where the written pages are translated and the demo's are not; the
higher thresholds on a tie), and then scored on both halves; the ``test``
half is never tuned on. The wire's defaults (``StoryParams()``) are the
parameters so chosen; TF-IDF and keys alone are tuned and reported beside
them.

Two measures are printed. Over *all pairs* of a half, where nearly every pair
is an easy "not" (different days, nothing in common). And over the
*labelled pairs* (:func:`labelled_pairs`): every same-event pair, and every
pair of different events that a grouping could confuse, because the two
name a place or an entity in common within the story window (a press
office's two items on Sudan a day apart, a travel advisory and a holiday
statement of one ministry) or two of them at any date (a corpus page on the
same country's crisis three years earlier). Precision there says how often the grouping
joins what it should keep apart when it has a reason to hesitate. Both are
measured for the batch grouping (``cluster_stories``) and for the wire's
incremental one (``assign_stories``, items taken oldest first).

Run: .venv/bin/python -m tests.enrich.storyeval [tests/enrich/story_events.toml]
"""

from __future__ import annotations

import itertools
import json
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babelwire.enrich import EnrichTables, enrich_document, load_tables
from babelwire.enrich.embedding import OPENING_CHARS, EmbeddingModel, original_text
from babelwire.enrich.stories import (
    StoryDoc,
    StoryParams,
    TextModel,
    assign_stories,
    cluster_stories,
    load_text_model,
    story_doc,
)
from babelwire.errors import Drop, ExtractError
from babelwire.extract import extract
from babelwire.model import (
    Block,
    BlockKind,
    Document,
    Extracted,
    SegmentTranslation,
    Stage,
    Translation,
)

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "tests" / "enrich" / "story_events.toml"
WRITTEN = REPO / "tests" / "enrich" / "story_pages.toml"
CORPUS = REPO.parent / "shared" / "corpus"
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
TEXT_WEIGHTS = (0.3, 0.5, 0.7)
EMBED_WEIGHTS = (0.3, 0.5, 0.7, 1.0)
EMBED_FLOORS = (0.2, 0.3, 0.4)
MEANING_WEIGHTS = (0.1, 0.3, 0.5, 0.7)
#: How much of each original's opening is embedded after its headline.
OPENINGS = (0, 150, 300)
#: The wire's parameters before the threshold depended on English text: one
#: threshold for every pair. Reported for comparison.
ONE_THRESHOLD = StoryParams(text_weight=0.3, threshold=0.15, keys_threshold=0.15)


@dataclass(frozen=True, slots=True)
class Labelled:
    doc: StoryDoc
    event: str
    half: str


@dataclass(frozen=True, slots=True)
class Score:
    true_pos: int
    false_pos: int
    false_neg: int
    pairs: int

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _enriched(doc_id: str, html: str, url: str | None, tables: EnrichTables,
              published_hint: datetime | None = None, source_id: str = "",
              opening_chars: int = OPENING_CHARS) -> StoryDoc | None:
    try:
        extracted = extract(html, url=url)
    except (Drop, ExtractError):
        return None
    document = Document(id=doc_id, source_id="eval", url=url or doc_id,
                        stage=Stage.EXTRACTED, extracted=extracted)
    enrichment = enrich_document(document, None, tables)
    language = extracted.language or "und"
    published = published_hint if published_hint is not None else extracted.published
    english = extracted.text if language == "en" else None
    original = original_text(language, extracted.title, (b.text for b in extracted.blocks),
                             opening_chars)
    return story_doc(enrichment, published=published, language=language, english=english,
                     source_id=source_id, original=original)


def _translation(document: Document, page: dict[str, Any]) -> Translation | None:
    """The page's English as the wire's translation of it (None: written in English)."""
    if "english" not in page:
        return None

    def segment(source: str, english: str) -> SegmentTranslation:
        return SegmentTranslation(source, english, "human", "eval", "1")

    return Translation(
        document_id=document.id, source_language=page["lang"], target_language="en",
        headline=segment(page["title"], page["english_title"]), section=None,
        body=tuple(segment(source, english)
                   for source, english in zip(page["body"], page["english"], strict=True)),
        translated_at=page["at"])


def load_written(path: Path, tables: EnrichTables, *, translated: bool = False,
                 opening_chars: int = OPENING_CHARS
                 ) -> list[Labelled]:
    """The written pages, enriched as extracted text (they are text, not HTML);
    their events are named ``written:…`` so none meets a demo event.

    ``translated``: each page also has the English a wire's translation gives
    it (``english_title`` and ``english``), read by the enrich stage and the
    text model as on the wire; without, only English originals have text.
    """
    labelled = []
    for n, page in enumerate(tomllib.loads(path.read_text(encoding="utf-8"))["page"]):
        extracted = Extracted(
            title=page["title"], language=page["lang"], published=page["at"],
            blocks=tuple(Block(BlockKind.PARAGRAPH, text) for text in page["body"]))
        document = Document(id=f"written-{n:03d}", source_id=page["source"],
                            url=f"written:{n}", stage=Stage.EXTRACTED, extracted=extracted)
        translation = _translation(document, page) if translated else None
        english = None
        if page["lang"] == "en":
            english = "\n".join([page["title"], *page["body"]])
        elif translation is not None:
            english = "\n".join([page["english_title"], *page["english"]])
        doc = story_doc(enrich_document(document, translation, tables), published=page["at"],
                        language=page["lang"], english=english, source_id=page["source"],
                        original=original_text(page["lang"], page["title"], page["body"],
                                               opening_chars))
        labelled.append(Labelled(doc, "written:" + page["event"], page["half"]))
    return labelled


def load_labelled(events_path: Path, tables: EnrichTables,
                  corpus: Path | None = CORPUS, written: Path | None = WRITTEN,
                  *, translated: bool = False, opening_chars: int = OPENING_CHARS
                  ) -> list[Labelled]:
    from babelwire.demo import WORLD_DIR
    from babelwire.demo.manifest import load_manifest
    from babelwire.demo.world import file_for

    articles = load_manifest(WORLD_DIR).by_url()
    labels = tomllib.loads(events_path.read_text(encoding="utf-8"))
    labelled = []
    for row in labels["document"]:
        article = articles[row["url"]]
        parts = urlsplit(article.url)
        path = file_for(WORLD_DIR, parts.hostname or "", parts.path)
        if path is None:
            continue
        html = path.read_bytes().decode(article.charset, errors="replace")
        doc = _enriched(article.url, html, article.url, tables, article.published_at,
                        article.source_id, opening_chars)
        if doc is not None:
            labelled.append(Labelled(doc, row["event"], row["half"]))
    if written is not None:
        labelled.extend(load_written(written, tables, translated=translated,
                                     opening_chars=opening_chars))
    if corpus is not None and corpus.is_dir():
        known = {row["path"]: (row["event"], row["half"]) for row in labels.get("corpus", [])}
        labelled.extend(_corpus_pages(corpus, tables, known))
    return labelled


def _corpus_pages(
    corpus: Path, tables: EnrichTables, known: dict[str, tuple[str, str]]
) -> list[Labelled]:
    pages = []
    records = [json.loads(line) for line in
               (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    kept = sorted((r for r in records if r["kind"] == "page"
                   and any(w in (r.get("page_type") or "") for w in ("article", "press", "news"))),
                  key=lambda r: r["path"])
    for n, record in enumerate(kept):
        html = (corpus / record["path"]).read_bytes().decode(record["encoding"], errors="replace")
        # The corpus pages are from different publishers, as many as pages.
        doc = _enriched(record["path"], html, record.get("url"), tables,
                        source_id=record["path"])
        if doc is None:
            continue
        event, half = known.get(record["path"], (record["path"], "tune" if n % 2 else "test"))
        pages.append(Labelled(doc, "corpus:" + event, half))
    return pages


def stories_of(labelled: Sequence[Labelled], model: TextModel, params: StoryParams,
               *, incremental: bool = False, embedder: TextModel | None = None
               ) -> dict[str, str]:
    """Document id -> story id, by the batch grouping or the wire's."""
    docs = [x.doc for x in labelled]
    if incremental:
        plan = assign_stories(docs, [], model, params, embedder)
        return {a.document_id: a.story_id for a in plan.assignments}
    return {doc_id: s.id for s in cluster_stories(docs, model, params, embedder)
            for doc_id in s.document_ids}


@dataclass(frozen=True, slots=True)
class Pair:
    a: Labelled
    b: Labelled
    same: bool
    #: Why a "not" pair is hard: the keys the two share.
    shared: tuple[str, ...] = ()


def labelled_pairs(labelled: Sequence[Labelled], params: StoryParams) -> list[Pair]:
    """Same-event pairs, and the different-event pairs that share a key
    within the story window or two keys at any date; pairs across halves
    are left out."""
    pairs = []
    for a, b in itertools.combinations(labelled, 2):
        if a.half != b.half:
            continue
        if a.event == b.event:
            pairs.append(Pair(a, b, True))
            continue
        shared = tuple(sorted(a.doc.keys & b.doc.keys))
        close = (a.doc.published is None or b.doc.published is None
                 or abs(a.doc.published - b.doc.published).total_seconds()
                 <= params.max_days * 86400)
        # Two keys in common at any distance is a long-running topic (Sudan
        # in 2022 and in 2025): the date window is what must keep them apart.
        if shared and (close or len(shared) >= 2):
            pairs.append(Pair(a, b, False, shared))
    return pairs


def pair_score(pairs: Sequence[Pair], story_of: dict[str, str]) -> Score:
    tp = fp = fn = 0
    for pair in pairs:
        predicted = story_of[pair.a.doc.document_id] == story_of[pair.b.doc.document_id]
        tp += predicted and pair.same
        fp += predicted and not pair.same
        fn += pair.same and not predicted
    return Score(tp, fp, fn, len(pairs))


def score(labelled: Sequence[Labelled], model: TextModel, params: StoryParams,
          *, incremental: bool = False, embedder: TextModel | None = None) -> Score:
    story_of = stories_of(labelled, model, params, incremental=incremental, embedder=embedder)
    tp = fp = fn = 0
    for a, b in itertools.combinations(labelled, 2):
        predicted = story_of[a.doc.document_id] == story_of[b.doc.document_id]
        gold = a.event == b.event
        tp += predicted and gold
        fp += predicted and not gold
        fn += gold and not predicted
    n = len(labelled)
    return Score(tp, fp, fn, n * (n - 1) // 2)


def _balanced_f1(labelled: Sequence[Labelled], model: TextModel, params: StoryParams,
                 embedder: TextModel | None) -> float:
    """Mean F1 of the demo's documents and the written pages: each set counts
    once, or the demo's few pairs would weigh nothing beside the written."""
    return sum(score(members, model, params, embedder=embedder).f1
               for _, members in _subsets(labelled)[:2]) / 2


def tune(labelled: Sequence[Labelled], model: TextModel, *,
         untranslated: Sequence[Labelled] = (), embedder: TextModel | None = None
         ) -> StoryParams:
    """The best balanced F1 of ``labelled`` (as on a wire), the higher
    thresholds on a tie. Each threshold is chosen by the pairs it judges.

    With an embedder, in two steps: how the embeddings alone judge a pair
    (the floor, their weight and threshold) on ``untranslated``, where most
    pairs have no English text on both sides; then the threshold and weights
    of pairs with English text on ``labelled``, the floor chosen again."""
    if embedder is None:
        grid = [StoryParams(text_weight=w, threshold=t, keys_threshold=k)
                for w in TEXT_WEIGHTS for t in THRESHOLDS for k in THRESHOLDS]
        return max(grid, key=lambda p: (score(labelled, model, p).f1, p.threshold,
                                        p.keys_threshold))
    meaning = max((StoryParams(embed_floor=f, meaning_weight=w, meaning_threshold=t)
                   for f in EMBED_FLOORS for w in MEANING_WEIGHTS for t in THRESHOLDS),
                  key=lambda p: (_balanced_f1(untranslated, model, p, embedder),
                                 p.meaning_threshold))
    grid = [replace(meaning, text_weight=w, threshold=t, embed_weight=e, embed_floor=f)
            for w in TEXT_WEIGHTS for t in THRESHOLDS for e in EMBED_WEIGHTS
            for f in EMBED_FLOORS]
    return max(grid, key=lambda p: (_balanced_f1(labelled, model, p, embedder), p.threshold))


def _subsets(members: Sequence[Labelled]) -> list[tuple[str, list[Labelled]]]:
    demo = [x for x in members if not x.event.startswith(("corpus:", "written:"))]
    written = [x for x in members if x.event.startswith("written:")]
    return [("demo", demo), ("written", written),
            ("demo+written", [x for x in members if not x.event.startswith("corpus:")])]


def report_pairs(halves: dict[str, list[Labelled]], model: TextModel,
                 params: StoryParams, embedder: TextModel | None = None) -> None:
    print("labelled pairs (same-event; different events sharing a key in the window, or two keys):")
    for half in ("tune", "test"):
        for subset, members in _subsets(halves[half]):
            pairs = labelled_pairs(members, params)
            same = sum(p.same for p in pairs)
            for how, incremental in (("batch", False), ("wire", True)):
                s = pair_score(pairs, stories_of(members, model, params,
                                                 incremental=incremental, embedder=embedder))
                print(f"  {half:>4} {subset:>12} {how:>5}: {len(pairs):4d} pairs ({same:3d} "
                      f"same-event, {len(pairs) - same:3d} not); precision {s.precision:.2f}, "
                      f"recall {s.recall:.2f}, F1 {s.f1:.2f} (tp {s.true_pos}, "
                      f"fp {s.false_pos}, fn {s.false_neg})")


def _params(params: StoryParams) -> str:
    return (f"threshold {params.threshold} with English text on both sides (text weight "
            f"{params.text_weight}), {params.keys_threshold} on keys alone, window "
            f"{params.max_days} days")


def main(argv: Sequence[str] = ()) -> int:
    events = Path(argv[0]) if argv else EVENTS
    tables = load_tables()
    model = load_text_model("tfidf")
    embedder = EmbeddingModel()
    # As on the wire: the written pages with the English their translation
    # gives them, the demo's as the demo stores them (only English originals
    # have English text; the others wait for an engine). Without any
    # translation as well: only English originals have English text.
    # Tuned on the tune half only.
    translated = load_labelled(events, tables, corpus=None, translated=True)
    labelled = load_labelled(events, tables, corpus=None)
    halves = {h: [x for x in translated if x.half == h] for h in ("tune", "test")}
    untranslated = {h: [x for x in labelled if x.half == h] for h in ("tune", "test")}
    before = tune(halves["tune"], model)
    params = tune(halves["tune"], model, untranslated=untranslated["tune"], embedder=embedder)
    print(f"stories: {embedder.name} over originals and {model.name} over English, tuned on "
          f"the tune half: {params}")
    print(f"the wire's: {StoryParams()}")
    for chars in OPENINGS:
        t = load_labelled(events, tables, corpus=None, translated=True, opening_chars=chars)
        u = load_labelled(events, tables, corpus=None, opening_chars=chars)
        t_tune = [x for x in t if x.half == "tune"]
        chosen = tune(t_tune, model, untranslated=[x for x in u if x.half == "tune"],
                      embedder=embedder)
        print(f"embedding the headline and {chars} characters: balanced F1 on the tune half "
              f"{_balanced_f1(t_tune, model, chosen, embedder):.3f} tuned ({chosen})")
    print(f"written pages translated, with the embeddings (headline and {OPENING_CHARS} "
          "characters):")
    report_pairs(halves, model, params, embedder)
    print(f"written pages translated, {model.name} and keys alone (tuned: {_params(before)}):")
    report_pairs(halves, model, before)
    print(f"with one threshold for every pair, as before ({_params(ONE_THRESHOLD)}):")
    report_pairs(halves, model, ONE_THRESHOLD)
    print("no translations, with the embeddings:")
    report_pairs(untranslated, model, params, embedder)
    print(f"no translations, {model.name} and keys alone:")
    report_pairs(untranslated, model, before)
    print("no translations, all pairs, with the embeddings:")
    # Both halves at once as well: the grouping runs over one batch, and a
    # larger batch gives single links more chances to chain.
    for half, members in (*untranslated.items(), ("all", labelled)):
        for subset, group in (("with corpus", members), *_subsets(members)):
            s = score(group, model, params, embedder=embedder)
            print(f"  {half:>4} {subset:>12}: {len(group):3d} docs, {s.pairs:5d} pairs, "
                  f"{s.true_pos + s.false_neg:3d} same-event; precision {s.precision:.2f}, "
                  f"recall {s.recall:.2f}, F1 {s.f1:.2f} (tp {s.true_pos}, fp {s.false_pos}, "
                  f"fn {s.false_neg})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
