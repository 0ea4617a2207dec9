"""A command loads only what it needs: the import set at start-up, checked.

``babelwire --help`` and a short ``babelwire translate --from es`` once took
0.4 s and 0.7 s of imports and data loading before any work; the modules named
here were most of it. The check is on what is imported, not on a time, so it
holds on a loaded machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import TIMEOUT_S

#: Runs the entry point as the console script does, then writes the names of
#: every module loaded, one a line, to the file named by the first argument.
_PROBE = """
import sys
from babelwire.cli import main
report, sys.argv[1:] = sys.argv[1], sys.argv[2:]
try:
    main(sys.argv[1:])
except SystemExit:
    pass
with open(report, "w") as out:
    out.write("\\n".join(sorted(sys.modules)))
"""

#: Heavy libraries and parts no start-up needs before a command asks for them.
NEVER_AT_START = ("sqlalchemy", "lxml", "celery", "httpx", "ctranslate2", "sentencepiece",
                  "pycountry", "babelwire.store", "babelwire.compose", "babelwire.publish")
#: Beyond those, listing the commands needs no part of the pipeline at all.
NOT_FOR_HELP = ("babel", "pydantic", "babelwire.translate", "babelwire.run")


def _modules(tmp_path: Path, args: list[str], stdin: str = "") -> set[str]:
    report = tmp_path / "modules.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    subprocess.run(
        [sys.executable, "-c", _PROBE, str(report), *args], input=stdin.encode(),
        capture_output=True, cwd=tmp_path, env=env, timeout=TIMEOUT_S, check=False,
    )
    return set(report.read_text().splitlines())


def _loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules for p in packages if m == p or m.startswith(p + "."))


def test_help_loads_no_pipeline_part(tmp_path: Path) -> None:
    modules = _modules(tmp_path, ["--help"])
    assert "babelwire.cli" in modules
    assert _loaded(modules, NEVER_AT_START + NOT_FOR_HELP) == []


def test_translate_loads_only_the_translate_stage(tmp_path: Path) -> None:
    # No figure in the text: no CLDR data (Babel) is needed either.
    modules = _modules(tmp_path, ["translate", "--from", "es"], stdin="hola\n")
    assert "babelwire.translate.translator" in modules
    assert _loaded(modules, (*NEVER_AT_START, "babel")) == []


def test_a_misspelt_variable_is_still_caught_by_its_part(tmp_path: Path) -> None:
    # The parts' settings rows load only for a variable the ingest rows do not
    # name; such a variable must still be judged against every part.
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    ran = subprocess.run(
        [sys.executable, "-m", "babelwire", "translate", "--from", "es"], input=b"hola\n",
        capture_output=True, cwd=tmp_path, timeout=TIMEOUT_S, check=False,
        env={**env, "BABELWIRE_TRANSLTE_ENGINES": "apertium"},
    )
    assert ran.returncode != 0
    assert b"did you mean BABELWIRE_TRANSLATE_ENGINES?" in ran.stderr
