"""``babelwire sources …`` through Typer's test runner."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from babelwire.catalog import bundled_dir
from babelwire.cli.sources import app
from babelwire.settings import Settings
from babelwire.store import Store

DATA = Path(__file__).parent / "data"
runner = CliRunner()

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test ministry</title><link>http://127.0.0.1/</link>
<description>test</description>
<item><title>First statement</title><link>http://127.0.0.1/news/1</link>
<pubDate>Fri, 12 Dec 2025 10:00:00 +0300</pubDate></item>
<item><title>Second statement</title><link>http://127.0.0.1/news/2</link>
<pubDate>Fri, 12 Dec 2025 11:00:00 +0300</pubDate></item>
</channel></rss>"""


def settings_for(tmp_path: Path, catalog_dir: Path | None = None) -> Settings:
    return Settings.load(
        environ={},
        database_url=f"sqlite:///{tmp_path / 'bw.db'}",
        archive_dir=str(tmp_path / "archive"),
        catalog_dir=str(catalog_dir) if catalog_dir else "",
        retries=0,
        per_host_delay_s=0.0,
    )


def invoke(args: list[str], settings: Settings) -> tuple[int, str, str]:
    result = runner.invoke(app, args, obj=settings, env={"COLUMNS": "200"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_list_json_filters(tmp_path: Path) -> None:
    code, out, _ = invoke(
        ["list", "--json", "--language", "ru", "--category", "presidency"], settings_for(tmp_path)
    )
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["kremlin"]
    assert rows[0]["region"] == "Russian Federation"


def test_list_table_prints_names_and_regions_whole(tmp_path: Path) -> None:
    code, out, _ = invoke(["list", "--region", "Russian Federation"], settings_for(tmp_path))
    assert code == 0
    assert "Government of the Russian Federation" in out
    assert "…" not in out


def test_show_and_unknown_id(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    code, out, _ = invoke(["show", "un-news-ru"], settings)
    assert code == 0
    assert "region: Russian Federation" in out.splitlines()
    code, out, _ = invoke(["show", "un-news-ru", "--json"], settings)
    assert json.loads(out)["feeds"] == ["https://news.un.org/feed/subscribe/ru/news/all/rss.xml"]
    code, _, err = invoke(["show", "nope-nope"], settings)
    assert code == 1
    assert "catalog: no source with id 'nope-nope'" in err


def test_add_then_lint_then_list(tmp_path: Path) -> None:
    catalog_dir = tmp_path / "mine"
    settings = settings_for(tmp_path, catalog_dir)
    code, out, _ = invoke(
        [
            "add",
            "--id",
            "mofa-test",
            "--name",
            "Ministry of Tests",
            "--region",
            "Testland",
            "--language",
            "en",
            "--language",
            "fr",
            "--feed",
            "https://mofa.example/rss",
            "--poll-interval",
            "1h",
        ],
        settings,
    )
    assert code == 0, out
    assert out.strip() == f"added mofa-test to {catalog_dir / 'local.toml'}"
    code, out, _ = invoke(["lint"], settings)
    assert code == 0
    assert out.strip().startswith("ok: ")
    code, out, _ = invoke(["list", "--json", "--region", "testland"], settings)
    assert json.loads(out)["languages"] == ["en", "fr"]


def test_add_refuses_bad_fields_and_writes_nothing(tmp_path: Path) -> None:
    code, _, err = invoke(
        [
            "add",
            "--id",
            "x-test",
            "--name",
            "X",
            "--region",
            "R",
            "--language",
            "english",
            "--feed",
            "ftp://x",
            "--dir",
            str(tmp_path / "mine"),
        ],
        settings_for(tmp_path),
    )
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "languages[0]: not an ISO 639-1 code" in lines[0]
    assert "feeds[0]: not an absolute http(s) URL: 'ftp://x'" in lines[1]
    assert not (tmp_path / "mine").exists()


def test_lint_exit_code_and_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copy(DATA / "bad" / "bad-url.toml", bad)
    shutil.copy(DATA / "bad" / "invalid-toml.toml", bad)
    code, out, _ = invoke(["lint", str(bad)], settings_for(tmp_path))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"catalog: {bad}/") for line in lines)
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(DATA / "good.toml", good)
    code, out, _ = invoke(["lint", str(good)], settings_for(tmp_path))
    assert code == 0
    files = len(list(bundled_dir().glob("*.toml"))) + 1
    assert out.strip().endswith(f"sources in {files} files")


class _Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/feed.xml":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(RSS)))
            self.end_headers()
            self.wfile.write(RSS)
            return
        self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_check_marks_working_sources_verified(tmp_path: Path, site: str) -> None:
    catalog_dir = tmp_path / "mine"
    catalog_dir.mkdir()
    table = (
        '[[source]]\nid = "{id}"\nname = "Test"\nregion = "Testland"\nlanguages = ["en"]\n'
        'feeds = ["{url}"]\nallow_private = true\n\n'
    )
    (catalog_dir / "local.toml").write_text(
        table.format(id="works", url=f"{site}/feed.xml")
        + table.format(id="broken", url=f"{site}/gone.xml")
    )
    settings = settings_for(tmp_path, catalog_dir)
    code, out, _ = invoke(["check", "works", "broken", "--timeout-s", "5"], settings)
    assert code == 1
    assert f"ok     works feed {site}/feed.xml: 2 entries" in out
    assert f"FAILED broken feed {site}/gone.xml: " in out
    assert "404" in out
    assert out.strip().endswith("1 of 2 sources verified")
    with Store.open(settings.database_url) as store:
        assert store.health("works").verified
        assert store.health("works").checked_at is not None
        assert not store.health("broken").verified


def test_check_unknown_id_fails_before_fetching(tmp_path: Path) -> None:
    code, _, err = invoke(["check", "nope-nope"], settings_for(tmp_path))
    assert code == 1
    assert "no source with id 'nope-nope'" in err
