"""Post-editing requests: read an editor's text from a JSON body.

``babelwire edit`` and ``PUT /api/v1/documents/{id}/translation`` both read
the body here and hand it to :func:`babelwire.run.republish.apply_edit`, which
stores it as a human translation and re-publishes the item (see there).
The body is ``{"headline": str, "section": str | null, "body": [str, ...]}``,
one paragraph per paragraph of the original, in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babelwire.run.republish import EditedText, EditError, apply_edit, human_translation

__all__ = ["EditError", "EditedText", "apply_edit", "human_translation", "parse_edit"]

#: Longest headline, section or paragraph accepted from an editor.
MAX_FIELD_CHARS = 20_000


def _field(data: Mapping[str, Any], name: str, *, required: bool) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise EditError(f"{name!r} must be a non-empty string")
    if len(value) > MAX_FIELD_CHARS:
        raise EditError(f"{name!r} is longer than {MAX_FIELD_CHARS} characters")
    return value


def parse_edit(data: object) -> EditedText:
    """Read ``{"headline": str, "section": str | null, "body": [str, ...]}``."""
    if not isinstance(data, Mapping):
        raise EditError('expected a JSON object {"headline", "section", "body"}')
    unknown = set(data) - {"headline", "section", "body"}
    if unknown:
        raise EditError(f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    body = data.get("body")
    if not isinstance(body, list) or not all(isinstance(p, str) for p in body):
        raise EditError("'body' must be a list of paragraph strings")
    if any(len(p) > MAX_FIELD_CHARS for p in body):
        raise EditError(f"a paragraph is longer than {MAX_FIELD_CHARS} characters")
    headline = _field(data, "headline", required=True) or ""
    section = _field(data, "section", required=False)
    return EditedText(headline, section or None, tuple(body))
