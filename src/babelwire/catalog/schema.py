"""What one ``[[source]]`` table may contain, checked field by field.

The pydantic models here are the catalog's file format; :func:`to_source`
turns a validated table into the :class:`babelwire.model.Source` record the
rest of the pipeline uses. Every check raises a ``PydanticCustomError`` whose
message is the whole problem text, so that :mod:`babelwire.catalog.problems`
can print it after the file and field without rewording.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from cssselect import HTMLTranslator, SelectorError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from babelwire.catalog.languages import language_problem
from babelwire.errors import ConfigError
from babelwire.fetch.guard import host_address, refusal_reason
from babelwire.model import Listing, Source
from babelwire.settings import parse_duration_s

CATEGORIES: tuple[str, ...] = (
    "government",
    "intergovernmental",
    "central-bank",
    "exchange",
    "state-agency",
    "legislature",
    "presidency",
    "un-agency",
)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
#: Polling faster than once a minute gains nothing on official sites (they
#: publish a few items an hour) and looks abusive to their operators.
MIN_POLL_INTERVAL_S = 60
DEFAULT_POLL_INTERVAL = "30m"


def problem(text: str) -> PydanticCustomError:
    # The text goes through the context, not the template, so that braces in a
    # URL or selector are printed as they are.
    return PydanticCustomError("catalog", "{problem}", {"problem": text})


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise problem(
            f"invalid id {value!r} (2-63 characters: a-z, 0-9 and '-', not starting with '-')"
        )
    return value


def _check_label(value: str) -> str:
    # Names and regions are printed verbatim in the wire header, so stray
    # whitespace or a line break would show up in every item.
    if not value.strip():
        raise problem("must not be empty")
    if value != value.strip() or any(unicodedata.category(c) == "Cc" for c in value):
        raise problem(f"must be one line, no control characters or edge spaces: {value!r}")
    return value


def _check_language(value: str) -> str:
    if (why := language_problem(value)) is not None:
        raise problem(why)
    return value


def _check_category(value: str) -> str:
    if value not in CATEGORIES:
        raise problem(f"unknown category {value!r} (one of: {', '.join(CATEGORIES)})")
    return value


def _check_url(value: str) -> str:
    try:
        parts = urlsplit(value)
        absolute = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - read for its check: a port over 65535 raises
    except ValueError:  # also malformed hosts ("http://[x")
        absolute = False
    if not absolute or any(c.isspace() for c in value):
        raise problem(f"not an absolute http(s) URL: {value!r}")
    return value


def host_refusal(host: str) -> str | None:
    """Why a literal host is not public (``"loopback address 127.0.0.1"``), or None.

    The host is read with the fetch guard's parser, so ``2130706433`` or
    ``0177.0.0.1`` count as the loopback address a resolver makes of them.
    Names are re-checked by fetch, after DNS, on every request.
    """
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return f"loopback host {host}"
    address = host_address(host)
    reason = refusal_reason(address) if address is not None else None
    if not reason:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return f"{reason} address {f'::ffff:{mapped}' if mapped else address}"


def _check_selector(value: str) -> str:
    try:
        HTMLTranslator().css_to_xpath(value)
    except SelectorError as exc:
        raise problem(f"CSS selector does not compile: {value!r} ({exc})") from None
    return value


def _poll_interval_s(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise problem(f'expected a duration such as "15m", got {value!r}')
    try:
        seconds = parse_duration_s(str(value))
    except (ConfigError, OverflowError):  # OverflowError: "infm", "1e400s"
        raise problem(f"cannot read duration {value!r} (use 90s, 15m, 2h or 1d)") from None
    if seconds < MIN_POLL_INTERVAL_S:
        raise problem(f"poll interval {value!r} is under the {MIN_POLL_INTERVAL_S} s minimum")
    return seconds


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise problem(f"listed twice: {value!r}")
        seen.add(value)
    return values


Id = Annotated[str, AfterValidator(_check_id)]
Label = Annotated[str, AfterValidator(_check_label)]
Language = Annotated[str, AfterValidator(_check_language)]
Url = Annotated[str, AfterValidator(_check_url)]
Selector = Annotated[str, AfterValidator(_check_selector)]
Category = Annotated[str, AfterValidator(_check_category)]
PollInterval = Annotated[int, BeforeValidator(_poll_interval_s)]


class ListingSpec(BaseModel):
    """One ``[[source.listings]]`` table."""

    model_config = ConfigDict(extra="forbid", strict=True)

    url: Url
    link_selector: Selector
    date_selector: Selector | None = None


class SourceSpec(BaseModel):
    """One ``[[source]]`` table, as written in a catalog file.

    Checks that need the whole table (private hosts against ``allow_private``)
    are in :mod:`babelwire.catalog.validate`, so each can name its own field.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    id: Id
    name: Label
    desk: Label | None = None
    region: Label
    languages: Annotated[list[Language], AfterValidator(_unique)]
    category: Category = "government"
    homepage: Url | None = None
    feeds: Annotated[list[Url], AfterValidator(_unique)] = []
    sitemaps: Annotated[list[Url], AfterValidator(_unique)] = []
    listings: list[ListingSpec] = []
    poll_interval: PollInterval = parse_duration_s(DEFAULT_POLL_INTERVAL)
    glossary: str | None = None
    allow_private: bool = False
    notes: str = ""

    @field_validator("languages")
    @classmethod
    def _some_language(cls, value: list[str]) -> list[str]:
        if not value:
            raise problem("needs at least one language")
        return value

    @field_validator("glossary")
    @classmethod
    def _glossary_exists(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Resolve the glossary against the directories the loader passes in."""
        if value is None:
            return None
        base_dirs: list[Path] = (info.context or {}).get("base_dirs", [])
        if Path(value).is_absolute() or ".." in Path(value).parts:
            raise problem(f"glossary must be a relative path inside the catalog: {value!r}")
        for base in base_dirs:
            candidate = base / value
            if candidate.is_file():
                return str(candidate.resolve())
        tried = ", ".join(str(b) for b in base_dirs) or "no directory"
        raise problem(f"glossary file not found: {value!r} (looked in {tried})")

    @model_validator(mode="after")
    def _something_to_poll(self) -> SourceSpec:
        if not (self.feeds or self.sitemaps or self.listings):
            raise problem("needs at least one of feeds, sitemaps or listings: nothing to poll")
        return self


def to_source(spec: SourceSpec, origin: str) -> Source:
    """The pipeline's record for a validated table; ``desk`` defaults to ``name``."""
    return Source(
        id=spec.id,
        name=spec.name,
        desk=spec.desk if spec.desk is not None else spec.name,
        region=spec.region,
        languages=tuple(spec.languages),
        feeds=tuple(spec.feeds),
        sitemaps=tuple(spec.sitemaps),
        listings=tuple(
            Listing(url=x.url, link_selector=x.link_selector, date_selector=x.date_selector)
            for x in spec.listings
        ),
        poll_interval_s=spec.poll_interval,
        category=spec.category,
        homepage=spec.homepage,
        glossary=spec.glossary,
        notes=spec.notes,
        allow_private=spec.allow_private,
        origin=origin,
    )
