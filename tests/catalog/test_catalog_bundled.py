"""The catalog shipped with babelwire: loads clean and covers what the wire needs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from babelwire.catalog import CATEGORIES, bundled_dir, check_glossary, load_catalog
from babelwire.catalog.languages import ISO_639_1
from babelwire.catalog.loader import Catalog
from babelwire.translate.glossary import OFFICIAL_NAMES

GLOSSARY_DIR = bundled_dir().parent / "glossaries"


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_catalog()


def test_every_bundled_file_loads_without_problems(bundled: Catalog) -> None:
    assert [str(p) for p in bundled.problems] == []
    files = sorted(p.name for p in bundled_dir().glob("*.toml"))
    assert sorted(Path(f).name for f in bundled.files) == files
    # Every file contributes: an empty or fully rejected file would show here.
    assert {Path(s.origin).name for s in bundled.sources} == set(files)


def test_at_least_forty_sources_with_unique_ids(bundled: Catalog) -> None:
    ids = [s.id for s in bundled.sources]
    assert len(ids) >= 40
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_un_news_covers_at_least_eight_languages(bundled: Catalog) -> None:
    un_news = [s for s in bundled.sources if s.id.startswith("un-news-")]
    languages = {lang for s in un_news for lang in s.languages}
    assert len(languages) >= 8
    assert {"ar", "zh", "en", "fr", "ru", "es"} <= languages  # the six official ones
    assert all(s.feeds and s.feeds[0].startswith("https://news.un.org/feed/") for s in un_news)


def test_un_news_russian_matches_the_reference_header(bundled: Catalog) -> None:
    source = bundled.get("un-news-ru")
    assert (source.name, source.desk, source.region) == (
        "United Nations",
        "United Nations",
        "Russian Federation",
    )
    assert source.glossary is not None and Path(source.glossary).name == "un-ru.toml"


def test_every_category_is_present(bundled: Catalog) -> None:
    assert {s.category for s in bundled.sources} == set(CATEGORIES)


@pytest.mark.parametrize(
    "source_id",
    [
        "kremlin",
        "government-ru",
        "mid-ru",
        "cbr",
        "moex",
        "mfa-cn",
        "gov-cn",
        "xinhua",
        "pboc",
        "ec-presscorner",
        "consilium",
        "europarl",
        "ecb",
        "state-dept",
        "federal-reserve",
        "casa-rosada",
        "african-union",
        "who",
        "unhcr",
        "iaea",
    ],
)
def test_sources_the_brief_names_are_present(bundled: Catalog, source_id: str) -> None:
    assert bundled.get(source_id).id == source_id


def test_regions_cover_the_required_areas(bundled: Catalog) -> None:
    regions = {s.region for s in bundled.sources}
    for region in (
        "Russian Federation",
        "China",
        "European Union",
        "United States",
        "Argentina",
        "Mexico",
        "Brazil",
        "Colombia",
        "Chile",
        "Saudi Arabia",
        "Egypt",
        "Qatar",
        "United Arab Emirates",
        "Africa",
        "South Africa",
        "Nigeria",
        "Kenya",
    ):
        assert region in regions


def test_fields_are_printable_and_languages_known(bundled: Catalog) -> None:
    for source in bundled.sources:
        for label in (source.name, source.desk, source.region):
            assert label == label.strip() and label and "\n" not in label
        assert set(source.languages) <= ISO_639_1
        assert source.poll_interval_s >= 60
        assert not source.allow_private, f"{source.id}: only the demo world allows private hosts"


def test_unsure_urls_are_said_to_be_unsure(bundled: Catalog) -> None:
    # Sources read through listing selectors were written from memory; their
    # notes must say so until a live check confirms them.
    for source in bundled.sources:
        if source.listings:
            assert "unsure" in source.notes.lower(), source.id


def test_bundled_glossaries_are_sound_and_used(bundled: Catalog) -> None:
    files = sorted(GLOSSARY_DIR.glob("*.toml"))
    assert len(files) >= 3
    for path in files:
        assert check_glossary(path) == ()
    used = {Path(s.glossary).name for s in bundled.sources if s.glossary}
    # official-<lang>.toml files apply to every source in their language
    # (translate.glossary.OFFICIAL_NAMES); every other file is named by a source.
    languages = {lang for s in bundled.sources for lang in s.languages}
    official = {OFFICIAL_NAMES.format(lang=lang) for lang in languages}
    assert used | official >= {p.name for p in files}
    assert used <= {p.name for p in files}


def test_matching_filters_by_region_language_and_category(bundled: Catalog) -> None:
    russian = bundled.matching(region="russian federation")
    assert {s.region for s in russian} == {"Russian Federation"}
    assert "kremlin" in {s.id for s in russian}
    banks = bundled.matching(category="central-bank", language="ru")
    assert [s.id for s in banks] == ["cbr"]
    assert bundled.matching(region="Atlantis") == ()


def test_get_unknown_id_names_it_and_suggests(bundled: Catalog) -> None:
    with pytest.raises(KeyError) as caught:
        bundled.get("un-news-rus")
    message = str(caught.value)
    assert message.startswith("catalog: no source with id 'un-news-rus'")
    assert "un-news-ru" in message
