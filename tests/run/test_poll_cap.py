"""The cap on fetches per source per poll, on a sitemap index whose children
are indexes: newest first within the cap, the rest left for the next poll
(and said so by ``status``), and nothing read twice while the tree is walked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from babelwire.store import Store

#: Months listed oldest, newest, middle: the walk must not follow the listing.
MONTHS = ["2025-10", "2025-12", "2025-11"]


def _story_days(store: Store) -> list[str]:
    return sorted(d.url.rsplit("story-", 1)[1].removesuffix(".html")
                  for d in store.documents(source_id="tree"))


def test_a_sitemap_tree_is_read_newest_first_over_several_polls(
    world: Any, store: Store, make_runner: Any,
) -> None:
    source = world.add_sitemap_tree("tree", MONTHS, per_month=3)
    runner = make_runner([source], max_fetches_per_poll=5)

    first = runner.run_once()
    # The root index, December's index and December's three daily sitemaps.
    assert [h for h in world.hits if h.endswith(".xml")] == [
        "/tree/sitemap.xml", "/tree/index-2025-12.xml", "/tree/news-2025-12-03.xml",
        "/tree/news-2025-12-02.xml", "/tree/news-2025-12-01.xml"]
    assert _story_days(store) == ["2025-12-01", "2025-12-02", "2025-12-03"]
    assert first.left == {"tree": 2}
    assert store.queued_counts() == {"tree": 2}

    world.hits.clear()
    second = runner.run_once()  # due at once: the walk goes on where it stopped
    reads = [h for h in world.hits if h.endswith(".xml")]
    assert reads[:2] == ["/tree/sitemap.xml", "/tree/index-2025-11.xml"]
    assert not any("2025-12" in h for h in reads), "December was read less than a poll ago"
    assert second.left == {"tree": 1}

    world.hits.clear()
    third = runner.run_once()
    assert third.left == {}
    assert store.queued_counts() == {}
    assert len(_story_days(store)) == 9
    assert sum(1 for h in world.hits if h.endswith(".xml")) <= 5


def test_status_says_what_was_left_for_the_next_poll(
    world: Any, store: Store, make_runner: Any,
) -> None:
    source = world.add_sitemap_tree("tree", MONTHS, per_month=3)
    make_runner([source], max_fetches_per_poll=5).run_once()
    url = store._engine.url.render_as_string(hide_password=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env["BABELWIRE_DATABASE_URL"] = url
    done = subprocess.run([sys.executable, "-m", "babelwire", "status", "--json"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sources"]["tree"]["left_for_next_poll"] == 2
    table = subprocess.run([sys.executable, "-m", "babelwire", "status"],
                           env=env | {"COLUMNS": "240"},
                           capture_output=True, text=True, timeout=120)
    assert "left for next poll" in table.stdout


def test_without_the_cap_the_whole_tree_is_read_in_one_poll(
    world: Any, store: Store, make_runner: Any,
) -> None:
    source = world.add_sitemap_tree("tree", MONTHS, per_month=3)
    report = make_runner([source]).run_once()
    assert report.left == {}
    assert len(_story_days(store)) == 9
