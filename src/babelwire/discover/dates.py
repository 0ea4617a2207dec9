"""Dates found next to links: feed dates, sitemap dates, dates printed on listing pages.

Every datetime returned is timezone-aware UTC: the store refuses naive
values, and one convention end to end avoids comparisons that fail. A date
or time printed without a zone or offset is read as UTC, the convention the
extract stage uses too (feedparser does the same). The publisher's real zone
is unknown here; the error is at most a day, which does not change whether a
link is new, and the article page gives the exact time later.
"""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_OFFSET_RE = re.compile(
    r"\d:\d\d(?::\d\d)?\s*"
    r"(?:(?P<utc>Z|UTC?|GMT)|(?P<sign>[+-])(?P<hours>\d\d):?(?P<minutes>\d\d))\s*$",
    re.IGNORECASE,
)
# Unix timestamps in place of a date (seen in dc:date); 9 to 10 digits covers 1973-2286.
_EPOCH_RE = re.compile(r"\d{9,10}")
#: Characters of a raw date quoted in an error line.
_QUOTED_CHARS = 40


@dataclass(slots=True)
class DateNotes:
    """Dates a document gave that lie outside what a datetime holds (year 1 to 9999 in UTC).

    Such a date is left unknown, never raised: "31 Dec 9999 23:59:59 -0100"
    is a real placeholder in feeds, and a single one must not cost the other
    entries. The reader reports the count in its error line.
    """

    out_of_range: int = 0
    first: str | None = None

    def note(self, raw: str) -> None:
        self.out_of_range += 1
        if self.first is None:
            self.first = raw.strip()[:_QUOTED_CHARS]

    def problem(self) -> str | None:
        if not self.out_of_range:
            return None
        count = self.out_of_range
        return f"{count} date{'s' if count > 1 else ''} out of range left unknown ({self.first!r})"


def feed_date(
    raw: str | None, parsed: time.struct_time | None, notes: DateNotes | None = None
) -> datetime | None:
    """A feed entry's date: feedparser's ``*_parsed`` value (already UTC), else the raw text."""
    if parsed is not None:
        try:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        except (OverflowError, ValueError, OSError):
            _note(notes, raw or time.strftime("%Y-%m-%d", parsed))
            return None
    if not raw:
        return None
    if epoch := _EPOCH_RE.fullmatch(raw.strip()):
        return datetime.fromtimestamp(int(epoch.group(0)), UTC)
    return _unusual_feed_date(raw, notes)


def _unusual_feed_date(raw: str, notes: DateNotes | None) -> datetime | None:
    """Dates feedparser gives up on: month names in other languages ("Seg, 24 Set
    2018 19:42:40 -0300"), or no space before the offset ("13:30:33+0900")."""
    iso = _iso_datetime(raw)
    if iso is not None:
        return _in_utc(iso, raw, notes)
    moment = _wall_clock(raw)
    if moment is None:
        return None
    offset = _OFFSET_RE.search(raw)
    if offset is None or offset.group("utc"):
        return moment.replace(tzinfo=UTC)
    sign = -1 if offset.group("sign") == "-" else 1
    shift = timedelta(hours=int(offset.group("hours")), minutes=int(offset.group("minutes")))
    try:
        return (moment - sign * shift).replace(tzinfo=UTC)
    except OverflowError:
        _note(notes, raw)
        return None


