"""``babelwire subscriptions`` and ``babelwire opml``, run in-process with a
clean environment and a SQLite file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from babelwire.cli import main

FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("BABELWIRE_") and not name.startswith("BABELWIRE_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BABELWIRE_DATABASE_URL", f"sqlite:///{tmp_path / 'wire.db'}")
    monkeypatch.setenv("BABELWIRE_CATALOG_DIR", str(tmp_path / "catalog"))
    monkeypatch.setenv("BABELWIRE_PUBLISH_BASE_URL", "https://wire.example")


def _run(*args: str) -> int:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    return int(exited.value.code or 0)


def test_add_list_deliver_remove(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("subscriptions", "add", "sahel", "--query", "Mali OR Niger",
                "--webhook", "https://hooks.example/in") == 0
    out = capsys.readouterr().out
    assert "added sahel: webhook, feed https://wire.example/feeds/subscriptions/sahel.atom" in out
    assert "webhook secret (shown once): " in out
    assert _run("subscriptions", "add", "paris", "--query", "region:France") == 0
    capsys.readouterr()
    assert _run("subscriptions", "list", "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["name"], r["delivery"]) for r in rows] == [("paris", "atom"), ("sahel", "webhook")]
    assert all("secret" not in r for r in rows)
    assert _run("subscriptions", "deliver") == 0
    assert capsys.readouterr().out == "sahel: 0 items delivered\n"
    assert _run("subscriptions", "remove", "sahel") == 0
    assert _run("subscriptions", "remove", "sahel") == 1
    assert capsys.readouterr().err == "babelwire: subscribe: no subscription 'sahel'\n"


def test_a_bad_subscription_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("subscriptions", "add", "x", "--query", "region:") == 2
    err = capsys.readouterr().err
    assert err.startswith("babelwire: subscribe: query: region: needs a value")
    assert err.count("\n") == 1


def test_a_subscribe_setting_out_of_range_stops_the_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BABELWIRE_SUBSCRIBE_SMTP_PORT", "70000")
    assert _run("subscriptions", "list") == 1
    assert "BABELWIRE_SUBSCRIBE_SMTP_PORT='70000': must be at most 65,535" in \
        capsys.readouterr().err


def test_opml_export_and_import(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _run("subscriptions", "add", "paris", "--query", "region:France") == 0
    capsys.readouterr()
    out_file = tmp_path / "wire.opml"
    assert _run("opml", "export", "--output", str(out_file)) == 0
    assert b"https://wire.example/feeds/subscriptions/paris.atom" in out_file.read_bytes()
    assert _run("opml", "import", str(FIXTURES / "feeds.opml"), "--region", "Russian Federation",
                "--language", "ru") == 1
    captured = capsys.readouterr()
    assert captured.out == f"added 2 of 5 feeds to {tmp_path / 'catalog' / 'local.toml'}\n"
    assert len(captured.err.splitlines()) == 3
    assert all(line.startswith("babelwire: opml: ") for line in captured.err.splitlines())


@pytest.mark.parametrize("fixture", ["xxe.opml", "billion_laughs.opml"])
def test_opml_import_refuses_a_hostile_file(fixture: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("opml", "import", str(FIXTURES / fixture), "--region", "X",
                "--language", "en") == 2
    err = capsys.readouterr().err
    assert err == (f"babelwire: opml: {FIXTURES / fixture}: file: has a DOCTYPE or an entity "
                   "declaration; OPML needs neither, so it is not read\n")
