"""What the publishing surfaces need to know, read once at start-up.

The rows of :data:`PUBLISH_SETTINGS` join the one settings registry
(:mod:`babelwire.settings`) as the "Web, API and feeds" part; a field of
:class:`PublishSettings` is a row's name without ``publish_``. The admin token is a
secret: it is read here, once, and handed to the app, which never looks at
the environment itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from babelwire.errors import ConfigError
from babelwire.settings import Setting, check_record, read_part, register

#: Empty: links start with the address each request came to (see ``root_url``).
DEFAULT_BASE_URL = ""
#: Where links point when no base URL is set and no request is being answered
#: (``babelwire export``, ``edit``): the address ``serve`` listens on by default.
FALLBACK_BASE_URL = "http://127.0.0.1:8000"

#: The base URL of the request being answered, set by ``context.context``.
_request_base: ContextVar[str | None] = ContextVar("babelwire_request_base", default=None)


def set_request_base(url: str) -> None:
    """Links made for the rest of the current task (one request) start with
    ``url`` unless a base URL is set."""
    _request_base.set(url)

#: The API never returns more than this many items per page, whatever is asked.
MAX_PAGE_SIZE = 200

def _http_url(text: str) -> str:
    if text and not text.startswith(("http://", "https://")):
        raise ValueError("must be an http(s) URL or empty")
    return text


def _not_empty(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text


#: ``admin_token`` has no ``publish_`` prefix, so that its variable is the
#: documented BABELWIRE_ADMIN_TOKEN; its field keeps the same name.
PUBLISH_SETTINGS: tuple[Setting, ...] = (
    Setting("publish_base_url", DEFAULT_BASE_URL, str,
            "Public URL of the web UI; permalinks, feed links and ninjs uris start with it. "
            "Empty: the address each request came to.",
            parse=_http_url),
    Setting("admin_token", "", str,
            "Bearer token that allows writing through the API (sources, fetch requests, "
            "post-edits). Empty: writing is off.", secret=True),
    Setting("publish_page_size", 50, int, "Items per page in the web UI and API.",
            unit="items", min=1, max=MAX_PAGE_SIZE),
    Setting("publish_feed_size", 50, int, "Items per RSS or Atom feed.",
            unit="items", min=1, max=MAX_PAGE_SIZE),
    Setting("publish_publisher", "babelwire", str, "Name of the wire shown on pages and in feeds.",
            parse=_not_empty),
)

PUBLISH = register("Web, API and feeds", "publish_", PUBLISH_SETTINGS)


@dataclass(frozen=True, slots=True)
class PublishSettings:
    base_url: str = DEFAULT_BASE_URL
    #: None (or empty) turns every write route off.
    admin_token: str | None = None
    page_size: int = 50
    feed_size: int = 50
    publisher: str = "babelwire"

    def __post_init__(self) -> None:
        check_record(PUBLISH, self)
        if self.base_url and not self.base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"settings: publish_base_url must be an http(s) URL or empty: {self.base_url!r}"
            )
        if not self.publisher.strip():
            raise ConfigError("settings: publish_publisher must not be empty")

    @property
    def root_url(self) -> str:
        """Where links start, without a trailing slash: ``base_url`` when set,
        else the address of the request being answered (so a wire served on
        another port or behind another name links to itself), else
        :data:`FALLBACK_BASE_URL`."""
        return (self.base_url or _request_base.get() or FALLBACK_BASE_URL).rstrip("/")

    @property
    def writing_enabled(self) -> bool:
        return bool(self.admin_token)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> PublishSettings:
        """Read ``BABELWIRE_PUBLISH_*`` and ``BABELWIRE_ADMIN_TOKEN``, then apply overrides."""
        values = read_part(PUBLISH, environ, overrides)
        return cls(**values | {"admin_token": values["admin_token"] or None})
