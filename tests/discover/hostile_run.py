"""A healthy source beside gzip bombs on 127.0.0.1, and ``babelwire run --once`` over them.

Shared by tests/discover/test_discover_memory.py and bench/hostile_memory.py.
Each bomb is a feed (or, for a source named ``sitemap-...``, a sitemap)
gzipped and served without Content-Encoding, so discovery (not fetch)
inflates it, up to ``max_decompressed_bytes``. The run is a child process
that writes its own peak resident set as it exits.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ARTICLES = 3
_FEED_START = b"<?xml version='1.0'?><rss version='2.0'><channel><title>b</title>"
#: What a bomb holds after a feed's start, repeated to the end: blanks, a flood
#: of entries, non-ASCII text inside one element, a sitemap's URLs.
BOMB_KINDS = {
    "blanks": (_FEED_START, b" "),
    "entries": (_FEED_START, b"<item><title>t</title><link>http://127.0.0.1/x</link></item>"),
    "text": (_FEED_START + b"<item><title>", "\u0416\u20ac ".encode()),
    "lines": (_FEED_START, b"\n"),
}


def gzip_bomb(kind: str, inflated_bytes: int) -> bytes:
    """A feed of ``kind`` that inflates to ``inflated_bytes``, gzipped a megabyte at a time."""
    start, unit = BOMB_KINDS[kind]
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = unit * (1_000_000 // len(unit))
    pieces = [packer.compress(start)]
    pieces += [packer.compress(block) for _ in range(inflated_bytes // len(block))]
    return b"".join([*pieces, packer.flush()])


def sitemap_bomb(links: int) -> bytes:
    """A sitemap of ``links`` distinct links on 127.0.0.1, dated out of order, gzipped."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    pieces = [packer.compress(b"<?xml version='1.0'?><urlset "
                              b"xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>")]
    for start in range(0, links, 10_000):
        pieces.append(packer.compress(b"".join(
            b"<url><loc>http://127.0.0.1/sitemap-bomb/p%d</loc>"
            b"<lastmod>2025-11-%02dT10:00:00Z</lastmod></url>" % (n, 1 + n * 7 % 28)
            for n in range(start, min(links, start + 10_000)))))
    return b"".join([*pieces, packer.compress(b"</urlset>"), packer.flush()])


def _address(name: str) -> str:
    return f"/{name}/sitemap.xml" if name.startswith("sitemap") else f"/{name}/feed.xml"


def _routes(port: int, bombs: dict[str, bytes]) -> dict[str, tuple[str, bytes]]:
    base = f"http://127.0.0.1:{port}/healthy"
    items = "".join(f"<item><title>Story {n}</title><link>{base}/a{n}.html</link></item>"
                    for n in range(ARTICLES))
    routes = {"/healthy/feed.xml": ("application/rss+xml", (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>h</title>{items}"
        "</channel></rss>").encode())}
    for n in range(ARTICLES):
        text = f"The harbour council met on day {n} and agreed the budget for the port. " * 12
        routes[f"/healthy/a{n}.html"] = ("text/html; charset=utf-8", (
            f"<!doctype html><html lang='en'><head><title>Harbour story {n}</title></head><body>"
            f"<article><h1>Harbour story {n}</h1><p>{text}</p><p>{text}</p></article>"
            "</body></html>").encode())
    for name, body in bombs.items():
        kind = "application/xml" if name.startswith("sitemap") else "application/rss+xml"
        routes[_address(name)] = (kind, body)
    return routes


@contextmanager
def serving(bombs: dict[str, bytes]) -> Iterator[int]:
    """The healthy source and ``bombs`` (source id -> gzipped feed); yields the port."""
    table: dict[str, tuple[str, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            content_type, body = table.get(self.path, ("text/plain", b"not here"))
            self.send_response(200 if self.path in table else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    table.update(_routes(httpd.server_address[1], bombs))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass(frozen=True)
class Ran:
    peak_rss_bytes: int
    #: User and system CPU time of the run.
    cpu_s: float
    exit_code: int
    stderr: str
    database: Path


def run_once(folder: Path, port: int, names: list[str], *, story_embeddings: bool = True
             ) -> Ran:
    """``babelwire run --once`` over the sources ``names`` (each a feed on the server);
    ``story_embeddings``: whether its story step loads the embedding model."""
    catalog = folder / "catalog"
    catalog.mkdir(parents=True)
    for name in names:
        address = f"http://127.0.0.1:{port}{_address(name)}"
        feeds, sitemaps = ([], [address]) if name.startswith("sitemap") else ([address], [])
        (catalog / f"{name}.toml").write_text(f'''[[source]]
id = "{name}"
name = "{name.title()} Ministry"
desk = "Press office"
region = "Testland"
languages = ["en"]
category = "government"
homepage = "http://127.0.0.1:{port}/{name}/"
feeds = {json.dumps(feeds)}
sitemaps = {json.dumps(sitemaps)}
allow_private = true
''', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env.update({
        "BABELWIRE_DATABASE_URL": f"sqlite:///{folder / 'run.db'}",
        "BABELWIRE_ARCHIVE_DIR": str(folder / "archive"),
        "BABELWIRE_CATALOG_DIR": str(catalog),
        "BABELWIRE_PER_HOST_DELAY_S": "0",
        "BABELWIRE_RETRIES": "0",
        "BABELWIRE_STORY_EMBEDDINGS": "1" if story_embeddings else "0",
    })
    sources = [arg for name in names for arg in ("--source", name)]
    peak_file = folder / "peak.txt"
    # Runs are one at a time: what the children used grows by this run's time.
    used_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = subprocess.run([sys.executable, "-c", _PEAK_REPORTING_RUN, str(peak_file),
                            "run", "--once", *sources],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           check=False)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = (used.ru_utime - used_before.ru_utime) + (used.ru_stime - used_before.ru_stime)
    stderr = child.stderr.decode(errors="replace")
    return Ran(_kib_line(peak_file.read_text()) * 1024, cpu_s, child.returncode, stderr,
               folder / "run.db")


#: The CLI, with its peak resident set written at exit. That peak is the
#: ``VmHWM`` of the process's own address space: ``ru_maxrss`` from ``wait4``
#: is no good here, because Linux starts a child's counter at the high-water
#: mark of the address space it replaced at exec, which after Python's vfork
#: is the parent's, so a test process grown large made the run look as large.
_PEAK_REPORTING_RUN = """
import atexit, sys
def _report(path=sys.argv[1]):
    with open("/proc/self/status") as status, open(path, "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM")))
atexit.register(_report)
sys.argv = ["babelwire", *sys.argv[2:]]
from babelwire.cli import main
main()
"""


def _kib_line(line: str) -> int:
    """``VmHWM:    123456 kB`` -> 123456."""
    return int(line.split()[1])
