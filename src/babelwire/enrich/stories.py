"""Stories: documents about one event, across languages and sources.

Two documents are one story when they are close in time and share what they
are about. "What they are about" is measured three ways:

- by the entities and places both name, weighted by rarity (IDF over the
  documents being grouped): two items naming Sudan and the WFP say more
  than two items naming the UN. Keys in most items of one publisher (its
  own name, country, press office) do not count. These keys are the same in
  every language
  (the gazetteers resolve "Судан", "Soudan" and "السودان" to one key), so
  this part needs no translation;
- by a text model over the English text (the translation, or the original
  when it is English), when both documents have one: :class:`TfidfModel`,
  TF-IDF cosine similarity over English words;
- by the cosine of the originals' embeddings (headline and opening, in
  their own language), when the embedding model reads both
  (``enrich.embedding``: a multilingual sentence encoder, so a Russian
  report and an English one of the same event are close with no
  translation).

Both text models sit behind :class:`TextModel`. A document with no text the
models can read is judged on its keys and date alone.

Documents are grouped by single link over pairs whose score reaches the
threshold; the date window keeps that from chaining a long-running topic
into one story. There are three thresholds, by what the pair has
(:class:`StoryParams`). When both documents have English text, the text
weighs most and the threshold is high: two events in one city a day apart
share every key, and only their text tells them apart. When either has no
English but both have embedded originals, the embeddings and the keys weigh
alike against a lower threshold. When there is no text to compare, the keys
are all there is, and reports of one event in different languages share
only some of them (each names its own secondary places and bodies), so the
threshold is low.

On the wire, stories are kept as items arrive (:func:`assign_stories`): a
new document joins the stories of the stored documents it scores high
enough with, or starts one; when it joins two, they become one, named after
the older. A story is named after its first member's document, so the
address of a story merged into another still leads to it.
:func:`is_breaking` tells a story that is growing fast.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from babelwire.enrich.records import Enrichment
from babelwire.errors import ConfigError

#: A key in this share of one source's documents (when the batch holds at
#: least HOUSE_MIN_DOCS of them) is the publisher's own, not the story's.
HOUSE_SHARE = 0.5
HOUSE_MIN_DOCS = 3
#: A publisher reports an event once; two of its items days apart share its
#: beat (its capital, its minister) far more often than an event, so their
#: score counts half. Follow-ups that share much still reach the threshold.
SAME_SOURCE_WEIGHT = 0.5
_WORD = re.compile(r"[a-z][a-z'-]+")
#: English words that say nothing about which event a text reports.
_STOP = frozenset([
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "as", "is", "are", "was", "were", "be", "been", "has", "have", "had", "it",
    "its", "this", "that", "these", "those", "which", "who", "whom", "will", "would", "can",
    "could", "may", "also", "not", "but", "their", "his", "her", "they", "he", "she", "we",
    "our", "said", "says", "more", "than", "other", "after", "before", "over", "into",
    "about", "such", "all", "any", "each", "new", "per"
])


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """What the story grouping needs to know of one document."""

    document_id: str
    published: datetime | None
    language: str
    #: English text: the translation, or the original when it is English.
    english: str | None
    #: Place and entity keys ("country:SD", "org:wfp", "person:…").
    keys: frozenset[str]
    #: The publisher: keys in most of one source's documents are its own
    #: (see :func:`_house_keys`).
    source_id: str = ""
    #: Headline and opening in the original language, when the embedding
    #: model reads it (``embedding.original_text``).
    original: str | None = None


#: What a pair's score was measured on (PairScore.basis): English words on
#: both sides (and the originals' embeddings when the model reads both), the
#: embeddings alone (either side waits for its translation), or keys alone.
WORDS, MEANING, KEYS = "words", "meaning", "keys"


@dataclass(frozen=True, slots=True)
class PairScore:
    """How close two documents are, and on what it was measured."""

    score: float
    basis: str


@dataclass(frozen=True, slots=True)
class StoryParams:
    """The grouping's parameters. The defaults are the best F1 on the tune
    half of the labelled pages, the demo's and the written pages' F1 counting
    alike (python -m tests.enrich.storyeval): the embeddings' own on the pages
    untranslated, the rest on the written pages with their translations and
    the demo's as the demo stores them; the higher threshold on a tie. The
    test half is never tuned on."""

    #: Documents further apart than this are never one story.
    max_days: float = 3.0
    #: Weight of the text similarity against the key overlap, when both
    #: documents have English text.
    text_weight: float = 0.7
    #: Score from which two documents that both have English text are one story.
    threshold: float = 0.4
    #: Score from which two documents are one story when they have no text
    #: to compare, and the keys are all that is compared.
    keys_threshold: float = 0.15
    #: Share of the embeddings' similarity in the text similarity, when both
    #: documents have English text and embedded originals.
    embed_weight: float = 0.3
    #: Cosine of two embeddings that counts as nothing in common: unrelated
    #: news is about 0.1-0.3 apart; 1 stays 1.
    embed_floor: float = 0.3
    #: Weight of the embeddings' similarity against the key overlap when it
    #: is all the text compared (either document has no English text yet).
    meaning_weight: float = 0.5
    #: Score from which such a pair is one story.
    meaning_threshold: float = 0.2

    def links(self, pair: PairScore) -> bool:
        """Whether the pair is one story."""
        thresholds = {WORDS: self.threshold, MEANING: self.meaning_threshold,
                      KEYS: self.keys_threshold}
        return pair.score >= thresholds[pair.basis]


@dataclass(frozen=True, slots=True)
class Story:
    #: The earliest member's document id: stable as members are added later.
    id: str
    document_ids: tuple[str, ...]


def story_doc(enrichment: Enrichment, *, published: datetime | None, language: str,
              english: str | None, source_id: str = "", original: str | None = None
              ) -> StoryDoc:
    keys = {p.key for p in enrichment.places}
    keys.update(e.key for e in enrichment.entities)
    return StoryDoc(enrichment.document_id, published, language, english, frozenset(keys),
                    source_id, original)


class TextModel(Protocol):
    name: str

    def similarities(self, texts: Sequence[str]) -> list[list[float]]:
        """The matrix of pairwise similarities, in [0, 1]."""

    def similarity_rows(self, texts: Sequence[str], rows: Sequence[int]) -> list[list[float]]:
        """The rows ``rows`` of that matrix: each listed text against all."""


class TfidfModel:
    """TF-IDF cosine similarity over English words (log-scaled counts).

    Word rarity is counted over the texts compared, as if there were
    ``PRIOR_DOCS`` more that name none of their words: a wire's first items,
    or a batch that is mostly one story, say little about how rare a word
    is, and without them the words every text of a small batch shares (the
    story's own) would count for nothing. In a large batch they change little.
    """

    name = "tfidf"
    PRIOR_DOCS = 10

    def similarities(self, texts: Sequence[str]) -> list[list[float]]:
        return self.similarity_rows(texts, range(len(texts)))

    def similarity_rows(self, texts: Sequence[str], rows: Sequence[int]) -> list[list[float]]:
        bags = [Counter(w for w in _WORD.findall(t.casefold()) if w not in _STOP) for t in texts]
        df: Counter[str] = Counter(w for bag in bags for w in bag)
        n = len(texts)
        vectors = []
        for bag in bags:
            vec = {w: (1 + math.log(c)) * math.log((1 + n + self.PRIOR_DOCS) / (1 + df[w]))
                   for w, c in bag.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            vectors.append({w: v / norm for w, v in vec.items()})
        return [[_dot(vectors[i], b) for b in vectors] for i in rows]


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


TEXT_MODELS: dict[str, type[TfidfModel]] = {"tfidf": TfidfModel}


def load_text_model(name: str) -> TextModel:
    try:
        return TEXT_MODELS[name]()
    except KeyError:
        raise ConfigError(
            f"enrich: unknown story text model {name!r}; known: {sorted(TEXT_MODELS)}"
        ) from None


class _Similar:
    """One model's similarities among the documents that have its text."""

    def __init__(self, model: TextModel | None, texts: Sequence[str | None],
                 first_new: int) -> None:
        have = [i for i, text in enumerate(texts) if text] if model is not None else []
        self.row_of = {doc_index: row for row, doc_index in enumerate(have)}
        wanted = [self.row_of[j] for j in have if j >= first_new]
        rows = (model.similarity_rows([texts[i] or "" for i in have], wanted)
                if model is not None and wanted else [])
        self.rows = dict(zip(wanted, rows, strict=True))

    def get(self, i: int, j: int) -> float | None:
        """Similarity of documents i < j (j a row computed), None without text."""
        if i in self.row_of and j in self.row_of:
            return self.rows[self.row_of[j]][self.row_of[i]]
        return None


def _score(keys: float, words: float | None, meaning: float | None,
           params: StoryParams) -> PairScore:
    """The pair's score from what it has: key overlap, TF-IDF over English
    words, the embeddings' cosine (rescaled from ``embed_floor``)."""
    if meaning is not None:
        meaning = max(0.0, (meaning - params.embed_floor) / (1 - params.embed_floor))
    if words is not None:
        text = words if meaning is None else (
            params.embed_weight * meaning + (1 - params.embed_weight) * words)
        return PairScore(params.text_weight * text + (1 - params.text_weight) * keys, WORDS)
    if meaning is not None:
        weight = params.meaning_weight
        return PairScore(weight * meaning + (1 - weight) * keys, MEANING)
    return PairScore(keys, KEYS)


def pair_scores(
    docs: Sequence[StoryDoc], model: TextModel, params: StoryParams, *, first_new: int = 0,
    embedder: TextModel | None = None,
) -> dict[tuple[int, int], PairScore]:
    """Score of every pair (i < j, j >= first_new) inside the date window;
    pairs outside are left out. Documents before ``first_new`` are the context of
    the newer ones: they weigh keys and words, and are not scored together.
    ``embedder`` compares the documents' originals (None: English text only)."""
    df: Counter[str] = Counter(k for d in docs for k in d.keys)
    idf = {k: math.log((1 + len(docs)) / c) for k, c in df.items()}
    words = _Similar(model, [d.english for d in docs], first_new)
    meanings = _Similar(embedder, [d.original for d in docs], first_new)
    house = _house_keys(docs)
    scores = {}
    for j in range(first_new, len(docs)):
        for i in range(j):
            a, b = docs[i], docs[j]
            if not _close_in_time(a, b, params.max_days):
                continue
            ignored = house.get(a.source_id, frozenset()) | house.get(b.source_id, frozenset())
            overlap = _weighted_jaccard(a.keys - ignored, b.keys - ignored, idf)
            pair = _score(overlap, words.get(i, j), meanings.get(i, j), params)
            if a.source_id and a.source_id == b.source_id:
                pair = PairScore(pair.score * SAME_SOURCE_WEIGHT, pair.basis)
            scores[(i, j)] = pair
    return scores


def _house_keys(docs: Sequence[StoryDoc]) -> dict[str, frozenset[str]]:
    """Per source, the keys in most of its documents: the publisher itself.

    A ministry names itself, its country and its press office in every item;
    two of its items sharing those keys are not thereby one story.
    """
    by_source: dict[str, list[StoryDoc]] = {}
    for doc in docs:
        if doc.source_id:
            by_source.setdefault(doc.source_id, []).append(doc)
    house = {}
    for source, members in by_source.items():
        if len(members) >= HOUSE_MIN_DOCS:
            counts = Counter(k for d in members for k in d.keys)
            house[source] = frozenset(k for k, c in counts.items()
                                      if c >= HOUSE_SHARE * len(members))
    return house


def _close_in_time(a: StoryDoc, b: StoryDoc, max_days: float) -> bool:
    if a.published is None or b.published is None:
        return True  # an undated page is judged on its content alone
    return abs((a.published - b.published).total_seconds()) <= max_days * 86400


def _weighted_jaccard(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    union = sum(idf[k] for k in a | b)
    return sum(idf[k] for k in a & b) / union if union else 0.0


def cluster_stories(
    docs: Sequence[StoryDoc], model: TextModel, params: StoryParams = StoryParams(),
    embedder: TextModel | None = None,
) -> tuple[Story, ...]:
    """Group documents into stories; every document is in exactly one."""
    parent = list(range(len(docs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, j), pair in pair_scores(docs, model, params, embedder=embedder).items():
        if params.links(pair):
            parent[root(i)] = root(j)
    groups: dict[int, list[StoryDoc]] = {}
    for i, doc in enumerate(docs):
        groups.setdefault(root(i), []).append(doc)
    stories = []
    for members in groups.values():
        members.sort(key=lambda d: (d.published is None, d.published or datetime.min,
                                    d.document_id))
        stories.append(Story(members[0].document_id, tuple(d.document_id for d in members)))
    return tuple(sorted(stories, key=lambda s: s.id))


@dataclass(frozen=True, slots=True)
class Member:
    """A document already in a story."""

    doc: StoryDoc
    story_id: str


@dataclass(frozen=True, slots=True)
class Assignment:
    document_id: str
    story_id: str
    #: Best score with an earlier member; None for a story's first member.
    score: float | None


@dataclass(frozen=True, slots=True)
class StoryPlan:
    """What a batch of new documents does to the stories."""

    assignments: tuple[Assignment, ...]
    #: Stored story id -> the story it is now part of (a new document
    #: scored high enough with both).
    merged: dict[str, str]


def _age(doc: StoryDoc) -> tuple[bool, datetime, str]:
    return (doc.published is None, doc.published or datetime.min, doc.document_id)


def assign_stories(
    new: Sequence[StoryDoc], members: Sequence[Member], model: TextModel,
    params: StoryParams = StoryParams(), embedder: TextModel | None = None,
) -> StoryPlan:
    """The story of each new document, taken oldest first.

    A new document joins the story of every earlier document (stored, or
    new) it scores at least the threshold with; when that is several
    stories, they become one, named after the story whose first member is
    oldest. With no such document it starts a story named after itself.
    This is the single link of :func:`cluster_stories`, kept as documents
    arrive; what can still differ with how the items were cut into batches
    is the weight of each key, counted over the documents compared.
    """
    docs = [m.doc for m in members] + sorted(new, key=_age)
    first_new = len(members)
    story_of = {m.doc.document_id: m.story_id for m in members}
    # The age of a story is that of its oldest member seen here.
    oldest: dict[str, tuple[bool, datetime, str]] = {}
    for member in members:
        age = _age(member.doc)
        oldest[member.story_id] = min(oldest.get(member.story_id, age), age)
    into: dict[str, str] = {}

    def find(story: str) -> str:
        while story in into:
            story = into[story]
        return story

    scores = pair_scores(docs, model, params, first_new=first_new, embedder=embedder)
    best: dict[str, float | None] = {}
    for j in range(first_new, len(docs)):
        doc = docs[j]
        linked: dict[str, float] = {}
        for i in range(j):
            pair = scores.get((i, j))
            if pair is not None and params.links(pair):
                story = find(story_of[docs[i].document_id])
                linked[story] = max(linked.get(story, 0.0), pair.score)
        if not linked:
            story_of[doc.document_id] = doc.document_id
            oldest[doc.document_id] = _age(doc)
            best[doc.document_id] = None
            continue
        survivor = min(linked, key=lambda s: (oldest[s], s))
        for story in linked:
            if story != survivor:
                into[story] = survivor
                oldest[survivor] = min(oldest[survivor], oldest[story])
        story_of[doc.document_id] = survivor
        best[doc.document_id] = max(linked.values())
    assignments = tuple(Assignment(d.document_id, find(story_of[d.document_id]),
                                   best[d.document_id]) for d in docs[first_new:])
    stored = {m.story_id for m in members}
    return StoryPlan(assignments, {s: find(s) for s in sorted(stored) if find(s) != s})


@dataclass(frozen=True, slots=True)
class BreakingRule:
    """When a story counts as breaking: enough members, sources and
    languages joined within the last ``window_s`` (see ``storysettings``)."""

    window_s: int = 6 * 3600
    min_members: int = 3
    min_sources: int = 2
    min_languages: int = 2


@dataclass(frozen=True, slots=True)
class Arrival:
    """One member as breaking detection sees it."""

    seen_at: datetime
    source_id: str
    language: str


def is_breaking(arrivals: Sequence[Arrival], now: datetime, rule: BreakingRule) -> bool:
    """Whether the members seen in the last window reach every minimum.

    Growth is counted, not the story's size: a story of forty items over a
    week is not breaking, three sources in two languages within hours is.
    A member dated after ``now`` (a clock ahead at the source) counts as now.
    """
    since = now - timedelta(seconds=rule.window_s)
    recent = [a for a in arrivals if a.seen_at > since]
    return (len(recent) >= rule.min_members
            and len({a.source_id for a in recent}) >= rule.min_sources
            and len({a.language for a in recent}) >= rule.min_languages)
