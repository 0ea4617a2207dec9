"""Title, date with zone, section, byline, canonical URL and description."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from babelwire.extract import extract
from babelwire.extract.dates import parse_date
from babelwire.extract.title import strip_site_name

from .pages import PAGE_URL, read_fixture

SENTENCE = "The port authority said container traffic rose for a fifth month in a row. "
STORY = "<p>" + SENTENCE * 5 + "</p>"


def page(head: str = "", body: str = "", *, title: str = "Port traffic rises") -> str:
    return (
        f"<html lang='en'><head><title>{title}</title>{head}</head>"
        f"<body>{body}<article><h1>Port traffic rises</h1>{STORY}</article></body></html>"
    )


def test_fixture_metadata() -> None:
    extracted = extract(read_fixture("article_en.html"), url=PAGE_URL)
    assert extracted.title == "Council backs regional water plan"
    assert extracted.published == datetime(2025, 12, 12, 9, 30, tzinfo=timezone(timedelta(hours=3)))
    assert extracted.published_has_time is True
    assert extracted.section == "Peace and security"
    assert extracted.byline == "Amina Okafor"
    assert extracted.canonical_url == "http://127.0.0.1:8080/news/2025/12/water-plan"
    assert extracted.description is not None
    assert extracted.description.startswith("Member states agreed on Friday")


@pytest.mark.parametrize(
    ("raw", "site_names", "expected"),
    [
        ("Port traffic rises | Harbour News", ("Harbour News",), "Port traffic rises"),
        ("Harbour News - Port traffic rises", ("Harbour News",), "Port traffic rises"),
        ("Port traffic rises - Economy - Harbour News", (), "Port traffic rises"),
        ("港口吞吐量上升_新闻频道_海港网", (), "港口吞吐量上升"),
        ("Budget 2012–2013 approved by parliament", (), "Budget 2012–2013 approved by parliament"),
        ("Covid - what we know so far about the new variant", (),
         "Covid - what we know so far about the new variant"),
    ],
)
def test_site_name_is_cut_from_titles(raw: str, site_names: tuple[str, ...], expected: str) -> None:
    assert strip_site_name(raw, site_names) == expected


def test_title_prefers_the_h1_inside_the_title_field() -> None:
    html = page(title="Port traffic rises in October | Harbour News").replace(
        "<h1>Port traffic rises</h1>", "<h1>Port traffic rises in October</h1>")
    assert extract(html, url=PAGE_URL).title == "Port traffic rises in October"


def test_logo_h1_is_not_the_title() -> None:
    html = page('<meta property="og:site_name" content="Harbour News">',
                title="Harbour News - Port traffic rises for a fifth month").replace(
        "<h1>Port traffic rises</h1>", "<h1>Harbour News</h1>")
    assert extract(html, url=PAGE_URL).title == "Port traffic rises for a fifth month"


@pytest.mark.parametrize(
    ("head", "expected", "has_time"),
    [
        ('<meta property="article:published_time" content="2025-12-12T09:30:00+03:00">',
         datetime(2025, 12, 12, 9, 30, tzinfo=timezone(timedelta(hours=3))), True),
        ('<script type="application/ld+json">{"@type": "ReportageNewsArticle", '
         '"datePublished": "2024-05-01T18:00:00-04:00"}</script>',
         datetime(2024, 5, 1, 18, 0, tzinfo=timezone(timedelta(hours=-4))), True),
        ('<meta name="date" content="2021-03-04">', datetime(2021, 3, 4, tzinfo=UTC), False),
        ('<meta name="pubdate" content="Mon, 16 Jan 2012 10:00:00 GMT">',
         datetime(2012, 1, 16, 10, 0, tzinfo=UTC), True),
    ],
)
def test_publication_date_keeps_the_page_zone(
    head: str, expected: datetime, has_time: bool
) -> None:
    extracted = extract(page(head), url=PAGE_URL)
    assert extracted.published == expected
    assert extracted.published is not None
    assert extracted.published.utcoffset() == expected.utcoffset()
    assert extracted.published_has_time is has_time


def test_time_element_and_date_only() -> None:
    html = page(body='<time datetime="2023-07-09">9 July 2023</time>')
    extracted = extract(html, url=PAGE_URL)
    assert extracted.published == datetime(2023, 7, 9, tzinfo=UTC)
    assert extracted.published_has_time is False


def test_local_zone_wins_over_the_same_instant_in_utc() -> None:
    head = ('<meta property="article:published_time" content="2022-04-22T05:46:58+00:00">'
            '<meta itemprop="datePublished" content="2022-04-21T23:46:58-06:00">')
    published = extract(page(head), url=PAGE_URL).published
    assert published is not None
    assert published.isoformat() == "2022-04-21T23:46:58-06:00"


@pytest.mark.parametrize(
    "text", ["2012", "June 2012", "1970-01-01", "9999-01-01", "not a date", "", "x" * 200],
)
def test_vague_or_implausible_dates_are_refused(text: str) -> None:
    assert parse_date(text) is None


def test_no_date_at_all() -> None:
    extracted = extract(page(), url=PAGE_URL)
    assert extracted.published is None
    assert extracted.published_has_time is False


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        ('<meta property="article:section" content="Economy">', "", "Economy"),
        ('<script type="application/ld+json">{"@type": "NewsArticle", '
         '"articleSection": ["Shipping", "Economy"]}</script>', "", "Shipping"),
        ('<script type="application/ld+json">{"@type": "BreadcrumbList", "itemListElement": ['
         '{"@type": "ListItem", "position": 2, "name": "Shipping"},'
         '{"@type": "ListItem", "position": 1, "name": "Home"},'
         '{"@type": "ListItem", "position": 3, "name": "Port traffic rises"}]}</script>',
         "", "Shipping"),
        ("", '<nav aria-label="breadcrumb"><ol><li><a href="/">Home</a></li>'
             '<li><a href="/e">Economy</a></li><li>Port traffic rises</li></ol></nav>', "Economy"),
        ("", '<ul class="breadcrumbs"><li>Startseite</li><li>Wirtschaft</li><li>2015</li>'
             "<li>KW 15</li><li>Port traffic rises</li></ul>", "Wirtschaft"),
        ("", '<div class="kicker">Trade</div>', "Trade"),
        # A trail marked by its id alone, after an element whose class is empty.
        ("", '<div class=""><span>Menu</span></div><ol id="Breadcrumbs-top"><li>Home</li>'
             "<li>Ports</li><li>Port traffic rises</li></ol>", "Ports"),
    ],
)
def test_section(head: str, body: str, expected: str) -> None:
    assert extract(page(head, body), url=PAGE_URL).section == expected


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        ('<script type="application/ld+json">{"@type": "NewsArticle", "author": ['
         '{"@type": "Person", "name": "Ana Lima"}, '
         '{"@type": "Person", "name": "Jo Park"}]}</script>',
         "", "Ana Lima, Jo Park"),
        ('<meta name="author" content="By Ana Lima">', "", "Ana Lima"),
        ('<meta name="author" content="publisher">', "", None),
        ('<meta name="author" content="@harbournews">', "", None),
        ('<meta name="author" content="https://facebook.com/harbournews">', "", None),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "author": '
         '{"name": "<a href=\\"/experts/ana\\">Ana Lima</a>"}}</script>', "", "Ana Lima"),
        ("", '<a rel="author" href="/ana">Ana Lima</a>', "Ana Lima"),
    ],
)
def test_byline(head: str, body: str, expected: str | None) -> None:
    assert extract(page(head, body), url=PAGE_URL).byline == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<link rel="canonical" href="/news/port">', "http://127.0.0.1:8080/news/port"),
        ('<meta property="og:url" content="http://127.0.0.1:8080/news/og">',
         "http://127.0.0.1:8080/news/og"),
        # A template that points every canonical at the home page is overruled.
        ('<link rel="canonical" href="http://127.0.0.1:8080/">'
         '<meta property="og:url" content="http://127.0.0.1:8080/news/deep-link">',
         "http://127.0.0.1:8080/news/deep-link"),
        ('<link rel="canonical" href="javascript:void(0)">', None),
    ],
)
def test_canonical_url_is_absolute(head: str, expected: str | None) -> None:
    assert extract(page(head), url=PAGE_URL).canonical_url == expected


def test_description_and_lead_paragraph_put_back() -> None:
    lead = "Container traffic at the port rose for a fifth month as new shipping lines arrived."
    body = f'<div class="article__lead">{lead}</div>'
    html = page(f'<meta property="og:description" content="{lead}">', body)
    extracted = extract(html, url=PAGE_URL)
    assert extracted.description == lead
    assert extracted.blocks[0].text == lead


@pytest.mark.parametrize(
    ("text", "iso", "has_time"),
    [
        ("2025-12-12T09:00:00Z", "2025-12-12T09:00:00+00:00", True),
        ("20120104T1206+0400Z", "2012-01-04T12:06:00+04:00", True),  # basic ISO, stray "Z"
        ("January 16, 2012 5:30 PM EST", "2012-01-16T17:30:00-05:00", True),
        ("16.01.2012 10:00", "2012-01-16T10:00:00+00:00", True),  # no zone: read as UTC
        ("2012-01-16", "2012-01-16T00:00:00+00:00", False),
        ("20120116", "2012-01-16T00:00:00+00:00", False),
    ],
)
def test_date_strings(text: str, iso: str, has_time: bool) -> None:
    published = parse_date(text)
    assert published is not None
    assert published.when.isoformat() == iso
    assert published.has_time is has_time
