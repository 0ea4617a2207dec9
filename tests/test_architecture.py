"""The import contract of the package, read from the modules' own imports.

Parts sit on layers, and a module may import only from its own layer or
below: an import from a lower layer up to a higher one, or any circle between
modules, fails here with the edges that make it. The layers, lowest first:

    ground   model, errors, settings, log, libxml (and the package itself)
    stages   fetch, discover, extract, dedup, translate, compose, enrich, catalog
    store    the only part that speaks SQL
    run      orchestration: stages composed, resources, runners, tasks;
             subscribe (deliveries after publication, called by the runners)
    publish  web UI, JSON API, feeds, metrics
    top      cli, demo, and the ``python -m babelwire`` entry point

A new top-level module or sub-package must be given its layer here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "babelwire"

LAYERS: dict[str, int] = {
    **dict.fromkeys(["", "model", "errors", "settings", "log", "libxml"], 0),
    **dict.fromkeys(
        ["fetch", "discover", "extract", "dedup", "translate", "compose", "enrich", "catalog"], 1),
    "store": 2,
    **dict.fromkeys(["run", "subscribe"], 3),
    **dict.fromkeys(["publish", "metrics"], 4),
    **dict.fromkeys(["cli", "demo", "__main__"], 5),
}
LAYER_NAMES = ("ground", "stages", "store", "run", "publish", "top")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {
    _module_name(path): path for path in (SRC / PACKAGE).rglob("*.py")
}


def _imported(name: str, path: Path) -> Iterator[str]:
    """The package's modules that ``name`` imports, at any depth of its code.

    ``from babelwire.store import rows`` depends on the module ``rows``,
    not on the package's ``__init__``; ``from babelwire.store import Store``
    depends on the package.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if not target.startswith(PACKAGE):
                continue
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:
                    yield f"{target}.{alias.name}"
                elif target in MODULES:
                    yield target


GRAPH: dict[str, set[str]] = {
    name: set(_imported(name, path)) - {name} for name, path in MODULES.items()
}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_every_part_has_a_layer() -> None:
    assert sorted({_part(m) for m in MODULES} - set(LAYERS)) == []


def test_no_import_runs_from_a_lower_layer_to_a_higher_one() -> None:
    upward = sorted(
        f"{module} ({LAYER_NAMES[LAYERS[_part(module)]]}) imports "
        f"{target} ({LAYER_NAMES[LAYERS[_part(target)]]})"
        for module, targets in GRAPH.items()
        for target in targets
        if LAYERS.get(_part(target), 0) > LAYERS.get(_part(module), 0)
    )
    assert upward == []


def test_no_module_circles() -> None:
    assert _circles(GRAPH) == []


def test_no_circles_between_parts() -> None:
    parts: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        parts.setdefault(_part(module), set()).update(
            _part(t) for t in targets if _part(t) != _part(module))
    assert _circles(parts) == []


@pytest.mark.parametrize(("graph", "circle"), [
    ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": set()}, []),
])
def test_the_circle_finder_finds_circles(graph: dict[str, set[str]],
                                         circle: list[list[str]]) -> None:
    assert _circles(graph) == circle


def test_the_graph_sees_the_imports_it_judges() -> None:
    """Guards the reader itself: a known edge is found, and a ``from package
    import module`` import counts as the module, not the package."""
    assert "babelwire.store.store" in GRAPH["babelwire.store"]
    assert "babelwire.run.stages" in GRAPH["babelwire.run.runner"]
    assert "babelwire.store" not in GRAPH["babelwire.store.documents"]
