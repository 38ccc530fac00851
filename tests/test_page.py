"""The students' page in a real browser: Voila serves it, headless Chromium uses it as a student would.

What the page shows is read back from the page itself (the link field, the start fields, the final-point
readout ``tj-readout``, the plot's pixels) and checked against the engine run here, not against the slider.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread

from trajectories import run
from trajectories.lesson import Lesson
from trajectories.plotting import APP_FIGSIZE, TraceFigure

ROOT = Path(__file__).resolve().parent.parent
ERROR_WORDS = ("Traceback", "Error", "Exception", "error:")
TIMEOUT_MS = 120_000  # first page of a session may wait for a kernel to start on a busy 2-core machine


# --- reading the page ---------------------------------------------------------------------------------------


def open_app(page, server, query: str = "") -> None:
    """Load the page and wait until the plot has an image and the link field is filled."""
    page.goto(server.url + query, timeout=TIMEOUT_MS)
    page.wait_for_selector(".tj-plot canvas", state="visible", timeout=TIMEOUT_MS)
    page.wait_for_function("() => { const e = document.querySelector('.tj-link input');"
                           " return e && e.value.includes('?optimizer='); }", timeout=TIMEOUT_MS)
    page.wait_for_function("() => { const c = document.querySelector('.tj-plot canvas');"
                           " return c && c.width > 0 && c.height > 0; }", timeout=TIMEOUT_MS)
    plot_pixels(page)  # waits for a non-blank plot


def link(page) -> str:
    return page.input_value(".tj-link input")


def link_settings(page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(link(page)).query))


def readout(page) -> dict[str, str]:
    """``{optimizer: "epoch 20, x1: ..., x2: ..."}`` from the final-point readout."""
    lines = page.inner_text(".tj-readout").strip().splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def plot_pixels(page, timeout: float = 60.0) -> np.ndarray:
    """The plot's canvas as an RGB array (waits until it is not blank)."""
    deadline = time.monotonic() + timeout
    while True:
        png = page.locator(".tj-plot .jupyter-matplotlib-canvas-div").screenshot()
        rgb = imread(io.BytesIO(png))[..., :3]
        if rgb.std() > 0.05 or time.monotonic() > deadline:
            return rgb
        time.sleep(0.2)


def changed_fraction(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.any(np.abs(a - b) > 0.1, axis=-1).mean())


def wait_until(predicate, timeout: float = 30.0, what: str = "the page to change") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def wait_for_new_pixels(page, before: np.ndarray, timeout: float = 30.0) -> np.ndarray:
    deadline = time.monotonic() + timeout
    while True:
        after = plot_pixels(page)
        if changed_fraction(before, after) > 0.001 or time.monotonic() > deadline:
            return after
        time.sleep(0.2)


def expected_lines(settings: dict[str, str]) -> dict[str, str]:
    """The book's line for each optimizer in a link, from the engine directly (not through the app)."""
    lesson, notes = Lesson.from_query(settings)
    assert notes == [], notes
    out = {}
    for name in lesson.optimizers:
        t = run(name, objective=lesson.objective_function(), start=lesson.start, steps=lesson.steps,
                convention=lesson.convention, seed=lesson.seed, **lesson.resolved(name))
        out[name] = t.book_line()
    return out


def visible_text_has_no_error(page) -> None:
    text = page.inner_text("body")
    for word in ERROR_WORDS:
        assert word not in text, f"{word!r} on the page:\n{text[:2000]}"
    assert page.errors == [], page.errors


def slider_readout(page, selector: str) -> str:
    return page.inner_text(f"{selector} .widget-readout").strip()


# --- the tests ----------------------------------------------------------------------------------------------


def test_page_loads_with_plot_and_sliders(page, server):
    open_app(page, server)
    visible_text_has_no_error(page)
    for cls in ("tj-plot", "tj-eta", "tj-gamma", "tj-eps", "tj-steps", "tj-objective", "tj-optimizer",
                "tj-link", "tj-readout", "tj-reset"):
        assert page.locator(f".{cls}").first.is_visible(), cls
    pixels = plot_pixels(page)
    assert pixels.shape[0] > 200 and pixels.shape[1] > 400
    assert (pixels < 0.5).any(axis=-1).mean() > 0.01  # contours, axes and the path are drawn
    assert readout(page) == expected_lines(link_settings(page))


def test_keyboard_on_eta_changes_pixels_and_matches_engine(page, server):
    open_app(page, server)
    before_pixels = plot_pixels(page)
    before_link, before_readout = link(page), readout(page)
    assert link_settings(page)["eta"] == "0.4"
    handle = page.locator(".tj-eta .noUi-handle").first
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_until(lambda: link(page) != before_link and readout(page) != before_readout, what="eta to change")
    wait_until(lambda: link_settings(page)["eta"] == slider_readout(page, ".tj-eta"),
               what="the link to catch up with the last key press")
    settings = link_settings(page)
    eta = float(settings["eta"])
    assert eta > 0.4
    after_pixels = wait_for_new_pixels(page, before_pixels)
    assert changed_fraction(before_pixels, after_pixels) > 0.001
    # the readout shows the run the figure draws; it must be the engine's for the new eta
    expected = run("rmsprop", eta=eta, gamma=float(settings["gamma"]), eps=float(settings["eps"]),
                   steps=int(settings["steps"])).book_line()
    wait_until(lambda: readout(page) == {"rmsprop": expected}, what=f"the readout to show {expected!r}")
    visible_text_has_no_error(page)


