"""Malformed redirects are refused once, with the header in the reason, never retried."""

from __future__ import annotations

from typing import Any

import pytest

from babelwire.errors import FetchError

# (Location header, why it is refused)
BAD_LOCATIONS = [
    ("http://evil.example\t.com/", "Invalid non-printable ASCII character in URL"),
    ("/next\tpage", "Invalid non-printable ASCII character in URL"),
    ("http://0177.0.0.1/", "Invalid IPv4 address: '0177.0.0.1'"),
    ("http://0177.0.0.1:8080/x", "Invalid IPv4 address: '0177.0.0.1'"),
    ("http:// example.org/", "host '%20example.org' is not a name or an address"),
    ("http://exa mple.org/", "host 'exa%20mple.org' is not a name or an address"),
]


@pytest.mark.parametrize(("location", "why"), BAD_LOCATIONS, ids=[b[0] for b in BAD_LOCATIONS])
def test_bad_location_is_refused_once_with_a_reason(
    server: Any, make_fetcher: Any, location: str, why: str
) -> None:
    server.route("/go", 302, b"", {"Location": location})
    fetcher = make_fetcher(retries=3)
    with pytest.raises(FetchError) as caught:
        fetcher.get("http://site.test/go")
    message = str(caught.value)
    assert message.startswith(
        f"fetch: refusing redirect from http://site.test/go: bad Location {location!r} ("
    )
    assert why in message and "\n" not in message and "\t" not in message
    assert not caught.value.retryable
    assert server.hits("/go") == 1 and make_fetcher.sleeps == []


def test_location_with_edge_blanks_is_still_followed(server: Any, make_fetcher: Any) -> None:
    server.route("/go", 302, b"", {"Location": "  /there  "})
    server.route("/there", 200, b"here")
    assert make_fetcher().get("http://site.test/go").body == b"here"
