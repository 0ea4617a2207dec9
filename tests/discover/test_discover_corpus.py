"""discover_feed on every feed of the shared offline corpus (skipped when it is absent).

For each file, a Fetched is built by hand the way fetch would hand it over:
the bytes, and the charset the file declares (or None), which is often wrong
on purpose. Well-formed feeds must give entries with absolute http(s) URLs
and readable titles; malformed ones must say so in the error line.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from babelwire.discover import discover_feed
from babelwire.model import Fetched, Source

#: Well-formed files whose only entries have no link at all (hand-made upstream
#: test cases); they must yield no entry and say why.
LINKLESS = frozenset(
    {
        "xx_atom_empty-entry.atom",
        "en_complex-namespaces.atom",  # only rel="self" and a urn: id
        "ko_invalid-encoding-prolog.xml",
        "ru_koi8-r_undeclared.xml",
    }
)
#: A title in these languages must contain a letter of the script, which
#: proves the charset (or the double-encoding repair) was right.
SCRIPTS = {
    "ru": "[\u0400-\u04ff]",
    "bg": "[\u0400-\u04ff]",
    "el": "[\u0370-\u03ff]",
    "he": "[\u0590-\u05ff]",
    "ur": "[\u0600-\u06ff]",
    "th": "[\u0e00-\u0e7f]",
    "ko": "[\uac00-\ud7af]",
    "ja": "[\u3040-\u30ff\u4e00-\u9fff]",
    "zh": "[\u4e00-\u9fff]",
    "pl": "[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]",
    "hu": "[áéíóöőúüű]",
}
# UTF-8 read as a single-byte code page: "Ã©", "Ð¾", "Ñ\x81".
MOJIBAKE = re.compile(
    "[ÂÃÐÑ][\x80-\xbf\u2018-\u203a\u0152\u0153\u0160\u0161\u017d\u017e\u20ac\u2122]"
)
NO_ITEMS = re.compile(r"; 0 entries\.")


def _rows(corpus_dir: Path) -> list[dict[str, Any]]:
    lines = (corpus_dir / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [row for row in map(json.loads, lines) if row["kind"] == "feed"]


def _fetched(corpus_dir: Path, row: dict[str, Any]) -> Fetched:
    url = row["url"] or f"https://corpus.example/{row['path']}"
    return Fetched(
        url=url,
        final_url=url,
        status=200,
        headers=(),
        body=(corpus_dir / row["path"]).read_bytes(),
        fetched_at=datetime(2025, 12, 12, tzinfo=UTC),
        charset=row["declared_charset"],
    )


def _problems(row: dict[str, Any], result: Any) -> list[str]:
    name = row["path"].removeprefix("feeds/")
    urls = [entry.url for entry in result.entries]
    problems = [f"bad URL {u}" for u in urls if not u.startswith(("http://", "https://"))]
    if len(set(urls)) != len(urls):
        problems.append("duplicate URLs")
    if any(e.published and e.published.utcoffset() is None for e in result.entries):
        problems.append("naive published datetime (the store requires a zone)")
    titles = [entry.title for entry in result.entries if entry.title]
    problems += [f"garbled title {t!r}" for t in titles if "\ufffd" in t or MOJIBAKE.search(t)]
    if row["malformed"]:
        if not (result.error or "").startswith("discover: "):
            problems.append("malformed but no error line")
    elif name in LINKLESS:
        if urls or "no usable http(s) URL" not in (result.error or ""):
            problems.append(f"expected no entries and a reason, got {len(urls)}: {result.error}")
    elif NO_ITEMS.search(row["notes"]):
        if urls or result.error:
            problems.append("expected an empty, error-free result")
    elif not urls:
        problems.append(f"no entries ({result.error})")
    script = SCRIPTS.get(row["lang"] or "")
    if script and titles and not any(re.search(script, t) for t in titles):
        problems.append(f"no title in the {row['lang']} script: {titles[0]!r}")
    return problems


@pytest.mark.corpus
def test_every_corpus_feed(corpus_dir: Path) -> None:
    source = Source(id="corpus", name="Corpus", desk="Test", region="Test", languages=())
    failures: list[str] = []
    counts = {"files": 0, "entries": 0, "with_error": 0, "malformed": 0}
    for row in _rows(corpus_dir):
        result = discover_feed(_fetched(corpus_dir, row), source)
        counts["files"] += 1
        counts["entries"] += len(result.entries)
        counts["with_error"] += result.error is not None
        counts["malformed"] += bool(row["malformed"])
        failures += [f"{row['path']}: {p}" for p in _problems(row, result)]
    print(f"discover corpus: {counts}")
    assert counts["files"] >= 70
    assert not failures, "\n".join(failures)
