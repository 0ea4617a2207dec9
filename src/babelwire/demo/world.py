"""Where a demo URL lives on disk, and what Content-Type it is served with.

The world is a folder of virtual hosts: ``world/<host>/<path>``. Real sites
rarely show file extensions in article URLs, so a path without one is looked
up as itself, then with ``.html``, then as a folder with ``index.html``.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote

#: Every demo host lives under this reserved top-level domain (RFC 2606).
DEMO_SUFFIX = ".demo.test"

#: Content-Type by file extension. HTML is decided per file (see
#: :func:`content_type_for`) because legacy-charset pages must not name a
#: charset in the header.
_TYPES_BY_EXTENSION = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}
_HTML_EXTENSIONS = frozenset({".html", ".htm", ".shtml", ".aspx"})


def world_hosts(world_dir: Path) -> frozenset[str]:
    """The virtual hosts of a world: its sub-folders named ``*.demo.test``."""
    return frozenset(
        child.name
        for child in world_dir.iterdir()
        if child.is_dir() and child.name.endswith(DEMO_SUFFIX)
    )


def file_for(world_dir: Path, host: str, url_path: str) -> Path | None:
    """The file that answers ``url_path`` on ``host``, or None for a 404.

    ``..`` segments and absolute paths never leave the host's folder: the
    path is normalised as a URL path first and anything that still climbs
    out is refused.
    """
    host_dir = world_dir / host
    if not host.endswith(DEMO_SUFFIX) or not host_dir.is_dir():
        return None
    decoded = unquote(url_path)
    normal = posixpath.normpath("/" + decoded.lstrip("/"))
    if ".." in normal.split("/") or "\\" in normal or "\x00" in normal:
        return None
    relative = normal.lstrip("/")
    if url_path.endswith("/") or not relative:
        candidates = [host_dir / relative / "index.html"]
    else:
        base = host_dir / relative
        candidates = [base, base.with_name(base.name + ".html"), base / "index.html"]
    for candidate in candidates:
        if candidate.is_file() and not candidate.name.startswith("."):
            return candidate
    return None


def content_type_for(path: Path, body: bytes) -> str:
    """The Content-Type a plain web server would send for ``path``.

    HTML that is valid UTF-8 is announced as such; HTML in a legacy charset
    (windows-1251, GB2312) is sent as bare ``text/html``, the way old CMSes
    do, so that the only charset declaration is the page's own ``<meta>``.
    """
    suffix = path.suffix.lower()
    if suffix in _HTML_EXTENSIONS:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return "text/html"
        return "text/html; charset=utf-8"
    return _TYPES_BY_EXTENSION.get(suffix, "application/octet-stream")
