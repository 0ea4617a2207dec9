"""Peak memory of a run with gzip bombs among its feeds, against a plain run.

One loopback server holds a healthy source (a feed and its articles) and
one source per kind of gzip bomb, each served without Content-Encoding, so
discovery, not fetch, inflates it (to the ``max_decompressed_bytes`` cap).
Each run is a fresh ``babelwire run --once`` process; its peak resident set
is its own ``VmHWM``, written as it exits
(tests/discover/hostile_run.py). The baseline, measured in the same run, is
the healthy source by itself. Each side runs ``REPEATS`` times, alternating,
and the median is kept.

    .venv/bin/python bench/hostile_memory.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.discover.hostile_run import (  # noqa: E402  (the support code lives with the tests)
    BOMB_KINDS,
    gzip_bomb,
    run_once,
    serving,
)

REPEATS = 3
#: What each bomb inflates to; far past the default cap of 30 MB.
BOMB_INFLATED_BYTES = 400_000_000


def main() -> None:
    bombs = {f"bomb-{kind}": gzip_bomb(kind, BOMB_INFLATED_BYTES) for kind in BOMB_KINDS}
    plain, hostile = [], []
    with serving(bombs) as port, tempfile.TemporaryDirectory() as tmp:
        for repeat in range(REPEATS):
            plain.append(run_once(Path(tmp) / f"plain-{repeat}", port, ["healthy"]))
            hostile.append(run_once(Path(tmp) / f"hostile-{repeat}", port, ["healthy", *bombs]))
    plain_mb = statistics.median(r.peak_rss_bytes for r in plain) / 1e6
    hostile_mb = statistics.median(r.peak_rss_bytes for r in hostile) / 1e6
    print(f"plain run (one healthy feed): peak RSS {plain_mb:.0f} MB (median of {REPEATS})")
    print(f"with {len(bombs)} gzip bombs of {BOMB_INFLATED_BYTES / 1e6:.0f} MB "
          f"({', '.join(BOMB_KINDS)}): peak RSS {hostile_mb:.0f} MB (median of {REPEATS})")
    print(f"ratio hostile / plain (baseline): {hostile_mb / plain_mb:.2f}x")


if __name__ == "__main__":
    main()
