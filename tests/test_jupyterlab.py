"""The teacher's JupyterLab: the same widget runs in a notebook, answers the keyboard, and Export downloads the CLI's
file; Python follows what is on screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from pages import TIMEOUT_MS, expected_lines, link_lesson, path_d, readout, value
from servers import ROOT, free_port, stop_server, wait_ready

from trajectories import cli

CELL = ("from trajectories import App\nfrom trajectories.lesson import Lesson\n\n"
        "app = App(Lesson(optimizers=('gd', 'momentum')))\napp")


@pytest.fixture
def jupyterlab(tmp_path):
    """JupyterLab on 127.0.0.1 with a notebook that shows the app, importing this checkout; stopped afterwards."""
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": "c0", "metadata": {}, "outputs": [],
                           "source": CELL}],
                "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "lab.ipynb").write_text(json.dumps(notebook))
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    env.pop("PYTHONWARNINGS", None)
    log = open(tmp_path / "lab.log", "wb")  # noqa: SIM115 - closed below, after the server
    proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
                             "--ip=127.0.0.1", "--IdentityProvider.token=tj", f"--ServerApp.root_dir={tmp_path}",
                             "--allow-root"], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_ready(url + "api/status?token=tj", timeout=120, proc=proc)
        urllib.request.urlopen(url + "api/status?token=tj", timeout=10).read()
        yield url
    finally:
        stop_server(proc)
        log.close()


def test_the_app_runs_in_jupyterlab(jupyterlab, page, tmp_path):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(jupyterlab + "lab/tree/lab.ipynb?token=tj", timeout=TIMEOUT_MS)
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=TIMEOUT_MS)
    accept = page.locator(".jp-Dialog .jp-mod-accept")  # "Select Kernel", when JupyterLab asks
    try:
        accept.wait_for(state="visible", timeout=15_000)
        accept.click()
    except PlaywrightTimeout:
        pass
    page.locator(".jp-Notebook .jp-Cell .jp-InputArea-editor").first.click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("() => /epoch/.test(document.querySelector('.tj-readout')?.textContent || '')",
                           timeout=TIMEOUT_MS)
    assert readout(page) == expected_lines(link_lesson(page))
    before = path_d(page, "momentum")
    page.focus(".tj-momentum-eta")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(d) => document.querySelector('.tj-trajectory-momentum .tj-line').getAttribute('d') "
                           "!== d", arg=before, timeout=TIMEOUT_MS)
    assert readout(page) == expected_lines(link_lesson(page))
    eta = value(page, ".tj-momentum-eta")
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click(".tj-export")
    name = f"gd_eta0.4_vs_momentum_eta{eta:g}_beta0.5.svg"
    assert info.value.suggested_filename == name
    out = tmp_path / "cli.svg"
    assert cli.main(["export", "--link", link_lesson(page).to_query(), "--loss", "-o", str(out)]) == 0
    assert Path(info.value.path()).read_bytes() == out.read_bytes()
    assert page.errors == [], page.errors