def _click_target(lesson: Lesson, x1: float, x2: float) -> tuple[float, float]:
    """Where (x1, x2) falls on the app's figure, as fractions of its width and height from the top left.

    The app's figure has a fixed layout (no tight or constrained layout), so the same figure built here has
    the same axes in the same place.
    """
    trace = TraceFigure.from_lesson(lesson, Figure(figsize=APP_FIGSIZE))
    px, py = trace.ax.transData.transform((x1, x2))
    width, height = trace.figure.bbox.size
    return px / width, 1 - py / height


def test_click_on_plot_moves_the_start(page, server):
    open_app(page, server)
    before_pixels, before_readout = plot_pixels(page), readout(page)
    target = (-2.0, 0.5)
    fx, fy = _click_target(Lesson(), *target)
    box = page.locator(".tj-plot .jupyter-matplotlib-canvas-div").bounding_box()
    page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
    wait_until(lambda: "start" in link_settings(page), what="the link to show the new start")
    x1, x2 = (float(v) for v in link_settings(page)["start"].split(","))
    tolerance = 0.05  # a couple of pixels, and the app rounds the start to 0.01
    assert abs(x1 - target[0]) < tolerance and abs(x2 - target[1]) < tolerance, (x1, x2)
    assert float(page.input_value(".tj-start-x1 input")) == x1
    assert float(page.input_value(".tj-start-x2 input")) == x2
    wait_until(lambda: readout(page) != before_readout, what="the readout to follow the new start")
    assert readout(page) == expected_lines(link_settings(page))
    assert changed_fraction(before_pixels, wait_for_new_pixels(page, before_pixels)) > 0.001


def test_preset_link_shows_its_settings(page, server):
    query = "?optimizer=gd,momentum&momentum.eta=0.6&momentum.beta=0.5&gd.eta=0.3&steps=30&start=-4,1.5"
    open_app(page, server, query)
    visible_text_has_no_error(page)
    assert slider_readout(page, ".tj-momentum-eta") == "0.6"
    assert slider_readout(page, ".tj-momentum-beta") == "0.5"
    assert slider_readout(page, ".tj-gd-eta") == "0.3"
    assert slider_readout(page, ".tj-steps") == "30"
    assert float(page.input_value(".tj-start-x1 input")) == -4.0
    assert float(page.input_value(".tj-start-x2 input")) == 1.5
    for name in ("gd", "momentum"):
        assert "mod-active" in (page.get_attribute(f".tj-optimizer-{name}", "class") or "")
    assert "mod-active" not in (page.get_attribute(".tj-optimizer-rmsprop", "class") or "")
    settings = link_settings(page)
    assert settings["optimizer"] == "gd,momentum" and settings["steps"] == "30" and settings["start"] == "-4,1.5"
    assert settings["momentum.eta"] == "0.6" and settings["momentum.beta"] == "0.5" and settings["gd.eta"] == "0.3"
    assert readout(page) == expected_lines(settings)
    assert page.inner_text(".tj-message").strip() == ""


def test_bad_link_shows_the_message_and_still_works(page, server):
    open_app(page, server, "?optimizer=rmsprop,banana&eta=-1&gamma=lots&steps=abc&start=1,2,3&objective=../x")
    message = page.inner_text(".tj-message")
    for word in ("banana", "eta", "gamma", "steps", "start", "objective"):
        assert word in message, (word, message)
    assert "Traceback" not in page.inner_text("body") and page.errors == []
    settings = link_settings(page)
    assert settings["optimizer"] == "rmsprop" and settings["eta"] == "0.4" and settings["steps"] == "20"
    # and it still works: a key press on eta redraws and the readout follows the engine
    before_pixels, before_link = plot_pixels(page), link(page)
    page.locator(".tj-eta .noUi-handle").first.focus()
    page.keyboard.press("ArrowLeft")
    wait_until(lambda: link(page) != before_link, what="eta to change after a bad link")
    wait_until(lambda: readout(page) == expected_lines(link_settings(page)), what="the readout to follow")
    assert changed_fraction(before_pixels, wait_for_new_pixels(page, before_pixels)) > 0.001


def test_screenshot_for_the_readme(browser, server):
    """The README's picture: three optimizers on the book's quadratic, from a preset link, on a wide screen."""
    context = browser.new_context(viewport={"width": 1440, "height": 1200})
    try:
        page = context.new_page()
        page.errors = []
        open_app(page, server, "?optimizer=gd,momentum,rmsprop&gd.eta=0.4&momentum.eta=0.4&momentum.beta=0.5"
                               "&rmsprop.eta=0.4&rmsprop.gamma=0.9")
        visible_text_has_no_error(page)
        time.sleep(0.5)  # let the last image frame land
        out = ROOT / "assets" / "page.png"
        out.parent.mkdir(exist_ok=True)
        page.locator(".tj-app").screenshot(path=str(out))
    finally:
        context.close()
    image = imread(str(out))
    assert image.shape[0] > 400 and image.shape[1] > 800


@pytest.mark.parametrize("query", ["?theme=dark", ""])
def test_link_field_points_at_this_server(page, server, query):
    open_app(page, server, query)
    assert link(page).startswith(server.url + "?optimizer=")
    assert not re.search(r"theme=", link(page))


def test_link_says_https_behind_an_https_proxy(browser, server):
    """A proxy that terminates https sets X-Forwarded-Proto; the link a teacher copies must then say https."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  extra_http_headers={"X-Forwarded-Proto": "https"})
    try:
        page = context.new_page()
        page.errors = []
        open_app(page, server, "?optimizer=gd")
        assert link(page).startswith(server.url.replace("http://", "https://") + "?optimizer=gd")
    finally:
        context.close()
