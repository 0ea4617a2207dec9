"""``babelwire translate``: '-' is standard input, text must be UTF-8, --json per sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Babelwire
from .running import assert_one_line_error

ENGLISH = "Rates rose 3.75%. The board meets again in March.\n\nA second paragraph.\n"


@pytest.mark.parametrize("args", [["-"], []], ids=["dash", "no file"])
def test_dash_and_no_file_read_standard_input(babelwire: Babelwire, args: list[str]) -> None:
    # English needs no engine: the text comes back as it is.
    ran = babelwire("translate", "--from", "en", *args, stdin=ENGLISH.encode())
    assert ran.code == 0, ran.stderr
    assert ran.stdout == ENGLISH


def test_json_prints_one_object_per_sentence(babelwire: Babelwire) -> None:
    ran = babelwire("translate", "--from", "en", "--json", "-", stdin=ENGLISH.encode())
    assert ran.code == 0, ran.stderr
    rows = [json.loads(line) for line in ran.stdout.splitlines()]
    assert [(r["paragraph"], r["source"]) for r in rows] == [
        (1, "Rates rose 3.75%."),
        (1, "The board meets again in March."),
        (2, "A second paragraph."),
    ]
    for row in rows:
        assert set(row) == {"paragraph", "source", "output", "engine", "model", "flags"}
        assert row["output"] == row["source"]
        assert row["flags"] == []


def test_invalid_utf8_on_standard_input_is_one_line(babelwire: Babelwire) -> None:
    ran = babelwire("translate", "--from", "es", "-", stdin="café".encode("latin-1"))
    assert_one_line_error(ran, "translate: standard input is not UTF-8 text (byte 3")


@pytest.mark.parametrize(("content", "expected"), [
    ("¿Qué pasó?".encode("cp1252"), "is not UTF-8 text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is binary, not text"),
], ids=["cp1252", "binary"])
def test_a_file_that_is_not_utf8_text_is_one_line(
    babelwire: Babelwire, tmp_path: Path, content: bytes, expected: str
) -> None:
    (tmp_path / "in.txt").write_bytes(content)
    assert_one_line_error(babelwire("translate", "--from", "es", "in.txt"), f"in.txt {expected}")


def test_a_utf8_bom_is_not_part_of_the_text(babelwire: Babelwire, tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_bytes("\ufeffHello.".encode())
    ran = babelwire("translate", "--from", "en", "in.txt")
    assert ran.stdout == "Hello.\n"
