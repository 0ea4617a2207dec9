"""Canonical URLs: one spelling per publication, so that a link seen twice is one entry.

Two links that a browser would open as the same page should give the same
string here: the canonical URL is the document's identity (see
:func:`babelwire.model.document_id`). The rules are conservative: they only
remove what cannot change the page the server returns (fragments, default
ports, tracking parameters, needless percent-escapes) and never touch the case
of the path, which many servers treat as significant.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import unquote, urljoin, urlsplit

import tld

#: Query parameters that only tell analytics where a click came from. They never
#: select content, so two URLs that differ only in them are the same page.
#: Names are compared in lower case; ``TRACKING_PREFIXES`` covers whole families.
TRACKING_PARAMS: tuple[str, ...] = (
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "yclid",
    "msclkid",
    "twclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "ref",
    "ref_src",
    "ref_url",
    "spm",
    "cmpid",
    "ocid",
    "xtor",
    "at_medium",
    "at_campaign",
    "at_custom1",
    "at_custom2",
    "at_custom3",
    "at_custom4",
    "pk_campaign",
    "pk_kwd",
    "pk_source",
    "pk_medium",
    "pk_content",
    "mtm_campaign",
    "mtm_kwd",
    "mtm_source",
    "mtm_medium",
    "mtm_content",
    "wt.mc_id",
    "s_cid",
    "cmp",
    "cmp_id",
)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_",)

_TRACKING = frozenset(TRACKING_PARAMS)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
# Characters left as they are in each part (RFC 3986, section 3); every other
# character is percent-encoded as UTF-8. '&' and '=' are absent from the query
# sets because they separate parameters; a value may keep a raw '=' (base64).
_PATH_SAFE = _UNRESERVED | _SUB_DELIMS | frozenset(":@/")
_USERINFO_SAFE = _UNRESERVED | _SUB_DELIMS | frozenset(":")
_QUERY_KEY_SAFE = (_UNRESERVED | _SUB_DELIMS | frozenset(":@/?")) - frozenset("&=")
_QUERY_VALUE_SAFE = _QUERY_KEY_SAFE | frozenset("=")
_HEX = frozenset("0123456789abcdefABCDEF")
_HOST_RE = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|[0-9a-f:.]+")
# WHATWG URL parsing strips C0 controls and spaces around a URL; feeds often
# wrap links in newlines and indentation.
_STRIP = "".join(chr(i) for i in range(0x21))
#: Longest link taken as an address. Sitemaps allow 2,048 characters and
#: servers commonly refuse request lines past 8 KB; a longer "link" is junk
#: (a broken feed, a mis-decoded body), and normalising it would only spend
#: time on text no server would answer.
MAX_URL_CHARS = 8192


def canonicalize_url(url: str, base: str | None = None) -> str:
    """The canonical spelling of an http(s) URL, resolved against ``base``.

    Lower-cases scheme and host, encodes international hosts with IDNA, drops
    default ports, fragments and tracking parameters, sorts the remaining
    query parameters by name, and normalises percent-encoding. Raises
    ValueError (message starting ``discover:``) when the result would not be
    an absolute http or https URL.
    """
    text = url.strip(_STRIP)
    if len(text) > MAX_URL_CHARS:
        raise ValueError(f"discover: URL longer than {MAX_URL_CHARS} characters: {text[:60]!r}…")
    try:
        resolved = urljoin(base.strip(_STRIP), text) if base else text
        parts = urlsplit(resolved)
        port = parts.port
    except ValueError as exc:  # a bad IPv6 literal, a port that is no number
        raise ValueError(f"discover: cannot parse URL {url!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"discover: not an absolute http(s) URL: {url!r}")
    host = _canonical_host(parts.hostname or "", url)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    if "@" in parts.netloc:
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{_normalise_escapes(userinfo, _USERINFO_SAFE)}@{netloc}"
    path = _remove_dot_segments(_normalise_escapes(parts.path, _PATH_SAFE)) or "/"
    query = _canonical_query(parts.query)
    return f"{scheme}://{netloc}{path}?{query}" if query else f"{scheme}://{netloc}{path}"


def is_http_url(url: str, base: str | None = None) -> bool:
    """True when ``url`` (resolved against ``base``) has a usable http(s) form."""
    try:
        canonicalize_url(url, base)
    except ValueError:
        return False
    return True


def same_site(url: str, other: str) -> bool:
    """True when both URLs belong to one registrable domain.

    ``press.un.org`` and ``news.un.org`` do; ``a.gov.uk`` and ``b.gov.uk`` do not.
    """
    first, second = urlsplit(url).hostname, urlsplit(other).hostname
    if not first or not second:
        return False
    return registrable_domain(first) == registrable_domain(second)


@functools.lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The part of ``host`` that its owner registered, from the Public Suffix List.

    Hosts the list does not know (IP addresses, ``localhost``, ``.test`` names
    of the demo world) fall back to themselves for addresses and to their last
    two labels for names, so that ``news.demo.test`` and ``demo.test`` match.
    """
    host = host.lower().rstrip(".")
    found = tld.get_fld(host, fix_protocol=True, fail_silently=True)
    if isinstance(found, str) and found:
        return found
    if ":" in host or host.replace(".", "").isdigit():
        return host
    return ".".join(host.split(".")[-2:])


