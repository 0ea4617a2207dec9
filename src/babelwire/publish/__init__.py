"""Publish: every surface that shows the wire, all on one query path.

``filters`` (URL parameters → the store's ``ItemQuery``, see
``babelwire.store.query``) is shared by ``app`` (the web UI, the pages' JSON
twins, the feeds and the JSON API, split into ``web``, ``itempage``,
``feeds``, ``api`` and ``admin``), ``export`` and ``edit``. The item is
rendered, never re-derived: ninjs (canonical), wire text, RSS/Atom and HTML
all come from ``babelwire.compose``.

Publish depends on the store and never the reverse. Nothing is imported
here, so that ``export`` and ``edit`` do not pull in the web stack.
"""
