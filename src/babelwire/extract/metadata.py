"""Section, byline, canonical URL, description and declared language of a page.

Each reader tries the page's explicit statements first (meta tags, JSON-LD),
then visible markup (breadcrumbs, a label next to the headline, rel=author).
"""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from babelwire.extract.page import PageInfo, clean_text, jsonld_types

#: Longest section or byline accepted; longer text is a sentence, not a label.
MAX_LABEL_CHARS = 80

#: Meta names that hold the author, in order of trust.
BYLINE_META = ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author")

#: Breadcrumb items that name no section: "Home" in many languages, the
#: generic "News", and the "You are here:" label some trails start with.
HOME_WORDS = frozenset({
    "home", "homepage", "start", "startseite", "accueil", "inicio", "portada", "início",
    "главная", "головна", "首页", "首頁", "主页", "ホーム", "トップ", "홈", "ana sayfa",
    "anasayfa", "strona główna", "الرئيسية", "pagina iniziale", "etusivu", "αρχική",
    "trang chủ", "domů", "naslovnica", "pradžia", "sākums", "news", "you are here:",
})

# Class or id words that mark the small label printed above a headline
# ("Peace and security", "Politik"); matched as whole words of the attribute.
_LABEL_CLASS = re.compile(
    r"(?:^|[\s_-])(kicker|eyebrow|overline|rubric|rubrik|rubrique|category|section-?name|"
    r"topic|dachzeile|catchline)(?:$|[\s_-])",
    re.IGNORECASE,
)
# Breadcrumb containers by class, id or aria-label, in the words sites use:
# "migas" and "ubicación" (Spanish), "fil d'Ariane" (French), "position" and
# 当前位置 (Chinese government CMSs), "путь" (Russian). "position" only as a
# whole word, so CSS helpers such as "position-relative" do not match.
_BREADCRUMB = re.compile(
    r"breadcrumb|crumbs|brotkrum|migas|ubicaci[oó]n|ariane|you-are-here|"
    r"(?:^|\s)(?:position|location|pathway|navpath)(?:$|\s)|当前位置|путь",
    re.IGNORECASE,
)
_LANGUAGE_TAG = re.compile(r"^\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*\s*$")
_NUMBER = re.compile(r"\d{2,}")
_TAGS = re.compile(r"<[^<>]*>")  # "<" excluded: a run of "<" would make the search quadratic
_LETTERS = re.compile(r"[^\W\d_]")
_PLACEHOLDERS = frozenset({"publisher", "author", "admin", "administrator", "editor", "unknown",
                           "none", "null", "redaktion", "redacción", "rédaction", "redazione"})
# Legacy and three-letter tags that pages use for languages with a two-letter code.
_LEGACY_CODES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "zho": "zh", "chi": "zh",
                 "eng": "en", "rus": "ru", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr",
                 "spa": "es", "ara": "ar", "por": "pt", "ita": "it", "jpn": "ja", "kor": "ko",
                 "ukr": "uk", "pol": "pl", "tur": "tr"}
_URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.", re.IGNORECASE)


def read_section(page: PageInfo, title: str | None) -> str | None:
    # "ColumnName" is the section field of the CMS behind most Chinese
    # government sites.
    value = page.meta_value("article:section", "section", "og:article:section", "columnname")
    if value and len(value) <= MAX_LABEL_CHARS:
        return value
    for obj in page.articles():
        section = _first_string(obj.get("articleSection"))
        if section and len(section) <= MAX_LABEL_CHARS:
            return section
    crumbs = _jsonld_breadcrumbs(page) or _html_breadcrumbs(page.tree)
    crumb = _last_crumb_before_title(crumbs, title)
    return crumb or _label_near_h1(page.tree)


def read_byline(page: PageInfo) -> str | None:
    for obj in page.articles():
        names = [n for a in _as_list(obj.get("author")) if (n := _author_name(a))]
        if names:
            return ", ".join(dict.fromkeys(names))
    for name in BYLINE_META:
        for value in page.meta.get(name, ()):
            byline = _clean_name(value)
            if byline:
                return byline
    for link in page.tree.iter("a", "link"):
        if "author" in (link.get("rel") or "").lower().split():
            text = clean_text(link.text_content())
            if 2 <= len(text) <= MAX_LABEL_CHARS:
                return text
    return None


