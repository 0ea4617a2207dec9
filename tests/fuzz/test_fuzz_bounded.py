"""A small fuzz run in the normal suite: every target, a few dozen cases each.

``make fuzz`` runs 100,000 cases and also fails a case over 2 s; here only
exceptions count (no timing in tests), and a generous hang guard stops a run
that never ends. Findings are kept out of ``data/`` so a failing run does not
add fixtures by itself; ``make fuzz`` writes those.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import run_target
from .targets import TARGETS

CASES_PER_TARGET = 60


@pytest.mark.timeout(900, method="thread")
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_target_survives_generated_inputs(target: str, tmp_path: Path) -> None:
    report = run_target(
        target, CASES_PER_TARGET, random_seed=12, slow_s=None, stuck_s=300, fixtures=tmp_path
    )
    assert report.cases == CASES_PER_TARGET
    assert [(f.kind, f.where, f.message) for f in report.failures] == []
