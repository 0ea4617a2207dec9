"""Every setting in one typed table.

Each row gives the name, the type, the default, the environment variable and
the help text; ``docs/settings.md`` is generated from this table
(``babelwire settings --markdown``), so the documentation cannot drift.
Settings are read once at start-up into a frozen :class:`Settings`; stages
receive the values they need and never read the environment themselves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from babelwire.errors import ConfigError


def parse_duration_s(text: str) -> int:
    """Parse "90", "90s", "15m", "2h", "1d" into seconds."""
    text = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        if text and text[-1] in units:
            return int(float(text[:-1]) * units[text[-1]])
        return int(float(text))
    except ValueError:
        raise ConfigError(f"settings: cannot read duration {text!r} (use 90s, 15m, 2h)") from None


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"settings: cannot read {text!r} as true/false")


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str

    @property
    def env(self) -> str:
        return "BABELWIRE_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", "sqlite:///babelwire.db", str,
            "SQLAlchemy URL of the store. SQLite (WAL mode) by default; use "
            "postgresql+psycopg://user:pass@host/db for PostgreSQL."),
    Setting("archive_dir", "archive", str,
            "Directory for the WARC files that hold every raw response."),
    Setting("catalog_dir", "catalog", str,
            "Directory of your own catalog files, read after the bundled catalog when it "
            "exists; `sources add` and the admin API write new sources there."),
    Setting("user_agent",
            "babelwire/0.1 (+https://github.com/babelwire/babelwire; open-source newswire)",
            str, "User-Agent sent with every request and matched against robots.txt."),
    Setting("connect_timeout_s", 10.0, float, "Seconds to wait for a TCP/TLS connection."),
    Setting("read_timeout_s", 20.0, float, "Seconds to wait between two reads of a response."),
    Setting("total_timeout_s", 60.0, float, "Seconds one request may take from start to end."),
    Setting("max_body_bytes", 10_000_000, int,
            "Largest response body accepted on the wire, enforced while streaming."),
    Setting("max_decompressed_bytes", 30_000_000, int,
            "Largest body accepted after gzip/deflate/br decoding (bomb guard)."),
    Setting("max_redirects", 5, int, "Redirects followed per request; each hop is re-checked."),
    Setting("retries", 3, int, "Retries after a timeout, 429 or 5xx, with exponential backoff."),
    Setting("backoff_base_s", 1.0, float, "First retry delay; doubled each retry, with jitter."),
    Setting("max_retry_after_s", 120.0, float, "Longest Retry-After delay honoured in a run."),
    Setting("per_host_concurrency", 2, int, "Requests in flight at once to one host."),
    Setting("per_host_delay_s", 1.0, float, "Pause between two requests to the same host."),
    Setting("workers", 8, int, "Threads fetching and extracting in one process."),
    Setting("max_entries_per_feed", 200, int, "Entries read from one feed or sitemap per poll."),
    Setting("failure_backoff_max_s", 86_400, int,
            "Longest wait before polling a source again after repeated failures."),
    Setting("allow_private", False, _bool,
            "Allow every source to reach private and loopback addresses (never in production)."),
    Setting("log_format", "text", str, "Log lines as 'text' or 'json'."),
    Setting("log_level", "INFO", str, "Lowest level logged: DEBUG, INFO, WARNING or ERROR."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    archive_dir: str
    catalog_dir: str
    user_agent: str
    connect_timeout_s: float
    read_timeout_s: float
    total_timeout_s: float
    max_body_bytes: int
    max_decompressed_bytes: int
    max_redirects: int
    retries: int
    backoff_base_s: float
    max_retry_after_s: float
    per_host_concurrency: int
    per_host_delay_s: float
    workers: int
    max_entries_per_feed: int
    failure_backoff_max_s: int
    allow_private: bool
    log_format: str
    log_level: str

    @classmethod
    def load(
        cls, environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> Settings:
        """Read every setting from the environment, then apply overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            raw = env.get(setting.env)
            if raw is None:
                values[setting.name] = setting.default
                continue
            try:
                values[setting.name] = setting.parse(raw)
            except (ValueError, ConfigError) as exc:
                raise ConfigError(f"settings: {setting.env}={raw!r}: {exc}") from None
        for name, value in overrides.items():
            if name not in _BY_NAME:
                raise ConfigError(f"settings: unknown setting {name!r}")
            values[name] = value
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        current.update(changes)
        return Settings(**current)


def all_tables() -> tuple[tuple[str, tuple[Setting, ...]], ...]:
    """Every settings table in the project, titled by the part it configures."""
    from babelwire.compose.settings import COMPOSE_SETTINGS
    from babelwire.publish.settings import PUBLISH_SETTINGS
    from babelwire.translate.settings import TRANSLATE_SETTINGS

    return (
        ("Ingest, store and runner", SETTINGS),
        ("Translation", tuple(TRANSLATE_SETTINGS)),
        ("Wire items", tuple(COMPOSE_SETTINGS)),
        ("Web, API and feeds", tuple(PUBLISH_SETTINGS.values())),
    )


def markdown_table() -> str:
    """The settings reference as Markdown, for docs/settings.md."""
    lines: list[str] = []
    for title, table in all_tables():
        lines += [
            f"## {title}",
            "",
            "| setting | environment variable | default | what it does |",
            "| --- | --- | --- | --- |",
        ]
        for s in table:
            default = "(empty)" if s.default in ("", None) else f"`{s.default!r}`"
            lines.append(f"| `{s.name}` | `{s.env}` | {default} | {s.help} |")
        lines.append("")
    return "\n".join(lines)


def read_table(
    table: Iterable[tuple[str, Setting]],
    known: Iterable[str],
    environ: Mapping[str, str] | None,
    overrides: Mapping[str, Any],
    part: str,
) -> dict[str, Any]:
    """Values for one part's settings record: environment first, then overrides.

    ``table`` pairs each record field with its setting row; ``part`` names
    the record in messages ("translate", "compose", "publish").
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for field_name, setting in table:
        raw = env.get(setting.env)
        if raw is None:
            continue
        try:
            values[field_name] = setting.parse(raw)
        except (ValueError, ConfigError) as exc:
            raise ConfigError(f"settings: {setting.env}={raw!r}: {exc}") from None
    allowed = set(known)
    for name, value in overrides.items():
        if name not in allowed:
            raise ConfigError(f"settings: unknown {part} setting {name!r}")
        values[name] = value
    return values
