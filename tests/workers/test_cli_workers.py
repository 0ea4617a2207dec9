"""The worker command refuses what it cannot run, in one line."""

from __future__ import annotations

import pytest

from babelwire.cli import main


def test_an_unknown_queue_is_one_line_naming_the_known_ones(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BABELWIRE_BROKER_URL", raising=False)
    with pytest.raises(SystemExit) as exit_:
        main(["worker", "--queues", "fetch,gpu"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err == "babelwire: worker: unknown queue(s) gpu (known: fetch, cpu, translate)"


def test_world_without_demo_port_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["scheduler", "--once", "--world", "/nonexistent"])
    assert exit_.value.code == 1
    assert "babelwire: scheduler: --world needs --demo-port" in capsys.readouterr().err
