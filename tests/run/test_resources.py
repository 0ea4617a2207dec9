"""What a run holds, and what the run package may import."""

from __future__ import annotations

import ast
from pathlib import Path

from babelwire.model import Source
from babelwire.run.resources import known_sources
from babelwire.settings import Settings
from babelwire.store import Store

RUN_DIR = Path(__file__).resolve().parents[2] / "src" / "babelwire" / "run"


def test_known_sources_include_stored_sources_the_catalog_does_not_list(
    store: Store, tmp_path: Path,
) -> None:
    """A world the runner polled (the demo's, say) stays known to serve and edit
    without any module importing it."""
    elsewhere = Source(id="elsewhere-ru", name="Ministry Elsewhere", desk="Press service",
                       region="Elsewhere", languages=("ru",), feeds=("http://x.test/f",))
    store.upsert_sources([elsewhere])
    settings = Settings.load({}, catalog_dir=str(tmp_path / "none"))
    known = {s.id: s for s in known_sources(settings, store)}
    assert (known["elsewhere-ru"].name, known["elsewhere-ru"].desk,
            known["elsewhere-ru"].region, known["elsewhere-ru"].languages) == (
        "Ministry Elsewhere", "Press service", "Elsewhere", ("ru",))
    assert len(known) > 1  # the bundled catalog comes first


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_run_package_never_imports_its_callers() -> None:
    callers = ("babelwire.cli", "babelwire.demo", "babelwire.publish")
    found = {
        f"{path.name}: {name}"
        for path in RUN_DIR.glob("*.py")
        for name in _imports(path)
        if name.startswith(callers)
    }
    assert found == set()


def test_the_cli_and_the_demo_do_not_import_each_other() -> None:
    src = RUN_DIR.parent
    assert not any(n.startswith("babelwire.demo") for n in _imports(src / "cli" / "ingest.py"))
    assert not any(n.startswith("babelwire.cli") for n in _imports(src / "demo" / "run.py"))
