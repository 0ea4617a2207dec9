"""The reading commands work on a database that ``init`` made, and only then."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Babelwire


def test_init_then_status_documents_and_export(babelwire: Babelwire, tmp_path: Path) -> None:
    before = babelwire("status")
    assert before.code == 1
    assert not (tmp_path / "db").exists()

    made = babelwire("init")
    assert made.code == 0, made.stderr
    assert (tmp_path / "db" / "wire.db").is_file()

    status = babelwire("status", "--json")
    assert status.code == 0, status.stderr
    assert json.loads(status.stdout)["documents"] == 0

    listed = babelwire("documents", "--language", "es", "--limit", "5")
    assert (listed.code, listed.stdout) == (0, ""), listed.stderr

    exported = babelwire("export", "--format", "ninjs", "--output", "items.jsonl")
    assert exported.code == 0, exported.stderr
    assert (tmp_path / "items.jsonl").read_text(encoding="utf-8") == ""
    assert exported.stderr == "babelwire: exported 0 item(s)\n"
