"""Glossary lint: a broken glossary is reported like a broken source."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from babelwire.catalog import check_glossary, load_catalog

GLOSSARIES = Path(__file__).parent / "data" / "glossaries"


def test_a_sound_glossary_has_no_problems() -> None:
    assert check_glossary(GLOSSARIES / "sound.toml") == ()


@pytest.mark.parametrize(
    ("name", "field", "words"),
    [
        ("duplicate-term.toml", "term[1].source", "'Минфин' is already term[0]"),
        ("unknown-key.toml", "term[0].comment", "unknown key 'comment'"),
        ("empty-target.toml", "term[0].target", "must not be empty"),
    ],
)
def test_each_fault_is_one_line(name: str, field: str, words: str) -> None:
    problems = check_glossary(GLOSSARIES / name, f"glossaries/{name}")
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"catalog: glossaries/{name}: {field}: ")
    assert words in str(problems[0])


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "g.toml").write_text("[[term]\n")
    assert "not valid TOML" in str(check_glossary(tmp_path / "g.toml")[0])
    assert "cannot read" in str(check_glossary(tmp_path / "absent.toml")[0])
    (tmp_path / "empty.toml").write_text("term = []\n")
    assert "needs at least one [[term]]" in str(check_glossary(tmp_path / "empty.toml")[0])


def test_a_catalog_reports_its_sources_broken_glossary_once(tmp_path: Path) -> None:
    (tmp_path / "glossaries").mkdir()
    shutil.copy(GLOSSARIES / "duplicate-term.toml", tmp_path / "glossaries" / "ru.toml")
    table = (
        '[[source]]\nid = "{id}"\nname = "N"\nregion = "R"\nlanguages = ["ru"]\n'
        'feeds = ["https://{id}.example/rss"]\nglossary = "glossaries/ru.toml"\n'
    )
    (tmp_path / "ru.toml").write_text(table.format(id="one") + "\n" + table.format(id="two"))
    catalog = load_catalog(tmp_path)
    # The sources still load: a glossary improves a translation, it does not gate it.
    assert [s.id for s in catalog.sources] == ["one", "two"]
    assert [p.field for p in catalog.problems] == ["term[1].source"]
    assert catalog.problems[0].file == str(tmp_path / "glossaries" / "ru.toml")
