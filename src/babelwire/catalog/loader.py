"""Read catalog directories into one :class:`Catalog`, keeping what is valid.

A catalog problem never stops the wire: a bad table is left out, a file that
is not TOML is skipped, and each fault becomes one :class:`CatalogError` line in
``Catalog.problems`` (``catalog: sources/x.toml: source[2].feeds[0]: ...``)
while every good source, in that file and in the others, still loads.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babelwire.catalog.glossary import check_glossary
from babelwire.catalog.schema import to_source
from babelwire.catalog.validate import check_table
from babelwire.errors import CatalogError
from babelwire.model import Source

_PACKAGE_DIR = Path(__file__).resolve().parent
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def bundled_dir() -> Path:
    """The catalog files shipped with babelwire."""
    return _PACKAGE_DIR / "sources"


class UnknownSourceError(KeyError):
    """``Catalog.get`` found no such id; prints as a sentence, not a repr."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every source that loaded, and one problem per fault found on the way."""

    sources: tuple[Source, ...]
    problems: tuple[CatalogError, ...] = ()
    #: The files read, as named in problem lines ("sources/un.toml").
    files: tuple[str, ...] = ()

    def get(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        ids = [s.id for s in self.sources]
        close = difflib.get_close_matches(source_id, ids, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownSourceError(
            f"catalog: no source with id {source_id!r} among {len(ids)} sources{hint}"
        )

    def matching(
        self,
        *,
        region: str | None = None,
        language: str | None = None,
        category: str | None = None,
    ) -> tuple[Source, ...]:
        """Sources that pass every filter given; region ignores case."""
        return tuple(
            s
            for s in self.sources
            if (region is None or s.region.casefold() == region.casefold())
            and (language is None or language in s.languages)
            and (category is None or s.category == category)
        )


def file_label(path: Path) -> str:
    """How problem lines name a file: bundled files relative to the package
    (``sources/un.toml``), others as the path they were reached by."""
    try:
        return path.resolve().relative_to(_PACKAGE_DIR).as_posix()
    except ValueError:
        return str(path)


def load_catalog(*dirs: Path) -> Catalog:
    """Read ``*.toml`` in each directory, in order (files sorted by name).

    With no directory, reads the bundled catalog. An id defined twice is a
    problem on the second definition; the first one stays.
    """
    builder = _Builder()
    for directory in dirs or (bundled_dir(),):
        if not directory.is_dir():
            builder.problems.append(CatalogError(str(directory), "directory", "not found"))
            continue
        # A glossary path is relative to the catalog directory; bundled
        # glossaries may be named from any directory so users can reuse them.
        base_dirs = (directory, _PACKAGE_DIR)
        for path in sorted(directory.glob("*.toml")):
            builder.read_file(path, base_dirs)
    return builder.build()


@dataclass
class _Builder:
    """Collects sources and problems while files are read (mutable, private)."""

    sources: list[Source] = field(default_factory=list)
    problems: list[CatalogError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    origin_of_id: dict[str, str] = field(default_factory=dict)
    glossaries_checked: set[str] = field(default_factory=set)

    def build(self) -> Catalog:
        return Catalog(tuple(self.sources), tuple(self.problems), tuple(self.files))

    def read_file(self, path: Path, base_dirs: Iterable[Path]) -> None:
        label = file_label(path)
        self.files.append(label)
        data = self._parse(path, label)
        if data is None:
            return
        for key in data:
            if key != "source":
                self.problems.append(
                    CatalogError(label, key, "unknown top-level key (expected [[source]] tables)")
                )
        tables = data.get("source")
        if not isinstance(tables, list) or not tables:
            found = "none" if tables is None else f"{type(tables).__name__} {tables!r}"
            why = f"expected [[source]] tables, found {found}"
            self.problems.append(CatalogError(label, "source", why))
            return
        for index, raw in enumerate(tables):
            self._add_table(raw, f"source[{index}]", label, list(base_dirs))

    def _parse(self, path: Path, label: str) -> dict[str, Any] | None:
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            self.problems.append(CatalogError(label, "file", f"cannot read: {exc.strerror}"))
        except UnicodeDecodeError as exc:
            self.problems.append(CatalogError(label, "file", f"not UTF-8: {exc.reason}"))
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            # tomllib (3.11) puts the position only in the message text.
            if found := _TOML_POSITION.search(message):
                where = f"line {found.group(1)}"
                message = f"{message[: found.start()]} (column {found.group(2)})"
            else:
                where = "end of file" if "end of document" in message else "file"
            self.problems.append(CatalogError(label, where, f"not valid TOML: {message}"))
        return None

    def _add_table(self, raw: Any, prefix: str, label: str, base_dirs: list[Path]) -> None:
        checked = check_table(raw, base_dirs)
        for found in checked.problems:
            joiner = "" if not found.field or found.field.startswith("[") else "."
            path = prefix + joiner + found.field
            self.problems.append(CatalogError(label, path, found.problem))
        if checked.spec is None:
            return
        source = to_source(checked.spec, origin=label)
        if source.id in self.origin_of_id:
            why = f"duplicate id {source.id!r} (first in {self.origin_of_id[source.id]})"
            self.problems.append(CatalogError(label, f"{prefix}.id", why))
            return
        self.origin_of_id[source.id] = label
        self.sources.append(source)
        if source.glossary and source.glossary not in self.glossaries_checked:
            self.glossaries_checked.add(source.glossary)
            glossary = Path(source.glossary)
            self.problems.extend(check_glossary(glossary, file_label(glossary)))