def read_canonical_url(page: PageInfo) -> str | None:
    candidates = [
        link.get("href")
        for link in page.tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    candidates.append(page.meta_value("og:url"))
    found = []
    for href in candidates:
        href = clean_text(href)
        absolute = urljoin(page.url or "", href) if page.url and href else href
        parts = urlsplit(absolute)
        if parts.scheme in {"http", "https"} and parts.hostname:
            found.append(absolute)
    # Templates sometimes point every page's canonical at the site root; an
    # article's own, deeper og:url (or fetched URL) is then the better name.
    deeper = [u for u in [*found, page.url or ""] if urlsplit(u).path.strip("/")]
    if found and not urlsplit(found[0]).path.strip("/") and deeper:
        return deeper[0]
    return found[0] if found else None


def read_description(page: PageInfo) -> str | None:
    return page.meta_value("og:description", "description", "twitter:description", "dc.description")


def read_declared_language(page: PageInfo, http_content_language: str | None) -> str | None:
    """ISO 639-1 code from <html lang>, og:locale or Content-Language, in that order."""
    candidates = [
        page.tree.get("lang"),
        page.tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        page.meta_value("og:locale", "content-language", "language", "dc.language"),
        (http_content_language or "").split(",")[0],
    ]
    for value in candidates:
        code = language_code(value)
        if code:
            return code
    return None


def language_code(tag: str | None) -> str | None:
    """'en-US' -> 'en', 'zh_Hant' -> 'zh', 'x-default' -> None."""
    match = _LANGUAGE_TAG.match(tag or "")
    if not match:
        return None
    code = match.group(1).lower()
    if code in _LEGACY_CODES:
        return _LEGACY_CODES[code]
    # Other three-letter values are as likely to be "utf" (from a charset put
    # in the wrong field) as a language; only two-letter codes are trusted.
    return code if len(code) == 2 else None


def _first_string(value: Any) -> str | None:
    for item in _as_list(value):
        if isinstance(item, str) and clean_text(item):
            return clean_text(item)
    return None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _author_name(author: Any) -> str | None:
    if isinstance(author, dict):
        author = author.get("name")
    if isinstance(author, list):
        author = next((a for a in author if isinstance(a, str)), None)
    return _clean_name(author) if isinstance(author, str) else None


def _clean_name(value: str) -> str | None:
    """A person or desk name, or None for URLs, handles, ids and placeholders."""
    # Some CMSs put the author's profile link, markup included, in the field.
    name = clean_text(_TAGS.sub("", value))
    name = re.sub(r"^(?:by|von|par|por|di|door)\s+", "", name, flags=re.IGNORECASE)
    if not name or len(name) > MAX_LABEL_CHARS or _URL_LIKE.match(name):
        return None
    # "@handle" is a social account, "105092" an internal id, "publisher" a
    # template default: none of them is a byline.
    if name.startswith("@") or not _LETTERS.search(name) or name.casefold() in _PLACEHOLDERS:
        return None
    return name


def _jsonld_breadcrumbs(page: PageInfo) -> list[str]:
    for obj in page.jsonld:
        if "breadcrumblist" not in jsonld_types(obj):
            continue
        items = [i for i in _as_list(obj.get("itemListElement")) if isinstance(i, dict)]
        items.sort(key=_position)
        names = []
        for item in items:
            name = item.get("name")
            inner = item.get("item")
            if not isinstance(name, str) and isinstance(inner, dict):
                name = inner.get("name")
            if isinstance(name, str) and clean_text(name):
                names.append(clean_text(name))
        if names:
            return names
    return []


def _position(item: dict[str, Any]) -> int:
    position = item.get("position")
    return position if isinstance(position, int) else 0


def _html_breadcrumbs(tree: HtmlElement) -> list[str]:
    for element in tree.iter():
        # Only elements with a class, id or label can be marked; an element
        # without attributes is passed over before any string is built.
        if not element.keys():
            continue
        marker = " ".join(filter(None, (element.get("class"), element.get("id"),
                                        element.get("aria-label"))))
        if not marker or not _is_breadcrumb_marker(marker):
            continue
        items = element.findall(".//li") or element.findall(".//a")
        # Items are read word by word: "Politik<a>RSS</a>" must not glue.
        texts = [clean_text(" ".join(i.itertext())) for i in items]
        texts = [t for t in texts if t and len(t) <= MAX_LABEL_CHARS * 2]
        if texts:
            return texts
    return []


@functools.lru_cache(maxsize=4096)
def _is_breadcrumb_marker(marker: str) -> bool:
    # A site repeats a few class names on thousands of elements: each
    # distinct one is searched once.
    return bool(_BREADCRUMB.search(marker))


def _last_crumb_before_title(crumbs: list[str], title: str | None) -> str | None:
    """The last breadcrumb that is neither the article itself nor "Home"."""
    title_folded = (title or "").casefold()
    for crumb in reversed(crumbs):
        crumb = crumb.strip(" >»/›|")
        folded = crumb.casefold()
        # A crumb cut with "…" is the article's own title shortened.
        truncated = folded.endswith(("...", "…"))
        is_title = bool(title_folded) and (folded in title_folded or title_folded in folded)
        # "2015", "KW 15", "Nachrichten Februar 2022": archive levels, not sections.
        dated = bool(_NUMBER.search(crumb))
        if is_title or truncated or dated or folded in HOME_WORDS or len(crumb) > MAX_LABEL_CHARS:
            continue
        return crumb or None
    return None


def _label_near_h1(tree: HtmlElement) -> str | None:
    """A short element marked as a kicker or category just before the first <h1>."""
    h1 = next(tree.iter("h1"), None)
    if h1 is None:
        return None
    container = h1.getparent()
    for _ in range(3):
        if container is None:
            return None
        for element in container.iter():
            if element is h1:
                break
            if not isinstance(element.tag, str):
                continue
            marker = f"{element.get('class') or ''} {element.get('id') or ''}"
            if not _LABEL_CLASS.search(marker):
                continue
            text = clean_text(" ".join(element.itertext()))
            if 2 <= len(text) <= MAX_LABEL_CHARS // 2:
                return text
        container = container.getparent()
    return None
