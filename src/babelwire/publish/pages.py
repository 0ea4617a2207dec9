"""Server-rendered HTML: the Jinja2 environment and the page renderer.

Autoescaping is on for every template, so source text (which is third-party
and may hold markup) is always printed as text. Only three kinds of value are
marked safe, each produced by us and sanitised before it gets here:
``compose.body_html`` (escaped per paragraph, then nh3), the search snippets
the store returns (escaped, with ``<mark>`` around the matches) and the
archived capture (nh3 with text tags only, served under a sandboxing CSP; see
``archived.py``). The templates mark them with ``|safe`` in exactly those
three places.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi.responses import HTMLResponse

from babelwire.compose.dateline import format_offset
from babelwire.compose.labels import flag_notes, text_label
from babelwire.model import Item

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def when(moment: datetime | None) -> str:
    """``2025-12-12 10:30 UTC+03:00``: the instant in its own zone, zone printed."""
    if moment is None:
        return "—"
    offset = moment.utcoffset()
    zone = format_offset(offset) if offset is not None else "(no zone)"
    return f"{moment:%Y-%m-%d %H:%M} {zone}"


def published(item: Item) -> str:
    """When the source published the item: with time and zone when it gave
    them, as a bare date when it gave only a date (never an invented midnight)."""
    if item.published is None:
        return "—"
    return when(item.published) if item.published_has_time else f"{item.published:%Y-%m-%d}"


def when_iso(text: str | None) -> str:
    """``when`` for an ISO 8601 string (as in the JSON rows of the sources page)."""
    return when(datetime.fromisoformat(text)) if text else "—"


def iso(moment: datetime | None) -> str:
    """The machine-readable value of a ``<time datetime>`` attribute."""
    return moment.isoformat() if moment is not None else ""


#: The stage names that start the project's messages (see errors.py) and that
#: mean nothing to a reader of a page or an API answer.
_STAGE_PREFIX = re.compile(r"(?:(?:publish|api|admin|edit|store|search): )+")


def for_reader(message: str) -> str:
    """``message`` as a reader is told it: "publish: store: cannot read x"
    becomes "Cannot read x" (logs and the command line keep the stages)."""
    stages = _STAGE_PREFIX.match(message)
    text = message[stages.end():] if stages else message
    return text[:1].upper() + text[1:]


def with_params(path: str, params: Mapping[str, str | Sequence[str]]) -> str:
    """``path?a=1&b=2`` with empty values dropped; ``path`` alone when none are left.
    A list value repeats its parameter (``region=A&region=B``).

    A space is written ``%20``, never ``+``: ``+`` means a space only in form
    encoding, and a link copied elsewhere must mean the same thing."""
    kept = {k: v for k, v in params.items() if v}
    return f"{path}?{urlencode(kept, doseq=True, quote_via=quote)}" if kept else path


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        # Every template is HTML: escape everything, whatever the file name.
        autoescape=True,
        # A misspelt variable fails the test that renders it instead of
        # printing an empty string on the wire.
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = when
    env.filters["published"] = published
    env.filters["iso"] = iso
    env.filters["when_iso"] = when_iso
    # The one vocabulary of compose.labels, for cards, item pages and versions.
    env.filters["text_label"] = text_label
    env.filters["flag_notes"] = flag_notes
    env.globals["with_params"] = with_params
    return env


def render(name: str, context: dict[str, Any], *, status_code: int = 200) -> HTMLResponse:
    """Render ``templates/<name>.html.j2`` into a response."""
    template = environment().get_template(f"{name}.html.j2")
    return HTMLResponse(template.render(**context), status_code=status_code)
