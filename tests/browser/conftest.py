"""Browser tests: a real uvicorn server on 127.0.0.1 and Debian's Chromium.

They need the ``playwright`` Python package and ``/usr/bin/chromium`` (never
``playwright install``: it downloads a browser). When either is missing the
tests skip with the reason, except under CI (``CI=true``), where they fail so
that a missing browser is never mistaken for a pass.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ..publish import seeding as publish_seeding

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).parents[2] / "artifacts" / "screenshots"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright")


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install playwright)"
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)) and not shutil.which(
        "chromium"
    ):
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def seeding() -> ModuleType:
    return publish_seeding


@pytest.fixture(scope="session")
def browser(seeding: ModuleType) -> Iterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """uvicorn serving ``app`` on 127.0.0.1, on a port the OS picked; yields its URL.
    The app needs no base URL: its links follow the address each request came to."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def serve() -> Callable[[Any], AbstractContextManager[str]]:
    """``with serve(app) as url:`` for tests that need a server of their own."""
    return serving


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory, seeding: ModuleType,
             browser: Any) -> Iterator[str]:
    """uvicorn serving a seeded store on 127.0.0.1, on a port the OS picked."""
    from babelwire.publish.app import create_app
    from babelwire.publish.settings import PublishSettings
    from babelwire.store import Store

    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'wire.db'}")
    store.migrate()
    seeding.seed(store)
    app = create_app(lambda: store, settings=PublishSettings(publisher="Test Wire"),
                     sources=seeding.SOURCES, compose=seeding.COMPOSE)
    with serving(app) as url:
        yield url


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh page that records dialogs and console errors."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.dialogs = []
    tab.errors = []

    def on_dialog(dialog: Any) -> None:
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="session")
def shoot() -> Callable[[Any, str], Path]:
    """``shoot(page, name)`` saves a full-page screenshot to artifacts/screenshots/."""

    def screenshot(tab: Any, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return screenshot
