"""The Landscape tab on the served page: computed in the browser, a click steers the sliders, Export is the CLI's map,
and the largest settings the controls allow answer within the budget."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from pages import TIMEOUT_MS, expected_lines, link_lesson, open_app, readout

from trajectories import cli
from trajectories.landscape import from_lesson
from trajectories.lesson import PAGE_STEPS, Lesson

READY = ".tj-landscape-plot[data-state=ready]"


def open_landscape(page, url: str) -> None:
    open_app(page, url)
    page.get_by_role("tab", name="Landscape").click()
    page.wait_for_selector(READY, timeout=TIMEOUT_MS)


def maps_drawn(page) -> int:
    return int(page.get_attribute(".tj-landscape-plot", "data-maps") or 0)


def test_a_click_on_a_cell_moves_the_sliders_and_the_trajectory(page, server):
    open_landscape(page, server.url + "?optimizer=momentum")
    assert "9216 runs of 20 steps" in page.inner_text(".tj-landscape-info")
    before = link_lesson(page).resolved("momentum")
    box = page.locator(".tj-landscape-hit").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.3)
    page.wait_for_function("(eta) => !document.querySelector('.tj-link').value.includes('eta=' + eta)",
                           arg=str(before["eta"]), timeout=TIMEOUT_MS)
    after = link_lesson(page).resolved("momentum")
    assert after["eta"] != before["eta"] and after["beta"] != before["beta"]
    for value in (after["eta"], after["beta"]):  # a clicked cell's value is rounded for the slider
        assert float(f"{value:.3g}") == value
    assert 0.6 < after["beta"] < 0.8  # 30 % from the top of beta's 0..1 axis
    page.wait_for_function("() => document.querySelector('.tj-momentum-beta').getAttribute('aria-valuenow') !== '0.5'")
    assert readout(page) == expected_lines(link_lesson(page))
    assert page.errors == []


def test_the_keyboard_picks_a_cell_too(page, server):
    open_landscape(page, server.url + "?optimizer=rmsprop")
    before = link_lesson(page)
    page.focus(".tj-landscape-svg")
    for key in ("ArrowLeft", "ArrowLeft", "ArrowDown", "Enter"):
        page.keyboard.press(key)
    page.wait_for_function("(q) => !document.querySelector('.tj-link').value.endsWith(q)",
                           arg=before.to_query(), timeout=TIMEOUT_MS)
    assert link_lesson(page) != before and page.errors == []


def test_moving_a_mapped_slider_moves_the_marker_only(page, server):
    open_landscape(page, server.url + "?optimizer=rmsprop")
    drawn = maps_drawn(page)
    page.get_by_role("tab", name="Trajectories").click()
    page.focus(".tj-eta")
    page.keyboard.press("ArrowRight")  # eta is on the map's x axis: no new map
    page.focus(".tj-eps")
    page.keyboard.press("ArrowRight")  # eps is not: the map is computed again when the tab is shown
    page.get_by_role("tab", name="Landscape").click()
    page.wait_for_function("(n) => Number(document.querySelector('.tj-landscape-plot').dataset.maps) === n + 1",
                           arg=drawn, timeout=TIMEOUT_MS)
    page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    assert page.errors == []


def test_export_map_is_the_command_lines_svg(page, server, tmp_path):
    open_landscape(page, server.url + "?optimizer=momentum&steps=30")
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click(".tj-landscape-export")
    assert info.value.suggested_filename == "landscape_momentum_eta_x_beta.svg"
    out = tmp_path / "map.svg"
    assert cli.main(["landscape", "momentum", "--x", "eta", "--y", "beta", "--resolution", "96", "--steps", "30",
                     "--x-span", "0.001,10", "-o", str(out)]) == 0  # the tab opens eta on 1e-3 to 10
    assert Path(info.value.path()).read_bytes() == out.read_bytes()
    assert page.errors == []


def test_the_largest_settings_answer_within_the_budget(page, server):
    """Issue 14: the most cells and steps the controls allow. The figure itself comes from
    benchmarks/bench_landscape.py; here a generous bound checks that no setting makes the page compute for long."""
    open_landscape(page, server.url + f"?optimizer=adam&objective=himmelblau&start=-1,-1&steps={PAGE_STEPS}")
    page.select_option(".tj-landscape-metric", "steps")
    page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    page.focus("input.tj-landscape-resolution")
    page.keyboard.press("End")
    page.wait_for_function("() => /resolution lowered to 126/.test(document.querySelector('.tj-landscape-info')"
                           ".textContent)", timeout=TIMEOUT_MS)
    page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    ms = float(re.search(r"in (\d+) ms", page.inner_text(".tj-landscape-info")).group(1))
    assert ms < 5000, page.inner_text(".tj-landscape-info")  # measured ~0.6 s on a quiet 2-core machine
    assert page.errors == []


def test_a_curve_exports_the_points_drawn_on_screen(page, server, tmp_path):
    """Issue 20: a 1-D curve of 500-step runs at 256 cells fits the budget; the page draws 256 points and Export
    holds the same 256 (the kernel once lowered every map as if it had two axes, and exported 126)."""
    open_landscape(page, server.url + f"?optimizer=gd&steps={PAGE_STEPS}")
    page.focus("input.tj-landscape-resolution")
    page.keyboard.press("End")
    page.wait_for_function("() => /^256 runs of 500 steps/.test(document.querySelector('.tj-landscape-info')"
                           ".textContent)", timeout=TIMEOUT_MS)
    d = page.get_attribute(".tj-landscape-curve", "d")
    curve = from_lesson(Lesson(optimizers=("gd",), steps=PAGE_STEPS), "gd", ("eta",), resolution=256,
                        spans={"eta": (0.001, 10.0)})
    assert len(re.findall(r"[ML]", d)) == np.isfinite(curve.values).sum() > 100  # diverged cells are gaps
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click(".tj-landscape-export")
    out = tmp_path / "curve.svg"
    assert cli.main(["landscape", "gd", "--x", "eta", "--y", "none", "--resolution", "256", "--steps", str(PAGE_STEPS),
                     "--x-span", "0.001,10", "-o", str(out)]) == 0
    assert Path(info.value.path()).read_bytes() == out.read_bytes()
    assert page.errors == []
