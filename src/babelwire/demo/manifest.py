"""The demo world's answer key (``world/manifest.toml``) as typed records.

For every article URL the manifest says which source publishes it, its
language, charset, title, section and publication time as the page gives
them, and what babelwire is expected to do with it:

- ``stored``: fetched, extracted and kept;
- ``skipped`` with a ``reason`` keyword (``robots``, ``bot-challenge``,
  ``private-address``, ``not-found``);
- ``duplicate`` of another URL (``duplicate_of``), the same text published by
  another source.

Each ``[[trap]]`` names one hostile situation of the world (malformed feed,
429, slow answer, gzip, legacy charsets...) and where it is, so that tests
and the demo summary can check that every one was met.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from babelwire.errors import ConfigError

EXPECTATIONS = frozenset({"stored", "skipped", "duplicate"})


@dataclass(frozen=True, slots=True)
class ManifestArticle:
    url: str
    source_id: str
    language: str
    charset: str
    title: str
    section: str
    #: ISO 8601 as the page gives it: a date ("2025-12-12") or a time with
    #: its zone ("2025-12-10T15:20:00+03:00").
    published: str
    expected: str
    reason: str | None = None
    duplicate_of: str | None = None
    traps: tuple[str, ...] = ()

    @property
    def published_has_time(self) -> bool:
        return "T" in self.published

    @property
    def published_at(self) -> datetime:
        """The publication time; a date alone is read as midnight UTC."""
        if not self.published_has_time:
            return datetime.combine(date.fromisoformat(self.published), datetime.min.time(), UTC)
        return datetime.fromisoformat(self.published)


@dataclass(frozen=True, slots=True)
class Trap:
    kind: str
    url: str
    source_id: str
    #: What babelwire should do when it meets the trap, in a few words.
    expect: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Manifest:
    articles: tuple[ManifestArticle, ...]
    traps: tuple[Trap, ...]

    def by_url(self) -> dict[str, ManifestArticle]:
        return {a.url: a for a in self.articles}

    def for_source(self, source_id: str) -> tuple[ManifestArticle, ...]:
        return tuple(a for a in self.articles if a.source_id == source_id)

    def expected_counts(self) -> Counter[str]:
        """How many articles end stored, skipped and duplicate."""
        return Counter(a.expected for a in self.articles)


def load_manifest(world_dir: Path) -> Manifest:
    """Read ``manifest.toml`` from ``world_dir`` and check its internal consistency."""
    path = world_dir / "manifest.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"demo: cannot read {path}: {exc}") from None
    articles = tuple(_article(path, n, raw) for n, raw in enumerate(data.get("article", []), 1))
    traps = tuple(_trap(path, n, raw) for n, raw in enumerate(data.get("trap", []), 1))
    urls = [a.url for a in articles]
    repeated = sorted(u for u, count in Counter(urls).items() if count > 1)
    if repeated:
        raise ConfigError(f"demo: {path}: articles listed twice: {repeated}")
    for article in articles:
        if article.duplicate_of is not None and article.duplicate_of not in urls:
            raise ConfigError(
                f"demo: {path}: {article.url} duplicates {article.duplicate_of}, "
                "which is not in the manifest"
            )
    return Manifest(articles=articles, traps=traps)


def _article(path: Path, number: int, raw: dict[str, Any]) -> ManifestArticle:
    where = f"demo: {path}: article {number}"
    try:
        article = ManifestArticle(
            url=raw["url"],
            source_id=raw["source"],
            language=raw["language"],
            charset=raw["charset"],
            title=raw["title"],
            section=raw["section"],
            published=raw["published"],
            expected=raw["expected"],
            reason=raw.get("reason"),
            duplicate_of=raw.get("duplicate_of"),
            traps=tuple(raw.get("traps", ())),
        )
    except KeyError as exc:
        raise ConfigError(f"{where}: missing {exc.args[0]!r}") from None
    if article.expected not in EXPECTATIONS:
        raise ConfigError(f"{where}: expected must be one of {sorted(EXPECTATIONS)}")
    if (article.expected == "skipped") != (article.reason is not None):
        raise ConfigError(f"{where}: a reason is given exactly when expected = 'skipped'")
    if (article.expected == "duplicate") != (article.duplicate_of is not None):
        raise ConfigError(f"{where}: duplicate_of is given exactly when expected = 'duplicate'")
    try:
        article.published_at  # noqa: B018  # parsed once here so bad dates fail at load
    except ValueError:
        raise ConfigError(f"{where}: published {article.published!r} is not ISO 8601") from None
    return article


def _trap(path: Path, number: int, raw: dict[str, Any]) -> Trap:
    try:
        return Trap(
            kind=raw["kind"],
            url=raw["url"],
            source_id=raw["source"],
            expect=raw["expect"],
            note=raw.get("note", ""),
        )
    except KeyError as exc:
        raise ConfigError(f"demo: {path}: trap {number}: missing {exc.args[0]!r}") from None
