"""A small world on loopback for the runner: sources with a feed and articles.

Each source lives under its own path on one server on 127.0.0.1 (a
``StaticResolver`` maps the test host names to it); every page is generated
from the source id and the article number, so no two stories are copies.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from babelwire.compose import ComposeSettings
from babelwire.fetch import AddressPolicy, Archive, Fetcher, StaticResolver
from babelwire.model import Source, utc_now
from babelwire.run.runner import Runner
from babelwire.run.wire import WireStep
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.translate.settings import TranslateSettings
from babelwire.translate.translator import Translator

HOSTS = ("good.test", "bad.test", "tree.test")

WORDS = (
    "minister", "council", "budget", "harbour", "railway", "treaty", "election", "court",
    "grain", "river", "delegation", "statement", "agreement", "summit", "water", "energy",
    "school", "hospital", "border", "customs", "embassy", "museum", "bridge", "farmers",
    "exports", "inflation", "rainfall", "satellite", "parliament", "committee", "reform",
    "pension", "tariff", "vaccine", "drought", "wildfire", "festival",
)


def article_text(seed: str, paragraphs: int = 5) -> list[str]:
    """English paragraphs that differ from every other seed's."""
    rng = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(4):
            picked = rng.sample(WORDS, 6)
            sentences.append(
                f"The {picked[0]} and the {picked[1]} met the {picked[2]} on Tuesday, "
                f"and officials said the {picked[3]} would help the {picked[4]} "
                f"before the {picked[5]} next year."
            )
        out.append(" ".join(sentences))
    return out


@dataclass
class World:
    """Pages by path; ``routes`` may be changed by a test before a run."""

    port: int = 0
    routes: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    #: Answer with an ETag, and 304 to a request that sends it back.
    etags: bool = False

    def add_source(self, name: str, articles: int = 2, host: str | None = None) -> Source:
        """A source with one RSS feed listing ``articles`` article pages."""
        host = host or f"{name}.test"
        base = f"http://{host}/{name}"
        items = []
        for n in range(articles):
            url, title, when = self.add_article(name, f"article-{n}", n, host)
            items.append(f"<item><title>{title}</title><link>{url}</link>"
                         f"<pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate></item>")
        feed = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
                f"<title>{name}</title><link>{base}/</link>{''.join(items)}</channel></rss>")
        self.routes[f"/{name}/feed.xml"] = (200, "application/rss+xml", feed.encode())
        return self.source(name, feeds=(f"{base}/feed.xml",))

    def add_sitemap_tree(self, name: str, months: list[str], per_month: int) -> Source:
        """A sitemap index whose children are indexes (one per month, listed in
        ``months`` order), each naming ``per_month`` daily news sitemaps of one article."""
        base = f"http://{name}.test/{name}"
        monthly = []
        for month in months:
            daily = []
            for day in range(1, per_month + 1):
                stamp = f"{month}-{day:02d}"
                url, _, _ = self.add_article(name, f"story-{stamp}", day)
                self.routes[f"/{name}/news-{stamp}.xml"] = (200, "application/xml", (
                    "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                    f"<url><loc>{url}</loc><lastmod>{stamp}</lastmod></url></urlset>").encode())
                daily.append((f"{base}/news-{stamp}.xml", stamp))
            self.routes[f"/{name}/index-{month}.xml"] = (200, "application/xml",
                                                         _sitemap_index(daily))
            monthly.append((f"{base}/index-{month}.xml", f"{month}-{per_month:02d}"))
        self.routes[f"/{name}/sitemap.xml"] = (200, "application/xml", _sitemap_index(monthly))
        return self.source(name, sitemaps=(f"{base}/sitemap.xml",))

    def add_article(self, name: str, slug: str, n: int,
                    host: str | None = None) -> tuple[str, str, datetime]:
        url = f"http://{host or name + '.test'}/{name}/{slug}.html"
        when = datetime(2025, 12, 10, 9, 0, tzinfo=UTC) + timedelta(hours=n)
        title = f"{name.title()} story {slug} about the harbour"
        body = "".join(f"<p>{p}</p>" for p in article_text(f"{name}-{slug}"))
        page = (f"<!doctype html><html lang='en'><head><title>{title}</title>"
                f"<meta property='article:published_time' content='{when.isoformat()}'>"
                f"</head><body><article><h1>{title}</h1>"
                f"<time datetime='{when.isoformat()}'>{when:%d %B %Y}</time>"
                f"{body}</article></body></html>")
        self.routes[f"/{name}/{slug}.html"] = (200, "text/html; charset=utf-8", page.encode())
        return url, title, when

    @staticmethod
    def source(name: str, **addresses: Any) -> Source:
        return Source(id=name, name=f"{name.title()} Ministry", desk="Press office",
                      region="Testland", languages=("en",), homepage=f"http://{name}.test/",
                      allow_private=True, **addresses)


def _sitemap_index(children: list[tuple[str, str]]) -> bytes:
    entries = "".join(f"<sitemap><loc>{loc}</loc><lastmod>{lastmod}</lastmod></sitemap>"
                      for loc, lastmod in children)
    return ("<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            f"{entries}</sitemapindex>").encode()


def _handler(world: World) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            world.hits.append(self.path)
            status, content_type, body = world.routes.get(
                self.path, (404, "text/plain", b"not here"))
            tag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if world.etags and status == 200 and self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(status)
            if world.etags:
                self.send_header("ETag", tag)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def world() -> Iterator[World]:
    state = World()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def run_settings(tmp_path: Path, **overrides: Any) -> Settings:
    base: dict[str, Any] = {"archive_dir": str(tmp_path / "archive"), "per_host_delay_s": 0.0,
                            "retries": 0, "workers": 2}
    base.update(overrides)
    return Settings.load({}, **base)


MakeRunner = Callable[..., Runner]


@pytest.fixture
def make_runner(world: World, store: Store, tmp_path: Path) -> Iterator[MakeRunner]:
    """A runner over ``sources`` on the world, with the ``store`` fixture (both backends)."""
    made: list[Fetcher] = []

    def make(sources: list[Source], *, translator: Translator | None = None,
             **overrides: Any) -> Runner:
        settings = run_settings(tmp_path, **overrides)
        hosts = sorted({h for s in sources for h in s.hosts} | set(HOSTS))
        archive = Archive(Path(settings.archive_dir))
        fetcher = Fetcher(settings, resolver=StaticResolver(
                              {host: [("127.0.0.1", world.port)] for host in hosts}),
                          policy=AddressPolicy(private_allowed_hosts=frozenset(hosts)),
                          archive=archive)
        made.append(fetcher)
        translator = translator or Translator(TranslateSettings.load({}), {})
        wire = WireStep(store, translator, ComposeSettings.load(), sources, utc_now)
        return Runner(settings, store, fetcher, archive, sources, wire=wire)

    yield make
    for fetcher in made:
        fetcher.close()
