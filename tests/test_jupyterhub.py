"""JupyterHub, run for real: the shipped ``jupyterhub_config.py`` on 127.0.0.1, two students who log in through the
login form and land on the app, preset by a link, each in their own Jupyter server; nothing comes from another host.

The JupyterHub recipe of docs/beyond-one-machine.md is this file; that page shows it verbatim (checked below).
Without JupyterHub or its proxy (``configurable-http-proxy``: ``cd js && npm ci`` puts it in
``js/node_modules/.bin``) the test is skipped, unless ``CI`` is set: then it fails.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import watch
from pages import READY, TIMEOUT_MS, expected_lines, link, link_lesson, path_d, readout, value
from servers import ROOT, free_port, wait_ready

from trajectories.lesson import Lesson

CONFIG = ROOT / "trajectories" / "hub" / "jupyterhub_config.py"
PROXY_BIN = ROOT / "js" / "node_modules" / ".bin"
PASSWORD = "class-password"
USERS = ("alice", "bob")
QUERY = "optimizer=gd,momentum&momentum.eta=0.6"


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and JupyterHub cannot run: {reason}")
    pytest.skip(reason)


class Hub:
    """A running JupyterHub: the address students open, its process and its log."""

    def __init__(self, url: str, proc: subprocess.Popen, log: Path) -> None:
        self.url, self.proc, self.log = url, proc, log

    def stop(self) -> list[str]:
        """SIGTERM the hub, which stops the students' servers (and their kernels) and the proxy; return what is
        still running afterwards (killed, so nothing outlives the test)."""
        import psutil  # ipykernel's dependency

        try:
            family = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        _, alive = psutil.wait_procs(family, timeout=30)
        left = []
        for p in alive:
            try:
                left.append(" ".join(p.cmdline())[:200])
                p.kill()
            except psutil.NoSuchProcess:
                pass
        return left

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def hub(tmp_path):
    """``jupyterhub -f trajectories/hub/jupyterhub_config.py`` on free 127.0.0.1 ports, state in a temp folder."""
    if importlib.util.find_spec("jupyterhub") is None:
        _missing("jupyterhub (Python) is not installed")
    path = os.pathsep.join([str(PROXY_BIN), os.environ.get("PATH", "")])
    if shutil.which("configurable-http-proxy", path=path) is None:
        _missing("configurable-http-proxy is not installed (cd js && npm ci)")
    port = free_port()
    env = dict(os.environ, PATH=path, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               TRAJECTORIES_HUB_PASSWORD=PASSWORD, TRAJECTORIES_HUB_USERS=",".join(USERS),
               TRAJECTORIES_HUB_PORT=str(port), TRAJECTORIES_HUB_API_PORT=str(free_port()),
               TRAJECTORIES_HUB_PROXY_API_PORT=str(free_port()), TRAJECTORIES_HUB_STATE=str(tmp_path / "state"))
    for key in ("PYTHONWARNINGS", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "TRAJECTORIES_HUB_IP"):
        env.pop(key, None)
    log = tmp_path / "hub.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=tmp_path, env=env,
                                stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(f"http://127.0.0.1:{port}/", proc, log)
    try:
        wait_ready(hub.url + "hub/api/", timeout=120, proc=proc)
        yield hub
    finally:
        hub.stop()


def test_the_docs_show_the_shipped_config():
    doc = (ROOT / "docs" / "beyond-one-machine.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    assert CONFIG.read_text() in blocks


@pytest.mark.parametrize("base, expected", [
    ("/", "http://hub.example.org/hub/user-redirect/voila/render/app.ipynb"),
    ("/course/", "http://hub.example.org/course/hub/user-redirect/voila/render/app.ipynb"),
])
def test_the_link_field_under_jupyterhub_goes_through_user_redirect(monkeypatch, base, expected):
    """The page's own address is one student's server; the link to copy must open in everyone's own."""
    from trajectories.serve import _page_url

    monkeypatch.delenv("HTTP_X_FORWARDED_PROTO", raising=False)
    for key, setting in {"SERVER_NAME": "hub.example.org", "SERVER_PORT": "", "JUPYTERHUB_BASE_URL": base,
                       "JUPYTERHUB_SERVICE_PREFIX": f"{base}user/alice/",
                       "SCRIPT_NAME": f"{base}user/alice/voila/render/app.ipynb"}.items():
        monkeypatch.setenv(key, setting)
    assert _page_url() == expected


def test_two_students_log_in_and_each_moves_a_slider_in_their_own_server(browser, hub):
    outside = []

    def route(r):
        url = r.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname == "127.0.0.1":
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    contexts, pages = [], {}
    try:
        for user in USERS:  # both log in before either server is up, as a class does
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            contexts.append(context)
            context.route("**/*", route)
            page = watch(context.new_page())
            page.goto(hub.url + "hub/user-redirect/voila/render/app.ipynb?" + QUERY, timeout=TIMEOUT_MS)
            assert urlsplit(page.url).path == "/hub/login"
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", PASSWORD)
            page.click("[type=submit]")
            pages[user] = page
        lesson, _ = Lesson.from_query(QUERY)
        shared = hub.url + "hub/user-redirect/voila/render/app.ipynb"  # what the link field gives to copy
        for user, page in pages.items():
            page.wait_for_function(READY, timeout=TIMEOUT_MS)
            assert page.url.split("?")[0] == f"{hub.url}user/{user}/voila/render/app.ipynb"  # their own server
            assert link_lesson(page) == lesson and link(page).startswith(shared + "?")
            assert value(page, ".tj-momentum-eta") == 0.6 and value(page, ".tj-gd-eta") == 0.4
            assert readout(page) == expected_lines(lesson)
            slider = page.locator(".tj-eta.tj-momentum-eta")
            assert slider.get_attribute("role") == "slider"
            before = path_d(page, "momentum")
            slider.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function("(d) => document.querySelector('.tj-plot .tj-trajectory-momentum .tj-line')"
                                   ".getAttribute('d') !== d", arg=before, timeout=TIMEOUT_MS)
            assert value(page, ".tj-momentum-eta") > 0.6
            page.wait_for_function("(q) => document.querySelector('.tj-link').value.split('?')[1] !== q",
                                   arg=lesson.to_query(), timeout=TIMEOUT_MS)
            moved = link_lesson(page)
            assert moved.resolved("momentum")["eta"] == value(page, ".tj-momentum-eta")
            assert readout(page) == expected_lines(moved)
            assert page.locator(".tj-formula math").count() >= 1  # formulas and icons drawn in the page, offline
            assert page.locator(".tj-reset svg").count() == 1
        # alice sends her link to bob: he gets her settings, in his own server
        sent = link(pages["alice"])
        page = watch(contexts[1].new_page())
        page.goto(sent, timeout=TIMEOUT_MS)
        page.wait_for_function(READY, timeout=TIMEOUT_MS)
        assert page.url.split("?")[0] == f"{hub.url}user/bob/voila/render/app.ipynb"
        assert link_lesson(page) == link_lesson(pages["alice"]) != lesson
        pages["bob, alice's link"] = page
        assert outside == []
        assert {user: page.errors for user, page in pages.items()} == {user: [] for user in pages}
    finally:
        for context in contexts:
            context.close()
    assert hub.stop() == []  # the hub took the students' servers, their kernels and the proxy with it
    log = hub.log_text()
    assert "Traceback" not in log, log[-4000:]
