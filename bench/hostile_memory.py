"""Peak memory and CPU of runs with hostile sources among their sources, against a plain run.

One loopback server holds a healthy source (a feed and its articles) and
the hostile ones, each served gzipped without Content-Encoding, so
discovery, not fetch, inflates it (to the ``max_decompressed_bytes`` cap).
Two hostile sets:

- four gzip bombs, one source each: blanks, a flood of entries, non-ASCII
  text in one element, line breaks (issue 7: peak RSS at most 300 MB);
- a sitemap bomb: one sitemap of ``SITEMAP_LINKS`` distinct links.

Every run groups its items with the story embedding model, but for one
more plain run that measures what the model adds.

Each run is a fresh ``babelwire run --once`` process; its peak resident set
is its own ``VmHWM``, written as it exits, and its CPU time its own user and
system time (tests/discover/hostile_run.py). The baseline, measured in the
same run, is the healthy source by itself. Each set runs ``REPEATS`` times,
alternating, and the median is kept.

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
    Ran,
    gzip_bomb,
    run_once,
    serving,
    sitemap_bomb,
)

REPEATS = 3
#: What each bomb inflates to; far past the default cap of 30 MB.
BOMB_INFLATED_BYTES = 400_000_000
#: Links in the sitemap bomb: 60 MB of sitemap, cut at the cap near 380,000.
SITEMAP_LINKS = 750_000


def main() -> None:
    bombs = {f"bomb-{kind}": gzip_bomb(kind, BOMB_INFLATED_BYTES) for kind in BOMB_KINDS}
    sets = {
        "plain run (one healthy feed)": ["healthy"],
        "plain run without the story embedding model": ["healthy"],
        f"4 gzip bombs of {BOMB_INFLATED_BYTES / 1e6:.0f} MB ({', '.join(BOMB_KINDS)})":
            ["healthy", *bombs],
        f"a sitemap bomb of {SITEMAP_LINKS:,} links": ["healthy", "sitemap-bomb"],
    }
    runs: dict[str, list[Ran]] = {name: [] for name in sets}
    with serving({**bombs, "sitemap-bomb": sitemap_bomb(SITEMAP_LINKS)}) as port, \
            tempfile.TemporaryDirectory() as tmp:
        for repeat in range(REPEATS):
            for number, (name, sources) in enumerate(sets.items()):
                runs[name].append(run_once(Path(tmp) / f"{number}-{repeat}", port, sources,
                                           story_embeddings="without" not in name))
    plain_mb = statistics.median(r.peak_rss_bytes for r in runs["plain run (one healthy feed)"])
    for name, ran in runs.items():
        peak_mb = statistics.median(r.peak_rss_bytes for r in ran) / 1e6
        cpu_s = statistics.median(r.cpu_s for r in ran)
        print(f"{name}: peak RSS {peak_mb:.0f} MB ({peak_mb * 1e6 / plain_mb:.2f}x plain), "
              f"CPU {cpu_s:.1f} s (median of {REPEATS})")


if __name__ == "__main__":
    main()
