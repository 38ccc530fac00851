"""Slider to pixels: how long after an ArrowRight on the eta slider the plot shows new pixels, in Voila + Chromium.

Serves three notebooks with Voila (this checkout on PYTHONPATH) and drives them with headless Chromium:

- ``app1``: the app with one optimizer (RMSProp), keys on ``.tj-eta``;
- ``app4``: the app with four optimizers overlaid, keys on ``.tj-rmsprop-eta``;
- ``naive``: the naive way, ``ipywidgets.interact`` with the inline backend re-creating the same figure
  (same ``TraceFigure`` content, new pyplot figure per move).

Each move: focus the slider handle, press ArrowRight (or ArrowLeft on the way back), and poll every animation
frame until the plot changes: the pixels of the ipympl canvas (``.tj-plot canvas``) or, for the naive
notebook, a new, loaded output ``<img>``. The time runs from the page's own keydown event to the first frame
that shows the change. The three pages take turns, one move each per round, so that the machine's other load
hits them alike. Prints the medians and the ratio naive / app, measured in the same run.

Usage::

    python benchmarks/bench_slider.py [--moves 15] [--screenshot assets/app-three-optimizers.png]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

APP_CELL = """%matplotlib widget
from trajectories.app import App
from trajectories.lesson import Lesson

App(Lesson(optimizers={optimizers!r}))"""

NAIVE_CELL = """%matplotlib inline
import ipywidgets as w
import matplotlib.pyplot as plt
from trajectories.lesson import Lesson
from trajectories.plotting import TraceFigure

eta = w.FloatSlider(value=0.4, min=0.05, max=3.0, step=0.05, description="eta")
eta.add_class("tj-eta")

def show(eta):
    lesson = Lesson(optimizers=("rmsprop",), hyperparameters={{"rmsprop": {{"eta": eta}}}})
    fig = plt.figure(figsize=(9.0, 4.2))
    TraceFigure.from_lesson(lesson, fig, step=0)
    plt.show()

w.interact(show, eta=eta);"""

CASES = {  # name -> (notebook cell, CSS selector of the slider to move)
    "app1": (APP_CELL.format(optimizers=("rmsprop",)), ".tj-eta"),
    "app4": (APP_CELL.format(optimizers=("gd", "momentum", "rmsprop", "adam")), ".tj-rmsprop-eta"),
    "naive": (NAIVE_CELL.format(), ".tj-eta"),
    "three": (APP_CELL.format(optimizers=("momentum", "adagrad", "rmsprop")), ".tj-eta"),
}

# Runs in the page: a signature of what the plot shows, and a wait for it to change after the next keydown.
PAGE_JS = """
() => {
  const b = window.__bench = {t0: null, base: null, drawn: false};
  document.addEventListener('keydown', () => { b.t0 = performance.now(); }, true);
  // Reading a canvas back every frame would slow the page down: read it only after something drew on it.
  const drawImage = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    if (this.canvas === document.querySelector('.tj-plot canvas')) b.drawn = true;
    return drawImage.apply(this, args);
  };
  b.sig = () => {
    // ipympl stacks two canvases: the figure, and an overlay for the zoom rubberband; the first one counts.
    const c = document.querySelector('.tj-plot canvas');
    if (c) {
      let h = 0;
      if (c.width && c.height) {
        const d = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
        for (let i = 0; i < d.length; i += 1) h = (h * 31 + d[i]) | 0;
      }
      return String(h);
    }
    const imgs = [...document.querySelectorAll('.jp-OutputArea-output img, .output_area img')];
    const img = imgs[imgs.length - 1];
    return img && img.complete && img.naturalWidth ? img.src.length + ':' + img.src.slice(-64) : '';
  };
  b.arm = () => { b.t0 = null; b.base = b.sig(); b.drawn = false; };
  b.changed = () => {
    if (document.querySelector('.tj-plot canvas')) {
      if (!b.drawn) return false;
      b.drawn = false;
    }
    return b.sig() !== b.base;
  };
  b.wait = (timeout) => new Promise((resolve) => {
    const start = performance.now();
    const tick = () => {
      const now = performance.now();
      if (b.t0 !== null && b.changed()) { resolve(now - b.t0); return; }
      if (now - start > timeout) { resolve(null); return; }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_notebooks(folder: Path) -> None:
    for name, (cell, _) in CASES.items():
        nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": name, "metadata": {}, "outputs": [],
                         "source": cell}],
              "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
              "nbformat": 4, "nbformat_minor": 5}
        (folder / f"{name}.ipynb").write_text(json.dumps(nb))


