"""The Landscape tab on the Voila page: a click on a cell of the map moves the sliders (headless Chromium)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from trajectories.landscape import axis_values
from trajectories.landscape_app import DEFAULT_RESOLUTION, SIGNIFICANT
from trajectories.landscape_view import AXES_BOX, position

CANVAS_READY = """sel => [...document.querySelectorAll(sel + ' canvas')].some(
    c => c.width > 0 && c.getBoundingClientRect().width > 0)"""


def open_landscape(page, url: str) -> dict:
    """Open the page, switch to the Landscape tab, wait for its figure; the canvas's box on the page."""
    page.goto(url, timeout=120_000)
    page.wait_for_function(CANVAS_READY, arg=".tj-plot", timeout=120_000)
    page.get_by_role("tab", name="Landscape").click()
    page.wait_for_function(CANVAS_READY, arg=".tj-landscape-plot", timeout=60_000)
    page.wait_for_function("() => document.querySelector('.tj-landscape-info').textContent.includes('runs of')",
                           timeout=60_000)
    return page.locator(".tj-landscape-plot canvas").last.bounding_box()


def cell_centre(box: dict, u: float, v: float) -> tuple[float, float]:
    """Page coordinates of the point at axes fraction (u, v) of the map."""
    left, bottom, width, height = AXES_BOX
    return box["x"] + (left + width * u) * box["width"], box["y"] + (1 - bottom - height * v) * box["height"]


def test_clicking_a_cell_moves_the_sliders(server, page):
    box = open_landscape(page, server.url + "?optimizer=rmsprop&eta=0.4&gamma=0.9")
    n = DEFAULT_RESOLUTION
    etas, gammas = axis_values("rmsprop", "eta", n), axis_values("rmsprop", "gamma", n)
    i, j = 70, 31  # the cell to click: eta index, gamma index
    pos = position(etas, "log")
    half = (pos[1] - pos[0]) / 2
    u = (pos[i] - (pos[0] - half)) / (pos[-1] - pos[0] + 2 * half)
    v = (gammas[j] - (gammas[0] - (gammas[1] - gammas[0]) / 2)) / (gammas[-1] - gammas[0] + gammas[1] - gammas[0])
    page.mouse.click(*cell_centre(box, u, v))
    eta, gamma = (float(f"{value:.{SIGNIFICANT}g}") for value in (etas[i], gammas[j]))
    link = page.locator(".tj-link input")
    page.wait_for_function(f"() => document.querySelector('.tj-link input').value.includes('eta={eta:.10g}&')",
                           timeout=30_000)
    assert f"gamma={gamma:.10g}&" in link.input_value()
    page.get_by_role("tab", name="Trajectories").click()
    readout = page.locator(".tj-rmsprop-eta .widget-readout")
    readout.wait_for(state="visible")
    assert readout.inner_text() == f"{eta:g}"
    assert page.locator(".tj-rmsprop-gamma .widget-readout").inner_text() == f"{gamma:g}"
    assert not page.errors
    assert np.isclose(eta, etas[i], rtol=10 ** (1 - SIGNIFICANT))


def test_export_downloads_the_same_svg_as_the_command_line(server, page, tmp_path):
    from trajectories.cli import main

    open_landscape(page, server.url + "?optimizer=momentum&steps=40")
    with page.expect_download(timeout=60_000) as info:
        page.locator(".tj-landscape-export").click()
    download = info.value
    assert download.suggested_filename == "landscape_momentum_eta_x_beta.svg"
    out = tmp_path / "cli.svg"
    argv = ["landscape", "momentum", "--steps", "40", "--resolution", str(DEFAULT_RESOLUTION), "-o", str(out)]
    assert main(argv) == 0
    assert Path(download.path()).read_bytes() == out.read_bytes()
    assert not page.errors
