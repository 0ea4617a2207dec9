"""Every setting in one typed registry.

A row gives the name, the type, the default, the range (bounds or allowed
values), the unit and the help text. Each part of the project (ingest here,
then compose, publish and translate in their own ``settings`` modules) adds
its rows with :func:`register`; this module never imports the parts, so the
parts can import it. The command line imports every part before it reads the
environment, checks every ``BABELWIRE_*`` variable at start-up
(:func:`check_environment`), and generates ``babelwire settings`` and
``docs/settings.md`` from the registry (:func:`markdown_table`).

A part reads its rows into one frozen record (:func:`read_part`); the record's
field is the setting's name without the part's prefix (``translate_beam_size``
→ ``TranslateSettings.beam_size``). Stages receive the values they need and
never read the environment themselves.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from babelwire.errors import ConfigError


def parse_duration_s(text: str) -> int:
    """Parse "90", "90s", "15m", "2h", "1d" into seconds (never negative)."""
    text = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, scale = (text[:-1], units[text[-1]]) if text and text[-1] in units else (text, 1)
    try:
        value = float(number)
    except ValueError:
        raise ConfigError(f"settings: cannot read duration {text!r} (use 90s, 15m, 2h)") from None
    # int() of inf raises OverflowError, and a negative wait is a typo.
    if not math.isfinite(value) or value < 0:
        raise ConfigError(f"settings: duration {text!r} must be a finite, positive time")
    return int(value * scale)


def parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected true or false")


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: what it is, what it may be, and what it does."""

    name: str
    default: Any
    #: str, int, float, bool, or tuple (then ``parse`` reads the text).
    type: type
    help: str
    unit: str = ""
    #: Inclusive bounds for numbers.
    min: float | None = None
    max: float | None = None
    #: Allowed values for text, matched without regard to case.
    choices: tuple[str, ...] = ()
    #: Reads the environment text for types that the type itself cannot.
    parse: Callable[[str], Any] | None = None
    #: Never printed by ``babelwire settings`` (tokens, keys).
    secret: bool = False

    @property
    def env(self) -> str:
        return "BABELWIRE_" + self.name.upper()

    def read(self, raw: str) -> Any:
        """The value of environment text ``raw``; the error names the variable."""
        try:
            return self.check(self._parse(raw.strip()))
        except (ValueError, ConfigError) as exc:
            reason = str(exc).removeprefix("settings: ")
            raise ConfigError(f"settings: {self.env}={raw!r}: {reason}") from None

    def _parse(self, text: str) -> Any:
        if self.parse is not None:
            return self.parse(text)
        if self.type is bool:
            return parse_bool(text)
        if self.type is int:
            try:
                return int(text)
            except ValueError:
                raise ValueError("expected a whole number") from None
        if self.type is float:
            try:
                return float(text)
            except ValueError:
                raise ValueError("expected a number") from None
        return text

    def check(self, value: Any) -> Any:
        """``value`` if it has this setting's type and lies in its range, else ValueError."""
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, self.type) or (self.type is not bool and isinstance(value, bool)):
            raise ValueError(f"expected {self.type.__name__}, got {type(value).__name__}")
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise ValueError("must be a finite number")
            if self.min is not None and value < self.min:
                raise ValueError(f"must be at least {_number(self.min)}")
            if self.max is not None and value > self.max:
                raise ValueError(f"must be at most {_number(self.max)}")
        if isinstance(value, str) and self.choices:
            for choice in self.choices:
                if value.lower() == choice.lower():
                    return choice
            raise ValueError(f"must be one of {', '.join(self.choices)}")
        return value

    @property
    def range_text(self) -> str:
        """The range as printed in the reference."""
        if self.choices:
            return ", ".join(self.choices)
        if self.min is not None and self.max is not None:
            return f"{_number(self.min)} to {_number(self.max)}"
        if self.min is not None:
            return f"≥ {_number(self.min)}"
        if self.max is not None:
            return f"≤ {_number(self.max)}"
        return ""


