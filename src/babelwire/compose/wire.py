"""The wire text: the item as it is printed on the wire.

::

    <English headline>
    Translation. Region: <region> –
    Source: <source name> – <desk> –
    An important disclaimer is at the bottom of this article.
    <Month D, YYYY> <section>
    <body paragraphs, one per line>
    <disclaimer>

Every header field is printed whole, whatever its length: the reference
service cut them ("Region: Russian Federal"), and a cut region or source name
is a wrong one. The separators are en dashes (U+2013). The second line says
how the English text came to be: "Translation. " for a machine translation,
"Official English version. " for the source's own English text, nothing for
a source that writes in English. The dateline line is left out only when the
source gave neither a date nor a section.
"""

from __future__ import annotations

from babelwire.compose.dateline import format_dateline
from babelwire.model import Item

EN_DASH = "\u2013"
DISCLAIMER_NOTICE = "An important disclaimer is at the bottom of this article."

#: What the region line starts with, by item kind.
KIND_PREFIXES: dict[str, str] = {
    "translation": "Translation. ",
    "official": "Official English version. ",
    "original": "",
}


def header_lines(item: Item) -> list[str]:
    """The four lines above the dateline."""
    try:
        prefix = KIND_PREFIXES[item.kind]
    except KeyError:
        raise ValueError(f"compose: item {item.id} has unknown kind {item.kind!r}") from None
    return [
        item.headline,
        f"{prefix}Region: {item.region} {EN_DASH}",
        f"Source: {item.source_name} {EN_DASH} {item.desk} {EN_DASH}",
        DISCLAIMER_NOTICE,
    ]


def render_wire(item: Item) -> str:
    """The whole wire text, ending with the disclaimer and a newline."""
    lines = header_lines(item)
    dateline = format_dateline(item.published, item.published_has_time, item.section)
    if dateline:
        lines.append(dateline)
    lines.extend(item.body)
    lines.append(item.disclaimer)
    return "\n".join(lines) + "\n"
