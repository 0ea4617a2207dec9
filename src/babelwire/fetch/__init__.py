"""The fetch stage: polite, safe HTTP, with every response archived.

:class:`Fetcher` is the entry point; see ``fetcher.py`` for the flow. The
address guard (``guard.py``), the total deadline on every socket wait
(``deadline.py``), decoding caps (``decode.py``), charset
decision (``charset.py``), robots.txt (``robots.py``), per-host limits
(``politeness.py``), retry timing (``retry.py``) and the WARC archive
(``archive.py``) each live in their own module.
"""

from babelwire.fetch.archive import Archive, RawRecord, fetched_from_archive
from babelwire.fetch.charset import decide_charset
from babelwire.fetch.fetcher import Fetcher
from babelwire.fetch.guard import AddressPolicy, Resolver, StaticResolver, SystemResolver

__all__ = [
    "AddressPolicy",
    "Archive",
    "Fetcher",
    "RawRecord",
    "Resolver",
    "StaticResolver",
    "SystemResolver",
    "decide_charset",
    "fetched_from_archive",
]
