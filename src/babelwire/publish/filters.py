"""The filters every surface offers, read the same way from any request.

The web form, the JSON twins, the API, the feeds and ``babelwire export`` all
name the same filters with the same URL parameters (``q``, ``region``,
``source``, ``language``, ``section``, ``country``, ``entity``, ``topic``,
``from``, ``to``, and ``sort``) and turn them into one
:class:`~babelwire.store.query.ItemQuery` here, so that a feed of a view is
exactly the items of that view. A facet parameter may be repeated
(``region=A&region=B``: either region); the store matches values whatever
their case. ``sort`` is ``relevance`` or ``newest``; left out, a search
page or the API ranks search text by relevance and every other surface
lists newest first (a feed follows its items as they come).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta

from babelwire.store.query import ENRICH_FACETS, FACETS, ORDERS, ItemQuery, QueryError

#: URL parameter -> Filters field. ``from`` is a Python keyword, hence ``since``.
PARAMS: dict[str, str] = {
    "q": "text",
    "region": "region",
    "source": "source_id",
    "language": "language",
    "section": "section",
    # What the enrich stage found: an ISO 3166-1 code ("FR"), an entity's
    # key or name, an IPTC Media Topic ("medtop:11000000", or its name).
    "country": "country",
    "entity": "entity",
    "topic": "topic",
    "from": "since",
    "to": "until",
    "sort": "sort",
}

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: URL parameters that may be repeated, and the Filters field of each.
FACET_PARAMS: dict[str, str] = {"region": "region", "source": "source_id",
                                "language": "language", "section": "section",
                                "country": "country", "entity": "entity", "topic": "topic"}
#: Every facet a list page offers, in the order shown.
FACET_NAMES = (*FACETS, *ENRICH_FACETS)

#: Longest value accepted for any filter; a longer one is a mistake or an attack.
MAX_FILTER_CHARS = 1000
#: Most values of one facet: more is not a reader's choice.
MAX_FACET_VALUES = 50

#: URL parameters as links are made of them: a repeated one is a list.
Params = dict[str, str | list[str]]


class FilterError(QueryError):
    """A filter value that cannot be read; ``reason`` is shown to the reader."""

    stage = "publish"


@dataclass(frozen=True, slots=True)
class Filters:
    text: str | None = None
    #: Facet values: any of them matches (empty: any value).
    region: tuple[str, ...] = ()
    source_id: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    entity: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    #: First day shown (UTC), inclusive.
    since: date | None = None
    #: Last day shown (UTC), inclusive.
    until: date | None = None
    #: One of ``ORDERS``; None: the surface's default (see :meth:`query`).
    sort: str | None = None

    @property
    def active(self) -> bool:
        """Whether anything narrows the list (an order alone does not)."""
        return any(getattr(self, f.name) not in (None, ()) for f in fields(self)
                   if f.name != "sort")

    def params(self) -> Params:
        """The filters as URL parameters, empty ones left out (for links)."""
        out: Params = {}
        for param, name in PARAMS.items():
            value = getattr(self, name)
            if isinstance(value, tuple):
                if value:
                    out[param] = value[0] if len(value) == 1 else list(value)
            elif value is not None:
                out[param] = value.isoformat() if isinstance(value, date) else value
        return out

    def without(self, param: str, value: str) -> Filters:
        """These filters less one value of one facet (a "remove" link)."""
        name = FACET_PARAMS[param]
        kept = tuple(v for v in getattr(self, name) if v != value)
        return replace(self, **{name: kept})  # type: ignore[arg-type]  # a facet field

    def adding(self, param: str, value: str) -> Filters:
        """These filters with one more value of one facet (a "refine" link)."""
        name = FACET_PARAMS[param]
        values: tuple[str, ...] = getattr(self, name)
        if value in values:
            return self
        return replace(self, **{name: (*values, value)})  # type: ignore[arg-type]  # a facet field

    def query(
        self, *, limit: int, cursor: str | None = None, with_facets: bool = False,
        rank_text: bool = False,
    ) -> ItemQuery:
        """The store's query; without ``sort``, search text is ranked by
        relevance where ``rank_text`` (search pages, the API), else newest first."""
        order = self.sort or ("relevance" if rank_text and self.text else "newest")
        return ItemQuery(
            text=self.text,
            region=self.region or None,
            source_id=self.source_id or None,
            language=self.language or None,
            section=self.section or None,
            country=self.country or None,
            entity=self.entity or None,
            topic=self.topic or None,
            since=_start_of(self.since),
            until=_end_of(self.until),
            limit=limit,
            cursor=cursor,
            with_facets=with_facets,
            order=order,
        )

    def describe(self) -> str:
        """"region Russian Federation, search “UN mission”" — for feed titles."""
        labels = {"text": "search", "source_id": "source", "since": "from", "until": "to"}
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, ()) or f.name == "sort":
                continue
            if isinstance(value, tuple):
                shown = " or ".join(value)
            else:
                shown = f"“{value}”" if f.name == "text" else str(value)
            parts.append(f"{labels.get(f.name, f.name)} {shown}")
        return ", ".join(parts)


def _start_of(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(0), tzinfo=UTC)


def _end_of(day: date | None) -> datetime | None:
    """The exclusive bound of "to ``day``": the start of the next day, or no
    bound for the last day there is ("to 9999-12-31" leaves nothing out)."""
    if day is None or day == date.max:
        return None
    return _start_of(day + timedelta(days=1))


def _text(param: str, raw: str | None) -> str | None:
    # A GET form sends empty fields as "name=": empty means "any".
    value = (raw or "").strip()
    if not value:
        return None
    if len(value) > MAX_FILTER_CHARS:
        raise FilterError(f"the {param!r} filter is longer than {MAX_FILTER_CHARS} characters")
    if "\x00" in value:
        raise FilterError(f"the {param!r} filter contains a NUL character")
    return value


def _day(param: str, raw: str | None) -> date | None:
    value = _text(param, raw)
    if value is None:
        return None
    try:
        # Only the form the API documents (RFC 3339 full-date): fromisoformat
        # alone would also take "20251212" and week dates.
        if not _DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"cannot read {param}={value!r} as a date (use YYYY-MM-DD)") from None


def _sort(raw: str | None) -> str | None:
    value = _text("sort", raw)
    if value is None or value in ORDERS:
        return value
    raise FilterError(f"cannot read sort={value[:40]!r} (use {' or '.join(ORDERS)})")


def _every(params: Mapping[str, str], param: str) -> Sequence[str]:
    """Every value of a parameter: request parameters may repeat one
    (``getlist``); a plain mapping holds one."""
    getlist = getattr(params, "getlist", None)
    if getlist is not None:
        return list(getlist(param))
    value = params.get(param)
    return [] if value is None else [value]


def _values(params: Mapping[str, str], param: str) -> tuple[str, ...]:
    found: dict[str, None] = {}  # in the order given, each once
    for raw in _every(params, param):
        value = _text(param, raw)
        if value is not None:
            found[value] = None
    if len(found) > MAX_FACET_VALUES:
        raise FilterError(f"more than {MAX_FACET_VALUES} values of the {param!r} filter")
    return tuple(found)


def read_filters(params: Mapping[str, str]) -> Filters:
    """Filters from URL parameters; raises FilterError for an unreadable value."""
    since = _day("from", params.get("from"))
    until = _day("to", params.get("to"))
    if since and until and since > until:
        raise FilterError(f"'from' {since} is after 'to' {until}")
    return Filters(
        text=_text("q", params.get("q")),
        region=_values(params, "region"),
        source_id=_values(params, "source"),
        language=_values(params, "language"),
        section=_values(params, "section"),
        country=_values(params, "country"),
        entity=_values(params, "entity"),
        topic=_values(params, "topic"),
        since=since,
        until=until,
        sort=_sort(params.get("sort")),
    )


def read_cursor(params: Mapping[str, str]) -> str | None:
    return _text("cursor", params.get("cursor"))
