"""The dateline: the source's publication date (and time, with its zone).

The date is the one the source printed, in the source's own zone. A
publication at 01:30 in Moscow on December 12 is a December 12 story even
though it is still December 11 in UTC, so the datetime is never converted
to another zone before it is formatted. The time is shown only when the
source gave one, and always with its UTC offset ("10:30 UTC+03:00"), because
a bare time cannot be compared with a time from another source. The reference
service printed times that disagreed with the title's; printing the offset
makes such a disagreement visible instead of silent.

Month names come from this table, not from ``strftime("%B")``, which follows
the process locale and would print "декабря" on a Russian server.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def format_offset(offset: timedelta) -> str:
    """``UTC``, ``UTC+03:00``, ``UTC-05:30``, ``UTC+05:45``."""
    if not offset:
        return "UTC"
    sign = "+" if offset > timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def format_date(published: datetime) -> str:
    """``December 12, 2025``: the date in the datetime's own zone."""
    return f"{MONTHS[published.month - 1]} {published.day}, {published.year}"


def format_published(published: datetime, has_time: bool) -> str:
    """The date, plus ``HH:MM UTC±hh:mm`` when the source gave a time with a zone.

    A time without a zone (a naive datetime) is left out: the date is still
    right, but the hour could be off by up to a day's worth of zones.
    """
    offset = published.utcoffset()
    if not has_time or offset is None:
        return format_date(published)
    return f"{format_date(published)} {published:%H:%M} {format_offset(offset)}"


def format_dateline(published: datetime | None, has_time: bool, section: str | None) -> str:
    """``December 12, 2025 Peace and security``; either part may be missing.

    Returns "" when there is neither a date nor a section.
    """
    parts = []
    if published is not None:
        parts.append(format_published(published, has_time))
    if section:
        parts.append(section)
    return " ".join(parts)
