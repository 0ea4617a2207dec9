"""The wire half of a run: why documents wait is logged once per reason."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from babelwire.errors import NoEngine
from babelwire.model import Stage
from babelwire.store import Store


def test_documents_waiting_for_an_engine_are_logged_once_per_language_pair(
    world: Any, store: Store, make_runner: Any, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    runner = make_runner([world.add_source("good", articles=5)])
    translator = runner.wire.translator
    monkeypatch.setattr(translator, "translate_documents",
                        lambda requests: [NoEngine("es", "en") for _ in requests])
    with caplog.at_level(logging.INFO, logger="babelwire"):
        report = runner.run_once(force=True)
    waiting = [r.getMessage() for r in caplog.records if "no engine" in r.getMessage()]
    assert waiting == ["5 document(s) waiting: translate: no engine for es→en: "
                       "run `babelwire models install es`"]
    assert report.wire is not None and report.wire.waiting == 5
    assert {d.stage for d in store.documents()} == {Stage.EXTRACTED}
