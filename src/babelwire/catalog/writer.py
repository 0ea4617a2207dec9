"""Append a source to a catalog file (``babelwire sources add``).

The table is validated before anything is written, appended as text so that
the comments and layout of an existing file survive, and the file is read back
before it replaces the old one: a write never leaves a catalog that loads worse
than before.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babelwire.catalog.loader import bundled_dir, file_label, load_catalog
from babelwire.catalog.validate import check_table
from babelwire.errors import CatalogError

DEFAULT_FILE_NAME = "local.toml"
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.toml$")
#: Keys written in this order (the order of the documented format).
_KEY_ORDER = (
    "id",
    "name",
    "desk",
    "region",
    "languages",
    "category",
    "homepage",
    "feeds",
    "sitemaps",
    "poll_interval",
    "glossary",
    "allow_private",
    "notes",
)


def check_source_fields(
    directory: Path, source_fields: Mapping[str, Any], *, file_name: str = DEFAULT_FILE_NAME
) -> list[CatalogError]:
    """Every problem that would stop ``add_source``, one per line."""
    label = file_label(directory / file_name)
    if not _FILE_NAME.match(file_name):
        return [CatalogError(label, "file", "expected a plain file name ending in .toml")]
    checked = check_table(dict(source_fields), _base_dirs(directory))
    problems = [CatalogError(label, p.field or "source", p.problem) for p in checked.problems]
    if checked.spec is not None:
        dirs = (bundled_dir(), directory) if directory.is_dir() else (bundled_dir(),)
        for source in load_catalog(*dirs).sources:
            if source.id == checked.spec.id:
                problems.append(
                    CatalogError(label, "id", f"id {source.id!r} is taken by {source.origin}")
                )
    return problems


def add_source(
    directory: Path, source_fields: Mapping[str, Any], *, file_name: str = DEFAULT_FILE_NAME
) -> Path:
    """Validate ``source_fields`` (keys as in a catalog file) and append them
    as a ``[[source]]`` table to ``directory/file_name``; returns that path.

    Raises :class:`CatalogError` for the first problem found, with nothing
    written; :func:`check_source_fields` lists them all.
    """
    problems = check_source_fields(directory, source_fields, file_name=file_name)
    if problems:
        raise problems[0]
    target = directory / file_name
    label = file_label(target)
    old_text = target.read_text(encoding="utf-8") if target.exists() else ""
    try:
        tomllib.loads(old_text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(label, "file", f"not valid TOML, not extending it: {exc}") from None
    head = old_text.rstrip("\n") + "\n\n" if old_text.strip() else ""
    text = head + render_table(source_fields)
    _check_round_trip(text, source_fields, label)
    directory.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=directory, prefix=".add-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp_name, target)
    finally:
        Path(temp_name).unlink(missing_ok=True)
    return target


def _base_dirs(directory: Path) -> tuple[Path, ...]:
    # The same places the loader looks for a glossary (see load_catalog).
    return (directory, bundled_dir().parent)


def _check_round_trip(text: str, source_fields: Mapping[str, Any], label: str) -> None:
    """The new file must read back with the last table equal to what was asked.

    This guards the hand-written TOML writer: a quoting slip would otherwise
    corrupt a user's catalog file silently.
    """
    tables = tomllib.loads(text).get("source", [])
    wanted = {k: v for k, v in source_fields.items() if v is not None}
    if "listings" in wanted:
        wanted["listings"] = [
            {k: v for k, v in x.items() if v is not None} for x in wanted["listings"]
        ]
    written = tables[-1] if tables else None
    if _plain(written) != _plain(wanted):
        raise CatalogError(label, "source", "the table did not read back as written (not saved)")


def _plain(value: Any) -> Any:
    """Tuples as lists, so a caller's tuple compares equal to TOML's array."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def render_table(source_fields: Mapping[str, Any]) -> str:
    """One ``[[source]]`` table (with its listings) as TOML text."""
    lines = ["[[source]]"]
    for key in _KEY_ORDER:
        if key in source_fields and source_fields[key] is not None:
            lines.append(f"{key} = {toml_value(source_fields[key])}")
    for listing in source_fields.get("listings") or ():
        lines += ["", "[[source.listings]]"]
        lines += [f"{key} = {toml_value(v)}" for key, v in listing.items() if v is not None]
    return "\n".join(lines) + "\n"


def toml_value(value: Any) -> str:
    """A string, integer, boolean or list of them as a TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    # Unreachable after validation (strict types); a bug if it ever fires.
    raise TypeError(f"catalog: cannot write {type(value).__name__} {value!r} as TOML")


def toml_string(text: str) -> str:
    """A TOML basic string: quote, backslash and control characters escaped."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)
