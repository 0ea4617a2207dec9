"""``babelwire run`` as a command: the exit status of a pass, and bad --every values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from babelwire.run import stages
from babelwire.run.report import EXIT_OK, EXIT_PARTIAL


def _env(tmp_path: Path, catalog: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env["BABELWIRE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'run.db'}"
    env["BABELWIRE_ARCHIVE_DIR"] = str(tmp_path / "archive")
    env["BABELWIRE_CATALOG_DIR"] = str(catalog or tmp_path / "no-catalog")
    env["BABELWIRE_PER_HOST_DELAY_S"] = "0"
    env["BABELWIRE_RETRIES"] = "0"
    return env


@pytest.mark.parametrize("every", ["-5m", "0", "0s", "soon"])
def test_run_every_refuses_a_duration_that_is_not_positive(tmp_path: Path, every: str) -> None:
    done = subprocess.run([sys.executable, "-m", "babelwire", "run", "--every", every],
                          env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--every" in lines[0] and "Traceback" not in done.stderr, lines


def _catalog(tmp_path: Path, world: Any) -> Path:
    """The world's good and bad sources as a catalog on 127.0.0.1."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    for name in ("good", "bad"):
        world.add_source(name, host=f"127.0.0.1:{world.port}")
        feed = f"http://127.0.0.1:{world.port}/{name}/feed.xml"
        (folder / f"{name}.toml").write_text(f'''[[source]]
id = "test-{name}"
name = "{name.title()} Ministry"
desk = "Press office"
region = "Testland"
languages = ["en"]
category = "government"
homepage = "http://127.0.0.1:{world.port}/{name}/"
feeds = ["{feed}"]
sitemaps = []
poll_interval = "30m"
allow_private = true
''', encoding="utf-8")
    return folder


def _run_once(tmp_path: Path, catalog: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """``babelwire run --once`` in this process, so a stage can be made to raise."""
    from babelwire.cli import main

    for name, value in _env(tmp_path, catalog).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["babelwire", "run", "--once", "--source", "test-good",
                                      "--source", "test-bad"])
    with pytest.raises(SystemExit) as exited:
        main()
    return int(exited.value.code or 0)


def _status(capsys: pytest.CaptureFixture[str],
            monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    from babelwire.cli import main

    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["babelwire", "status", "--json"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert not exited.value.code
    return dict(json.loads(capsys.readouterr().out))


def test_run_once_exits_3_when_a_source_failed_and_0_when_all_went_through(
    tmp_path: Path, world: Any, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    catalog = _catalog(tmp_path, world)
    real = stages.discover

    def discover(fetched: Any, source: Any, *args: Any, **kwargs: Any) -> Any:
        if source.id == "test-bad":
            raise OverflowError("date value out of range")
        return real(fetched, source, *args, **kwargs)

    monkeypatch.setattr(stages, "discover", discover)
    assert _run_once(tmp_path, catalog, monkeypatch) == EXIT_PARTIAL
    status = _status(capsys, monkeypatch)
    assert status["sources"]["test-bad"]["last_error"] == (
        "discover: OverflowError: date value out of range")
    assert status["sources"]["test-good"]["last_error"] is None
    monkeypatch.setattr(stages, "discover", real)
    assert _run_once(tmp_path / "again", catalog, monkeypatch) == EXIT_OK
