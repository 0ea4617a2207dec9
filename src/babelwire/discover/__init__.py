"""The discover stage: links to new publications, from feeds, sitemaps and listing pages.

Contract: each reader takes one :class:`~babelwire.model.Fetched` (and the
:class:`~babelwire.model.Source` it belongs to) and returns one
:class:`~babelwire.model.Discovered`. Entries carry canonical URLs
(:func:`canonicalize_url`), are de-duplicated in document order and capped at
``max_entries``. Readers never raise for a bad body: what could be recovered
is returned, and ``Discovered.error`` says in one line what was wrong
(``discover: <url>: <problem>; recovered N entries``).

Modules: ``feeds`` (RSS, RDF, Atom via feedparser), ``jsonfeed``,
``sitemaps`` (lxml, entities never expanded), ``listings`` (CSS selectors),
``dispatch`` (the reader for each kind of address, and
for feeds and sitemaps given for each other), ``urls`` (canonical
URLs), ``xmlprep`` and ``charset`` (bytes made safe to parse; ``xmlstream``
for a large body, a piece at a time), ``fields`` and
``dates`` (entry fields), ``collect`` (the shared rules).
"""

from babelwire.discover.dispatch import discover, discover_feed, discover_sitemap
from babelwire.discover.listings import discover_listing
from babelwire.discover.urls import canonicalize_url
from babelwire.discover.xmlprep import DEFAULT_MAX_DECOMPRESSED_BYTES

__all__ = [
    "DEFAULT_MAX_DECOMPRESSED_BYTES",
    "canonicalize_url",
    "discover",
    "discover_feed",
    "discover_listing",
    "discover_sitemap",
]
