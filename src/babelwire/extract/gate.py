"""Recognise pages that are not articles, even when served with status 200.

Bot challenges, login walls and error pages are told by their signatures
(:data:`SIGNATURES`, one row each with the reason); every signature applies
only to pages with little visible text, because an article may well quote
"Page not found" or load a captcha script for its comment form. Home pages,
listings are told by their shape: many linked headlines or many links, and
no paragraph of prose; a forum by the software that runs it.
Each check raises :class:`~babelwire.errors.Drop` with "not an article: …".

Losing a real article costs more than storing a listing, so the listing
check is conservative: a page is dropped as a listing only when nothing in
it is a block of article text. A page of listing shape that has one is kept,
and logged as a doubtful keep.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from babelwire.errors import Drop
from babelwire.extract.page import PageInfo, clean_text, is_article
from babelwire.model import Block

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Signature:
    #: The reason stored with the dropped item, after "not an article: ".
    reason: str
    #: "title" (<title> and <h1>), "text" (visible text) or "html" (raw markup).
    where: str
    pattern: re.Pattern[str]
    #: The signature counts only when the page's visible text is shorter.
    max_text_chars: int
    why: str
    #: Lower-case strings one of which every match contains: the pattern is
    #: searched only where one is found, a far cheaper test on a whole page.
    hints: tuple[str, ...] = ()


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


SIGNATURES: tuple[Signature, ...] = (
    Signature("bot challenge page", "title",
              _rx(r"^(?:just a moment|un instant|einen moment|un momento|один момент|"
                  r"请稍候|しばらくお待ちください)\W*$"),
              3000, "Cloudflare's interstitial title, in its usual translations"),
    Signature("bot challenge page", "title", _rx(r"attention required!? \| cloudflare"),
              3000, "Cloudflare block page"),
    Signature("bot challenge page", "html",
              _rx(r"/cdn-cgi/challenge-platform/|cf-browser-verification|cf_chl_opt|"
                  r"challenges\.cloudflare\.com"),
              3000, "Cloudflare challenge scripts"),
    Signature("bot challenge page", "text",
              _rx(r"checking (?:if the site connection is secure|your browser before accessing)|"
                  r"verify(?:ing)? (?:that )?you are (?:a )?human|"
                  r"enable javascript and cookies to continue|please enable (?:js|javascript) and|"
                  r"проверка браузера|ddos protection by|please complete the security check|"
                  r"are you a robot\?"),
              3000, "the sentence every challenge page shows its visitors"),
    Signature("bot challenge page", "html",
              _rx(r"ddos-guard|__ddg_|sucuri_cloudproxy|sucuri website firewall|"
                  r"_incapsula_resource|incapsula incident id|captcha-delivery\.com|"
                  r"px-captcha|perimeterx|distil_r_captcha|pardon our interruption|"
                  r"aws-waf-token|akamai.{0,40}reference #"),
              3000, "DDoS-Guard, Sucuri, Incapsula, DataDome, PerimeterX, Distil, AWS WAF"),
    Signature("bot challenge page", "html",
              _rx(r"g-recaptcha|h-captcha|hcaptcha\.com/1/api|cf-turnstile|recaptcha/api\.js"),
              1000, "a captcha with almost no text around it (comment forms have articles)"),
    Signature("access denied page", "title",
              _rx(r"access denied|403 forbidden|^forbidden$|request (?:blocked|rejected)|"
                  r"you have been blocked|доступ (?:запрещен|ограничен)|zugriff verweigert"),
              2000, "firewall refusals served with 200"),
    Signature("login wall", "title",
              _rx(r"^(?:sign in|log ?in|login|вход|войти|anmelden|connexion|iniciar sesión|"
                  r"accedi|zaloguj|giriş yap|登录|登入|ログイン|로그인)\b"),
              2000, "a sign-in page in place of the article"),
    Signature("error page", "title",
              _rx(r"\b404\b|(?:page|file|article) not found|страница не найдена|"
                  r"seite nicht gefunden|page introuvable|página no encontrada|"
                  r"pagina non trovata|sayfa bulunamadı|nie znaleziono|找不到|页面不存在|"
                  r"ページが見つかりません|페이지를 찾을 수 없습니다|الصفحة غير موجودة|"
                  r"server error|service unavailable|\b50[0-3]\b"),
              3000, "soft 404 and server error pages served with status 200"),
    Signature("forum thread", "html",
              _rx(r"<meta[^>]+generator[^>]+(?:vbulletin|phpbb|xenforo|discourse|simple machines|"
                  r"invision|mybb|punbb|fluxbb)|powered by (?:vbulletin|phpbb|xenforo|mybb)"),
              10_000_000, "forum software: posts by many users, not a publication",
              hints=("generator", "powered by")),
)

#: Body text shorter than this is an empty shell, not an article.
MIN_ARTICLE_CHARS = 80

#: A login form on a page with less visible text than this is a login wall.
LOGIN_WALL_MAX_TEXT_CHARS = 1500

#: A body with a block at least this long (CJK characters count three, as a
#: word) has prose: an article, however many links surround it. Teaser
#: paragraphs on home pages stay below it.
PROSE_BLOCK_CHARS = 250

#: Consecutive paragraphs of one container (or lines of one <br>-separated
#: text) that together reach this length are article text too: a short
#: story of short paragraphs, which a listing's one-line teasers, each in
#: its own box, never form.
ARTICLE_RUN_CHARS = PROSE_BLOCK_CHARS

#: A shorter block is article text too when it is the only block this long:
#: a listing repeats its teasers, a short video story has one summary.
LONE_PROSE_CHARS = 150

#: A paragraph whose text is at least this share link text is a teaser.
MAX_RUN_LINK_SHARE = 0.5

#: A link-heavy page whose body is shorter than this (weighted) is a listing;
#: a longer body of short paragraphs is a short article in a busy page.
SCANT_BODY_CHARS = 600

#: Headings that are (almost) all link text are teaser headlines; a page
#: with this many is a front page or a section listing.
TEASER_HEADINGS = 15

#: A page with this many different <h1> headlines is a collection of stories.
MANY_H1 = 4

#: Link-heavy shape: at least this many links, link text at least this share of
#: the visible text, and an extracted body at most this share of it.
LISTING_MIN_LINKS = 60
LISTING_MIN_LINK_SHARE = 0.45
LISTING_MAX_BODY_SHARE = 0.2

_HOME_PATH = re.compile(r"^/?(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?(?:index\.\w+)?$", re.IGNORECASE)
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

#: Raw markup searched by "html" signatures: challenge markers sit near the top.
HTML_SNIFF_CHARS = 200_000


def check_before(page: PageInfo, html: str, text: str) -> None:
    """Raise Drop for challenge, login and error pages (before body extraction).

    ``text`` is the page's visible text (:func:`visible_text`).
    """
    titles = [clean_text(e.text_content()) for e in page.tree.iter("title", "h1")]
    sources = {"title": titles, "text": [text[:5000]], "html": [html[:HTML_SNIFF_CHARS]]}
    for signature in SIGNATURES:
        if len(text) >= signature.max_text_chars:
            continue
        for source in sources[signature.where]:
            if signature.hints:
                lowered = source.lower()
                if not any(hint in lowered for hint in signature.hints):
                    continue
            if signature.pattern.search(source):
                raise Drop(f"not an article: {signature.reason}", stage="extract")
    has_password = any(
        (i.get("type") or "").lower() == "password" for i in page.tree.iter("input")
    )
    if has_password and len(text) < LOGIN_WALL_MAX_TEXT_CHARS:
        raise Drop("not an article: login wall", stage="extract")


def check_after(
    page: PageInfo, text: str, blocks: list[Block], cleaned: HtmlElement | None = None
) -> None:
    """Raise Drop for empty shells and home or listing pages (after extraction).

    ``text`` is the page's visible text, ``blocks`` the extracted body and
    ``cleaned`` the page without its furniture, searched for article text.
    """
    body_chars = sum(len(b.text) for b in blocks)
    if body_chars < MIN_ARTICLE_CHARS:
        raise Drop("not an article: no article text", stage="extract")
    teasers = _teaser_headings(page.tree) >= TEASER_HEADINGS
    many_h1 = len({clean_text(h.text_content()) for h in page.tree.iter("h1")} - {""}) >= MANY_H1
    home_url = page.url is not None and bool(_HOME_PATH.match(urlsplit(page.url).path))
    # Short teasers under many linked headlines, or a few lines lost among
    # links: the shape of a listing.
    scant = sum(_weighted_len(b.text) for b in blocks) < SCANT_BODY_CHARS
    if teasers or (scant and _link_heavy(page.tree, text, body_chars)):
        tree = cleaned if cleaned is not None else page.tree
        if not has_article_text(blocks, tree):
            reason = "home page" if home_url else "listing"
            raise Drop(f"not an article: {reason} (teasers, no article text)", stage="extract")
        log.warning("extract: kept %s, which has article text in the shape of a listing "
                    "(doubtful: check it is an article)", page.url)
    # The site's root showing several stories, whatever their length.
    if home_url and (teasers or many_h1) and not declares_article(page):
        raise Drop("not an article: home page (several stories)", stage="extract")


def has_article_text(blocks: list[Block], tree: HtmlElement) -> bool:
    """Whether the body holds a block of article text.

    That is one long block, the one block of some length, or a run of
    consecutive paragraphs in one container of the page (lines of a
    <br>-separated text count as paragraphs) that reaches
    :data:`ARTICLE_RUN_CHARS` and is in the body.
    """
    lengths = [_weighted_len(b.text) for b in blocks]
    if any(n >= PROSE_BLOCK_CHARS for n in lengths):
        return True
    if sum(n >= LONE_PROSE_CHARS for n in lengths) == 1:
        return True
    body = clean_text(" ".join(b.text for b in blocks))
    return any(
        run[0] in body and sum(_weighted_len(p) for p in run) >= ARTICLE_RUN_CHARS
        for run in _paragraph_runs(tree)
    )


def _paragraph_runs(tree: HtmlElement) -> list[list[str]]:
    """Texts of consecutive unlinked paragraphs, per container, in page order."""
    runs: list[list[str]] = []
    for container in tree.iter():
        run: list[str] = []
        loose = clean_text(container.text)
        if loose:
            run.append(loose)
        for child in container:
            if child.tag == "p" and _link_share(child) < MAX_RUN_LINK_SHARE:
                paragraph = clean_text(child.text_content())
                if paragraph:
                    run.append(paragraph)
            elif child.tag not in ("br", "b", "i", "em", "strong", "span"):
                if len(run) > 1 or (run and len(run[0]) >= ARTICLE_RUN_CHARS):
                    runs.append(run)
                run = []
            tail = clean_text(child.tail)
            if tail:
                run.append(tail)
        if len(run) > 1 or (run and len(run[0]) >= ARTICLE_RUN_CHARS):
            runs.append(run)
    return runs


def _link_share(element: HtmlElement) -> float:
    total = len(clean_text(element.text_content()))
    linked = sum(len(clean_text(a.text_content())) for a in element.iter("a"))
    return linked / total if total else 1.0


def _weighted_len(text: str) -> int:
    # A CJK character carries about a word: count it as three characters.
    return len(text) + 2 * len(_CJK.findall(text))


def _teaser_headings(tree: HtmlElement) -> int:
    count = 0
    for heading in tree.iter("h2", "h3", "h4"):
        total = len(clean_text(heading.text_content()))
        linked = sum(len(clean_text(a.text_content())) for a in heading.iter("a"))
        if total and linked >= 0.8 * total:
            count += 1
    return count


def _link_heavy(tree: HtmlElement, text: str, body_chars: int) -> bool:
    links = [a for a in tree.iter("a") if a.get("href")]
    if len(links) < LISTING_MIN_LINKS or not text:
        return False
    link_share = sum(len(clean_text(a.text_content())) for a in links) / len(text)
    return link_share >= LISTING_MIN_LINK_SHARE and body_chars <= LISTING_MAX_BODY_SHARE * len(text)


def declares_article(page: PageInfo) -> bool:
    """Whether the page calls itself an article (og:type or a JSON-LD article type)."""
    if (page.meta_value("og:type") or "").lower() == "article":
        return True
    # A bare WebPage does not count: home pages declare it too.
    return any(is_article(obj, generic_pages=False) for obj in page.jsonld)

# <noscript> is not left out: a page that fails to close one has its whole
# body inside it, and that body is what a reader sees.
# Plain strings: lxml's default "smart" results carry their parent and cost
# more to build than the whole search.
_VISIBLE_TEXT = XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::template)]",
    smart_strings=False,
)


def visible_text(tree: HtmlElement) -> str:
    """The folded text a reader would see: no script, style or template content."""
    nodes = _VISIBLE_TEXT(tree)
    return clean_text(" ".join(nodes)) if isinstance(nodes, list) else ""
