"""Put back the lead paragraph when the body extractor left it out.

News pages print a standfirst between the headline and the story, often in
its own box ("article__lead", an <h2>, loose text before the first <p>), and
trafilatura regularly treats that box as furniture. Pages also repeat their
lead as the meta description, which tells us what to look for: when the
description is not in the body but is printed on the page, the printed text
becomes the first paragraph.
"""

from __future__ import annotations

from lxml.etree import XPath
from lxml.html import HtmlElement

from babelwire.extract.body import fold
from babelwire.model import Block, BlockKind

#: Shorter descriptions are labels or site slogans, not leads.
MIN_LEAD_CHARS = 60

#: Characters of the description looked for in the body and on the page;
#: descriptions are often cut short with "…", so only their start is compared.
PROBE_CHARS = 40

#: The element holding the lead is taken whole when it is at most this many
#: times longer than the description; otherwise only the matching text run.
MAX_HOLDER_RATIO = 1.6

_TEXT_NODES = XPath("//body//text()[not(ancestor::script or ancestor::style)]")


def with_lead(blocks: list[Block], cleaned: HtmlElement, description: str | None) -> list[Block]:
    """``blocks`` with the printed lead in front when the body lacks it."""
    if not blocks or not description or len(description) < MIN_LEAD_CHARS:
        return blocks
    probe = fold(description)[:PROBE_CHARS].casefold()
    body = fold(" ".join(b.text for b in blocks)).casefold()
    if probe in body:
        return blocks
    lead = _printed_lead(cleaned, probe, len(description))
    if lead is None or lead.casefold() in body:
        return blocks
    return [Block(BlockKind.PARAGRAPH, lead), *blocks]


def _printed_lead(cleaned: HtmlElement, probe: str, description_chars: int) -> str | None:
    nodes = _TEXT_NODES(cleaned)
    if not isinstance(nodes, list):
        return None
    for node in nodes:
        run = fold(str(node))
        if probe not in run.casefold():
            continue
        holder = node.getparent()
        whole = fold(holder.text_content()) if holder is not None else ""
        if whole and len(whole) <= MAX_HOLDER_RATIO * description_chars + PROBE_CHARS:
            return whole
        return run
    return None
