"""Slugs: romanised original headlines, English fallback, bounded, never empty."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from babelwire.compose.slug import MAX_SLUG_CHARS, make_slug, romanise, slugify

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.mark.parametrize(("headline", "language", "expected"), [
    ("Миссия ООН в Ираке завершит работу после 22 лет", "ru",
     "missiya-oon-v-irake-zavershit-rabotu-posle-22-let"),
    ("Съезд «Единой России»: итоги", "ru", "sezd-edinoy-rossii-itogi"),
    ("Щедрый Юг, ёлка и йод", "ru", "shchedryy-yug-yolka-i-yod"),
    ("Київ і Харків", "uk", "kyiv-i-kharkiv"),
    ("Щастие в София", "bg", "shtastie-v-sofiya"),
    ("Grüße aus Köln", "de", "gruesse-aus-koeln"),
    ("Élysée : réunion du Conseil d'État", "fr", "elysee-reunion-du-conseil-d-etat"),
    ("Łódź, Gdańsk i Kraków", "pl", "lodz-gdansk-i-krakow"),
    ("İstanbul'da toplantı", "tr", "istanbul-da-toplanti"),
    ("Υπουργείο Οικονομικών", "el", "ypourgeio-oikonomikon"),
])
def test_original_headline_is_romanised(headline, language, expected):
    assert make_slug(headline, language, "English headline", "id") == expected


@pytest.mark.parametrize("headline", [
    "联合国伊拉克援助团将于2025年底结束工作",
    "بعثة الأمم المتحدة في العراق تنهي عملها",
    "国連イラク支援団、G20で報告",
])
def test_unromanisable_headline_uses_the_english_one(headline):
    slug = make_slug(headline, None, "UN mission in Iraq ends its work", "abc123")
    assert slug == "un-mission-in-iraq-ends-its-work"


def test_nothing_usable_falls_back_to_the_id():
    assert make_slug("国連", "ja", "!!! ???", "Item-ID_42") == "item-id-42"
    assert make_slug(None, None, None, "") == "item"


def test_long_headline_is_cut_at_a_word():
    headline = "Совет Безопасности " * 12
    slug = make_slug(headline, "ru", None, "id")
    assert len(slug) <= MAX_SLUG_CHARS
    assert slug.endswith(("sovet", "bezopasnosti"))
    assert slugify("a" * 200) == "a" * MAX_SLUG_CHARS


def test_unknown_share_is_measured_on_letters_only():
    text, unknown_share = romanise("2025 — 国連")
    assert unknown_share == 1.0 and text.startswith("2025")
    assert romanise("Привет, мир!", "ru") == ("privet, mir!", 0.0)


@given(st.text(max_size=300), st.text(max_size=300), st.text(max_size=40))
def test_slug_is_always_a_clean_ascii_slug(original, english, fallback):
    slug = make_slug(original, "ru", english, fallback)
    assert SLUG.match(slug), slug
    assert len(slug) <= MAX_SLUG_CHARS


def test_slug_survives_a_headline_edit(story):
    doc = story.doc()
    first = story.compose(doc, story.translation(doc))
    assert first.slug == "missiya-oon-v-irake-zavershit-rabotu-posle-22-let"
    edited = story.doc(title="Миссия ООН в Ираке завершила работу")
    second = story.compose(edited, story.translation(edited), previous=first)
    assert second.version == 2 and second.slug == first.slug
