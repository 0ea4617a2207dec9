"""The store sits below the surfaces that call it: no module of store/
imports publish (or anything above the store), and no two store modules
import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import babelwire.store

STORE_DIR = Path(babelwire.store.__file__).parent
#: Parts above the store: they call it, it never calls them.
ABOVE = ("babelwire.publish", "babelwire.run", "babelwire.cli", "babelwire.demo")


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, TYPE_CHECKING blocks included."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def module_name(path: Path) -> str:
    relative = path.relative_to(STORE_DIR.parent).with_suffix("")
    return "babelwire." + ".".join(relative.parts).removesuffix(".__init__")


def store_modules() -> dict[str, set[str]]:
    return {module_name(path): imported(path) for path in sorted(STORE_DIR.rglob("*.py"))}


def test_the_store_imports_nothing_above_it() -> None:
    upward = {module: sorted(name for name in names if name.startswith(ABOVE))
              for module, names in store_modules().items()}
    assert {module: names for module, names in upward.items() if names} == {}


def test_no_two_store_modules_import_each_other() -> None:
    modules = store_modules()
    # A package's __init__ naming its own modules is not a circle.
    packages = {module_name(path) for path in STORE_DIR.rglob("__init__.py")}
    circles = sorted(
        (a, b) for a, names in modules.items() for b in modules
        if a < b and b in names and a in modules[b] and not {a, b} & packages
    )
    assert circles == []
