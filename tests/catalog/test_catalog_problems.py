"""A bad catalog file: one clear line per problem, and everything good still loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from babelwire.catalog import bundled_dir, load_catalog
from babelwire.catalog.loader import Catalog
from babelwire.catalog.schema import SourceSpec
from babelwire.catalog.validate import check_table

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"


def load_with_good_neighbour(case: str, tmp_path: Path) -> tuple[Catalog, str]:
    """Load ``good.toml`` from one directory, then the bad fixture from another."""
    good_dir, bad_dir = tmp_path / "good", tmp_path / "bad"
    good_dir.mkdir()
    bad_dir.mkdir()
    shutil.copy(DATA / "good.toml", good_dir)
    target = bad_dir / f"{case}.toml"
    shutil.copy(BAD / f"{case}.toml", target)
    return load_catalog(good_dir, bad_dir), str(target)


# (fixture, field named in the line, words the problem must contain)
CASES = [
    ("unknown-key", "source[1].feed_url", "unknown key 'feed_url'"),
    ("missing-region", "source[1].region", "required field is missing"),
    ("bad-url", "source[1].feeds[1]", "not an absolute http(s) URL: 'ftp://x'"),
    ("bad-selector", "source[1].listings[0].link_selector", "CSS selector does not compile"),
    ("bad-language", "source[1].languages[1]", "not an ISO 639-1 code: 'pt-BR' (use 'pt')"),
    ("bad-poll-interval", "source[1].poll_interval", "cannot read duration 'every hour'"),
    ("duplicate-id", "source[1].id", "duplicate id 'other-good'"),
    ("bad-category", "source[1].category", "unknown category 'ministry'"),
    ("private-host", "source[1].sitemaps[0]", "needs allow_private = true"),
    ("nothing-to-poll", "source[1]", "needs at least one of feeds, sitemaps or listings"),
    ("missing-glossary", "source[1].glossary", "glossary file not found"),
    ("cut-name", "source[1].name", "no control characters or edge spaces"),
]


@pytest.mark.parametrize(("case", "field", "words"), CASES, ids=[c[0] for c in CASES])
def test_one_problem_line_and_good_sources_still_load(
    case: str, field: str, words: str, tmp_path: Path
) -> None:
    catalog, file = load_with_good_neighbour(case, tmp_path)
    lines = [str(p) for p in catalog.problems]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"catalog: {file}: {field}: "), lines[0]
    assert words in lines[0]
    assert "\n" not in lines[0]
    assert [s.id for s in catalog.sources] == ["other-good", f"{case}-good"]


def test_the_documented_example_line_is_exact(tmp_path: Path) -> None:
    catalog, file = load_with_good_neighbour("bad-url", tmp_path)
    assert str(catalog.problems[0]) == (
        f"catalog: {file}: source[1].feeds[1]: not an absolute http(s) URL: 'ftp://x'"
    )
    problem = catalog.problems[0]
    assert (problem.file, problem.field) == (file, "source[1].feeds[1]")


def test_invalid_toml_gives_its_line_and_other_files_load(tmp_path: Path) -> None:
    catalog, file = load_with_good_neighbour("invalid-toml", tmp_path)
    lines = [str(p) for p in catalog.problems]
    assert len(lines) == 1
    # The unclosed array opened on line 6 is noticed on line 8.
    assert lines[0].startswith(f"catalog: {file}: line 8: not valid TOML: ")
    assert [s.id for s in catalog.sources] == ["other-good"]


def test_a_later_directory_may_not_redefine_a_bundled_id(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(
        (BAD / "duplicate-id.toml").read_text().replace('"other-good"', '"un-news-ru"')
    )
    catalog = load_catalog(bundled_dir(), tmp_path)
    assert [str(p) for p in catalog.problems] == [
        f"catalog: {tmp_path / 'mine.toml'}: source[1].id: "
        "duplicate id 'un-news-ru' (first in sources/un.toml)"
    ]
    assert catalog.get("un-news-ru").origin == "sources/un.toml"
    assert catalog.get("duplicate-id-good").origin == str(tmp_path / "mine.toml")


def test_every_problem_in_a_table_is_reported(tmp_path: Path) -> None:
    (tmp_path / "many.toml").write_text(
        '[[source]]\nid = "Bad Id"\nname = "x"\nregion = ""\nlanguages = ["xx"]\n'
        'feeds = ["mailto:a@b.example"]\nallow_private = "yes"\n'
    )
    fields = [p.field for p in load_catalog(tmp_path).problems]
    assert fields == [
        "source[0].id",
        "source[0].region",
        "source[0].languages[0]",
        "source[0].feeds[0]",
        "source[0].allow_private",
    ]


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("", "source", "expected [[source]] tables, found none"),
        ("source = 3\n", "source", "found int 3"),
        ('title = "x"\n[[source]]\nid = "a"\n', "title", "unknown top-level key"),
        (
            "[[source]]\nid = 'ok-id'\nname = 'n'\nregion = 'r'\nlanguages = ['en']\n"
            "feeds = ['https://a.example/']\npoll_interval = 30\n",
            "source[0].poll_interval",
            "under the 60 s minimum",
        ),
        (
            "[[source]]\nid = 'ok-id'\nname = 'n'\nregion = 'r'\nlanguages = ['en']\n"
            "feeds = ['https://a.example/']\npoll_interval = '1e400s'\n",
            "source[0].poll_interval",
            "cannot read duration",
        ),
        (
            "[[source]]\nid = 'ok-id'\nname = 'n'\nregion = 'r'\nlanguages = ['en', 'en']\n"
            "feeds = ['https://a.example/']\n",
            "source[0].languages",
            "listed twice: 'en'",
        ),
        (
            "[[source]]\nid = 'ok-id'\nname = 'n'\nregion = 'r'\nlanguages = ['en']\n"
            "feeds = ['https://a.example/']\nglossary = '../../etc/passwd'\n",
            "source[0].glossary",
            "relative path inside the catalog",
        ),
    ],
)
def test_file_level_and_edge_problems(text: str, field: str, words: str, tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text(text)
    problems = load_catalog(tmp_path).problems
    assert [p.field for p in problems][:1] == [field]
    assert words in str(problems[0])


def test_missing_directory_and_non_utf8_file_are_problems(tmp_path: Path) -> None:
    (tmp_path / "latin1.toml").write_bytes('name = "Bogotá"\n'.encode("latin-1"))
    shutil.copy(DATA / "good.toml", tmp_path)
    catalog = load_catalog(tmp_path / "absent", tmp_path)
    assert str(catalog.problems[0]) == (f"catalog: {tmp_path / 'absent'}: directory: not found")
    assert "not UTF-8" in str(catalog.problems[1])
    assert [s.id for s in catalog.sources] == ["other-good"]


def test_private_hosts_load_when_the_source_allows_them(tmp_path: Path) -> None:
    (tmp_path / "demo.toml").write_text(
        '[[source]]\nid = "demo"\nname = "Demo"\nregion = "Demo"\nlanguages = ["ru"]\n'
        'feeds = ["http://127.0.0.1:8080/feed.xml"]\nallow_private = true\n'
    )
    catalog = load_catalog(tmp_path)
    assert catalog.problems == ()
    assert catalog.get("demo").allow_private


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


@given(
    st.dictionaries(
        st.sampled_from([*SourceSpec.model_fields, "extra"]) | st.text(max_size=8),
        _VALUES,
        max_size=8,
    )
)
def test_any_table_gives_a_spec_or_problems_never_an_exception(raw: dict[str, object]) -> None:
    checked = check_table(raw, ())
    assert (checked.spec is None) == bool(checked.problems)
    assert all("\n" not in p.problem for p in checked.problems)
