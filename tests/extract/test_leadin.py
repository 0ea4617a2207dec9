"""Dateline, section and byline stay out of the body, so the lead is real text."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from babelwire.demo.manifest import ManifestArticle, load_manifest
from babelwire.demo.world import file_for
from babelwire.extract import extract
from babelwire.extract.leadin import is_dateline, without_lead_in
from babelwire.model import Block, BlockKind

from .pages import DATA

WORLD = Path(__file__).parents[2] / "src" / "babelwire" / "demo" / "world"


def _stored_articles() -> list[ManifestArticle]:
    return [a for a in load_manifest(WORLD).articles if a.expected == "stored"]


@pytest.mark.parametrize(
    "line",
    [
        "3 de noviembre de 2025",
        "28 de noviembre de 2025 - 18:30",
        "Publié le 27 novembre 2025",
        "Publié le",
        "12 декабря 2025 года, 11:00",
        "٢٥ نوفمبر ٢٠٢٥ - ١٤:١٠",
        "2025年12月11日",
        "Updated: 12.12.2025, 09:15 GMT",
        "Monday, 1 December 2025",
    ],
)
def test_datelines_are_recognised(line: str) -> None:
    assert is_dateline(line)


@pytest.mark.parametrize(
    "line",
    [
        "El 3 de noviembre de 2025 el Banco Central redujo la tasa.",
        "Infraestructura",
        "The council met on 3 November.",
        "Шесть регионов",
    ],
)
def test_sentences_and_labels_are_not_datelines(line: str) -> None:
    assert not is_dateline(line)


def test_lead_in_lines_are_taken_off_only_before_the_story() -> None:
    story = "El Banco Central informó que la inflación de noviembre fue del 2,1 por ciento."
    blocks = [
        Block(BlockKind.PARAGRAPH, "Política monetaria"),
        Block(BlockKind.PARAGRAPH, "3 de noviembre de 2025"),
        Block(BlockKind.PARAGRAPH, "Por Redacción Central"),
        Block(BlockKind.PARAGRAPH, story),
        Block(BlockKind.PARAGRAPH, "3 de noviembre de 2025"),
    ]
    kept = without_lead_in(blocks, section="Política monetaria", byline=None)
    assert [b.text for b in kept] == [story, "3 de noviembre de 2025"]


def test_a_body_of_lead_in_lines_only_is_left_to_the_gate() -> None:
    blocks = [Block(BlockKind.PARAGRAPH, "3 de noviembre de 2025")]
    assert without_lead_in(blocks, section=None, byline=None) == blocks


def test_own_page_with_section_dateline_and_byline_starts_with_the_story() -> None:
    html = (DATA / "quality" / "own_dateline_es.html").read_text(encoding="utf-8")
    extracted = extract(html, url="http://127.0.0.1:8080/educacion/becas-rurales")
    assert extracted.blocks[0].text.startswith("El Gobierno provincial anunció")
    assert extracted.section == "Educación"
    assert "12 de noviembre de 2025" not in extracted.text
    assert "Redacción" not in extracted.text


@pytest.mark.parametrize("article", _stored_articles(), ids=lambda a: a.url.split("//")[1])
def test_demo_world_bodies_start_with_the_story(article: ManifestArticle) -> None:
    parts = urlsplit(article.url)
    path = file_for(WORLD, parts.hostname or "", parts.path)
    assert path is not None, article.url
    html = path.read_bytes().decode(article.charset)
    extracted = extract(html, url=article.url)
    first = extracted.blocks[0].text
    assert not is_dateline(first), first
    assert not first.casefold().startswith(article.section.casefold()), first
    if extracted.byline:
        assert not first.casefold().startswith(extracted.byline.casefold()), first
    # The lead is a sentence of the story, not a label: it is longer than one.
    assert len(first) > 40, first
