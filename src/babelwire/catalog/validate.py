"""Check one ``[[source]]`` table and say, field by field, what is wrong.

This is the one module that calls pydantic's validation, so pydantic's error
records are turned here into plain ``(field, problem)`` pairs; the loader adds
the file name and the table's position to make the printed line.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from babelwire.catalog.schema import SourceSpec, host_refusal


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One fault in a table; ``field`` is relative to it, e.g. ``feeds[0]``."""

    field: str
    problem: str


@dataclass(frozen=True, slots=True)
class Checked:
    """A table's verdict: the spec when it is valid, the problems otherwise."""

    spec: SourceSpec | None
    problems: tuple[FieldProblem, ...]


#: How a type error is worded, by pydantic error type.
_EXPECTED = {
    "string_type": "a string",
    "list_type": "a list",
    "bool_type": "true or false",
    "int_type": "an integer",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "dict_type": "a table",
}


def check_table(raw: Any, base_dirs: Sequence[Path]) -> Checked:
    """Validate one table; ``base_dirs`` are where a glossary path may point."""
    if not isinstance(raw, dict):
        return Checked(None, (FieldProblem("", f"expected a [[source]] table, got {raw!r}"),))
    try:
        spec = SourceSpec.model_validate(raw, context={"base_dirs": list(base_dirs)})
    except ValidationError as exc:
        return Checked(None, problems_from(exc, SourceSpec))
    problems = _private_hosts(spec)
    return Checked(None if problems else spec, problems)


def field_path(loc: Sequence[int | str]) -> str:
    """``("listings", 1, "url")`` as ``listings[1].url``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def problems_from(exc: ValidationError, root: type[BaseModel]) -> tuple[FieldProblem, ...]:
    """pydantic's errors for a ``root`` table as plain field problems."""
    return tuple(_from_pydantic(err, root) for err in exc.errors(include_url=False))


def _from_pydantic(err: ErrorDetails, root: type[BaseModel]) -> FieldProblem:
    path = field_path(err["loc"])
    kind = err["type"]
    if kind == "catalog":
        return FieldProblem(path, err["msg"])
    if kind == "missing":
        return FieldProblem(path, "required field is missing")
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        return FieldProblem(path, _unknown_key(key, _model_at(root, err["loc"][:-1])))
    if kind in _EXPECTED:
        got = err["input"]
        return FieldProblem(path, f"expected {_EXPECTED[kind]}, got {type(got).__name__} {got!r}")
    return FieldProblem(path, f"{err['msg']} (got {err['input']!r})")


def _unknown_key(key: str, model: type[BaseModel]) -> str:
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
    return f"unknown key {key!r} ({hint})"


def _model_at(root: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel]:
    """The model that validates the table at ``loc`` (to list its keys)."""
    model = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        nested = _nested_model(field.annotation) if field else None
        if nested is None:
            break
        model = nested
    return model


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):  # list[Model], Model | None, Annotated[...]
        if (found := _nested_model(arg)) is not None:
            return found
    return None


def _private_hosts(spec: SourceSpec) -> tuple[FieldProblem, ...]:
    """URLs on loopback or private addresses, unless the source allows them.

    Only literal addresses (in any spelling a resolver reads) and
    ``localhost`` are caught here; fetch checks the address every name
    resolves to, on every request.
    """
    if spec.allow_private:
        return ()
    urls: list[tuple[str, str]] = [(f"feeds[{i}]", u) for i, u in enumerate(spec.feeds)]
    urls += [(f"sitemaps[{i}]", u) for i, u in enumerate(spec.sitemaps)]
    urls += [(f"listings[{i}].url", x.url) for i, x in enumerate(spec.listings)]
    if spec.homepage:
        urls.append(("homepage", spec.homepage))
    refused = ((path, url, host_refusal(urlsplit(url).hostname or "")) for path, url in urls)
    return tuple(
        FieldProblem(path, f"{url!r} leads to the {why} (needs allow_private = true)")
        for path, url, why in refused
        if why
    )
