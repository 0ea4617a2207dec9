"""The table of places where the replay server is not a plain file server.

``world/behaviours.toml`` holds one ``[[behaviour]]`` per host and path::

    [[behaviour]]
    host = "news-ru.un.demo.test"
    path = "/ru/story/2025/12/1466790"
    status = 429           # answer this status instead of the file
    retry_after_s = 1      # with this Retry-After header
    times = 1              # only for the first N requests, then serve normally
    delay_s = 3.0          # sleep before answering
    redirect = "http://intranet.demo.test/admin/"  # 302 (or `status`) there
    content_type = "application/rss+xml; charset=utf-8"
    encoding = "gzip"      # Content-Encoding when the client accepts it
    note = "why this behaviour exists"

``[defaults]`` may give ``last_modified`` (an HTTP date): file times are not
kept by git, so the Last-Modified of every file is this fixed date unless a
behaviour gives its own.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from babelwire.errors import ConfigError

#: Used when behaviours.toml gives no default; a date inside the demo's story.
DEFAULT_LAST_MODIFIED = "Sat, 13 Dec 2025 08:00:00 GMT"


@dataclass(frozen=True, slots=True)
class Behaviour:
    """How one (host, path) departs from plain file serving."""

    host: str
    path: str
    status: int | None = None
    retry_after_s: int | None = None
    #: How many requests get this behaviour before the path turns normal;
    #: None means every request.
    times: int | None = None
    delay_s: float = 0.0
    redirect: str | None = None
    content_type: str | None = None
    encoding: str | None = None
    last_modified: str | None = None
    note: str = ""

    def active_for(self, request_number: int) -> bool:
        """Whether the ``request_number``-th request (from 1) gets this behaviour."""
        return self.times is None or request_number <= self.times


@dataclass(frozen=True, slots=True)
class Behaviours:
    """Every behaviour of a world, looked up by (host, path)."""

    by_key: dict[tuple[str, str], Behaviour]
    last_modified: str = DEFAULT_LAST_MODIFIED

    def get(self, host: str, path: str) -> Behaviour | None:
        return self.by_key.get((host, path))

    def __iter__(self) -> Iterator[Behaviour]:
        return iter(self.by_key.values())


_KNOWN_KEYS = frozenset(f.name for f in fields(Behaviour))
_ENCODINGS = frozenset({"gzip"})


def load_behaviours(path: Path) -> Behaviours:
    """Read and check ``behaviours.toml``; an absent file means no behaviours."""
    if not path.is_file():
        return Behaviours(by_key={})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"demo: {path}: not valid TOML: {exc}") from None
    defaults = data.get("defaults", {})
    last_modified = str(defaults.get("last_modified", DEFAULT_LAST_MODIFIED))
    _check_http_date(path, "defaults.last_modified", last_modified)
    by_key: dict[tuple[str, str], Behaviour] = {}
    for number, raw in enumerate(data.get("behaviour", []), start=1):
        behaviour = _behaviour(path, number, raw)
        key = (behaviour.host, behaviour.path)
        if key in by_key:
            raise ConfigError(f"demo: {path}: behaviour {number}: {key} is listed twice")
        by_key[key] = behaviour
    return Behaviours(by_key=by_key, last_modified=last_modified)


def _behaviour(path: Path, number: int, raw: dict[str, Any]) -> Behaviour:
    where = f"demo: {path}: behaviour {number}"
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
    if not raw.get("host") or not str(raw.get("path", "")).startswith("/"):
        raise ConfigError(f"{where}: needs a host and a path starting with '/'")
    if raw.get("encoding") is not None and raw["encoding"] not in _ENCODINGS:
        raise ConfigError(f"{where}: encoding must be one of {sorted(_ENCODINGS)}")
    if raw.get("last_modified") is not None:
        _check_http_date(path, f"behaviour {number}.last_modified", raw["last_modified"])
    try:
        return Behaviour(**raw)
    except TypeError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _check_http_date(path: Path, field: str, value: str) -> None:
    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError):
        raise ConfigError(f"demo: {path}: {field}: {value!r} is not an HTTP date") from None
