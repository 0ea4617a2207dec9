"""Publish: every surface that shows the wire, all on one query path.

``query`` (the ItemQuery/ItemPage contract with the store) and ``filters``
(URL parameters → ItemQuery) are shared by ``app`` (the web UI, the pages'
JSON twins, the feeds and the JSON API, split into ``web``, ``itempage``,
``feeds``, ``api`` and ``admin``), ``export`` and ``edit``. The item is
rendered, never re-derived: ninjs (canonical), wire text, RSS/Atom and HTML
all come from ``babelwire.compose``.

Nothing is imported here, so that the store can use ``publish.query``
without pulling in the web stack.
"""