def start_voila(folder: Path, port: int, log) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "voila", str(folder), "--port", str(port), "--no-browser",
                             "--Voila.ip=127.0.0.1"], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/voila.js", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("voila did not start within 60 s")


def open_page(browser, port: int, name: str, width: int = 1300):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"http://127.0.0.1:{port}/voila/render/{name}.ipynb", timeout=120_000)
    selector = CASES[name][1] + " .noUi-handle" if name != "naive" else ".tj-eta .noUi-handle"
    page.wait_for_selector(selector, timeout=120_000)
    if name == "naive":
        page.wait_for_selector(".jp-OutputArea-output img, .output_area img", timeout=60_000)
    else:
        page.wait_for_function("[...document.querySelectorAll('.tj-plot canvas')].some(c => c.width > 0)",
                               timeout=60_000)
    page.wait_for_timeout(1500)  # first full draws and the dpi handshake
    page.evaluate(PAGE_JS)
    return page, selector


def measure(browser, port: int, names: tuple[str, ...], moves: int) -> dict[str, list[float]]:
    """Open every page, then take turns: one move on each page per round, so that whatever else the machine
    is doing slows all cases alike and the ratio stays fair."""
    pages = {name: open_page(browser, port, name) for name in names}
    times: dict[str, list[float]] = {name: [] for name in names}
    for key in ["ArrowRight"] * moves + ["ArrowLeft"] * moves:
        for name, (page, selector) in pages.items():
            page.bring_to_front()
            page.focus(selector)
            page.evaluate("window.__bench.arm()")
            page.keyboard.press(key)
            dt = page.evaluate("window.__bench.wait(5000)")
            if dt is None:
                print(f"  {name}: no new pixels within 5 s after {key}", file=sys.stderr)
            else:
                times[name].append(dt)
            page.wait_for_timeout(400)  # let the kernel go idle between moves (a full redraw takes ~100 ms)
    for page, _ in pages.values():
        page.close()
    return times


def screenshot(browser, port: int, path: Path) -> None:
    page, _ = open_page(browser, port, "three", width=1300)
    page.focus(".tj-step .noUi-handle")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(path), full_page=True)
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=15, help="key presses each way per case (default 15)")
    parser.add_argument("--screenshot", type=Path, help="also save a screenshot of the app with three optimizers")
    parser.add_argument("--only-screenshot", action="store_true", help="take the screenshot and stop")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "voila.log", "w") as log:
        folder = Path(tmp) / "nb"
        folder.mkdir()
        write_notebooks(folder)
        port = free_port()
        proc = start_voila(folder, port, log)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=CHROMIUM_ARGS)
                try:
                    if args.screenshot:
                        screenshot(browser, port, args.screenshot)
                        print(f"screenshot: {args.screenshot}")
                    if args.only_screenshot:
                        return
                    results = measure(browser, port, ("app1", "app4", "naive"), args.moves)
                finally:
                    browser.close()
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    medians = {}
    for name, times in results.items():
        medians[name] = statistics.median(times) if times else float("nan")
        print(f"{name:6s} median {medians[name]:7.1f} ms  (n={len(times)}, "
              f"min {min(times, default=float('nan')):.1f}, max {max(times, default=float('nan')):.1f})")
    print(f"ratio naive/app1 {medians['naive'] / medians['app1']:.2f}x, "
          f"naive/app4 {medians['naive'] / medians['app4']:.2f}x")
    print("targets: app1 <= 40 ms, app4 <= 60 ms, ratio >= 2.5x")


if __name__ == "__main__":
    main()
