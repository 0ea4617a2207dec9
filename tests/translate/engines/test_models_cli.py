"""``babelwire models``: install from a local index, list, remove, offline errors."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from babelwire.cli.models import app

runner = CliRunner()


def index_for(server: Any, package: Path) -> list[dict[str, object]]:
    server.add("/packages/es_en.argosmodel", server.Reply(body=package.read_bytes()))
    return [
        {
            "package_version": "1.0", "argos_version": "1.0", "from_code": "es",
            "from_name": "Spanish", "to_code": "en", "to_name": "English",
            "links": [f"{server.url}/packages/es_en.argosmodel"],
        },
        # Rows for other package types and broken rows are skipped.
        {"type": "sbd", "package_version": "1.0", "argos_version": "1.0",
         "from_code": "es", "to_code": "es", "links": []},
        {"from_code": "xx"},
        "not an object",
    ]  # fmt: skip


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/index.json"


def test_install_list_and_remove(server: Any, tiny_argosmodel: Path, tmp_path: Path) -> None:
    server.add("/index.json", server.Reply(body=index_for(server, tiny_argosmodel)))
    folder = tmp_path / "models"
    common = ["--models-dir", str(folder)]
    index = ["--index-url", f"{server.url}/index.json"]

    result = runner.invoke(app, ["install", "es", *common, *index])
    assert result.exit_code == 0, result.output
    assert "installed es→en 1.0" in result.stdout
    assert (folder / "es_en-1.0" / "model" / "model.bin").is_file()
    assert [p.name for p in folder.iterdir()] == ["es_en-1.0"]  # no download left behind

    listed = runner.invoke(app, ["list", *common, "--available", *index])
    assert listed.exit_code == 0, listed.output
    assert "es→en" in listed.stdout and "Spanish → English" in listed.stdout
    assert "yes" in listed.stdout

    assert runner.invoke(app, ["remove", "es", *common]).exit_code == 0
    assert list(folder.iterdir()) == []
    again = runner.invoke(app, ["remove", "es", *common])
    assert again.exit_code == 1
    assert "models: no es→en model installed" in again.stderr


def test_unreachable_index_says_what_to_do(tmp_path: Path) -> None:
    url = closed_port_url()
    result = runner.invoke(
        app, ["install", "es", "--models-dir", str(tmp_path), "--index-url", url]
    )
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"models: cannot reach the package index at {url} (ConnectError")
    assert lines[0].endswith(
        "download the .argosmodel elsewhere and run `babelwire models install-file PATH`"
    )


def test_index_errors(server: Any, tmp_path: Path) -> None:
    server.add("/gone.json", server.Reply(404, "no"))
    server.add("/bad.json", server.Reply(body="{not json"))
    server.add("/empty.json", server.Reply(body=json.dumps([])))
    base = ["install", "es", "--models-dir", str(tmp_path), "--index-url"]
    gone = runner.invoke(app, [*base, f"{server.url}/gone.json"])
    assert "cannot reach the package index" in gone.stderr and "(HTTP 404)" in gone.stderr
    bad = runner.invoke(app, [*base, f"{server.url}/bad.json"])
    assert "is not JSON" in bad.stderr
    empty = runner.invoke(app, [*base, f"{server.url}/empty.json"])
    assert "has no es→en package" in empty.stderr
    assert {gone.exit_code, bad.exit_code, empty.exit_code} == {1}


def test_failed_download_names_the_link(server: Any, tmp_path: Path, tiny_argosmodel: Path) -> None:
    rows = index_for(server, tiny_argosmodel)
    server.add("/packages/es_en.argosmodel", server.Reply(500, "boom"))
    server.add("/index.json", server.Reply(body=rows))
    result = runner.invoke(
        app,
        ["install", "es", "--models-dir", str(tmp_path), "--index-url", f"{server.url}/index.json"],
    )
    assert result.exit_code == 1
    assert "models: cannot download es→en 1.0" in result.stderr
    assert "install-file PATH" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_install_file_and_its_errors(tiny_argosmodel: Path, tmp_path: Path) -> None:
    folder = tmp_path / "models"
    result = runner.invoke(app, ["install-file", str(tiny_argosmodel), "--models-dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "es_en-1.0").is_dir()
    junk = tmp_path / "junk.argosmodel"
    junk.write_bytes(b"junk")
    bad = runner.invoke(app, ["install-file", str(junk), "--models-dir", str(folder)])
    assert bad.exit_code == 1
    assert bad.stderr.startswith(f"models: {junk}: not a readable .argosmodel zip")


def test_list_without_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_TRANSLATE_MODELS_DIR", str(tmp_path / "none"))
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert "no models installed" in result.stdout
