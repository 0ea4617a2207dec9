"""What is new at a glance: relative times and the wire grouped by day.

Both are rendered on the server from the app's clock, so a page reads the
same without JavaScript, and a test can pin "now". Items are grouped by the
UTC day of the instant the list is ordered by (``store.items.listed_at``:
when the source published the item, never after it reached the wire).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from babelwire.model import Item
from babelwire.store.items import listed_at

#: Shortest and longest auto-refresh period a page accepts: faster would
#: load the store for nothing, slower is a reload by hand.
MIN_REFRESH_S = 30
MAX_REFRESH_S = 3600


def ago(moment: datetime | None, now: datetime) -> str:
    """``12 min ago``, ``3 h ago``, ``2 days ago``; ``just now`` under a
    minute and for a moment ahead of our clock (a source clock running fast)."""
    if moment is None:
        return ""
    seconds = int((now - moment).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    days = seconds // 86400
    return "1 day ago" if days == 1 else f"{days} days ago"


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    label: str
    items: tuple[Item, ...]


def day_label(day: date, today: date) -> str:
    written = f"{day:%A} {day.day} {day:%B %Y}"
    if day == today:
        return f"Today, {written}"
    if (today - day).days == 1:
        return f"Yesterday, {written}"
    return written


def by_day(items: Sequence[Item], now: datetime) -> list[Day]:
    """The items (already newest first) in runs of one UTC day each."""
    today = now.astimezone(UTC).date()
    days: list[Day] = []
    run: list[Item] = []
    current: date | None = None
    for item in items:
        day = listed_at(item).astimezone(UTC).date()
        if current is not None and day != current:
            days.append(Day(current, day_label(current, today), tuple(run)))
            run = []
        current = day
        run.append(item)
    if current is not None:
        days.append(Day(current, day_label(current, today), tuple(run)))
    return days


def refresh_seconds(raw: str | None) -> int | None:
    """The auto-refresh period asked in ``?refresh=``, within the bounds;
    None when none was asked or the value is not a number of seconds."""
    if raw is None or not raw.strip().isdigit():
        return None
    return max(MIN_REFRESH_S, min(MAX_REFRESH_S, int(raw.strip())))
