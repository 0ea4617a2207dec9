"""Every input the fuzzer ever found failing, run again through its target.

The fixtures in ``data/`` are named ``<target>-<digest>.bin``. Each one once
raised out of its entry point or held it for a minute (a feedparser pattern
on a long first line, a quadratic walk in the listing reader); now each must
return. Hang guard only, no timing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .targets import REGRESSIONS, TARGETS

FIXTURES = sorted(REGRESSIONS.glob("*.bin"))


def test_there_are_fixtures() -> None:
    assert FIXTURES, "tests/fuzz/data holds the fuzzer's past findings"


@pytest.mark.timeout(120, method="thread")
@pytest.mark.parametrize("path", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_past_finding_runs_clean(path: Path) -> None:
    target = path.name.partition("-")[0]
    TARGETS[target](path.read_bytes())
