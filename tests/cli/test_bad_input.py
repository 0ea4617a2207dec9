"""Every command, given bad input, exits non-zero with one line on stderr.

Each case is a fresh process; the line must name what was wrong, and no
traceback may reach the user whatever the input.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Babelwire
from .running import assert_one_line_error

#: (arguments, extra environment, what the one line must say)
BAD_SETTINGS = [
    (["init"], {"BABELWIRE_WORKERS": "0"}, "BABELWIRE_WORKERS='0': must be at least 1"),
    (["status"], {"BABELWIRE_LOG_LEVEL": "LOUD"}, "BABELWIRE_LOG_LEVEL='LOUD': must be one of"),
    (["status"], {"BABELWIRE_LOG_FORMAT": "xml"}, "BABELWIRE_LOG_FORMAT='xml'"),
    (["translate", "--from", "es"], {"BABELWIRE_TRANSLATE_MAX_SENTENCE_CHARS": "0"},
     "BABELWIRE_TRANSLATE_MAX_SENTENCE_CHARS='0': must be at least"),
    (["translate", "--from", "es"], {"BABELWIRE_TRANSLATE_MAX_SENTENCE_CHARS": "-5"},
     "BABELWIRE_TRANSLATE_MAX_SENTENCE_CHARS='-5'"),
    (["documents"], {"BABELWIRE_TOTAL_TIMEOUT_S": "nan"}, "must be a finite number"),
    (["documents"], {"BABELWIRE_READ_TIMEOUT_S": "inf"}, "must be a finite number"),
    (["run", "--once"], {"BABELWIRE_RETRIES": "-1"}, "BABELWIRE_RETRIES='-1'"),
    (["reprocess"], {"BABELWIRE_MAX_BODY_BYTES": "-5"}, "BABELWIRE_MAX_BODY_BYTES"),
    (["serve"], {"BABELWIRE_PUBLISH_PAGE_SIZE": "0"}, "BABELWIRE_PUBLISH_PAGE_SIZE='0'"),
    (["models", "list"], {"BABELWIRE_TRANSLATE_CT2_DEVICE": "tpu"},
     "must be one of auto, cpu, cuda"),
    (["sources", "list"], {"BABELWIRE_ALLOW_PRIVATE": "maybe"}, "expected true or false"),
    (["export", "--format", "ninjs"], {"BABELWIRE_WORKRES": "4"},
     "unknown variable BABELWIRE_WORKRES (did you mean BABELWIRE_WORKERS?)"),
    (["settings"], {"BABELWIRE_ADMIN_TOKN": "x"}, "did you mean BABELWIRE_ADMIN_TOKEN?"),
]


@pytest.mark.parametrize(("args", "env", "expected"), BAD_SETTINGS,
                         ids=[" ".join(env) for _, env, _ in BAD_SETTINGS])
def test_a_bad_setting_stops_every_command_with_one_line(
    babelwire: Babelwire, args: list[str], env: dict[str, str], expected: str
) -> None:
    ran = babelwire(*args, env=env)
    assert_one_line_error(ran, expected)
    assert ran.stdout == ""


BAD_ARGUMENTS = [
    (["nope"], "No such command 'nope'"),
    (["run", "--every", "-5m"], "-5m"),
    (["run", "--source", "nope"], "no source with id nope"),
    (["demo", "--serve-s", "soon"], "--serve-s"),
    (["settings", "--bogus"], "No such option: --bogus"),
    (["status"], "status: no database at"),
    (["documents", "--limit", "-1"], "--limit"),
    (["documents", "--language", "qq"], "not an ISO 639-1 code: 'qq'"),
    (["documents", "--stage", "nope"], "--stage"),
    (["serve", "--port", "http"], "--port"),
    (["export", "--format", "nope"], "unknown format 'nope'"),
    (["export", "--format", "ninjs", "--output", "/missing/dir/x.jsonl"],
     "export: cannot write /missing/dir/x.jsonl"),
    (["edit", "doc-1", "--translation", "missing.json"], "edit: cannot read missing.json"),
    (["sources", "show", "nope"], "no source with id 'nope'"),
    (["sources", "check", "nope"], "no source with id 'nope'"),
    (["sources", "add", "--id", "a-source", "--name", "A", "--region", "R", "--language", "qq",
      "--feed", "http://127.0.0.1:9/feed"], "not an ISO 639-1 code: 'qq'"),
    (["models", "install-file", "missing.argosmodel"], "not a readable .argosmodel"),
    (["models", "remove", "xx"], "no xx→en model installed"),
    (["models", "install", "es", "--index-url", "http://127.0.0.1:9/index.json"],
     "cannot reach the package index"),
    (["translate"], "Missing option '--from'"),
    (["translate", "--from", "es", "missing.txt"], "translate: cannot read missing.txt"),
    (["translate", "--from", "es", "."], "translate: . is a directory"),
]


@pytest.mark.parametrize(("args", "expected"), BAD_ARGUMENTS,
                         ids=[" ".join(args) for args, _ in BAD_ARGUMENTS])
def test_bad_arguments_give_one_line(babelwire: Babelwire, args: list[str], expected: str) -> None:
    assert_one_line_error(babelwire(*args), expected)


def test_status_does_not_create_a_missing_database_directory(
    babelwire: Babelwire, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "deeper"
    ran = babelwire("status", env={"BABELWIRE_DATABASE_URL": f"sqlite:///{missing}/wire.db"})
    assert_one_line_error(ran, f"no database at {missing}/wire.db")
    assert not (tmp_path / "nowhere").exists()


def test_extract_fails_when_any_input_failed(babelwire: Babelwire, tmp_path: Path) -> None:
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (tmp_path / "page.html").write_text(
        "<html><head><title>Budget</title></head><body><article><p>"
        + "The ministry published the budget for next year today. " * 8
        + "</p></article></body></html>", encoding="utf-8")
    inputs = ["missing.html", ".", "binary.bin", "http://127.0.0.1:9/x", "page.html"]
    ran = babelwire("extract", *inputs)
    assert_one_line_error(ran, "extract: 4 of 5 input(s) failed")
    lines = [json.loads(line) for line in ran.stdout.splitlines()]
    assert [line["input"] for line in lines] == inputs
    assert ["error" in line for line in lines] == [True, True, True, True, False]
    assert "refusing loopback address" in lines[3]["error"]


def test_extract_of_good_input_exits_0(babelwire: Babelwire, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><body><article><p>" + "Rates were held at 5 percent. " * 10
        + "</p></article></body></html>", encoding="utf-8")
    ran = babelwire("extract", "page.html")
    assert ran.code == 0, ran.stderr
    assert "Rates were held" in json.loads(ran.stdout)["text"]


def test_lint_reports_a_missing_directory_without_a_traceback(babelwire: Babelwire) -> None:
    ran = babelwire("sources", "lint", "no-such-dir")
    assert ran.code == 1
    assert "no-such-dir" in ran.stdout
    assert "Traceback" not in ran.stdout + ran.stderr
