"""Run ``babelwire`` as a user does: a fresh process, a clean environment.

Every command runs with ``python -m babelwire`` in a temporary directory, with
its own SQLite database, archive, catalog and model folders named by the
environment, and no ``BABELWIRE_*`` variable from the calling shell (the test
harness's own BABELWIRE_TEST_* ones excepted). Nothing reaches the network:
the only addresses named are on 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .running import Ran

#: Generous: a hang guard, not a speed check.
TIMEOUT_S = 120


Babelwire = Callable[..., Ran]


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("BABELWIRE_") or k.startswith("BABELWIRE_TEST_")}
    env.update({
        "BABELWIRE_DATABASE_URL": f"sqlite:///{tmp_path / 'db' / 'wire.db'}",
        "BABELWIRE_ARCHIVE_DIR": str(tmp_path / "archive"),
        "BABELWIRE_CATALOG_DIR": str(tmp_path / "catalog"),
        "BABELWIRE_TRANSLATE_MODELS_DIR": str(tmp_path / "models"),
        # Only engines that need no network and no download.
        "BABELWIRE_TRANSLATE_ENGINES": "apertium",
        "COLUMNS": "200",
    })
    return env


@pytest.fixture
def babelwire(tmp_path: Path, cli_env: dict[str, str]) -> Babelwire:
    """Run one command; keyword ``env`` adds variables, ``stdin`` is bytes."""

    def run(*args: str, env: dict[str, str] | None = None, stdin: bytes = b"") -> Ran:
        done = subprocess.run(
            [sys.executable, "-m", "babelwire", *args],
            input=stdin, capture_output=True, cwd=tmp_path,
            env={**cli_env, **(env or {})}, timeout=TIMEOUT_S, check=False,
        )
        return Ran(done.returncode, done.stdout.decode("utf-8", "replace"),
                   done.stderr.decode("utf-8", "replace"))

    return run
