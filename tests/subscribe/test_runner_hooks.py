"""The runners call the delivery step after publication: the in-process
runner at the end of each run, the workers through the ``babelwire.deliver``
task."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from babelwire.run import runner
from babelwire.settings import Settings


def test_a_run_ends_with_a_delivery_pass(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(runner, "deliver_subscriptions",
                        lambda store, settings, **kw: calls.append((store, settings, kw)))
    settings = Settings.load({}, database_url=f"sqlite:///{tmp_path / 'wire.db'}",
                             archive_dir=str(tmp_path / "archive"),
                             catalog_dir=str(tmp_path / "catalog"))
    runner.run_sources(settings, [], force=True)
    [(store, given, kwargs)] = calls
    assert given is settings and kwargs == {"resolver": None}
    assert hasattr(store, "subscriptions")


def test_the_workers_have_a_delivery_task(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("celery")
    from babelwire.run import celeryapp, tasks

    calls: list[Any] = []

    class Context:
        store = object()
        config = type("Config", (), {"settings": "settings", "resolver": "resolver"})()

    monkeypatch.setattr(tasks, "context", lambda: Context())
    monkeypatch.setattr(tasks, "deliver_subscriptions",
                        lambda store, settings, **kw: calls.append((store, settings, kw)))
    tasks.deliver.run()
    assert calls == [(Context.store, "settings", {"resolver": "resolver"})]
    assert "babelwire.deliver" in celeryapp.app.tasks
