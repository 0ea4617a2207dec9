"""Country codes found on demo pages against expected_places.toml, with pinned floors."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from babelwire.demo import WORLD_DIR
from babelwire.demo.manifest import load_manifest
from babelwire.demo.world import file_for
from babelwire.enrich import EnrichTables, enrich_document
from babelwire.extract import extract
from babelwire.model import Document, Stage

EXPECTED = Path(__file__).parent / "expected_places.toml"


def test_country_codes_on_demo_pages(tables: EnrichTables) -> None:
    articles = load_manifest(WORLD_DIR).by_url()
    found_total = wanted_total = right = 0
    misses = []
    for page in tomllib.loads(EXPECTED.read_text(encoding="utf-8"))["page"]:
        article = articles[page["url"]]
        parts = urlsplit(article.url)
        path = file_for(WORLD_DIR, parts.hostname or "", parts.path)
        assert path is not None
        extracted = extract(path.read_bytes().decode(article.charset), url=article.url)
        document = Document(id=article.url, source_id=article.source_id, url=article.url,
                            stage=Stage.EXTRACTED, extracted=extracted)
        found = set(enrich_document(document, None, tables).country_codes)
        wanted = set(page["countries"])
        found_total, wanted_total = found_total + len(found), wanted_total + len(wanted)
        right += len(found & wanted)
        if found != wanted:
            misses.append((article.url, sorted(found - wanted), sorted(wanted - found)))
    precision, recall = right / found_total, right / wanted_total
    print(f"places: precision {precision:.2f}, recall {recall:.2f} over {wanted_total} "
          f"expected countries; differences: {misses}")
    assert precision >= 0.9 and recall >= 0.9, misses
