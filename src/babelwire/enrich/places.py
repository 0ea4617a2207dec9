"""Places: country and city names in any of the wire's languages, resolved.

The gazetteer is ``data/places.tsv`` (built by ``gazetteer_build`` from
GeoNames, CLDR and ISO 3166 names) plus ``data/place_aliases.tsv``, the names
that news writes and the registers do not ("ДР Конго", "U.S.", "الكونغو
الديمقراطية"). Hand aliases are added first so that they win a tie.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from babelwire.enrich.lexicon import Lexicon
from babelwire.enrich.passages import Passage
from babelwire.enrich.records import Mention, Place
from babelwire.errors import ConfigError

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class Gazetteer:
    places: dict[str, Place]
    lexicon: Lexicon


def load_gazetteer(data_dir: Path = DATA_DIR) -> Gazetteer:
    """Read the place tables once, at start-up."""
    places: dict[str, Place] = {}
    aliases: list[tuple[str, str]] = []
    try:
        # regions.tsv holds, by hand, the regions that news names as places
        # ("Darfur", "Северное Киву") and that GeoNames' city list lacks.
        for path in (data_dir / "places.tsv", data_dir / "regions.tsv"):
            with path.open(encoding="utf-8", newline="") as handle:
                for n, row in enumerate(csv.DictReader(handle, delimiter="\t"), 2):
                    place = _place(row, path, n)
                    places[place.key] = place
                    aliases.append((place.name, place.key))
                    aliases.extend((a, place.key) for a in (row["aliases"] or "").split("|") if a)
        hand = _hand_aliases(data_dir / "place_aliases.tsv", places)
        stop = (data_dir / "place_stopwords.txt").read_text(encoding="utf-8").splitlines()
        ambiguous = _ambiguous(data_dir / "ambiguous_places.tsv", places)
    except OSError as exc:
        raise ConfigError(f"enrich: cannot read the gazetteer in {data_dir}: {exc}") from None
    lexicon = Lexicon(proper_names=True)
    lexicon.add_all(hand)
    # A common word is claimed first, with no place, so no alias can take it.
    lexicon.add_all((word, "") for word in stop if word and not word.startswith("#"))
    lexicon.add_all(ambiguous)
    # Countries before cities, so that "Mexico", "Singapore" or "Kuwait"
    # name the country; cities are in descending population already.
    lexicon.add_all(sorted(aliases, key=lambda pair: not pair[1].startswith("country:")))
    return Gazetteer(places, lexicon)


@cache
def country_names(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> the country's English name, for labels
    (read once; {} when the table cannot be read: a label falls back to the code)."""
    try:
        with (data_dir / "places.tsv").open(encoding="utf-8", newline="") as handle:
            return {row["country"]: row["name"]
                    for row in csv.DictReader(handle, delimiter="\t") if row["kind"] == "country"}
    except (OSError, KeyError, csv.Error):
        return {}


def _place(row: dict[str, str], path: Path, line: int) -> Place:
    try:
        latitude = float(row["latitude"]) if row["latitude"] else None
        longitude = float(row["longitude"]) if row["longitude"] else None
        return Place(row["key"], row["kind"], row["name"], row["country"], latitude, longitude)
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(f"enrich: {path}: line {line}: {exc!r}") from None


def _hand_aliases(path: Path, places: dict[str, Place]) -> list[tuple[str, str]]:
    pairs = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, _, alias = line.partition("\t")
        if key not in places or not alias.strip():
            raise ConfigError(f"enrich: {path}: line {n}: unknown place {key!r} or no alias")
        pairs.append((alias.strip(), key))
    return pairs


def _ambiguous(path: Path, places: dict[str, Place]) -> list[tuple[str, str]]:
    pairs = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        alias, _, keys = line.partition("\t")
        if not keys or any(k not in places for k in keys.split("|")):
            raise ConfigError(f"enrich: {path}: line {n}: unknown place in {keys!r}")
        pairs.append((alias, AMBIGUOUS + keys))
    return pairs


#: Lexicon values of ambiguous short names start with this, then "key|key…".
AMBIGUOUS = "?"


def find_places(texts: Sequence[Passage], gazetteer: Gazetteer) -> tuple[Place, ...]:
    """Every gazetteer place named in the texts, most mentioned first."""
    mentions: dict[str, list[Mention]] = {}
    unsure: list[tuple[list[str], Mention]] = []
    for passage in texts:
        for match in gazetteer.lexicon.find(passage.text, passage.tokens):
            mention = passage.mention(match.start, match.end)
            if match.value.startswith(AMBIGUOUS):
                unsure.append((match.value[1:].split("|"), mention))
            elif match.value:
                mentions.setdefault(match.value, []).append(mention)
    for candidates, mention in unsure:
        # A short name means the place the document also names in full.
        key = next((k for k in candidates if k in mentions), candidates[0])
        mentions.setdefault(key, []).append(mention)
    ranked = sorted(mentions.items(), key=lambda item: (-len(item[1]), item[0]))
    return tuple(replace(gazetteer.places[key], mentions=tuple(found)) for key, found in ranked)
