"""Canonical URLs: examples, failure modes and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from babelwire.discover.urls import (
    TRACKING_PARAMS,
    canonicalize_url,
    registrable_domain,
    same_site,
)

BASE = "https://ministry.example/press/2025/index.html"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://WWW.Example.ORG:80/News/Item", "http://www.example.org/News/Item"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/a#section-2", "https://example.org/a"),
        ("https://example.org/a?", "https://example.org/a"),
        ("https://example.org/a?b=2&a=1", "https://example.org/a?a=1&b=2"),
        ("https://example.org/a?z=1&a=2&a=1", "https://example.org/a?a=2&a=1&z=1"),
        ("https://example.org/a?x=1&&y=2&", "https://example.org/a?x=1&y=2"),
        ("https://example.org/a?utm_source=rss&id=7&fbclid=abc", "https://example.org/a?id=7"),
        ("https://example.org/a?UTM_Medium=x&gclid=1&ref=home", "https://example.org/a"),
        ("https://example.org/%7Euser/%41%2f%e2%82%ac", "https://example.org/~user/A%2F%E2%82%AC"),
        ("https://example.org/a b/é", "https://example.org/a%20b/%C3%A9"),
        ("https://example.org/50%", "https://example.org/50%25"),
        ("https://example.org/a/./b/../c", "https://example.org/a/c"),
        ("https://example.org/a/%2E%2E/c", "https://example.org/c"),
        ("https://münchen.example/straße", "https://xn--mnchen-3ya.example/stra%C3%9Fe"),
        ("https://EXAMPLE.org./a", "https://example.org/a"),
        ("  \n https://example.org/a\t ", "https://example.org/a"),
        ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
        ("https://example.org/search?q=a+b&lang=fr", "https://example.org/search?lang=fr&q=a+b"),
        ("https://example.org/p?token=YWJj==", "https://example.org/p?token=YWJj=="),
    ],
)
def test_canonical_forms(raw: str, expected: str) -> None:
    assert canonicalize_url(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../2024/old.html", "https://ministry.example/press/2024/old.html"),
        ("item?id=3#top", "https://ministry.example/press/2025/item?id=3"),
        ("/en/news", "https://ministry.example/en/news"),
        ("//cdn.ministry.example/a.pdf", "https://cdn.ministry.example/a.pdf"),
        ("", "https://ministry.example/press/2025/index.html"),
    ],
)
def test_relative_urls_resolve_against_base(raw: str, expected: str) -> None:
    assert canonicalize_url(raw, BASE) == expected


def test_every_listed_tracking_parameter_is_removed() -> None:
    query = "&".join(f"{name}=x" for name in TRACKING_PARAMS)
    assert (
        canonicalize_url(f"https://example.org/a?keep=1&{query}") == "https://example.org/a?keep=1"
    )


def test_path_case_is_kept() -> None:
    assert (
        canonicalize_url("https://Example.org/Docs/ReadMe.PDF")
        == "https://example.org/Docs/ReadMe.PDF"
    )


@pytest.mark.parametrize(
    "raw",
    [
        "news/item",  # relative, no base
        "mailto:press@example.org",
        "javascript:void(0)",
        "ftp://example.org/file",
        "https://example.org:99999/",
        "https://example.org:port/",
        "https:///no-host",
        "https://exa mple.org/",
        "tag:example.org,2025:1",
    ],
)
def test_unusable_urls_raise_value_error(raw: str) -> None:
    with pytest.raises(ValueError, match=r"^discover: "):
        canonicalize_url(raw)


def test_same_site_uses_the_public_suffix_list() -> None:
    assert same_site("https://press.un.org/en/x", "https://news.un.org/ru/y")
    assert not same_site("https://dfe.gov.uk/a", "https://dhsc.gov.uk/b")
    assert same_site("https://www.bbc.co.uk/a", "https://bbc.co.uk/b")
    assert not same_site("https://example.org/", "https://example.com/")


def test_same_site_falls_back_for_names_the_list_does_not_know() -> None:
    assert registrable_domain("news.demo.test") == "demo.test"
    assert same_site("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/b")
    assert not same_site("http://127.0.0.1/a", "http://127.0.0.2/a")
    assert not same_site("mailto:x@example.org", "https://example.org/")


# A URL generator that covers the parts canonicalisation touches: case, ports,
# escapes, dot segments, tracking and repeated parameters, fragments, IDN hosts.
_label = st.text(alphabet="abcXYZ019-ü", min_size=1, max_size=8).filter(
    lambda s: not s.startswith("-") and not s.endswith("-")
)
_segment = st.sampled_from(["a", "B", ".", "..", "%2e", "%7E", "%2f", "é", "a b", "%", "x;y", "@:"])
_param = st.tuples(
    st.sampled_from(["a", "B", "utm_source", "fbclid", "ref", "q", "%41", "é", ""]),
    st.sampled_from(["", "1", "x y", "%zz", "==", "a+b", "ü"]),
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "HTTPS", "https"]))
    host = ".".join(draw(st.lists(_label, min_size=1, max_size=3))) + ".example"
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/".join(draw(st.lists(_segment, max_size=5)))
    params = draw(st.lists(_param, max_size=5))
    query = "&".join(f"{k}={v}" for k, v in params)
    fragment = draw(st.sampled_from(["", "#top", "#"]))
    return f"{scheme}://{host}{port}/{path}{'?' + query if params else ''}{fragment}"


@settings(max_examples=300, deadline=None)
@given(urls())
def test_canonicalisation_is_idempotent(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once
    assert "#" not in once
    assert once.isascii()


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_never_raises_anything_but_value_error(text: str) -> None:
    try:
        once = canonicalize_url(text, BASE)
    except ValueError:
        return
    assert once.startswith(("http://", "https://"))
    assert canonicalize_url(once) == once


def test_a_link_longer_than_any_server_takes_is_refused() -> None:
    """A mis-decoded sitemap once gave 128 links of 16,000 characters each,
    which took seconds to normalise; such a link is no address."""
    from babelwire.discover.urls import MAX_URL_CHARS

    long_path = "https://example.org/" + "\x00a" * MAX_URL_CHARS
    with pytest.raises(ValueError, match="longer than"):
        canonicalize_url(long_path)
    assert canonicalize_url("https://example.org/" + "a" * 2000).endswith("a" * 2000)
