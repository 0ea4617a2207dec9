"""The extract stage: main text with structure, metadata and language of a page.

``extract(html, url=...)`` returns an :class:`~babelwire.model.Extracted`
record or raises ``Drop("not an article: …")``; see ``core.py`` for the flow.
"""

from babelwire.extract.core import extract, extract_fetched

__all__ = ["extract", "extract_fetched"]
