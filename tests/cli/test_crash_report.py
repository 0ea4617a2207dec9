"""A process that dies inside a C library still says where it was.

An allocator abort or a segfault ends the process before any Python handler
runs; the command line turns on the fault handler so that stderr then holds
the Python stack of every thread.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import TIMEOUT_S

_ABORT_AFTER_MAIN = """
import os
from babelwire.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
os.abort()  # what glibc does on "double free or corruption"
"""


def test_a_fatal_signal_after_start_up_prints_the_python_stack(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("BABELWIRE_") and k != "PYTHONFAULTHANDLER"}
    done = subprocess.run([sys.executable, "-c", _ABORT_AFTER_MAIN], capture_output=True,
                          text=True, cwd=tmp_path, env=env, timeout=TIMEOUT_S, check=False)
    assert done.returncode < 0
    assert "Fatal Python error: Aborted" in done.stderr
    assert "most recent call first" in done.stderr
