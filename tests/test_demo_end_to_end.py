"""The demo world, end to end, through the real command in a real process.

These tests are the proof of the ingest promises: every demo article is stored
once with its metadata, every trap ends as designed, a second run adds
nothing, and a run killed with SIGKILL and restarted ends in the same
database as a run that was never interrupted.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from babelwire.demo import WORLD_DIR
from babelwire.demo.manifest import load_manifest
from babelwire.demo.run import STORED
from babelwire.model import Stage
from babelwire.store import Store

pytestmark = pytest.mark.slow


def demo_env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env["BABELWIRE_DATABASE_URL"] = f"sqlite:///{workdir / 'demo.db'}"
    env["BABELWIRE_ARCHIVE_DIR"] = str(workdir / "archive")
    env["BABELWIRE_LOG_LEVEL"] = "ERROR"
    env["BABELWIRE_COMPOSE_PUBLISHER"] = "MIL-OSI"
    return env


def demo_command() -> list[str]:
    return [sys.executable, "-m", "babelwire", "demo"]


def run_demo(workdir: Path) -> subprocess.CompletedProcess[str]:
    workdir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(demo_command(), env=demo_env(workdir), cwd=workdir,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def dump(workdir: Path) -> dict:
    with Store.open(f"sqlite:///{workdir / 'demo.db'}") as store:
        return store.dump()


def test_demo_stores_every_article_once_and_traps_end_as_designed(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    done = run_demo(tmp_path)
    assert "ended as designed" in done.stdout, done.stdout[-4000:]
    manifest = load_manifest(WORLD_DIR)
    with Store.open(f"sqlite:///{tmp_path / 'demo.db'}") as store:
        docs = {doc.url: doc for doc in store.documents()}
    for article in manifest.articles:
        doc = docs[article.url]
        if article.expected == "skipped":
            assert doc.stage == Stage.SKIPPED, article.url
            continue
        assert doc.stage in STORED, (article.url, doc.reason)
        assert doc.extracted is not None
        assert doc.extracted.language == article.language, article.url
        assert doc.extracted.published is not None, article.url
        assert doc.extracted.published.date() == article.published_at.date(), article.url
        assert doc.warc_record_id, article.url
    # Stored exactly once: one row per URL, and nothing the answer key lacks.
    assert len(docs) == len({a.url for a in manifest.articles})
    assert_unami_wire_item(tmp_path)
    if (Path(__file__).resolve().parents[1] / ".." / "shared" / "standards").exists():
        assert_every_item_is_ninjs(tmp_path, request.getfixturevalue("ninjs_validator"))


def assert_every_item_is_ninjs(workdir: Path, validator: Any) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "babelwire", "export", "--format", "ninjs", "--limit", "0"],
        env=demo_env(workdir), cwd=workdir, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    items = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(items) >= 20
    for ninjs in items:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(ninjs)]
        assert errors == [], (ninjs.get("uri"), errors)


DISCLAIMER = (
    "Please note: This information is raw content obtained directly from the source. "
    "It represents an accurate account of the source's assertions and does not "
    "necessarily reflect the position of MIL-OSI or its clients."
)


def assert_unami_wire_item(workdir: Path) -> None:
    """The editor's English version of the UNAMI story, exported as wire text,
    has the reference header, dateline and disclaimer."""
    done = subprocess.run(
        [sys.executable, "-m", "babelwire", "export", "--format", "wire",
         "--source", "demo-un-news-ru"],
        env=demo_env(workdir), cwd=workdir, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    items = [block for block in done.stdout.split("\n\n") if "UNAMI" in block]
    assert len(items) == 1, done.stdout[:2000]
    lines = items[0].strip("\n").split("\n")
    assert lines[1:5] == [
        "Translation. Region: Russian Federation –",
        "Source: United Nations – United Nations –",
        "An important disclaimer is at the bottom of this article.",
        "December 12, 2025 Peace and security",
    ]
    assert lines[0].startswith("UN mission in Iraq")
    assert any("resolution 2732 to end" in line for line in lines)
    assert lines[-1] == DISCLAIMER


def test_second_run_adds_nothing(tmp_path: Path) -> None:
    run_demo(tmp_path)
    first = dump(tmp_path)
    run_demo(tmp_path)
    assert dump(tmp_path) == first


def _stored_so_far(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            row = conn.execute(
                "select count(*) from documents where stage <> 'discovered'"
            ).fetchone()
    except sqlite3.Error:
        return 0
    return int(row[0])


def test_kill_9_mid_run_then_restart_equals_uninterrupted_run(tmp_path: Path) -> None:
    calm, crashed = tmp_path / "uninterrupted", tmp_path / "crashed"
    run_demo(calm)

    crashed.mkdir()
    proc = subprocess.Popen(demo_command(), env=demo_env(crashed), cwd=crashed,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while _stored_so_far(crashed / "demo.db") < 12 and proc.poll() is None:
            assert time.monotonic() < deadline, "the demo never got going"
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    interrupted_at = _stored_so_far(crashed / "demo.db")
    assert 0 < interrupted_at < len(load_manifest(WORLD_DIR).articles)

    run_demo(crashed)
    assert dump(crashed) == dump(calm)
