"""Publication date and time, with the page's own time zone.

Explicit machine-readable statements come first (meta tags, JSON-LD,
``<time datetime>``); htmldate, which also reads visible dates and URLs, is
the fallback. A value that carries a time but no zone is read as UTC, the
least wrong guess for servers; a value with a date only gives midnight UTC and
``has_time=False``, so later stages never invent a time of day.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, timezone

from dateutil import parser as dateparser
from htmldate import find_date
from lxml.html import HtmlElement

from babelwire.extract.page import PageInfo, clean_text
from babelwire.libxml import TREE_LOCK

log = logging.getLogger(__name__)

#: Meta names that hold the first publication time, most specific first.
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published",
    "datepublished", "published_time", "publishdate", "publish-date", "pubdate",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date.created",
    "dcterms.created", "dc.date", "dcterms.date", "date", "citation_publication_date",
    "og:published_time", "article.published", "original-publish-date",
)

#: Years outside this range are typos or placeholders (1970 epoch, 9999).
MIN_YEAR, MAX_YEAR = 1990, 2100

_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)
#: Zone abbreviations with one meaning (offset in seconds). Ambiguous ones
#: (IST, BST, CST in China) are left out and read as UTC.
_ZONE_NAMES = {
    "Z": 0, "UTC": 0, "GMT": 0, "UT": 0, "EST": -5 * 3600, "EDT": -4 * 3600,
    "PST": -8 * 3600, "PDT": -7 * 3600, "MST": -7 * 3600, "MDT": -6 * 3600,
    "CET": 3600, "CEST": 2 * 3600, "EET": 2 * 3600, "EEST": 3 * 3600, "MSK": 3 * 3600,
    "JST": 9 * 3600, "KST": 9 * 3600,
}
# "10:05" or the basic ISO form "T1005".
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|T\d{4}")
# A "Z" after an explicit offset ("+0400Z") contradicts it; the offset is kept.
_Z_AFTER_OFFSET = re.compile(r"([+-]\d{2}:?\d{2})Z$")


@dataclass(frozen=True, slots=True)
class Published:
    when: datetime
    has_time: bool


def read_published(page: PageInfo, cleaned: HtmlElement | None = None) -> Published | None:
    """The first publication time the page states, else htmldate's guess.

    ``cleaned`` is the page without its furniture (see ``clean.py``): htmldate
    searches it rather than the whole page, so the date printed in a masthead
    or a "printed on" line is not taken for the article's.
    """
    candidates = [p for v in _explicit_values(page) if (p := parse_date(v)) is not None]
    if candidates:
        return _most_precise(candidates)
    return _htmldate_fallback(page, cleaned if cleaned is not None else page.tree)


def _most_precise(candidates: list[Published]) -> Published:
    """The first candidate, unless a later one says the same more precisely.

    Sites often state one instant twice: in UTC for machines and in their own
    zone for readers; the local one keeps the day the reader saw. A date-only
    value gives way to a timed value of the same day.
    """
    first = candidates[0]
    for other in candidates[1:]:
        same_instant = first.has_time and other.has_time and abs(
            other.when - first.when
        ) <= timedelta(minutes=1)
        if same_instant and first.when.utcoffset() == timedelta(0) != other.when.utcoffset():
            return other
        if not first.has_time and other.has_time and other.when.date() == first.when.date():
            return other
    return first


def parse_date(text: str) -> Published | None:
    """Read one date string; None when it is not a plausible date."""
    text = _Z_AFTER_OFFSET.sub(r"\1", clean_text(text))
    if not text or len(text) > 64:
        return None
    has_time = bool(_HAS_TIME.search(text))
    parsed = _parse(text)
    if parsed is None:
        return None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    if not has_time:
        return Published(datetime.combine(parsed.date(), time(0, 0), tzinfo=UTC), False)
    try:
        offset = parsed.utcoffset()
    except (ValueError, OverflowError) as exc:
        # dateutil accepts offsets of a day or more ("+99:00"); a datetime
        # does not, so the date stays unknown rather than stopping the page.
        log.debug("extract: date %r left unknown: %s", text, exc)
        return None
    # Fixed offsets only: dateutil may hand back tzlocal(), which would make
    # the value depend on the machine that runs the extractor.
    zone = UTC if offset is None else timezone(offset)
    return Published(parsed.replace(tzinfo=zone), True)


def _parse(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
            parsed = dateparser.parse(text, default=_DEFAULT_A, tzinfos=_ZONE_NAMES)
            # A year or "June 2012" alone would be completed from the default;
            # parsing with a second default shows whether anything was filled in.
            again = dateparser.parse(text, default=_DEFAULT_B, tzinfos=_ZONE_NAMES)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed if parsed.date() == again.date() else None


def _explicit_values(page: PageInfo) -> list[str]:
    values: list[str] = []
    for name in PUBLISHED_META:
        values.extend(page.meta.get(name, ()))
    for obj in page.articles():
        for key in ("datePublished", "dateCreated", "uploadDate"):
            if isinstance(obj.get(key), str):
                values.append(obj[key])
    # Microdata and <time pubdate> say "published"; a bare <time datetime>
    # only says "a time", so the first one is taken last.
    times = list(page.tree.iter("time"))
    for element in page.tree.iter():
        marked = element.get("itemprop") == "datePublished" or (
            element.tag == "time" and element.get("pubdate") is not None
        )
        if marked and element.tag != "meta":
            values.append(element.get("datetime") or element.get("content") or "")
    values.extend(t.get("datetime") or "" for t in times[:1])
    return values


def _htmldate_fallback(page: PageInfo, tree: HtmlElement) -> Published | None:
    try:
        with TREE_LOCK:  # see babelwire.libxml
            found = find_date(
                tree,
                url=page.url,
                original_date=True,
                extensive_search=True,
                outputformat="%Y-%m-%dT%H:%M:%S%z",
            )
    except Exception as exc:
        log.debug("extract: htmldate failed for %s: %s", page.url, exc)
        return None
    if not found:
        return None
    # htmldate fills a missing time with 00:00:00 and leaves %z empty; that
    # combination means "date only", never a real midnight.
    if found.endswith("T00:00:00"):
        # A bare 1 January is what htmldate makes of a year alone ("© 2013");
        # a real New Year's Day story is rarer than that artefact.
        if found[5:10] == "01-01":
            return None
        return parse_date(found[:10])
    return parse_date(found)