def _number(value: float) -> str:
    return f"{value:_}".replace("_", ",") if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True, slots=True)
class Part:
    """One part's rows; a record field is a row's name without ``prefix``."""

    title: str
    prefix: str
    rows: tuple[Setting, ...]

    @property
    def short_name(self) -> str:
        """The part as named in messages: "translate", "publish"..."""
        return self.prefix.rstrip("_") or "ingest"

    def field(self, setting: Setting) -> str:
        return setting.name.removeprefix(self.prefix)


#: Every registered part by title, in registration order.
_PARTS: dict[str, Part] = {}

#: Variables that carry the ``BABELWIRE_`` prefix but belong to the test and
#: bench harnesses, never to the product; the start-up check leaves them alone.
FOREIGN_PREFIXES: tuple[str, ...] = ("BABELWIRE_TEST_", "BABELWIRE_BENCH_")


def register(title: str, prefix: str, rows: tuple[Setting, ...]) -> Part:
    """Add one part's rows to the registry (at import of the part's module)."""
    part = Part(title, prefix, rows)
    taken = {s.name for p in _PARTS.values() if p.title != title for s in p.rows}
    clash = taken.intersection(s.name for s in rows)
    if clash:
        raise ValueError(f"settings: {title}: names already registered: {sorted(clash)}")
    _PARTS[title] = part
    return part


def parts() -> tuple[Part, ...]:
    """Every registered part, ingest first, then by prefix (stable docs order)."""
    return tuple(sorted(_PARTS.values(), key=lambda p: p.prefix))