def w3c_datetime(text: str | None, notes: DateNotes | None = None) -> datetime | None:
    """W3C / RFC 3339 date or date-time (sitemaps, JSON Feed), in UTC."""
    moment = _iso_datetime(text)
    return _in_utc(moment, text or "", notes) if moment is not None else None


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive value is taken to be UTC already.

    Raises OverflowError when the shift leaves the years a datetime holds;
    the readers call :func:`_in_utc`, which leaves such a date unknown.
    """
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _in_utc(moment: datetime, raw: str, notes: DateNotes | None) -> datetime | None:
    try:
        return as_utc(moment)
    except OverflowError:
        _note(notes, raw)
        return None


def _note(notes: DateNotes | None, raw: str) -> None:
    if notes is not None:
        notes.note(raw)


def _iso_datetime(text: str | None) -> datetime | None:
    if not text:
        return None
    value = text.strip()
    if value.endswith(("z", "Z")):
        value = value[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


#: Month-name stems in the languages of most official sources in the catalog,
#: matched as prefixes of the lower-cased word ("décembre", "Dezember", "декабря").
MONTH_STEMS: dict[int, tuple[str, ...]] = {
    1: ("jan", "jän", "ene", "gen", "янв"),
    2: ("feb", "fév", "fev", "фев"),
    3: ("mar", "mär", "мар"),
    4: ("apr", "avr", "abr", "апр"),
    5: ("may", "mai", "mag", "mei", "мая", "май"),
    6: ("jun", "juin", "giu", "июн"),
    7: ("jul", "juil", "lug", "июл"),
    8: ("aug", "aoû", "aou", "ago", "авг"),
    9: ("sep", "set", "сен"),
    10: ("oct", "okt", "out", "ott", "окт"),
    11: ("nov", "ноя"),
    12: ("dec", "déc", "dez", "dic", "дек"),
}

_TIME_RE = re.compile(r"(?<!\d)(\d{1,2})[:h](\d\d)(?::(\d\d))?(?!\d)")
_ISO_DAY_RE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_CJK_DAY_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# Day first: most of the world writes 03.04.2025 for the 3rd of April, and the
# official sources babelwire watches are mostly outside the United States.
_DMY_RE = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)")
_DAY_NAME_YEAR_RE = re.compile(
    r"(?<!\d)(\d{1,2})(?:\.|er|º)?\s+(?:de\s+)?([^\W\d_]{3,})\.?,?\s+(?:de\s+)?(\d{4})"
)
# The month name starts a word and is at most 20 letters long: without the
# look-behind a search tries every letter of a long word as a start, which is
# quadratic in the word's length.
_NAME_DAY_YEAR_RE = re.compile(
    r"(?<![^\W\d_])([^\W\d_]{3,20})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
)


def loose_date(text: str | None, notes: DateNotes | None = None) -> datetime | None:
    """A date (and time, if printed) from the text a listing page shows next to a link.

    Tries an ISO date-time first (a ``<time datetime>`` attribute), then
    numeric dates, then dates with a month name. Returns None when unsure.
    """
    if not text or not text.strip():
        return None
    moment = _iso_datetime(text) or _wall_clock(text)
    return _in_utc(moment, text, notes) if moment is not None else None


def _wall_clock(text: str) -> datetime | None:
    """The date and time as printed, without a zone."""
    day = _numeric_day(text) or _named_day(text)
    if day is None:
        return None
    year, month, mday = day
    hour = minute = second = 0
    if clock := _TIME_RE.search(text):
        hour, minute, second = (int(group or 0) for group in clock.groups())
    try:
        return datetime(year, month, mday, hour, minute, second)
    except ValueError:
        try:
            return datetime(year, month, mday)
        except ValueError:
            return None


def month_number(word: str) -> int | None:
    lowered = word.lower()
    for number, stems in MONTH_STEMS.items():
        if lowered.startswith(stems):
            return number
    return None


def _numeric_day(text: str) -> tuple[int, int, int] | None:
    for pattern in (_ISO_DAY_RE, _CJK_DAY_RE):
        if match := pattern.search(text):
            return int(match.group(1)), int(match.group(2)), int(match.group(3))
    if match := _DMY_RE.search(text):
        return int(match.group(3)), int(match.group(2)), int(match.group(1))
    return None


def _named_day(text: str) -> tuple[int, int, int] | None:
    if match := _DAY_NAME_YEAR_RE.search(text):
        month = month_number(match.group(2))
        if month:
            return int(match.group(3)), month, int(match.group(1))
    if match := _NAME_DAY_YEAR_RE.search(text):
        month = month_number(match.group(1))
        if month:
            return int(match.group(3)), month, int(match.group(2))
    return None
