from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from babelwire.translate import registry
from babelwire.translate.settings import TranslateSettings


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, scripted: type) -> typer.Typer:
    from babelwire.cli.translate import translate_cmd

    def build(settings: TranslateSettings) -> object:
        return scripted("scripted", model=("words", "0.1"))

    monkeypatch.setattr(registry, "ENGINES", {"scripted": build})
    monkeypatch.setattr(registry, "load_builtin_engines", lambda: None)
    monkeypatch.setenv("BABELWIRE_TRANSLATE_ENGINES", "scripted")
    monkeypatch.delenv("BABELWIRE_TRANSLATE_PAIR_ENGINES", raising=False)
    cli = typer.Typer()
    cli.command()(translate_cmd)
    return cli


def test_translates_stdin_paragraph_by_paragraph(app: typer.Typer) -> None:
    text = "Банк провёл аукцион на 22 025 415 рублей.\n\nМиссия ГОТОВА.\n"
    result = CliRunner().invoke(app, ["--from", "ru"], input=text)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "the bank held an auction for 22,025,415 roubles.\n\nthe mission ГОТОВА.\n"
    )
    assert "paragraph 2: flags: source_script" in result.stderr
    assert "paragraph 1" not in result.stderr
    assert "engine: scripted (words 0.1)" in result.stderr


def test_reads_a_file_and_applies_a_glossary(app: typer.Typer, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("Миссия МООНСИ завершит работу.", encoding="utf-8")
    glossary = tmp_path / "un.toml"
    glossary.write_text('[[term]]\nsource = "МООНСИ"\ntarget = "UNAMI"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["--from", "ru", "--glossary", str(glossary), str(source)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "the mission UNAMI will end its work.\n"


def test_no_engine_is_one_line_and_exit_status_1(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["--from", "es"], input="Hola.")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "translate: no engine for es→en: run `babelwire models install es`"
    )


def test_english_is_printed_as_is(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["--from", "en"], input="Rates rose 3.75%.\n")
    assert result.stdout == "Rates rose 3.75%.\n"
    assert "engine: none" in result.stderr