def read_part(
    part: Part, environ: Mapping[str, str] | None, overrides: Mapping[str, Any]
) -> dict[str, Any]:
    """Every field of ``part``'s record: defaults, then the environment, then overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in part.rows:
        raw = env.get(setting.env)
        values[part.field(setting)] = setting.default if raw is None else setting.read(raw)
    by_field = {part.field(s): s for s in part.rows}
    for name, value in overrides.items():
        if name not in by_field:
            raise ConfigError(f"settings: unknown {part.short_name} setting {name!r}")
        values[name] = value
    return values


def check_record(part: Part, record: Any) -> None:
    """Raise ConfigError when a field of ``record`` is outside its row's range.

    None stands for "not set" in optional fields (the admin token) and passes.
    """
    for setting in part.rows:
        value = getattr(record, part.field(setting))
        if value is None:
            continue
        try:
            setting.check(value)
        except ValueError as exc:
            raise ConfigError(f"settings: {setting.name}={value!r}: {exc}") from None


def check_environment(environ: Mapping[str, str] | None = None) -> None:
    """Check every ``BABELWIRE_*`` variable against the registry, at start-up.

    A value of the wrong type or out of range is an error, and so is a
    variable no part knows: a misspelt name would otherwise leave its setting
    at the default without a word (an admin token that is silently off, a
    database that is silently another). The message proposes the closest name.
    """
    env = os.environ if environ is None else environ
    rows = {s.env: s for p in _PARTS.values() for s in p.rows}
    problems: list[str] = []
    for name in sorted(env):
        if not name.startswith("BABELWIRE_") or name.startswith(FOREIGN_PREFIXES):
            continue
        setting = rows.get(name)
        if setting is None:
            # Compared without the shared prefix, which would make every name
            # look close; a name without its part ("PAGE_SIZE") finds the part's.
            short = name.removeprefix("BABELWIRE_")
            names = [r.name.upper() for r in rows.values()]
            close = difflib.get_close_matches(short, names, n=1, cutoff=0.7) or [
                n for n in names if n.endswith("_" + short)][:1]
            hint = (f" (did you mean BABELWIRE_{close[0]}?)" if close
                    else " (see `babelwire settings`)")
            problems.append(f"unknown variable {name}{hint}")
            continue
        try:
            setting.read(env[name])
        except ConfigError as exc:
            problems.append(str(exc).removeprefix("settings: "))
    if problems:
        raise ConfigError("settings: " + "; ".join(problems))


def markdown_table() -> str:
    """The settings reference as Markdown, for docs/settings.md."""
    lines: list[str] = []
    for part in parts():
        lines += [
            f"## {part.title}",
            "",
            "| setting | environment variable | type | default | range | unit | what it does |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for s in part.rows:
            default = "(empty)" if s.default in ("", None, ()) else f"`{_shown(s.default)}`"
            lines.append(
                f"| `{s.name}` | `{s.env}` | {s.type.__name__} | {default} | {s.range_text} "
                f"| {s.unit} | {s.help} |"
            )
        lines.append("")
    return "\n".join(lines)


def _shown(value: Any) -> str:
    """A default as it would be written in the environment."""
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
    Setting("connect_timeout_s", 10.0, float, "Seconds to wait for a TCP/TLS connection.",
            unit="s", min=0.01, max=3600),
    Setting("read_timeout_s", 20.0, float, "Seconds to wait between two reads of a response.",
            unit="s", min=0.01, max=3600),
    Setting("total_timeout_s", 60.0, float, "Seconds one request may take from start to end.",
            unit="s", min=0.01, max=86_400),
    Setting("max_body_bytes", 10_000_000, int,
            "Largest response body accepted on the wire, enforced while streaming.",
            unit="bytes", min=1),
    Setting("max_decompressed_bytes", 30_000_000, int,
            "Largest body accepted after gzip/deflate/br decoding (bomb guard).",
            unit="bytes", min=1),
    Setting("max_redirects", 5, int, "Redirects followed per request; each hop is re-checked.",
            min=0, max=30),
    Setting("retries", 3, int, "Retries after a timeout, 429 or 5xx, with exponential backoff.",
            min=0, max=20),
    Setting("backoff_base_s", 1.0, float, "First retry delay; doubled each retry, with jitter.",
            unit="s", min=0, max=3600),
    Setting("max_retry_after_s", 120.0, float, "Longest Retry-After delay honoured in a run.",
            unit="s", min=0, max=86_400),
    Setting("per_host_concurrency", 2, int, "Requests in flight at once to one host.",
            min=1, max=64),
    Setting("per_host_delay_s", 1.0, float, "Pause between two requests to the same host.",
            unit="s", min=0, max=3600),
    Setting("workers", 8, int, "Threads fetching and extracting in one process.",
            unit="threads", min=1, max=256),
    Setting("max_entries_per_feed", 200, int, "Entries read from one feed or sitemap per poll.",
            unit="entries", min=1, max=100_000),
    Setting("max_fetches_per_poll", 200, int,
            "Feeds, sitemaps and listing pages fetched for one source in one poll; "
            "newest sitemaps first, the rest is left for the next poll.",
            unit="fetches", min=1, max=100_000),
    Setting("failure_backoff_max_s", 86_400, int,
            "Longest wait before polling a source again after repeated failures.",
            unit="s", min=1, max=30 * 86_400),
    Setting("allow_private", False, bool,
            "Allow every source to reach private and loopback addresses (never in production)."),
    Setting("log_format", "text", str, "Log lines as 'text' or 'json'.",
            choices=("text", "json")),
    Setting("log_level", "INFO", str, "Lowest level logged.",
            choices=("DEBUG", "INFO", "WARNING", "ERROR")),
)

INGEST = register("Ingest, store and runner", "", SETTINGS)


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
    max_fetches_per_poll: int
    failure_backoff_max_s: int
    allow_private: bool
    log_format: str
    log_level: str

    def __post_init__(self) -> None:
        check_record(INGEST, self)

    @classmethod
    def load(
        cls, environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> Settings:
        """Read every setting from the environment, then apply overrides."""
        return cls(**read_part(INGEST, environ, overrides))

    def replace(self, **changes: Any) -> Settings:
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        current.update(changes)
        return Settings(**current)
