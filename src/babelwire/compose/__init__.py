"""Compose: a document and its English text become a wire item.

``item.compose_item`` builds the :class:`~babelwire.model.Item` record (pure:
no database, no clock of its own); the item is then rendered, never
re-derived: ``wire.render_wire`` prints the wire text, ``ninjs.to_ninjs`` the
canonical IPTC ninjs 3.1 JSON, ``html.body_html`` the sanitised HTML body.
"""

from babelwire.compose.html import body_html
from babelwire.compose.item import compose_item, item_id
from babelwire.compose.ninjs import Concept, NinjsExtras, media_topic, to_ninjs
from babelwire.compose.settings import DISCLAIMERS, ComposeSettings
from babelwire.compose.wire import render_wire

__all__ = [
    "DISCLAIMERS",
    "ComposeSettings",
    "Concept",
    "NinjsExtras",
    "body_html",
    "compose_item",
    "item_id",
    "media_topic",
    "render_wire",
    "to_ninjs",
]
