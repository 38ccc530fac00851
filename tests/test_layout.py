"""A lesson on one screen, on every screen (issue 22): at scroll 0 the plot and the first run's eta slider are both
on screen, the plot within the page's width, on the served page and the HTML page, on every screen of
``pages.SCREENS`` and in JupyterLab at 1440 x 900 with the file browser open; the panels scale to the runs that stay
finite; presenter and compact modes by link; a phone moves the start only by dragging its marker."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import watch
from pages import PHONE, SCREENS, TIMEOUT_MS, open_app, plot_point, run_lab_cell, screen_context, wait_for
from servers import ROOT, start_jupyterlab, stop_server

from trajectories.state import config

LESSON = "optimizer=gd,momentum,rmsprop"
FOUR = "optimizer=adagrad,rmsprop,adadelta,adam&steps=60"


@pytest.fixture(scope="module")
def html_page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("layout") / "lesson.html"
    subprocess.run([sys.executable, "-m", "trajectories", "export", "--link", LESSON, "--format", "html", "-o",
                    str(out)], check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120,
                   stdout=subprocess.DEVNULL)
    return out


def on_screen(page, width: int, height: int) -> None:
    """The plot and the first run's eta slider inside the viewport at scroll 0, the plot inside the page's width."""
    assert page.evaluate("[window.scrollX, window.scrollY]") == [0, 0]
    plot = page.locator(".tj-plot").bounding_box()
    eta = page.locator(".tj-hyper .tj-slider-track[class*='-eta']").first.bounding_box()
    for name, box in (("plot", plot), ("eta slider", eta)):
        assert box["x"] >= 0 and box["y"] >= 0, (name, box)
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, (name, box, width, height)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert plot["x"] + plot["width"] <= min(page_width, width)
    assert page_width <= width, f"the page scrolls sideways: {page_width} px for a {width} px screen"


def nothing_cut(page) -> None:
    """Each panel's title inside its panel, the formula inside its column: set smaller where the room is short."""
    cut = page.evaluate("""() => {
      const out = [], r = (e) => e.getBoundingClientRect();
      const within = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5;
      for (const t of document.querySelectorAll('.tj-panel-title')) {
        if (!within(r(t), r(t.ownerSVGElement))) out.push([t.textContent, r(t).right, r(t.ownerSVGElement).right]);
      }
      const f = document.querySelector('.tj-formula'), math = f && f.querySelector('math');
      if (math && f.clientWidth > 0 && !within(r(math), r(f))) out.push(['formula', r(math).right, r(f).right]);
      return out;
    }""")
    assert cut == [], f"cut at the edge: {cut}"


def open_on(browser, name: str, url: str, theme: str = "light"):
    context = screen_context(browser, name, theme=theme)
    page = watch(context.new_page())
    open_app(page, url)
    return context, page


@pytest.mark.parametrize("name", list(SCREENS))
@pytest.mark.parametrize("host", ["served", "html"])
def test_the_plot_and_the_sliders_are_on_screen_together(browser, server, html_page, host, name):
    width, height = SCREENS[name]
    url = f"{server.url}?{LESSON}" if host == "served" else f"{html_page.as_uri()}?{LESSON}"
    context, page = open_on(browser, name, url)
    try:
        on_screen(page, width, height)
        nothing_cut(page)
        layout = page.get_attribute(".tj-main", "data-layout")
        assert layout == ("narrow" if name == PHONE else "wide")
        plot = page.locator(".tj-plot").bounding_box()
        if name == PHONE:  # the plot fits the width, the sliders follow it
            assert plot["width"] >= width - 40
            first = page.locator(".tj-hyper").bounding_box()
            assert first["y"] > plot["y"] + plot["height"]
            assert first["y"] < page.locator(".tj-controls").bounding_box()["y"]
        assert page.errors == []
    finally:
        context.close()


def test_the_plot_uses_the_room_there_is(browser, server):
    sizes = {}
    for name in ("projector", "full-hd"):
        context, page = open_on(browser, name, f"{server.url}?{LESSON}")
        try:
            box = page.locator(".tj-plot").bounding_box()
            sizes[name] = box
            assert box["width"] / box["height"] == pytest.approx(4 / 3, abs=0.01)  # it keeps its aspect
        finally:
            context.close()
    assert sizes["full-hd"]["width"] > 1.3 * sizes["projector"]["width"]
    assert sizes["projector"]["width"] > 700  # larger than the book's 560 px wherever there is room


def test_four_runs_hold_their_sliders_on_a_projector(browser, server):
    context, page = open_on(browser, "projector", f"{server.url}?{FOUR}")
    try:
        height = SCREENS["projector"][1]
        for track in page.locator(".tj-hyper .tj-slider-track:visible").all():  # not those folded away
            box = track.bounding_box()
            assert box["y"] + box["height"] <= height, box
        assert page.errors == []
    finally:
        context.close()


