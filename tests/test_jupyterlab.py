"""The teacher's JupyterLab: the same widget runs in a notebook, answers the keyboard, and Export downloads the CLI's
file; Python follows what is on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from pages import TIMEOUT_MS, expected_lines, link_lesson, path_d, readout, run_lab_cell, value, wait_for
from servers import start_jupyterlab, stop_server

from trajectories import cli

CELL = ("from trajectories import App\nfrom trajectories.lesson import Lesson\n\n"
        "app = App(Lesson(optimizers=('gd', 'momentum')))\napp")


@pytest.fixture
def jupyterlab(tmp_path):
    """JupyterLab on 127.0.0.1 with a notebook that shows the app, importing this checkout; stopped afterwards."""
    log = open(tmp_path / "lab.log", "wb")  # noqa: SIM115 - closed below, after the server
    proc, url = start_jupyterlab(tmp_path, CELL, log=log)
    try:
        yield url
    finally:
        stop_server(proc)
        log.close()


def test_the_app_runs_in_jupyterlab(jupyterlab, page, tmp_path):
    run_lab_cell(page, jupyterlab)
    assert readout(page) == expected_lines(link_lesson(page))
    before = path_d(page, "momentum")
    page.focus(".tj-momentum-eta")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(d) => document.querySelector('.tj-trajectory-momentum .tj-line').getAttribute('d') "
                           "!== d", arg=before, timeout=TIMEOUT_MS)
    # the plot is drawn in the key's frame; the readout follows in the task after it
    wait_for(page, lambda: readout(page) == expected_lines(link_lesson(page)), "the readout after the key")
    eta = value(page, ".tj-momentum-eta")
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click(".tj-export")
    name = f"gd_eta0.4_vs_momentum_eta{eta:g}_beta0.5.svg"
    assert info.value.suggested_filename == name
    out = tmp_path / "cli.svg"
    assert cli.main(["export", "--link", link_lesson(page).to_query(), "--loss", "-o", str(out)]) == 0
    assert Path(info.value.path()).read_bytes() == out.read_bytes()
    assert page.errors == [], page.errors