def _canonical_host(host: str, url: str) -> str:
    host = host.rstrip(".")
    if not host:
        raise ValueError(f"discover: no host in URL {url!r}")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError(f"discover: cannot IDNA-encode the host of {url!r}") from None
    host = host.lower()
    if not _HOST_RE.fullmatch(host):
        raise ValueError(f"discover: invalid host {host!r} in URL {url!r}")
    return host


def _canonical_query(query: str) -> str:
    """Tracking parameters removed, empty pairs dropped, sorted by name.

    The sort is stable and by name only, so repeated names (``a=2&a=1``) keep
    their order, which some servers give a meaning.
    """
    if not query:
        return ""
    pairs: list[tuple[str, str | None]] = []
    for chunk in query.split("&"):
        if not chunk:
            continue
        key, sep, value = chunk.partition("=")
        key = _normalise_escapes(key, _QUERY_KEY_SAFE)
        name = unquote(key).lower()
        if name in _TRACKING or name.startswith(TRACKING_PREFIXES):
            continue
        pairs.append((key, _normalise_escapes(value, _QUERY_VALUE_SAFE) if sep else None))
    pairs.sort(key=lambda pair: pair[0])
    return "&".join(key if value is None else f"{key}={value}" for key, value in pairs)


def _normalise_escapes(text: str, safe: frozenset[str]) -> str:
    """Decode escapes of unreserved characters, upper-case the others, escape the unsafe.

    ``%7E`` becomes ``~``, ``%2f`` becomes ``%2F``, a space becomes ``%20``, a
    stray ``%`` becomes ``%25`` and non-ASCII text becomes UTF-8 escapes, so
    every spelling of one URL ends up the same.
    """
    if "%" not in text and all(ch in safe for ch in text):
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%" and i + 2 < len(text) and text[i + 1] in _HEX and text[i + 2] in _HEX:
            decoded = chr(int(text[i + 1 : i + 3], 16))
            out.append(decoded if decoded in _UNRESERVED else "%" + text[i + 1 : i + 3].upper())
            i += 3
            continue
        if ch in safe:
            out.append(ch)
        else:
            out.extend(f"%{byte:02X}" for byte in ch.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: ``/a/./b/../c`` becomes ``/a/c``."""
    segments = path.split("/")
    if "." not in segments and ".." not in segments:
        return path
    out: list[str] = []
    for segment in segments:
        if segment == ".":
            continue
        if segment == "..":
            if len(out) > 1:
                out.pop()
            continue
        out.append(segment)
    if segments[-1] in (".", ".."):
        out.append("")
    return "/".join(out)
