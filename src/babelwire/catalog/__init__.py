"""The source catalog: publishers as data files, validated on load.

``load_catalog()`` reads the bundled ``sources/*.toml`` (and any extra
directories) into a :class:`Catalog` of :class:`babelwire.model.Source`
records plus one :class:`babelwire.errors.CatalogError` per problem found.
A catalog file holds ``[[source]]`` tables::

    [[source]]
    id = "un-news-ru"                  # ^[a-z0-9][a-z0-9-]{1,62}$, unique
    name = "United Nations"            # printed after "Source:", verbatim
    desk = "United Nations"            # optional, defaults to name
    region = "Russian Federation"      # printed after "Region:", verbatim
    languages = ["ru"]                 # ISO 639-1
    category = "intergovernmental"     # see CATEGORIES; default "government"
    homepage = "https://news.un.org/ru/"
    feeds = ["https://news.un.org/feed/subscribe/ru/news/all/rss.xml"]
    sitemaps = []                      # at least one feed, sitemap or listing
    poll_interval = "15m"              # 60 s minimum; default 30m
    glossary = "glossaries/un-ru.toml" # relative to the catalog directory
    allow_private = false              # loopback/private hosts (demo world only)
    notes = ""

    [[source.listings]]
    url = "https://example.org/news/"
    link_selector = "a.news-link"      # CSS, checked with cssselect
    date_selector = "time"             # optional
"""

from babelwire.catalog.glossary import check_glossary
from babelwire.catalog.loader import (
    Catalog,
    UnknownSourceError,
    bundled_dir,
    file_label,
    load_catalog,
)
from babelwire.catalog.schema import CATEGORIES
from babelwire.catalog.writer import add_source, check_source_fields

__all__ = [
    "CATEGORIES",
    "Catalog",
    "UnknownSourceError",
    "add_source",
    "bundled_dir",
    "check_glossary",
    "check_source_fields",
    "file_label",
    "load_catalog",
]
