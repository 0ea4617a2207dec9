"""The demo world through the real command, on both backends: every item it
publishes is enriched, carries IPTC topics and (most) countries, and can be
found by them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from babelwire.compose import to_ninjs
from babelwire.enrich.ninjs import ninjs_extras
from babelwire.store import Store
from babelwire.store.query import ItemQuery

pytestmark = pytest.mark.slow


def _run_demo(database_url: str, workdir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env.update(BABELWIRE_DATABASE_URL=database_url, BABELWIRE_ARCHIVE_DIR=str(workdir / "archive"),
               BABELWIRE_LOG_LEVEL="ERROR")
    done = subprocess.run([sys.executable, "-m", "babelwire", "demo"], env=env, cwd=workdir,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]


def test_demo_items_carry_countries_and_topics(
    database_url: str, tmp_path: Path, ninjs_validator: Any
) -> None:
    _run_demo(database_url, tmp_path)
    with Store.open(database_url) as store:
        page = store.items(ItemQuery(limit=500, with_facets=True))
        items = page.items
        assert items
        enriched = store.enrichments(item.document_id for item in items)
        # The item an editor published by hand skips the runner's wire step.
        assert len(enriched) >= len(items) - 1
        assert all(found.topics for found in enriched.values())
        with_places = [found for found in enriched.values() if found.country_codes]
        assert len(with_places) >= len(enriched) * 2 // 3
        assert page.enrichments == enriched
        for item in items:
            found = enriched.get(item.document_id)
            if found is None:
                continue
            ninjs = to_ninjs(item, base_url="http://127.0.0.1:8000",
                             extras=ninjs_extras(found))
            assert not list(ninjs_validator.iter_errors(ninjs)), item.id
            assert any(s.get("literal", "").startswith("medtop:") for s in ninjs["subjects"])
        # Facets and filters come from the same rows.
        country, count = page.facets["country"][0]
        assert len(store.items(ItemQuery(country=country, limit=500)).items) == count
        topic, count = page.facets["topic"][0]
        assert len(store.items(ItemQuery(text=f"topic:{topic}", limit=500)).items) == count
