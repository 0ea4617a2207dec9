"""``babelwire export`` and ``babelwire edit`` through the Typer commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import feedparser
import pytest
import typer
from typer.testing import CliRunner

from babelwire.cli.publish import register
from babelwire.compose import render_wire
from babelwire.store import Store


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeding: Any) -> tuple[typer.Typer, Any]:
    """A Typer app with the publish commands, on a seeded store named by the environment."""
    db = tmp_path / "cli.db"
    store = Store.open(f"sqlite:///{db}")
    store.migrate()
    seeded = seeding.seed(store)
    store.close()
    monkeypatch.setenv("BABELWIRE_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("BABELWIRE_CATALOG_DIR", "")
    monkeypatch.setenv("BABELWIRE_PUBLISH_BASE_URL", "https://wire.example")
    app = typer.Typer()
    register(app)
    return app, seeded


def run(app: typer.Typer, *args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_export_wire_separates_items_with_a_blank_line(cli: Any) -> None:
    app, seeded = cli
    result = run(app, "export", "--format", "wire", "--region", "France")
    assert result.exit_code == 0, result.output
    expected = render_wire(seeded.item("visit")) + "\n" + render_wire(seeded.item("sanctions"))
    assert result.stdout == expected


def test_export_ninjs_is_json_lines_to_a_file(cli: Any, tmp_path: Path) -> None:
    app, seeded = cli
    out = tmp_path / "items.jsonl"
    result = run(app, "export", "--format", "ninjs", "--output", str(out))
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(seeded.items)
    first = json.loads(lines[0])
    assert first["uri"].startswith("https://wire.example/items/")


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_export_feeds_with_query_and_limit(cli: Any, fmt: str) -> None:
    app, _ = cli
    result = run(app, "export", "--format", fmt, "--language", "fr", "--limit", "1")
    assert result.exit_code == 0, result.output
    feed = feedparser.parse(result.stdout_bytes)
    assert not feed.bozo and len(feed.entries) == 1
    assert feed.entries[0].title == "Minister visits Baghdad"
    searched = run(app, "export", "--format", fmt, "--query", "mission")
    assert len(feedparser.parse(searched.stdout_bytes).entries) == 1


def test_export_refuses_unknown_format_and_bad_query(cli: Any) -> None:
    app, _ = cli
    assert run(app, "export", "--format", "pdf").exit_code == 2
    bad = run(app, "export", "--format", "wire", "--query", '"unclosed')
    assert bad.exit_code == 2 and "search:" in bad.stderr


def test_edit_command_publishes_a_new_version(cli: Any, tmp_path: Path) -> None:
    app, seeded = cli
    item = seeded.item("trade")
    edit = tmp_path / "edit.json"
    edit.write_text(json.dumps({"headline": "State Council announces trade policy",
                                "section": "Economy",
                                "body": ["The State Council announced a trade policy today."]}),
                    encoding="utf-8")
    result = run(app, "edit", item.document_id, "--translation", str(edit))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"{item.id} version 2: https://wire.example/items/{item.id}/{item.slug}")
    wire = run(app, "export", "--format", "wire", "--source", "gov-cn", "--limit", "1")
    assert wire.stdout.startswith("State Council announces trade policy\n")


def test_edit_command_reports_problems(cli: Any, tmp_path: Path) -> None:
    app, seeded = cli
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = run(app, "edit", seeded.item("trade").document_id, "--translation", str(broken))
    assert result.exit_code == 2 and "edit: cannot read" in result.stderr
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"headline": "x", "body": ["a", "b", "c"]}), encoding="utf-8")
    result = run(app, "edit", seeded.item("trade").document_id, "--translation", str(wrong))
    assert result.exit_code == 1 and "has 1 paragraphs and the edit gives 3" in result.stderr
