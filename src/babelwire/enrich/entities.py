"""People and organisations, in the original and in the translation.

Organisations of ``data/bodies.tsv`` are found by name in every language and
share one key across languages. Other names are found by rule, with the word
lists of ``data/entity_rules.toml``:

- cased scripts (Latin, Cyrillic): a run of capitalised words is a name; a
  title just before it ("President", "министр") or inside it makes it a
  person, an organisation word at its head or tail ("Ministry of …",
  "… Council") an organisation, and a run ending in a day, document or
  geographic word ("Human Rights Day", "North Darfur") is neither. A run of
  two or more capitalised words with none of these marks is a person: in
  official news that is what such runs mostly are.
- Arabic, which has no capitals: a title followed by two or three words.
- Chinese: a title beside a common surname and one or two characters.

Rule-found names are keyed by their folded words, so "Guterres" and
"Guterres's" are one person, and a surname alone joins the full name it
ends ("Guterres" → "António Guterres").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from babelwire.enrich.lexicon import Lexicon, Token, is_cyrillic, normalize
from babelwire.enrich.passages import Passage
from babelwire.enrich.places import DATA_DIR, Gazetteer
from babelwire.enrich.records import Entity, EntityKind, Mention
from babelwire.errors import ConfigError

_ARABIC_STOP = frozenset([
    "في", "من", "إلى", "على", "عن", "مع", "أن", "إن", "التي", "الذي", "هذا", "هذه", "ذلك",
    "كما", "خلال", "حيث", "بين", "قد", "لا", "ما", "و", "أو", "ثم", "بشأن", "حول", "لدى",
    "عبر", "منذ"
])
#: A Chinese name stops before these: they start the verb or particle after it.
_HAN_AFTER_NAME = frozenset("表说指强会在同与就称的和出将向对于是也")
_HAN = "\u4e00-\u9fff"
#: A name's word may start with an Arabic article written in Latin or
#: Cyrillic, before the capital: "al-Hassan", "аль-Хасан".
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|as|ar|an|аль|эль|ад|ас|ар|ан)-")
_RU_ADJECTIVE = re.compile(r"(?:ого|его|ому|ему|ой|ей|ый|ий|ая|яя|ое|ее|ые|ие|ых|их|ым|им)$")


@dataclass(frozen=True, slots=True)
class EntityTables:
    bodies: Lexicon
    body_names: dict[str, str]
    titles: Lexicon
    heads: frozenset[str]
    tails: frozenset[str]
    not_people: frozenset[str]
    stopwords: frozenset[str]
    connectors: frozenset[str]
    organisation_connectors: frozenset[str]
    han_title_before: re.Pattern[str]
    han_title_after: re.Pattern[str]


def load_entity_tables(data_dir: Path = DATA_DIR) -> EntityTables:
    try:
        rules = tomllib.loads((data_dir / "entity_rules.toml").read_text(encoding="utf-8"))
        body_rows = (data_dir / "bodies.tsv").read_text(encoding="utf-8").splitlines()
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"enrich: cannot read the entity tables in {data_dir}: {exc}") from None
    bodies = Lexicon(proper_names=True)
    names: dict[str, str] = {}
    for line in body_rows[1:]:
        if not line.strip() or line.startswith("#") or line.startswith("key\t"):
            continue
        key, name, aliases = [*line.split("\t"), "", ""][:3]
        names[key] = name
        bodies.add(name, key)
        for alias in filter(None, aliases.split("|")):
            bodies.add(alias, key)
    titles = Lexicon(proper_names=False)
    all_titles = [t for words in rules["titles"].values() for t in words]
    titles.add_all((t, t) for t in all_titles)
    han_titles = "|".join(sorted(rules["titles"]["zh"], key=len, reverse=True))
    surnames = rules["chinese_surnames"]["chars"]
    name = rf"[{surnames}][{_HAN}]{{1,2}}"
    return EntityTables(
        bodies=bodies,
        body_names=names,
        titles=titles,
        heads=_folded(w for words in rules["organisation_heads"].values() for w in words),
        tails=_folded(w for words in rules["organisation_tails"].values() for w in words),
        not_people=_folded(rules["not_people"]["words"]),
        stopwords=frozenset(rules["stopwords"]["words"]),
        connectors=frozenset(rules["connectors"]["words"]),
        organisation_connectors=frozenset(rules["organisation_connectors"]["words"]),
        han_title_before=re.compile(rf"(?:{han_titles})({name})"),
        han_title_after=re.compile(rf"({name})(?:{han_titles})"),
    )


def _folded(words: object) -> frozenset[str]:
    return frozenset(normalize(str(w)) for w in words)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class _Found:
    key: str
    kind: EntityKind
    name: str
    mention: Mention


def find_entities(
    texts: Sequence[Passage], tables: EntityTables, gazetteer: Gazetteer
) -> tuple[Entity, ...]:
    """People and organisations named in the texts, most mentioned first."""
    found: list[_Found] = []
    for passage in texts:
        found.extend(_in_passage(passage, tables, gazetteer))
    return _merge(found)


def _in_passage(passage: Passage, tables: EntityTables, gazetteer: Gazetteer) -> Iterator[_Found]:
    tokens = passage.tokens
    taken: set[int] = set()
    for match in tables.bodies.find(passage.text, tokens):
        taken.update(range(match.token_index, match.token_index + match.token_count))
        name = tables.body_names[match.value]
        kind = EntityKind.EVENT if match.value.startswith("event:") else EntityKind.ORGANISATION
        yield _Found(match.value, kind, name,
                     passage.mention(match.start, match.end))
    for match in gazetteer.lexicon.find(passage.text, tokens):
        taken.update(range(match.token_index, match.token_index + match.token_count))
    if re.search(f"[{_HAN}]", passage.text):
        yield from _han_people(passage, tables)
        return
    title_ends = {m.token_index + m.token_count for m in tables.titles.find(passage.text, tokens)}
    if any("\u0600" <= t.text[0] <= "\u06ff" for t in tokens[:5]):
        yield from _titled_arabic(passage, tokens, title_ends, taken)
        return
    if passage.block < 0:
        return  # headlines are often in title case: every word is capitalised
    for run in _capitalised_runs(passage.text, tokens, taken, tables):
        yield from _classify(passage, tokens, run, title_ends, tables)


def _capitalised_runs(
    text: str, tokens: list[Token], taken: set[int], tables: EntityTables
) -> Iterator[list[int]]:
    run: list[int] = []
    for i, token in enumerate(tokens):
        joined = bool(run) and text[tokens[i - 1].end : token.start].strip() == ""
        namey = (i not in taken and _is_name_word(token.text)
                 and token.text not in tables.stopwords)
        if (namey and (joined or not run)) or (run and joined and (token.text in tables.connectors
                                 or token.text in tables.organisation_connectors)):
            run.append(i)
        else:
            if run:
                yield _trim(run, tokens, tables)
            run = [i] if namey else []
    if run:
        yield _trim(run, tokens, tables)


def _is_name_word(word: str) -> bool:
    rest = _ARTICLE_PREFIX.sub("", word)
    return len(rest) > 1 and rest[0].isupper() and rest[1].isalpha()


def _trim(run: list[int], tokens: list[Token], tables: EntityTables) -> list[int]:
    while run and (tokens[run[-1]].text in tables.connectors
                   or tokens[run[-1]].text in tables.organisation_connectors):
        run = run[:-1]
    return run


def _classify(
    passage: Passage, tokens: list[Token], run: list[int], title_ends: set[int],
    tables: EntityTables,
) -> Iterator[_Found]:
    words = [tokens[i] for i in run]
    if words[0].norm in tables.heads or words[-1].norm in tables.tails:
        # A head or tail word alone ("Ministerio", "Commission") is a reference
        # back to a body named in full elsewhere, not a name of its own.
        if len(run) > 1:
            yield _found(passage, tokens, run, "org:", EntityKind.ORGANISATION)
        return
    if any(w.norm in tables.not_people for w in words):
        return
    if any(w.text in tables.organisation_connectors for w in words):
        yield _found(passage, tokens, run, "org:", EntityKind.ORGANISATION)
        return
    titled = run[0] in title_ends
    # A title inside the run ("President Lula", "Ministre Barrot") is cut off.
    while len(run) > 1 and run[1] in title_ends:
        run, titled = run[1:], True
    if len(run) > 1 and run[0] + 1 in title_ends:
        run, titled = run[1:], True
    first = tokens[run[0]].text
    if _RU_ADJECTIVE.search(first):
        # "Южное Киву", "Восточной Африке": Russian capitalises the adjective
        # of a geographic or official name, which a person's name never is.
        return
    if len(run) > 1 or (titled and not is_cyrillic(first)):
        yield _found(passage, tokens, run, "person:", EntityKind.PERSON)


def _found(
    passage: Passage, tokens: list[Token], run: list[int], prefix: str, kind: EntityKind
) -> _Found:
    start, end = tokens[run[0]].start, tokens[run[-1]].end
    key = prefix + " ".join(tokens[i].norm for i in run)
    return _Found(key, kind, passage.text[start:end], passage.mention(start, end))


def _titled_arabic(
    passage: Passage, tokens: list[Token], title_ends: set[int], taken: set[int]
) -> Iterator[_Found]:
    for end in sorted(title_ends):
        run = []
        for i in range(end, min(end + 3, len(tokens))):
            word = tokens[i].text
            if i in taken or word in _ARABIC_STOP or word[0].isdigit():
                break
            # A name does not start with the article ("الخارجية", "الرسمي")
            # and its words do not start like a present-tense verb ("يستقبل").
            if (i == end and word.startswith("ال")) or word[0] in "يت":
                break
            if i > end and passage.text[tokens[i - 1].end : tokens[i].start].strip():
                break
            run.append(i)
        if len(run) >= 2:
            start, stop = tokens[run[0]].start, tokens[run[-1]].end
            words = " ".join(tokens[i].norm for i in run)
            yield _Found("person:" + words, EntityKind.PERSON, passage.text[start:stop],
                         passage.mention(start, stop))


def _han_people(passage: Passage, tables: EntityTables) -> Iterator[_Found]:
    seen: set[int] = set()
    for pattern in (tables.han_title_before, tables.han_title_after):
        for match in pattern.finditer(passage.text):
            start, end = match.span(1)
            if end - start == 3 and passage.text[end - 1] in _HAN_AFTER_NAME:
                end -= 1
            if start in seen:
                continue
            seen.add(start)
            name = passage.text[start:end]
            yield _Found("person:" + name, EntityKind.PERSON, name, passage.mention(start, end))


def _merge(found: list[_Found]) -> tuple[Entity, ...]:
    by_key: dict[str, list[_Found]] = {}
    for item in found:
        by_key.setdefault(item.key, []).append(item)
    # A surname alone joins the one longer name of the same person it ends.
    full_names = [k for k in by_key if k.startswith("person:") and " " in k]
    for key in [k for k in by_key if k.startswith("person:") and " " not in k]:
        longer = [k for k in full_names if k.endswith(" " + key.removeprefix("person:"))]
        if len(longer) == 1:
            by_key[longer[0]].extend(by_key.pop(key))
    entities = []
    for key, items in by_key.items():
        # The longest spelling names the entity: "António Guterres", not "Guterres".
        name = max((i.name for i in items if i.key == key), key=len, default=items[0].name)
        entities.append(Entity(key, items[0].kind, name, tuple(i.mention for i in items)))
    return tuple(sorted(entities, key=lambda e: (-len(e.mentions), e.key)))
