"""Fixtures for the served page: a real ``trajectories serve`` on 127.0.0.1 and a headless Chromium driving it.

The server runs this checkout (PYTHONPATH is set to the repository root) on a free port; readiness is checked on
Voila's static ``voila.js``, which starts no kernel. Without Chromium the browser tests are skipped, except when
the ``CI`` environment variable is set: there a missing browser is a failure.

Markers (registered in pyproject.toml): ``server`` marks a test that starts a real server (Voila, JupyterLab,
JupyterHub, nginx), ``browser`` one that starts Chromium or a server; so ``pytest -m "not browser"`` is the fast
loop, everything that needs neither. Tests are marked here by the fixtures they use, so a new test cannot forget;
a test that starts a server by itself carries the mark by hand, and ``servers.start_server`` refuses to run in a
test without it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from servers import NO_SERVER_ENV, READY_PATH, free_port, start_server, stop_server, wait_ready

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# Fixtures that start a server, here and in the test modules (nginx and jupyterlab start theirs; hub, JupyterHub).
SERVER_FIXTURES = frozenset({"server", "own_server", "nginx", "hub", "jupyterlab"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the fixtures it uses (directly or through other fixtures): ``browser`` for Chromium,
    ``server`` and ``browser`` for a real server."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & SERVER_FIXTURES and not item.get_closest_marker("server"):
            item.add_marker(pytest.mark.server)
        if (item.get_closest_marker("server") or "browser" in used) and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _servers_only_where_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a test not marked ``browser``, ``servers.start_server`` raises: such a test would slow the fast loop."""
    if not request.node.get_closest_marker("browser"):
        monkeypatch.setenv(NO_SERVER_ENV, request.node.nodeid)


class Server:
    """A running ``trajectories serve``: its base URL, process and log file."""

    def __init__(self, url: str, proc: Any, log: Path) -> None:
        self.url = url
        self.proc = proc
        self.log = log

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``python -m trajectories serve --no-browser --port P`` on 127.0.0.1, stopped after the session."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "voila.log"
    with open(log, "wb") as fh:
        proc = start_server(port, log=fh, root=ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_ready(url + READY_PATH, timeout=90, proc=proc)
        yield Server(url, proc, log)
    finally:
        stop_server(proc)


def _missing_browser(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and the browser is missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright (skip without it; fail under CI)."""
    if not Path(CHROMIUM).exists():
        _missing_browser(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("playwright (Python) is not installed")
    pw = sync_playwright().start()
    try:
        try:
            b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:  # Playwright raises its own Error type for a browser that will not start
            _missing_browser(f"Chromium did not start: {str(exc).splitlines()[0]}")
        yield b
        b.close()
    finally:
        pw.stop()


def watch(p: Any) -> Any:
    """Collect a page's uncaught errors and console errors in ``p.errors``: a student must never meet one."""
    p.errors = []
    p.on("pageerror", lambda exc: p.errors.append(f"page error: {exc}"))
    p.on("console", lambda m: p.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    return p


@pytest.fixture
def offline(browser: Any) -> Iterator[Any]:
    """A page as ``page`` is, whose every request to anything but a file (and what it makes itself: data:, blob:)
    is refused and recorded in ``page.outside``: the notes, slides and HTML page must work with no network."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    p = watch(context.new_page())
    p.outside = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file://", "data:", "blob:")):
            r.continue_()
        else:
            p.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    try:
        yield p
    finally:
        context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page (its own context, 1280 px wide); ``page.errors`` collects page and console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    p = watch(context.new_page())
    try:
        yield p
    finally:
        context.close()
