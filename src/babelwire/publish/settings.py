"""What the publishing surfaces need to know, read once at start-up.

The rows of :data:`PUBLISH_SETTINGS` are of the same kind as the global table
(:data:`babelwire.settings.SETTINGS`) so that they can move there unchanged;
until then :meth:`PublishSettings.load` reads them. The admin token is a
secret: it is read here, once, and handed to the app, which never looks at
the environment itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from babelwire.errors import ConfigError
from babelwire.settings import Setting, read_table

DEFAULT_BASE_URL = "http://127.0.0.1:8000"

#: Setting row -> PublishSettings field. ``admin_token`` keeps its short name
#: so that its variable is the documented BABELWIRE_ADMIN_TOKEN.
PUBLISH_SETTINGS: dict[str, Setting] = {
    "base_url": Setting(
        "publish_base_url", DEFAULT_BASE_URL, str,
        "Public URL of the web UI; permalinks, feed links and ninjs uris start with it.",
    ),
    "admin_token": Setting(
        "admin_token", "", str,
        "Bearer token that allows writing through the API (sources, fetch requests, "
        "post-edits). Empty: writing is off.",
    ),
    "page_size": Setting("publish_page_size", 50, int, "Items per page in the web UI and API."),
    "feed_size": Setting("publish_feed_size", 50, int, "Items per RSS or Atom feed."),
    "publisher": Setting(
        "publish_publisher", "babelwire", str, "Name of the wire shown on pages and in feeds."
    ),
}

#: The API never returns more than this many items per page, whatever is asked.
MAX_PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class PublishSettings:
    base_url: str = DEFAULT_BASE_URL
    #: None (or empty) turns every write route off.
    admin_token: str | None = None
    page_size: int = 50
    feed_size: int = 50
    publisher: str = "babelwire"

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"settings: publish_base_url must be an http(s) URL: {self.base_url!r}"
            )
        for name in ("page_size", "feed_size"):
            value = getattr(self, name)
            if not 1 <= value <= MAX_PAGE_SIZE:
                raise ConfigError(f"settings: publish_{name} must be 1..{MAX_PAGE_SIZE}: {value}")
        if not self.publisher.strip():
            raise ConfigError("settings: publish_publisher must not be empty")

    @property
    def root_url(self) -> str:
        """``base_url`` without a trailing slash, for joining paths."""
        return self.base_url.rstrip("/")

    @property
    def writing_enabled(self) -> bool:
        return bool(self.admin_token)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> PublishSettings:
        """Read ``BABELWIRE_PUBLISH_*`` and ``BABELWIRE_ADMIN_TOKEN``, then apply overrides."""
        values = read_table(PUBLISH_SETTINGS.items(), (f.name for f in fields(cls)),
                            environ, overrides, "publish")
        if not values.get("admin_token"):
            values["admin_token"] = None
        return replace(cls(), **values)
