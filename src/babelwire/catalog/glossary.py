"""Lint for glossary files named by catalog sources.

The translate stage reads glossaries (``babelwire.translate.glossary``); the
catalog only checks them, so that ``sources lint`` reports a broken glossary
with the same one-line problems as a broken source. The format::

    [[term]]
    source = "МООНСИ"          # required, one line
    target = "UNAMI"           # required, one line
    note = "UN Assistance Mission for Iraq"
    lang = "ru"                # optional: only for sources in this language
    case_sensitive = true      # optional
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from babelwire.catalog.schema import Label, Language, problem
from babelwire.catalog.validate import problems_from
from babelwire.errors import CatalogError


class _TermSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    source: Label
    target: Label
    note: str = ""
    lang: Language | None = None
    case_sensitive: bool | None = None


def _some_terms(terms: list[_TermSpec]) -> list[_TermSpec]:
    if not terms:
        raise problem("needs at least one [[term]]")
    return terms


class _GlossarySpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    term: Annotated[list[_TermSpec], AfterValidator(_some_terms)]


def check_glossary(path: Path, label: str | None = None) -> tuple[CatalogError, ...]:
    """Every problem in a glossary file, one per line; empty when it is sound."""
    label = label or str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return (CatalogError(label, "file", f"cannot read: {exc.strerror or exc}"),)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return (CatalogError(label, "file", f"not valid TOML: {exc}"),)
    try:
        spec = _GlossarySpec.model_validate(data)
    except ValidationError as exc:
        return tuple(
            CatalogError(label, p.field or "file", p.problem)
            for p in problems_from(exc, _GlossarySpec)
        )
    first_index: dict[tuple[str, str | None], int] = {}
    problems: list[CatalogError] = []
    for index, term in enumerate(spec.term):
        # Two renderings of one term would bring back the "name spelled two
        # ways in one item" defect that glossaries exist to prevent.
        key = (term.source, term.lang)
        if key in first_index:
            why = f"{term.source!r} is already term[{first_index[key]}]"
            problems.append(CatalogError(label, f"term[{index}].source", why))
        first_index.setdefault(key, index)
    return tuple(problems)
