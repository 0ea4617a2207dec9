"""``make demo`` installs what the demo needs the way ``make test`` does, or says
in one line which packages are missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _stub_path(folder: Path) -> str:
    """A PATH on which Apertium is missing and the user is not root."""
    folder.mkdir()
    for tool in ("grep", "ls", "cat"):
        real = shutil.which(tool)
        assert real is not None
        (folder / tool).symlink_to(real)
    stubs = {"id": "echo 1000", "dpkg-query": "exit 1", "apt-get": "echo apt-get >&2; exit 9"}
    for name, body in stubs.items():
        script = folder / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
    return str(folder)


def test_system_deps_for_the_demo_names_the_missing_packages_in_one_line(
    tmp_path: Path,
) -> None:
    env = dict(os.environ, PATH=_stub_path(tmp_path / "bin"))
    done = subprocess.run(["/bin/bash", str(ROOT / "scripts" / "system-deps"), "demo"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "apertium apertium-eng-spa" in lines[0] and "postgresql" not in lines[0]


def test_make_demo_installs_the_demo_packages_first() -> None:
    make = shutil.which("make")
    assert make is not None
    done = subprocess.run([make, "-n", "-C", str(ROOT), "demo"], capture_output=True,
                          text=True, timeout=60)
    lines = done.stdout.splitlines()
    deps = next(i for i, line in enumerate(lines) if "scripts/system-deps demo" in line)
    demo = next(i for i, line in enumerate(lines) if line.endswith("babelwire demo"))
    assert deps < demo
