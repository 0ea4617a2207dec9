"""Topics: IPTC Media Topics (the standard's top-level codes) for every item.

Each topic of ``data/topics.toml`` has keywords in the wire's languages; a
keyword found in the original or the translation scores one point, two in a
headline, since a headline states what the item is about while the body also
mentions the background. Keywords are found with the same folding as names
(Russian endings, Arabic article), but in any case.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babelwire.enrich.lexicon import Lexicon
from babelwire.enrich.passages import Passage
from babelwire.enrich.places import DATA_DIR
from babelwire.enrich.records import Topic
from babelwire.errors import ConfigError

HEADLINE_WEIGHT = 2.0
#: A keyword counted many times in one document is a repeated word, not more
#: evidence: its contribution is capped.
MAX_HITS_PER_KEYWORD = 3


@dataclass(frozen=True, slots=True)
class TopicTable:
    names: dict[str, str]
    lexicon: Lexicon
    min_score: float
    fallback: str


def load_topic_table(data_dir: Path = DATA_DIR) -> TopicTable:
    path = data_dir / "topics.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        names = {t["code"]: t["name"] for t in data["topic"]}
        lexicon = Lexicon(proper_names=False)
        for topic in data["topic"]:
            for field, words in topic.items():
                if field not in ("code", "name"):
                    # The keyword is stored with its topic, so that one word
                    # may point at two topics ("clima": environment, weather).
                    lexicon.add_all((w, f"{topic['code']}\t{w}") for w in words)
        table = TopicTable(names, lexicon, float(data["min_score"]), data["fallback"])
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise ConfigError(f"enrich: cannot read {path}: {exc!r}") from None
    if table.fallback not in names:
        raise ConfigError(f"enrich: {path}: fallback {table.fallback} is not a topic")
    return table


@cache
def topic_names(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """``medtop:…`` code -> the topic's name, for labels (read once; {} when
    the table cannot be read: a label falls back to the code)."""
    try:
        return load_topic_table(data_dir).names
    except ConfigError:
        return {}


def find_topics(texts: Sequence[Passage], table: TopicTable) -> tuple[Topic, ...]:
    """The item's topics, best first; never empty (the fallback stands alone)."""
    hits: Counter[str] = Counter()
    weight: dict[str, float] = {}
    for passage in texts:
        for match in table.lexicon.find(passage.text, passage.tokens):
            hits[match.value] += 1
            if hits[match.value] <= MAX_HITS_PER_KEYWORD:
                add = HEADLINE_WEIGHT if passage.block < 0 else 1.0
                weight[match.value] = weight.get(match.value, 0.0) + add
    scores: dict[str, float] = {}
    for value, score in weight.items():
        code = value.partition("\t")[0]
        scores[code] = scores.get(code, 0.0) + score
    chosen = sorted((c for c, s in scores.items() if s >= table.min_score),
                    key=lambda c: (-scores[c], c))
    if not chosen:
        return (Topic(table.fallback, table.names[table.fallback], 0.0),)
    return tuple(Topic(code, table.names[code], scores[code]) for code in chosen)
