"""Throughput of the distributed workers on a scaled demo world: documents/s.

Builds a world of the demo's shape with ``--pages`` English articles spread
over ``--hosts`` sites (a sitemap each), serves it on 127.0.0.1, and runs the
whole pipeline over it: once with the in-process runner (the baseline, in
the same run), then with 1, 2 and 4 worker processes (``babelwire worker``,
``--threads`` each) driven by ``babelwire scheduler --once``. Each
configuration starts from a fresh PostgreSQL database and a fresh archive;
documents/s counts every document carried to a final stage over the wall
time of the pass. The per-host gap is switched off: the sites are ours.

Needs PostgreSQL and Redis on loopback (it starts the test servers, as
``make test`` does) and is not part of ``make test``.

    .venv/bin/python bench/scale_speed.py --pages 5000
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis
import sqlalchemy as sa

from babelwire.catalog import load_catalog
from babelwire.demo.resolver import DemoResolver
from babelwire.demo.server import ReplayServer
from babelwire.run.runner import run_sources
from babelwire.settings import Settings
from babelwire.store import Store

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "ministry", "council", "minister", "statement", "agreement", "delegation", "talks",
    "security", "trade", "energy", "region", "cooperation", "summit", "budget", "reform",
    "election", "court", "health", "water", "transport", "farmers", "schools", "border",
    "treaty", "envoy", "parliament", "committee", "report",
)


def build_world(world: Path, pages: int, hosts: int, rng: random.Random) -> None:
    (world / "catalog").mkdir(parents=True)
    per_host = -(-pages // hosts)
    for h in range(hosts):
        host = f"scale{h}.demo.test"
        urls = []
        for n in range(min(per_host, pages - h * per_host)):
            path = f"news/2025/12/story-{n}.html"
            (world / host / path).parent.mkdir(parents=True, exist_ok=True)
            (world / host / path).write_text(article(h, n, rng), encoding="utf-8")
            urls.append(f"http://{host}/{path}")
        entries = "".join(f"<url><loc>{u}</loc><lastmod>2025-12-{1 + i % 28:02d}</lastmod>"
                          f"</url>" for i, u in enumerate(urls))
        (world / host / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?><urlset '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>',
            encoding="utf-8")
        (world / "catalog" / f"scale-{h}.toml").write_text(f'''[[source]]
id = "scale-{h}"
name = "Scale site {h}"
desk = "Scale site {h}"
region = "United States"
languages = ["en"]
category = "government"
homepage = "http://{host}/"
feeds = []
sitemaps = ["http://{host}/sitemap.xml"]
poll_interval = "30m"
allow_private = true
''', encoding="utf-8")


def article(host: int, n: int, rng: random.Random) -> str:
    def sentence() -> str:
        words = rng.choices(WORDS, k=rng.randint(10, 18))
        return " ".join(words).capitalize() + "."

    paragraphs = "".join(f"<p>{' '.join(sentence() for _ in range(4))}</p>" for _ in range(6))
    day = 1 + n % 28
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Statement {host}-{n}</title></head><body><article>"
            f"<h1>Statement {host}-{n} on {' '.join(rng.choices(WORDS, k=4))}</h1>"
            f"<time datetime='2025-12-{day:02d}T10:00:00Z'>December {day}, 2025</time>"
            f"{paragraphs}</article></body></html>")


def server_url(script: str) -> str:
    return subprocess.run([str(ROOT / "scripts" / script), "start"], check=True,
                          capture_output=True, text=True).stdout.strip()


def fresh_database(admin: sa.Engine) -> str:
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return admin.url.set(database=name).render_as_string(hide_password=False)


def finished(database_url: str) -> int:
    with Store.open(database_url) as store:
        by_stage = store.stats()["by_stage"]
    return sum(n for stage, n in by_stage.items()
               if stage not in ("discovered", "fetched"))


def in_process(database_url: str, tmp: Path, world: Path, port: int) -> float:
    settings = Settings.load({}, database_url=database_url, archive_dir=str(tmp / "inproc"),
                             per_host_delay_s=0.0, log_level="ERROR")
    started = time.monotonic()
    run_sources(settings, load_catalog(world / "catalog").sources, force=True,
                resolver=DemoResolver.for_world(world, port))
    return time.monotonic() - started


def distributed(workers: int, threads: int, database_url: str, redis_url: str, tmp: Path,
                world: Path, port: int) -> float:
    redis.Redis.from_url(redis_url).flushdb()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env.update({"BABELWIRE_DATABASE_URL": database_url, "BABELWIRE_BROKER_URL": redis_url,
                "BABELWIRE_ARCHIVE_DIR": str(tmp / f"archive{workers}"),
                "BABELWIRE_PER_HOST_DELAY_S": "0", "BABELWIRE_LOG_LEVEL": "ERROR"})
    where = ["--demo-port", str(port), "--world", str(world)]
    procs = [subprocess.Popen([sys.executable, "-m", "babelwire", "worker", "--concurrency",
                               str(threads), *where], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
             for _ in range(workers)]
    try:
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "babelwire", "scheduler", "--once", "--force",
                        *where], env=env, check=True, capture_output=True, timeout=3600)
        return time.monotonic() - started
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=25)
    parser.add_argument("--threads", type=int, default=4, help="threads per worker process")
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    admin = sa.create_engine(os.environ.get("BABELWIRE_TEST_DATABASE_URL")
                             or server_url("pg-test-server"), isolation_level="AUTOCOMMIT")
    redis_url = (os.environ.get("BABELWIRE_TEST_REDIS_URL")
                 or server_url("redis-test-server")).rsplit("/", 1)[0] + "/0"
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        world = tmp / "world"
        build_world(world, args.pages, args.hosts, random.Random(9))
        print(f"scaled demo world: {args.pages} pages on {args.hosts} sites; "
              f"{os.cpu_count()} CPUs; {args.threads} threads per worker")
        with ReplayServer(world) as server:
            url = fresh_database(admin)
            base_s = in_process(url, tmp, world, server.port)
            base = finished(url) / base_s
            print(f"{'runner':<22}{'documents':>10}{'seconds':>9}{'docs/s':>9}{'ratio':>7}")
            print(f"{'in-process':<22}{finished(url):>10}{base_s:>9.1f}{base:>9.1f}{1.0:>7.2f}")
            for n in (int(w) for w in args.workers.split(",")):
                url = fresh_database(admin)
                took_s = distributed(n, args.threads, url, redis_url, tmp, world, server.port)
                done = finished(url)
                label = f"{n} worker{'s' if n > 1 else ''}"
                print(f"{label:<22}{done:>10}{took_s:>9.1f}{done / took_s:>9.1f}"
                      f"{done / took_s / base:>7.2f}")


if __name__ == "__main__":
    main()
