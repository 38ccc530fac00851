"""The README's screenshots of the app, taken from a real ``trajectories serve`` page in headless Chromium.

    python benchmarks/screenshots.py [--out assets]

Starts two servers from this checkout (light and ``--theme dark``, loopback, one preheated kernel each) and writes:

- ``page.png``: the students' page opened from the preset link ``?optimizer=gd,momentum,rmsprop``, 1280 px wide,
  light theme, the whole page;
- ``app-three-optimizers.png``: the app with momentum, AdaGrad and RMSProp, scrubbed to step 4 (ArrowRight four
  times on ``.tj-step``), so the highlighted step and its arrows show;
- ``page-dark.png``: the same link as ``page.png`` on the dark server, 1440 px wide;
- ``landscape.png``: the Landscape tab of ``?optimizer=momentum`` once its map is drawn;
- ``formula.png``: ``?optimizer=gd,adagrad`` (gd at eta 0.02, which the steep start caps, AdaGrad at 1.5, 30 steps
  from (-2.5, 2)) with ``x1^4 + x2^2`` typed in the formula field, key by key.
- ``inspector.png``: the plot and the step inspector of the book's RMSProp (``?optimizer=rmsprop``), scrubbed to
  step 3.

Each picture waits for what it shows (the readout's book lines, the map's ``data-state=ready``), then for two
quiet animation frames, so a picture never catches a half-drawn frame.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pages import TIMEOUT_MS, open_app  # noqa: E402
from servers import READY_PATH, free_port, start_server, stop_server, wait_ready  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PRESET = "?optimizer=gd,momentum,rmsprop"
FORMULA_PRESET = "?optimizer=gd,adagrad&gd.eta=0.02&adagrad.eta=1.5&steps=30&start=-2.5,2"
FORMULA = "x1^4 + x2^2"
TALL = 1400  # px: the viewport of a picture of one element, taller than the app
TWO_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"


def new_page(browser, width: int, height: int = 800):
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def settled(page) -> None:
    page.evaluate("document.fonts.ready.then(() => true)")
    page.evaluate(TWO_FRAMES)


def shoot(page, path: Path, selector: str | tuple[str, ...] | None = None) -> None:
    """The whole page, one element, or the box around several elements (a tuple of selectors)."""
    page.evaluate("() => window.scrollTo(0, 0)")  # a key on the step slider scrolled it into view
    settled(page)
    if isinstance(selector, tuple):
        boxes = [page.locator(one).first.bounding_box() for one in selector]
        x, y = min(b["x"] for b in boxes), min(b["y"] for b in boxes)
        clip = {"x": x, "y": y, "width": max(b["x"] + b["width"] for b in boxes) - x,
                "height": max(b["y"] + b["height"] for b in boxes) - y}
        page.screenshot(path=str(path), clip=clip)
    elif selector:
        page.locator(selector).first.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path), full_page=True)
    if page.errors:
        raise RuntimeError(f"the page reported errors while making {path}: {page.errors}")
    print(f"wrote {path}")
    page.context.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "assets", help="folder for the PNG files (default assets/)")
    args = p.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    servers, urls = {}, {}
    try:
        for theme in ("light", "dark"):
            port = free_port()
            servers[theme] = start_server(port, root=ROOT, extra=("--pool-size=1", f"--theme={theme}"))
            urls[theme] = f"http://127.0.0.1:{port}/"
        for theme, proc in servers.items():
            wait_ready(urls[theme] + READY_PATH, timeout=120, proc=proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                page = new_page(browser, 1280)
                open_app(page, urls["light"] + PRESET)
                shoot(page, args.out / "page.png")

                # an element's picture needs a viewport that holds it: Chromium leaves the rest blank
                page = new_page(browser, 1280, TALL)
                open_app(page, urls["light"] + "?optimizer=momentum,adagrad,rmsprop")
                page.focus(".tj-step")
                for _ in range(4):
                    page.keyboard.press("ArrowRight")
                # an arrow function: the served page's Content-Security-Policy refuses eval, which Playwright
                # needs for a bare expression
                page.wait_for_function("() => document.querySelector('.tj-step').getAttribute('aria-valuenow') "
                                       "=== '4'", timeout=TIMEOUT_MS)
                page.locator(".tj-step").blur()
                shoot(page, args.out / "app-three-optimizers.png", ".tj-app")

                page = new_page(browser, 1440)
                open_app(page, urls["dark"] + PRESET)
                shoot(page, args.out / "page-dark.png")

                page = new_page(browser, 1280, TALL)
                open_app(page, urls["light"] + "?optimizer=momentum")
                page.get_by_role("tab", name="Landscape").click()
                page.wait_for_selector(".tj-landscape-plot[data-state=ready]", timeout=TIMEOUT_MS)
                shoot(page, args.out / "landscape.png", ".tj-app")

                page = new_page(browser, 1280, TALL)
                open_app(page, urls["light"] + FORMULA_PRESET)
                page.focus(".tj-formula-input")
                page.keyboard.press("Control+A")
                page.keyboard.type(FORMULA)
                page.wait_for_function("() => document.querySelector('.tj-link').value"
                                       ".includes('objective=x1%5E4+%2B+x2%5E2&')", timeout=TIMEOUT_MS)
                page.locator(".tj-formula-input").blur()
                shoot(page, args.out / "formula.png", ".tj-app")

                page = new_page(browser, 1280, TALL)
                open_app(page, urls["light"] + "?optimizer=rmsprop")
                page.focus(".tj-step")
                for _ in range(3):
                    page.keyboard.press("ArrowRight")
                page.wait_for_function("() => document.querySelector('.tj-insp-summary').textContent"
                                       ".includes('step 3')", timeout=TIMEOUT_MS)
                page.locator(".tj-step").blur()
                shoot(page, args.out / "inspector.png", (".tj-plot", ".tj-inspector"))
            finally:
                browser.close()
    finally:
        for proc in servers.values():
            stop_server(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
