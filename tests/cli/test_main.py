"""The entry point turns every error into one line and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from babelwire import cli
from babelwire.cli import main
from babelwire.cli import translate as translate_cli
from babelwire.errors import StoreError

from .conftest import Babelwire


def _boom(exc: BaseException) -> object:
    def read_input(file: str | None) -> str:
        raise exc

    return read_input


def _run_main(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exited:
        main(args)
    return int(exited.value.code or 0)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, cli_env: dict[str, str]) -> None:
    for name, value in cli_env.items():
        if name.startswith("BABELWIRE_"):
            monkeypatch.setenv(name, value)


def test_an_unexpected_error_is_one_line_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(translate_cli, "read_input", _boom(RuntimeError("disk on fire")))
    assert _run_main(["translate", "--from", "en"]) == 1
    err = capsys.readouterr().err
    assert err == ("babelwire: unexpected error: RuntimeError: disk on fire "
                   "(set BABELWIRE_LOG_LEVEL=DEBUG to see the traceback)\n")


def test_debug_level_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BABELWIRE_LOG_LEVEL", "debug")
    monkeypatch.setattr(translate_cli, "read_input", _boom(RuntimeError("disk on fire")))
    assert _run_main(["translate", "--from", "en"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert err.endswith("(set BABELWIRE_LOG_LEVEL=DEBUG to see the traceback)\n")


def test_an_own_error_is_its_message_on_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(environ: object = None) -> None:
        raise StoreError("store: cannot open x\nbecause of y")

    monkeypatch.setattr(cli, "check_environment", refuse)
    assert _run_main(["translate", "--from", "en"]) == 1
    assert capsys.readouterr().err == "babelwire: store: cannot open x because of y\n"


def test_success_exits_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(translate_cli, "read_input", lambda file: "Hello.")
    assert _run_main(["translate", "--from", "en"]) == 0
    assert capsys.readouterr().out == "Hello.\n"


def test_settings_lists_every_part_and_hides_secrets(babelwire: Babelwire) -> None:
    ran = babelwire("settings", env={"BABELWIRE_ADMIN_TOKEN": "s3cret-token",
                                     "BABELWIRE_WORKERS": "3"})
    assert ran.code == 0, ran.stderr
    assert "s3cret-token" not in ran.stdout
    assert "admin_token = (set)" in ran.stdout
    assert "workers = 3" in ran.stdout
    for title in ("Ingest, store and runner", "Translation", "Wire items", "Web, API and feeds"):
        assert f"# {title}" in ran.stdout


def test_a_reader_that_goes_away_gets_no_traceback(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    # `babelwire extract ... | head -1` with more output than a pipe holds.
    (tmp_path / "page.html").write_text(
        "<html><body><article><p>" + "Rates were held at 5 percent by the board. " * 60
        + "</p></article></body></html>", encoding="utf-8")
    extracting = subprocess.Popen(
        [sys.executable, "-m", "babelwire", "extract", *["page.html"] * 300],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=cli_env,
    )
    assert extracting.stdout is not None and extracting.stderr is not None
    assert extracting.stdout.readline().startswith(b"{")
    extracting.stdout.close()
    err = extracting.stderr.read().decode()
    assert extracting.wait(timeout=120) != 0
    assert "Traceback" not in err
    assert "Exception ignored" not in err
