"""A run with gzip bombs among its feeds stays under a memory ceiling and loses nothing.

Four feeds inflate, without Content-Encoding, to 300 MB each: blanks, a flood
of entries, non-ASCII text in one element, line breaks. The ceiling is
generous (a plain run peaks near 210 MB; these bombs once took 785 MB, and
the flood of entries minutes and gigabytes); bench/hostile_memory.py
measures the precise figure against a plain run.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .hostile_run import ARTICLES, BOMB_KINDS, gzip_bomb, run_once, serving

PEAK_RSS_CEILING_BYTES = 400_000_000
BOMB_INFLATED_BYTES = 300_000_000


@pytest.mark.timeout(600)
def test_a_run_with_four_gzip_bombs_stays_under_the_ceiling_and_stores_the_healthy_source(
    tmp_path: Path,
) -> None:
    bombs = {f"bomb-{kind}": gzip_bomb(kind, BOMB_INFLATED_BYTES) for kind in BOMB_KINDS}
    with serving(bombs) as port:
        ran = run_once(tmp_path, port, ["healthy", *bombs])
    assert "Traceback" not in ran.stderr
    assert ran.peak_rss_bytes <= PEAK_RSS_CEILING_BYTES, f"{ran.peak_rss_bytes / 1e6:.0f} MB"
    with sqlite3.connect(ran.database) as db:
        stages = dict(db.execute("SELECT url, stage FROM documents WHERE source_id = 'healthy'"))
    assert len(stages) == ARTICLES and "failed" not in stages.values(), stages
    assert "skipped" not in stages.values() and "discovered" not in stages.values(), stages
    for name in bombs:
        lines = [line for line in ran.stderr.splitlines() if f"/{name}/feed.xml" in line]
        assert len(lines) == 1, (name, lines)
        assert "gzip body inflates past 30000000 bytes; read that much" in lines[0]


def test_a_forked_worker_reads_a_large_body_on_a_thread_of_its_own() -> None:
    # Celery's prefork pool forks after the parent may have read one.
    script = """
import gzip, os
from datetime import UTC, datetime
from babelwire.discover import discover_feed
from babelwire.model import Fetched, Source
body = gzip.compress(b"<rss><channel><item><link>http://a.example/1</link></item></channel></rss>")
fetched = Fetched(url="http://a.example/f.xml", final_url="http://a.example/f.xml", status=200,
                  headers=(), body=body, fetched_at=datetime.now(UTC))
source = Source(id="s", name="S", desk="D", region="R", languages=("en",))
assert len(discover_feed(fetched, source).entries) == 1
pid = os.fork()
if pid == 0:
    os._exit(0 if len(discover_feed(fetched, source).entries) == 1 else 1)
assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
"""
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0, ran.stderr