TALL = "run=gd:eta=0.4&run=gd:eta=0.6&run=sgd:eta=0.1,sigma=0.5,spread=20,schedule=cosine"  # SGD's folds open


def test_a_slider_far_down_the_side_is_moved_with_the_plot_on_screen(browser, tmp_path):
    """A run whose schedule and noise are open makes the side column taller than a projector's screen: reaching its
    last slider scrolls the page, and the plot's column stays on screen (it sticks to the top) while the key moves
    the plot."""
    name = "projector"
    height = SCREENS[name][1]
    html = tmp_path / "tall.html"
    subprocess.run([sys.executable, "-m", "trajectories", "export", "--link", TALL, "--format", "html", "-o",
                    str(html)], check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120,
                   stdout=subprocess.DEVNULL)
    context, page = open_on(browser, name, html.as_uri())
    try:
        slider = ".tj-hyper .tj-sgd-spread"
        assert page.locator(slider).bounding_box()["y"] > height  # below the first screen
        page.focus(slider)  # scrolls it into view, as a Tab or a click does
        assert page.evaluate("window.scrollY") > 0
        before = page.inner_html(".tj-plot")
        page.keyboard.press("ArrowRight")  # 21 seeds: the spread's paths are drawn again
        wait_for(page, lambda: page.inner_html(".tj-plot") != before, "the plot to draw the new spread")
        for what in (".tj-plot", slider):
            box = page.locator(what).bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, (what, box)
        assert page.errors == []
    finally:
        context.close()


@pytest.mark.server
def test_jupyterlab_with_the_file_browser_open(browser, tmp_path):
    cell = f"from trajectories.serve import page\n\napp = page({LESSON!r})\napp"
    log = open(tmp_path / "lab.log", "wb")  # noqa: SIM115 - closed below, after the server
    proc, url = start_jupyterlab(tmp_path, cell, log=log)
    context = screen_context(browser, "lab")
    try:
        page = watch(context.new_page())
        run_lab_cell(page, url)
        page.wait_for_selector(".tj-main[data-laid-out]", timeout=TIMEOUT_MS)
        browser_panel = page.locator(".jp-FileBrowser").bounding_box()
        assert browser_panel is not None and browser_panel["width"] > 150  # the file browser is open
        page.evaluate("document.activeElement && document.activeElement.blur()")
        width, height = SCREENS["lab"]
        plot = page.locator(".tj-plot").bounding_box()
        eta = page.locator(".tj-hyper .tj-slider-track[class*='-eta']").first.bounding_box()
        for box in (plot, eta):
            assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width
            assert box["y"] + box["height"] <= height, box
        output = page.locator(".jp-OutputArea-output").first.bounding_box()
        assert plot["x"] + plot["width"] <= output["x"] + output["width"] + 1  # inside the output area
        assert page.errors == []
    finally:
        context.close()
        stop_server(proc)
        log.close()


def curve_points(page, selector: str) -> np.ndarray:
    """The vertices of a panel's curve in its panel's pixels (the d attribute is in tenths of a pixel)."""
    d = page.get_attribute(selector, "d") or ""
    numbers = np.array(re.findall(r"-?\d+(?:\.\d+)?", d), float)
    return numbers.reshape(-1, 2) / 10


def test_a_diverging_run_does_not_push_the_others_out_of_the_panels(browser, html_page):
    # The case: on Rosenbrock, RMSProp's loss next to a diverging momentum.
    query = "optimizer=rmsprop,momentum&objective=rosenbrock&momentum.eta=0.01"
    context, page = open_on(browser, "laptop", f"{html_page.as_uri()}?{query}")
    try:
        inner = page.locator(".tj-loss-panel .tj-frame").bounding_box()
        rms = curve_points(page, ".tj-loss-rmsprop path:not(.tj-band)")
        assert len(rms) == 21  # every step drawn
        assert (rms[:, 1] >= -0.5).all() and (rms[:, 1] <= inner["height"] + 0.5).all()
        assert (rms[:, 0] >= -0.5).all() and (rms[:, 0] <= inner["width"] + 0.5).all()
        mom = curve_points(page, ".tj-loss-momentum path:not(.tj-band)")
        assert len(mom) < 21  # cut where it leaves the panel
        assert page.locator(".tj-loss-exit-momentum path").first.get_attribute("display") is None  # and marked
        assert page.locator(".tj-exit-momentum").get_attribute("display") is None  # marked where it leaves the plot
        assert "momentum diverged" in page.inner_text(".tj-message")
        assert page.errors == []
    finally:
        context.close()


