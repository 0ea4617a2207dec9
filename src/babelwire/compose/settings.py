"""What compose needs to know: who publishes, and which disclaimer is current.

The disclaimer is versioned data, not a string scattered through templates:
the reference service had several wordings in circulation at once, and a
reader could not tell which one applied. Every item stores the disclaimer
text it was published with and that text's version, so changing the wording
means adding a row to :data:`DISCLAIMERS` and moving
``compose_disclaimer_version``; items already published keep theirs.

The rows of :data:`COMPOSE_SETTINGS` join the one settings registry
(:mod:`babelwire.settings`) as the "Wire items" part; a field of
:class:`ComposeSettings` is a row's name without ``compose_``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babelwire.errors import ConfigError
from babelwire.settings import Setting, check_record, read_part, register

#: Every disclaimer wording ever published, by version. Append only: an old
#: version must still render for the items that carry it.
DISCLAIMERS: Mapping[str, str] = {
    "1": (
        "Please note: This information is raw content obtained directly from the "
        "source. It represents an accurate account of the source's assertions and "
        "does not necessarily reflect the position of {publisher} or its clients."
    ),
}

CURRENT_DISCLAIMER_VERSION = "1"
DEFAULT_PUBLISHER = "babelwire"

COMPOSE_SETTINGS: tuple[Setting, ...] = (
    Setting("compose_publisher", DEFAULT_PUBLISHER, str,
            "Name of the wire as printed in the disclaimer and in ninjs infoSources."),
    Setting("compose_disclaimer_version", CURRENT_DISCLAIMER_VERSION, str,
            "Version of the disclaimer wording put on new items (see compose.settings).",
            choices=tuple(DISCLAIMERS)),
)

COMPOSE = register("Wire items", "compose_", COMPOSE_SETTINGS)


@dataclass(frozen=True, slots=True)
class ComposeSettings:
    """Values compose needs; field = setting name minus ``compose_``."""

    publisher: str = DEFAULT_PUBLISHER
    disclaimer_version: str = CURRENT_DISCLAIMER_VERSION

    def __post_init__(self) -> None:
        if self.disclaimer_version not in DISCLAIMERS:
            known = ", ".join(sorted(DISCLAIMERS))
            raise ConfigError(
                f"settings: unknown disclaimer version {self.disclaimer_version!r} "
                f"(known: {known})"
            )
        if not self.publisher.strip():
            raise ConfigError("settings: compose_publisher must not be empty")
        check_record(COMPOSE, self)

    @property
    def disclaimer_template(self) -> str:
        return DISCLAIMERS[self.disclaimer_version]

    @property
    def disclaimer(self) -> str:
        """The current disclaimer with the publisher filled in."""
        return disclaimer_text(self.disclaimer_version, self.publisher)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> ComposeSettings:
        """Read ``BABELWIRE_COMPOSE_*`` variables (start-up only), then apply overrides."""
        return cls(**read_part(COMPOSE, environ, overrides))


def disclaimer_text(version: str, publisher: str) -> str:
    """The wording of one disclaimer version for one publisher."""
    try:
        template = DISCLAIMERS[version]
    except KeyError:
        raise ConfigError(f"compose: unknown disclaimer version {version!r}") from None
    # format_map reads placeholders from the template only, so braces in a
    # publisher's name are printed as they are.
    return template.format_map({"publisher": publisher})
