"""The extract stage: page HTML in, :class:`~babelwire.model.Extracted` out.

    parse ─▶ gate (challenge, login, error) ─▶ metadata ─▶ clean DOM
          ─▶ trafilatura (density fallback) ─▶ block filter ─▶ structure put back
          ─▶ lead-in lines out ─▶ gate (empty, listing) ─▶ language

Metadata is read from the page as served; the body is read from a cleaned
copy, so removing breadcrumbs or captions never hides the section or title.
"""

from __future__ import annotations

import copy
import logging

from lxml.html import HtmlElement

from babelwire.errors import Drop, ExtractError
from babelwire.extract import gate
from babelwire.extract.blockfilter import filter_blocks
from babelwire.extract.body import trafilatura_blocks
from babelwire.extract.clean import remove_furniture
from babelwire.extract.dates import read_published
from babelwire.extract.density import density_blocks
from babelwire.extract.language import choose_language, detect
from babelwire.extract.lead import with_lead
from babelwire.extract.leadin import without_lead_in
from babelwire.extract.metadata import (
    language_code,
    read_byline,
    read_canonical_url,
    read_declared_language,
    read_description,
    read_section,
)
from babelwire.extract.page import PageInfo
from babelwire.extract.parse import parse_html
from babelwire.extract.structure import with_structure
from babelwire.extract.title import read_title
from babelwire.model import Block, BlockKind, Extracted, Fetched

log = logging.getLogger(__name__)

#: Above this many elements (real pages have under 10 000) trafilatura, whose
#: time grows with the square of the tree, is skipped for the linear density
#: extractor, so that no page can hold a worker for minutes.
MAX_TREE_ELEMENTS = 25_000

#: Below this many characters of body text, the density extractor is tried
#: as well and kept when it finds clearly more (FALLBACK_GAIN times).
FALLBACK_BELOW_CHARS = 400
FALLBACK_GAIN = 2.0


def extract(
    html: str,
    *,
    url: str | None = None,
    declared_languages: tuple[str, ...] = (),
    http_content_language: str | None = None,
) -> Extracted:
    """Read the article in one page.

    Raises Drop("not an article: …") for challenge, login, error, empty, home
    and listing pages, and ExtractError when the page cannot be read at all.
    """
    try:
        return _extract(html, url, declared_languages, http_content_language)
    except (Drop, ExtractError):
        raise
    except RecursionError:
        raise ExtractError(f"extract: markup nested too deeply in {url}", url=url) from None
    except Exception as exc:
        # The stage's contract is Drop or ExtractError; anything else escaping
        # the libraries is reported with its type so the fault stays visible.
        log.warning("extract: unexpected %s on %s", type(exc).__name__, url, exc_info=True)
        raise ExtractError(f"extract: {type(exc).__name__} on {url}: {exc}", url=url) from None


def extract_fetched(fetched: Fetched, *, source_languages: tuple[str, ...] = ()) -> Extracted:
    """Extract a fetched page, with its final URL and Content-Language header."""
    return extract(
        fetched.text,
        url=fetched.final_url or fetched.url,
        declared_languages=source_languages,
        http_content_language=fetched.header("content-language"),
    )


def _extract(
    html: str, url: str | None, declared_languages: tuple[str, ...], content_language: str | None
) -> Extracted:
    tree = parse_html(html, url=url)
    page = PageInfo.read(tree, url)
    text = gate.visible_text(tree)
    gate.check_before(page, html, text)
    title = read_title(page)
    cleaned = copy.deepcopy(tree)
    remove_furniture(cleaned, title)
    section, byline = read_section(page, title), read_byline(page)
    body = without_lead_in(_body_blocks(cleaned, page, title), section=section, byline=byline)
    blocks = with_lead(body, cleaned, read_description(page))
    gate.check_after(page, text, blocks, cleaned)
    published = read_published(page, cleaned)
    declared = read_declared_language(page, content_language)
    priors = [declared, *(language_code(code) for code in declared_languages)]
    sample = "\n".join([title or "", *(b.text for b in blocks)])
    language, confidence = choose_language(detect(sample), tuple(c for c in priors if c))
    return Extracted(
        title=title,
        blocks=tuple(blocks),
        language=language,
        declared_language=declared,
        language_confidence=round(confidence, 4) if confidence is not None else None,
        published=published.when if published else None,
        published_has_time=published.has_time if published else False,
        section=section,
        byline=byline,
        canonical_url=read_canonical_url(page),
        description=read_description(page),
    )


def _body_blocks(tree: HtmlElement, page: PageInfo, title: str | None) -> list[Block]:
    """Blocks of the cleaned tree: trafilatura, or the density extractor if it finds more."""
    if sum(1 for _ in tree.iter()) > MAX_TREE_ELEMENTS:
        log.info("extract: %s has over %d elements; density extractor only",
                 page.url, MAX_TREE_ELEMENTS)
        return _without_title(filter_blocks(density_blocks(tree)), title)
    blocks = filter_blocks(trafilatura_blocks(tree, url=page.url))
    dense = filter_blocks(density_blocks(tree))
    chars = sum(len(b.text) for b in blocks)
    if chars < FALLBACK_BELOW_CHARS and sum(len(b.text) for b in dense) > FALLBACK_GAIN * max(
        chars, 1
    ):
        log.debug("extract: density fallback used for %s", page.url)
        return _without_title(dense, title)
    return _without_title(with_structure(blocks, dense), title)


def _without_title(blocks: list[Block], title: str | None) -> list[Block]:
    """Drop the headline where the body repeats it in its first blocks."""
    if not title:
        return blocks
    folded = title.casefold()
    return [
        b for i, b in enumerate(blocks)
        if not (i < 3 and b.kind in _TITLE_KINDS and b.text.casefold() == folded)
    ]


_TITLE_KINDS = (BlockKind.HEADING, BlockKind.PARAGRAPH)