def test_momentums_overshoot_is_in_view_and_the_view_can_be_the_window(browser, html_page):
    context, page = open_on(browser, "laptop", f"{html_page.as_uri()}?optimizer=momentum")
    try:
        ylim = [float(v) for v in page.get_attribute(".tj-plot", "data-ylim").split(",")]
        assert ylim[1] >= 2.8  # d2l's momentum overshoots to x2 = 2.8 on its first step
        page.goto(f"{html_page.as_uri()}?optimizer=momentum&view=window")
        page.wait_for_selector(".tj-main[data-laid-out] .tj-plot[data-ylim]")
        assert page.get_attribute(".tj-plot", "data-ylim") == "-3,1"
        assert "view=window" in page.input_value(".tj-link")
    finally:
        context.close()


def test_presenter_and_compact_modes_by_link(browser, html_page):
    context, page = open_on(browser, "projector", f"{html_page.as_uri()}?optimizer=momentum&presenter=1")
    try:
        assert "tj-presenter-mode" in page.get_attribute(".tj-app", "class")
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.tj-plot .tj-axis text')).fontSize)")
        assert size >= 15  # bigger type on a projector
        assert "presenter=1" in page.input_value(".tj-link")
        page.goto(f"{html_page.as_uri()}?optimizer=momentum&controls=eta,beta,link&panels=none")
        page.wait_for_selector(".tj-main[data-laid-out]")
        visible = page.locator(".tj-slider-track:visible")
        names = sorted(re.search(r"tj-(\w+) ", c + " ").group(1) for c in
                       (visible.nth(i).get_attribute("class").replace("tj-slider-track ", "") for i in
                        range(visible.count())))
        assert names == ["beta", "eta"]  # the plot and the named controls only
        for hidden in (".tj-optimizer", ".tj-objective", ".tj-steps", ".tj-play", ".tj-tablist", ".tj-panels"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert "controls=eta,beta,link&panels=none" in page.input_value(".tj-link")
        assert page.errors == []
    finally:
        context.close()


def test_the_page_opens_as_export_html_and_app_say(browser, tmp_path):
    out = tmp_path / "compact.html"
    subprocess.run([sys.executable, "-m", "trajectories", "export", "momentum", "--format", "html", "--controls",
                    "eta", "--panels", "none", "--presenter", "-o", str(out)], check=True,
                   env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120, stdout=subprocess.DEVNULL)
    context, page = open_on(browser, "laptop", out.as_uri())
    try:
        assert page.locator(".tj-slider-track:visible").count() == 1
        assert not page.locator(".tj-panels").is_visible()
        assert "tj-presenter-mode" in page.get_attribute(".tj-app", "class")
    finally:
        context.close()


def test_a_phone_moves_the_start_by_its_marker_not_by_a_tap(browser, html_page):
    context, page = open_on(browser, PHONE, f"{html_page.as_uri()}?optimizer=gd")
    try:
        before = page.input_value(".tj-start-x1"), page.input_value(".tj-start-x2")
        x, y = plot_point(page, -1.0, 0.5)
        page.touchscreen.tap(x, y)
        page.wait_for_timeout(300)
        assert (page.input_value(".tj-start-x1"), page.input_value(".tj-start-x2")) == before
        assert page.locator(".tj-start-hit").evaluate("e => e.getBoundingClientRect().width") >= 40  # finger-sized
        # a drag of the marker (d3-drag reads touches; a mouse drag is the same gesture here) moves it
        sx, sy = plot_point(page, -5.0, -2.0)
        page.mouse.move(sx, sy)
        page.mouse.down()
        page.mouse.move(x, y, steps=5)
        page.mouse.up()
        page.wait_for_function("() => document.querySelector('.tj-start-x1').value !== '-5'", timeout=TIMEOUT_MS)
        assert float(page.input_value(".tj-start-x1")) == pytest.approx(-1.0, abs=0.1)
    finally:
        context.close()


def test_an_empty_start_field_keeps_the_last_good_start_and_says_so(browser, html_page):
    context, page = open_on(browser, "laptop", f"{html_page.as_uri()}?optimizer=gd")
    try:
        page.fill(".tj-start-x1", "")
        page.keyboard.press("Tab")
        page.wait_for_function("() => /Kept the start/.test(document.querySelector('.tj-message').textContent)",
                               timeout=TIMEOUT_MS)
        assert page.input_value(".tj-start-x1") == "-5"
        assert "start=" not in page.input_value(".tj-link")  # the start is still the book's
        assert "Kept the start at (-5, -2)" in page.inner_text(".tj-message")
    finally:
        context.close()


def test_dark_pages_get_the_dark_contours_and_ink(browser, html_page):
    context, page = open_on(browser, "laptop", f"{html_page.as_uri()}?optimizer=gd,momentum", theme="dark")
    try:
        page.wait_for_function(f"() => document.querySelector('.tj-contours').getAttribute('stroke') === "
                               f"{config()['colors']['dark']['contour']!r}", timeout=TIMEOUT_MS)
        gd = page.get_attribute(".tj-trajectory-gd .tj-line", "stroke")
        assert gd == config()["colors"]["looks"]["gd"]["dark"]  # not black on a dark page
    finally:
        context.close()
