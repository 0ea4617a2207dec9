"""``add_source``: validated first, appended as text, read back exactly."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from babelwire.catalog import add_source, check_source_fields, load_catalog
from babelwire.catalog.writer import toml_string
from babelwire.errors import CatalogError
from babelwire.model import Listing

FIELDS = {
    "id": "mofa-example",
    "name": 'Ministry of "Quoted" Affairs \\ Backslash',
    "desk": "Пресс-служба",
    "region": "Côte d'Ivoire",
    "languages": ["fr", "en"],
    "category": "government",
    "homepage": "https://mofa.example/",
    "feeds": ["https://mofa.example/rss?lang=fr&x=1"],
    "poll_interval": "2h",
    "glossary": "glossaries/un-ru.toml",
    "notes": "line one\nline two\ttabbed \x07 bell",
    "listings": [
        {
            "url": "https://mofa.example/news/",
            "link_selector": "a[href*='/news/']",
            "date_selector": "time",
        },
    ],
}


def test_round_trip_into_a_new_directory(tmp_path: Path) -> None:
    directory = tmp_path / "catalog"
    path = add_source(directory, FIELDS)
    assert path == directory / "local.toml"
    catalog = load_catalog(directory)
    assert catalog.problems == ()
    source = catalog.get("mofa-example")
    assert (source.name, source.desk, source.region) == (
        FIELDS["name"],
        FIELDS["desk"],
        FIELDS["region"],
    )
    assert source.languages == ("fr", "en")
    assert source.feeds == ("https://mofa.example/rss?lang=fr&x=1",)
    assert source.listings == (Listing("https://mofa.example/news/", "a[href*='/news/']", "time"),)
    assert source.poll_interval_s == 7200
    assert source.notes == FIELDS["notes"]
    assert source.glossary is not None and source.glossary.endswith("un-ru.toml")


def test_extending_a_file_keeps_its_text_and_sources(tmp_path: Path) -> None:
    first = (
        "# my sources, hand written\n\n"
        + (Path(__file__).parent / "data" / "good.toml").read_text()
    )
    (tmp_path / "mine.toml").write_text(first)
    add_source(tmp_path, FIELDS, file_name="mine.toml")
    text = (tmp_path / "mine.toml").read_text()
    assert text.startswith(first.rstrip("\n"))
    assert [s.id for s in load_catalog(tmp_path).sources] == ["other-good", "mofa-example"]


def test_minimal_fields_get_the_defaults(tmp_path: Path) -> None:
    add_source(
        tmp_path,
        {
            "id": "tiny",
            "name": "Tiny",
            "region": "Testland",
            "languages": ["en"],
            "sitemaps": ["https://tiny.example/s.xml"],
        },
    )
    source = load_catalog(tmp_path).get("tiny")
    assert (source.desk, source.category, source.poll_interval_s) == ("Tiny", "government", 1800)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "un-news-ru"}, "id"),  # taken by the bundled catalog
        ({"feeds": ["ftp://x"]}, "feeds[0]"),
        ({"languages": ["english"]}, "languages[0]"),
        ({"glossary": "glossaries/none.toml"}, "glossary"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_fields_raise_and_write_nothing(
    change: dict[str, object], field: str, tmp_path: Path
) -> None:
    with pytest.raises(CatalogError) as caught:
        add_source(tmp_path, {**FIELDS, **change})
    assert caught.value.field == field
    assert str(caught.value).startswith(f"catalog: {tmp_path / 'local.toml'}: {field}: ")
    assert list(tmp_path.iterdir()) == []


def test_an_id_already_in_the_directory_is_refused(tmp_path: Path) -> None:
    add_source(tmp_path, FIELDS)
    before = (tmp_path / "local.toml").read_text()
    problems = check_source_fields(tmp_path, {**FIELDS, "name": "Other"})
    assert [p.field for p in problems] == ["id"]
    assert "taken by" in problems[0].problem
    with pytest.raises(CatalogError):
        add_source(tmp_path, FIELDS, file_name="other.toml")
    assert (tmp_path / "local.toml").read_text() == before
    assert not (tmp_path / "other.toml").exists()


def test_check_lists_every_problem(tmp_path: Path) -> None:
    problems = check_source_fields(tmp_path, {"id": "X", "name": "", "languages": []})
    assert {p.field for p in problems} == {"id", "name", "region", "languages"}


def test_a_broken_file_is_not_extended(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("[[source]\n")
    with pytest.raises(CatalogError, match="not valid TOML"):
        add_source(tmp_path, FIELDS, file_name="broken.toml")
    assert (tmp_path / "broken.toml").read_text() == "[[source]\n"


@pytest.mark.parametrize("name", ["../escape.toml", "sub/dir.toml", "notes.txt", ".hidden.toml"])
def test_file_name_must_be_plain(name: str, tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="plain file name"):
        add_source(tmp_path, FIELDS, file_name=name)


@given(st.text())
def test_toml_string_round_trips_any_text(text: str) -> None:
    assert tomllib.loads(f"v = {toml_string(text)}")["v"] == text
