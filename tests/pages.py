"""Reading the app from a real page, as a student sees it: sliders' values, the readout, the plotted path.

Shared by the browser tests and the benchmarks. Everything here reads the page; nothing asks the app's code.
"""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qsl, urlsplit

import numpy as np

from trajectories import run
from trajectories.lesson import Lesson

TIMEOUT_MS = 120_000  # the first page of a session may wait for a kernel to start on a busy 2-core machine
ERROR_WORDS = ("Traceback", "Error:", "Exception")
READY = ("() => { const r = document.querySelector('.tj-readout');"
         " return document.querySelector('.tj-main[data-laid-out] .tj-plot[data-xlim]') && r"
         " && /epoch|diverged/.test(r.textContent); }")


# The screens the app is laid out for (issue 22): every one holds the plot and the sliders at scroll 0. The
# JupyterLab case opens the notebook with the file browser showing, so the output is about 850 px wide.
SCREENS = {  # name: (width, height)
    "projector": (1280, 720),
    "laptop": (1280, 800),
    "laptop-hd": (1366, 768),
    "lab": (1440, 900),
    "full-hd": (1920, 1080),
    "phone": (390, 844),
}
PHONE = "phone"


def screen_context(browser, name: str, *, theme: str = "light", scale: float = 1, **kw):
    """A browser context the size of screen ``name`` (a phone is a touch device), in the system theme ``theme``."""
    width, height = SCREENS[name]
    phone = name == PHONE
    return browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                               is_mobile=phone, has_touch=phone, color_scheme=theme, **kw)


def run_lab_cell(page, url: str) -> None:
    """Open JupyterLab's notebook at ``url``, run its first cell, and wait until the app in it has drawn."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(url, timeout=TIMEOUT_MS)
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=TIMEOUT_MS)
    accept = page.locator(".jp-Dialog .jp-mod-accept")  # "Select Kernel", when JupyterLab asks
    try:
        accept.wait_for(state="visible", timeout=15_000)
        accept.click()
    except PlaywrightTimeout:
        pass
    page.locator(".jp-Notebook .jp-Cell .jp-InputArea-editor").first.click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(READY, timeout=TIMEOUT_MS)


def open_app(page, url: str) -> None:
    """Load the page and wait until the plot is drawn and the readout filled."""
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_function(READY, timeout=TIMEOUT_MS)


def link(page) -> str:
    return page.input_value(".tj-link")


def link_lesson(page) -> Lesson:
    """The lesson the page's link field describes, read by the Python side."""
    lesson, notes = Lesson.from_query(urlsplit(link(page)).query)
    assert notes == [], notes
    return lesson


def link_settings(page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(link(page)).query))


def readout(page) -> dict[str, str]:
    """``{label: "epoch 20, x1: ..., x2: ..."}`` from the final-point readout (a run's label is its optimizer's name
    unless two runs share it)."""
    lines = page.inner_text(".tj-readout").strip().splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def expected_lines(lesson: Lesson) -> dict[str, str]:
    """The book's line for each run of ``lesson``, by label, from the engine directly (not through the app); a
    spread's is its median run's, as Lesson.readout says it."""
    out = {}
    for label, r in zip(lesson.labels, lesson.runs, strict=True):
        if r.spread > 1 and r.hyperparameters["sigma"] > 0:
            out[label] = lesson.readout()[label]
            continue
        t = run(r.optimizer, objective=lesson.objective_function(), start=lesson.start, steps=lesson.steps,
                convention=lesson.convention, seed=r.seed, **r.hyperparameters)
        out[label] = t.book_line()
    return out


def value(page, selector: str) -> float:
    """The value a slider stands for (its aria-valuenow)."""
    return float(page.get_attribute(selector, "aria-valuenow"))


def path_d(page, optimizer: str) -> str:
    return page.get_attribute(f".tj-plot .tj-trajectory-{optimizer} .tj-line", "d") or ""


def _window(page) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    plot = page.locator(".tj-plot").first
    xlim = np.array(plot.get_attribute("data-xlim").split(","), float)
    ylim = np.array(plot.get_attribute("data-ylim").split(","), float)
    area = np.array(plot.get_attribute("data-area").split(","), float)
    return xlim, ylim, area


def path_points(page, optimizer: str) -> np.ndarray:
    """The vertices of an optimizer's drawn path, mapped back to (x1, x2)."""
    numbers = np.array(re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", path_d(page, optimizer)), float)
    px = numbers.reshape(-1, 2)
    xlim, ylim, (width, height, fine) = _window(page)
    x1 = xlim[0] + px[:, 0] / fine / width * (xlim[1] - xlim[0])
    x2 = ylim[1] - px[:, 1] / fine / height * (ylim[1] - ylim[0])
    return np.column_stack([x1, x2])


def plot_point(page, x1: float, x2: float) -> tuple[float, float]:
    """Where (x1, x2) is on screen: page coordinates for a mouse."""
    xlim, ylim, (width, height, _) = _window(page)
    box = page.locator(".tj-plot .tj-hit").first.bounding_box()
    return (box["x"] + (x1 - xlim[0]) / (xlim[1] - xlim[0]) * box["width"],
            box["y"] + (ylim[1] - x2) / (ylim[1] - ylim[0]) * box["height"])


def no_error_text(page) -> None:
    text = page.inner_text("body")
    for word in ERROR_WORDS:
        assert word not in text, f"{word!r} on the page:\n{text[:2000]}"


def wait_for(page, predicate, what: str, timeout: float = 30.0) -> None:
    """Poll ``predicate`` (a Python check of the page) until it holds; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(50)
