"""Remove page furniture from the DOM before the body is extracted.

Everything removed here is listed in :data:`RULES`, one row per kind of
furniture with the reason it is never article text. Class and id values are
split into words ("photoCredit" -> "photo credit", "share-bar" -> "share bar")
and a rule matches whole words, so "ad" matches ``class="ad-slot"`` but never
``class="header"``.

A rule is a guess from a class name, and some sites hang such names on the
element that wraps the whole article (``<div class="story social-tools">``,
an ASP.NET ``<form>`` around the page). So nothing is removed that holds the
headline element, the page's longest run of text, or most of its paragraph
text. Tables used for page layout are turned into divs here as well.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from babelwire.extract.page import clean_text


@dataclass(frozen=True, slots=True)
class Rule:
    #: "tag" (element name), "role" (ARIA role) or "marker" (words of class/id).
    kind: str
    #: Tag or role names separated by "|", or a regular expression of words.
    pattern: str
    why: str


RULES: tuple[Rule, ...] = (
    Rule("tag", "script|style|noscript|template|link|meta", "code and styling, never text"),
    Rule("tag", "nav|menu", "site navigation"),
    Rule("tag", "aside", "side boxes: related links, fact boxes of other stories, ads"),
    Rule("tag", "footer", "page and article footers: contacts, copyright, tags"),
    Rule("tag", "figure|figcaption|picture", "images with their captions and photo credits"),
    Rule("tag", "rt|rp", "ruby readings (furigana): they would repeat every annotated word"),
    Rule("tag", "form|button|select|input|textarea|label|dialog",
         "search boxes, login and newsletter forms; a form wrapping the page is kept"),
    Rule("tag", "iframe|object|embed|video|audio|canvas|svg|map",
         "embedded players and graphics, whose fallback text is not the story"),
    Rule("role", "navigation|banner|contentinfo|complementary|search|dialog|alertdialog|"
         "menu|menubar|toolbar|tablist",
         "ARIA landmarks that are, by definition, not the main content"),
    Rule("marker", r"(?:fig|wp|image|img|photo|media)?captions?|caption-?text|legend|"
         r"bildunterschrift|leyenda|didascalia|podpis",
         "image captions"),
    Rule("marker", r"(?:photo|image|img|foto|bild|media)?-?credits?|copyrights?|photographer|"
         r"bildnachweis|bildquelle|source-?image",
         "photo credits and copyright lines"),
    Rule("marker", r"share|shares|sharing|sharebar|social|socials|social-?(?:links|media|icons)|"
         r"sharethis|addthis|shariff|a2a|ssk|teilen|partager|compartir",
         "share widgets (their labels read 'Share', 'Tweet', 'Поделиться')"),
    Rule("marker", r"related|relat(?:ed)?-?(?:news|articles?|stories|posts|links|content|items?)|"
         r"relatnews|see-?also|also-?read|read-?also|read-?more|more-?(?:news|stories|articles)|"
         r"recommended|recommendations?|outbrain|taboola|most-?(?:read|popular|viewed)|"
         r"popular|trending|mehr-?zum-?thema|lire-?aussi|leia-?tambem|chitaite",
         "links to other stories"),
    Rule("marker", r"newsletters?|subscribe|subscription|sign-?up|paywall|regwall|promo",
         "newsletter and subscription boxes"),
    Rule("marker", r"cookies?|cookie-?(?:banner|notice|consent|bar)|consent|gdpr|cmp|onetrust|"
         r"cookiebot|didomi|cc-?banner|privacy-?(?:banner|notice)",
         "cookie and consent banners"),
    Rule("marker", r"breadcrumbs?|crumbs?|brotkrumen", "breadcrumb trails (read for the section)"),
    Rule("marker", r"nav|navbar|navigation|menu|menus|submenu|skip-?links?|pagination|pager",
         "navigation blocks built from divs"),
    Rule("marker", r"sidebar|side-?bar|rightcol|right-?column|widgets?", "sidebars"),
    Rule("marker", r"footer|site-?footer|masthead|site-?header|top-?bar",
         "site header and footer built from divs"),
    Rule("marker", r"comments?|comment-?list|disqus|respond", "reader comments"),
    Rule("marker", r"ads?|advert|adverts|advertisement|advertising|ad-?slot|dfp|gpt-?ad|"
         r"sponsored|sponsor|banner-?ad|werbung|anzeige|publicidad|reklama",
         "advertising slots and their 'Advertisement' labels"),
    Rule("marker", r"pull-?quote|pullquote|pullme", "pull quotes repeat a sentence of the body"),
    Rule("marker", r"tags|tag-?list|keywords|article-?tags", "tag and keyword lists"),
    Rule("marker", r"print|toolbar|tools|article-?tools|font-?size-?(?:tools?|switch(?:er)?)|"
         r"bookmark",
         "article toolbars (print, font size, bookmark)"),
    # Not plain "hidden" or "d-none": "overflow-hidden" and "hidden-xs d-md-block"
    # are layout classes on visible text.
    Rule("marker", r"visually-?hidden|sr-?only|screen-?reader-?text|offscreen|"
         r"element-?invisible|unsichtbar",
         "labels for screen readers only ('Share on Facebook', 'Opens in new window')"),
    Rule("marker", r"modal|popup|pop-?up|overlay|lightbox", "pop-ups"),
    Rule("marker", r"gallery|slideshow|carousel|slider", "photo galleries and their captions"),
    Rule("marker", r"author-?bio|about-?(?:the-?)?author|author-?box", "author biographies"),
)

#: A removable element is kept when it holds more than this share of the
#: page's paragraph text: a class name never outweighs the text itself.
MAX_REMOVED_TEXT_SHARE = 0.5

#: A table cell longer than this holds prose, so its table is page layout.
MAX_DATA_CELL_CHARS = 400
_LAYOUT_BLOCKS = frozenset({"p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "blockquote"})

#: A text run at least this long is a paragraph of prose, not a label.
MIN_PROSE_CHARS = 150

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _compile() -> tuple[frozenset[str], frozenset[str], re.Pattern[str]]:
    tags = {t for r in RULES if r.kind == "tag" for t in r.pattern.split("|")}
    roles = {t for r in RULES if r.kind == "role" for t in r.pattern.split("|")}
    words = "|".join(f"(?:{r.pattern})" for r in RULES if r.kind == "marker")
    marker = re.compile(rf"(?:^|[\s_-])(?:{words})(?=$|[\s_-])")
    return frozenset(tags), frozenset(roles), marker


_TAGS, _ROLES, _MARKER = _compile()
# Landmarks of the article itself, never removed by a marker rule.
_NEVER_REMOVED = frozenset({"html", "body", "main", "article"})


def is_furniture(element: HtmlElement) -> bool:
    """Whether a rule of the table marks the element as never being article text."""
    tag = element.tag
    if not isinstance(tag, str):
        return True
    if tag in _TAGS:
        return True
    if (element.get("role") or "").lower() in _ROLES:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(element.get("style") or ""):
        return True
    if tag in _NEVER_REMOVED:
        return False
    return _is_marked(element.get("class") or "", element.get("id") or "")


@functools.lru_cache(maxsize=4096)
def _is_marked(class_value: str, id_value: str) -> bool:
    """Whether a marker rule matches the words of a class and id.

    Words are split at case changes too: 'photoCredit x' reads 'photo-credit x'.
    A site repeats the same few class names on thousands of elements, so the
    search runs once per distinct pair.
    """
    return bool(_MARKER.search(_CAMEL.sub("-", f"{class_value} {id_value}").lower()))


def remove_furniture(tree: HtmlElement, title: str | None) -> None:
    """Remove, in place, every element the rules mark, except protected ones."""
    protected = _protected(tree, title)
    paragraph_chars = _paragraph_chars(tree)
    doomed = []
    # One walk in document order; the subtree of an element to be removed is
    # not looked into, as whatever it holds goes with it.
    walker = etree.iterwalk(tree, events=("start",))
    for _, element in walker:
        # Only furniture tags and elements with attributes can be marked; an
        # empty attribute list is the cheapest test there is.
        if element.tag not in _TAGS and not element.keys():
            continue
        if element in protected or not is_furniture(element):
            continue
        if paragraph_chars and _paragraph_chars(element) > MAX_REMOVED_TEXT_SHARE * paragraph_chars:
            continue
        if element.getparent() is None:
            continue  # the root stays: without it there is no page
        doomed.append(element)
        walker.skip_subtree()
    for element in doomed:
        element.drop_tree()
    # Comments and processing instructions are never text (the walk does not
    # visit them; parse.py's parser drops them already).
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    # With its readings gone, a <ruby> is plain text; unwrapped, no extractor
    # can take the annotated word for a separate block.
    etree.strip_tags(tree, "ruby", "rb")
    unwrap_layout_tables(tree)


def unwrap_layout_tables(tree: HtmlElement) -> None:
    """Turn tables used for page layout into plain divs, in place.

    Older sites lay whole pages out in tables. Read as tables, every cell of
    the menu and the story becomes a "row" of the body; read as divs, the
    extractor sees blocks of text like on any other page. Data tables (short
    cells, no nesting) are left alone so their rows are kept as rows.
    """
    for table in list(tree.iter("table")):
        if not _is_layout_table(table):
            continue
        table.tag = "div"
        for part in table.xpath("./thead|./tbody|./tfoot"):
            part.tag = "div"
        for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            row.tag = "div"
            for cell in row.xpath("./td|./th"):
                cell.tag = "div"


def _is_layout_table(table: HtmlElement) -> bool:
    if (table.get("role") or "").lower() in {"presentation", "none"}:
        return True
    if table.find(".//table") is not None:
        return True
    for cell in table.xpath("./tr/td|./tr/th|./*/tr/td|./*/tr/th"):
        if len(cell.text_content()) > MAX_DATA_CELL_CHARS:
            return True
        if sum(1 for child in cell if child.tag in _LAYOUT_BLOCKS) >= 2:
            return True
    return False


def _protected(tree: HtmlElement, title: str | None) -> set[HtmlElement]:
    """The headline element, the holder of the longest text, and their ancestors."""
    anchors = []
    folded = clean_text(title).casefold()
    if folded:
        for element in tree.iter("h1", "h2"):
            text = clean_text(element.text_content()).casefold()
            # The headline element may carry a kicker the title lacks, or lack a
            # site name the title carries.
            shorter, longer = sorted((text, folded), key=len)
            if shorter and shorter in longer and len(shorter) > max(10, len(longer) / 2):
                anchors.append(element)
                break
    longest = _longest_text_holder(tree)
    if longest is not None:
        anchors.append(longest)
    return {e for anchor in anchors for e in (anchor, *anchor.iterancestors())}


_SKIPPED_TEXT = frozenset({"script", "style"})


def _longest_text_holder(tree: HtmlElement) -> HtmlElement | None:
    """The element holding the page's longest run of text, if it is prose-long.

    The longest text is almost always a paragraph of the article; keeping its
    ancestors stops a wrapper named "PrintThis" or an ASP.NET page-wide <form>
    from taking the story with it.
    """
    body = tree.find("body")
    if body is None:
        return None
    # Walking .text and .tail directly is several times faster than an XPath
    # over text nodes, which builds a Python object per node.
    best: HtmlElement | None = None
    best_chars = MIN_PROSE_CHARS - 1
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        # <script> and <style> hold raw text, never child elements.
        skipped = element.tag in _SKIPPED_TEXT
        chars = len(element.text.strip()) if element.text and not skipped else 0
        if chars > best_chars:
            best, best_chars = element, chars
        tail_chars = len(element.tail.strip()) if element.tail else 0
        if tail_chars > best_chars:
            parent = element.getparent()
            if parent is not None and parent.tag not in _SKIPPED_TEXT:
                best, best_chars = parent, tail_chars
    return best if isinstance(best, HtmlElement) else None


def _paragraph_chars(element: HtmlElement) -> int:
    return sum(len(p.text_content()) for p in element.iter("p"))
