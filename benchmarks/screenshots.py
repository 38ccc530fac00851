"""Screenshots of the app on every screen it is laid out for, light and dark, as a person opens it.

    python benchmarks/screenshots.py [--out assets/screens] [--query 'optimizer=gd,momentum,rmsprop']
                                     [--hosts served,html,lab] [--screens laptop,phone] [--themes light,dark]

One command, about five minutes on 2 cores. For each host, screen and theme it opens the app at scroll 0 and
saves what the screen shows (the viewport, not the whole page: the question is what is on screen together):

- ``served``: ``trajectories serve`` from this checkout (``--theme dark`` for dark), the preset link ``--query``;
- ``html``: the one-file page (``trajectories export --link QUERY --format html``) from ``file://``, the system's
  theme set to light or dark;
- ``lab``: JupyterLab at 1440 x 900 with the file browser open, a notebook whose cell shows ``App`` of the same
  lesson, run (JupyterLab's light and dark themes).

The screens are ``tests/pages.py``'s ``SCREENS`` (1280 x 720 for a projector, 1280 x 800 and 1366 x 768 laptops,
1440 x 900, 1920 x 1080, a 390 x 844 phone, a touch device); JupyterLab is shot at 1440 x 900 only. Files are named
``<host>-<width>x<height>-<theme>.png``, e.g. ``served-1280x800-light.png``, saved with 256 colours to keep them
small. The README's pictures come from here too (``--readme``): ``app.png`` (the app at 1280 x 800 with three
optimizers, scrubbed to step 4 so the step's arrows show), ``page-dark.png``, ``page-zh.png`` (the page in
Chinese), ``landscape.png``, ``inspector.png`` (the book's RMSProp at step 3 on a 1920 x 1080 screen, the step
inspector beside the plot) and ``formula.png`` (``?optimizer=gd,adagrad``, gd at eta 0.02, which the steep start
caps, AdaGrad at 1.5, 30 steps from (-2.5, 2), with ``x1^4 + x2^2`` typed in the formula field, key by key).

Each picture waits for what it shows (the readout's book lines, the map's ``data-state=ready``), then for two quiet
animation frames, so a picture never catches a half-drawn frame; a page that logs an error stops the script.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pages import SCREENS, TIMEOUT_MS, open_app, run_lab_cell, screen_context  # noqa: E402
from servers import (  # noqa: E402
    READY_PATH,
    free_port,
    start_jupyterlab,
    start_server,
    stop_server,
    wait_ready,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERY = "optimizer=gd,momentum,rmsprop"
HOSTS = ("served", "html", "lab")
THEMES = ("light", "dark")
LAB_SCREEN = "lab"
FORMULA_PRESET = "?optimizer=gd,adagrad&gd.eta=0.02&adagrad.eta=1.5&steps=30&start=-2.5,2"
FORMULA = "x1^4 + x2^2"
TWO_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"


def watched(context):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return page


def save(page, path: Path, selector: str | None = None) -> None:
    """The viewport (or one element) as a 256-colour PNG, once fonts and two frames have settled."""
    from PIL import Image

    page.evaluate("document.fonts.ready.then(() => true)")
    page.evaluate(TWO_FRAMES)
    if page.errors:
        raise RuntimeError(f"the page reported errors before {path.name}: {page.errors}")
    raw = path.with_suffix(".raw.png")
    if selector:
        page.locator(selector).first.screenshot(path=str(raw))
    else:
        page.screenshot(path=str(raw))
    with Image.open(raw) as image:
        image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    raw.unlink()
    print(f"wrote {path}", flush=True)


def shoot_served(browser, urls: dict[str, str], query: str, screens, themes, out: Path) -> None:
    for theme in themes:
        for name in screens:
            width, height = SCREENS[name]
            with screen_context(browser, name, theme=theme) as context:
                page = watched(context)
                open_app(page, f"{urls[theme]}?{query}")
                save(page, out / f"served-{width}x{height}-{theme}.png")


def shoot_html(browser, html: Path, query: str, screens, themes, out: Path) -> None:
    for theme in themes:
        for name in screens:
            width, height = SCREENS[name]
            with screen_context(browser, name, theme=theme) as context:
                page = watched(context)
                open_app(page, f"{html.as_uri()}?{query}")
                save(page, out / f"html-{width}x{height}-{theme}.png")


def shoot_lab(browser, query: str, themes, out: Path) -> None:
    width, height = SCREENS[LAB_SCREEN]
    cell = f"from trajectories.serve import page\n\napp = page({query!r})  # App(...) of the link's lesson\napp"
    for theme in themes:
        with tempfile.TemporaryDirectory() as folder:
            proc, url = start_jupyterlab(Path(folder), cell, theme=theme)
            try:
                with screen_context(browser, LAB_SCREEN, theme=theme) as context:
                    page = watched(context)
                    run_lab_cell(page, url)
                    page.evaluate("document.activeElement && document.activeElement.blur()")
                    page.evaluate("document.querySelector('.jp-WindowedPanel-outer, .jp-Notebook')?.scrollTo(0, 0)")
                    save(page, out / f"lab-{width}x{height}-{theme}.png")
            finally:
                stop_server(proc)


def shoot_readme(browser, urls: dict[str, str], out: Path) -> None:
    """The README's pictures: the app at 1280 x 800 (step 4 highlighted), the dark page, the Landscape tab,
    a formula, the step inspector at 1920 x 1080."""
    with screen_context(browser, "laptop") as context:
        page = watched(context)
        open_app(page, f"{urls['light']}?optimizer=momentum,adagrad,rmsprop")
        page.focus(".tj-step")
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("document.querySelector('.tj-step').getAttribute('aria-valuenow') === '4'",
                               timeout=TIMEOUT_MS)
        page.locator(".tj-step").blur()
        save(page, out / "app.png")
    with screen_context(browser, "lab", theme="dark") as context:
        page = watched(context)
        open_app(page, f"{urls['dark']}?{QUERY}")
        save(page, out / "page-dark.png")
    with screen_context(browser, "laptop") as context:  # the same lesson in the book's Chinese edition's words
        page = watched(context)
        open_app(page, f"{urls['light']}?{QUERY}&lang=zh")
        save(page, out / "page-zh.png")
    with screen_context(browser, "laptop") as context:
        page = watched(context)
        open_app(page, f"{urls['light']}?optimizer=momentum")
        page.get_by_role("tab", name="Landscape").click()
        page.wait_for_selector(".tj-landscape-plot[data-state=ready]", timeout=TIMEOUT_MS)
        save(page, out / "landscape.png")
    with screen_context(browser, "laptop") as context:
        page = watched(context)
        open_app(page, urls["light"] + FORMULA_PRESET)
        page.focus(".tj-formula-input")
        page.keyboard.press("Control+A")
        page.keyboard.type(FORMULA)
        page.wait_for_function("document.querySelector('.tj-link').value.includes('objective=x1%5E4+%2B+x2%5E2&')",
                               timeout=TIMEOUT_MS)
        page.locator(".tj-formula-input").blur()
        save(page, out / "formula.png")
    with screen_context(browser, "full-hd") as context:  # the step inspector beside the plot, step 3 of RMSProp
        page = watched(context)
        open_app(page, f"{urls['light']}?optimizer=rmsprop")
        page.focus(".tj-step")
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('.tj-insp-summary').textContent.includes('step 3')",
                               timeout=TIMEOUT_MS)
        page.locator(".tj-step").blur()
        save(page, out / "inspector.png")


def names(text: str, allowed) -> list[str]:
    chosen = [t.strip() for t in text.split(",") if t.strip()]
    for name in chosen:
        if name not in allowed:
            raise SystemExit(f"screenshots.py: {name!r} is not one of {', '.join(allowed)}")
    return chosen


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "assets" / "screens", help="folder for the PNG files")
    p.add_argument("--query", default=QUERY, help=f"the lesson's link (default {QUERY})")
    p.add_argument("--hosts", default=",".join(HOSTS), help=f"some of {', '.join(HOSTS)}")
    p.add_argument("--screens", default=",".join(SCREENS), help=f"some of {', '.join(SCREENS)}")
    p.add_argument("--themes", default=",".join(THEMES), help="light, dark or both")
    p.add_argument("--readme", action="store_true", help="also the README's pictures, into the folder above --out")
    args = p.parse_args()
    hosts, screens, themes = names(args.hosts, HOSTS), names(args.screens, SCREENS), names(args.themes, THEMES)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    servers, urls = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            if "served" in hosts or args.readme:
                for theme in THEMES:
                    port = free_port()
                    servers[theme] = start_server(port, root=ROOT, extra=("--pool-size=1", f"--theme={theme}"))
                    urls[theme] = f"http://127.0.0.1:{port}/"
                for theme, proc in servers.items():
                    wait_ready(urls[theme] + READY_PATH, timeout=120, proc=proc)
            html = Path(tmp) / "lesson.html"
            if "html" in hosts:
                subprocess.run([sys.executable, "-m", "trajectories", "export", "--link", args.query, "--format",
                                "html", "-o", str(html)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    if "served" in hosts:
                        shoot_served(browser, urls, args.query, screens, themes, args.out)
                    if "html" in hosts:
                        shoot_html(browser, html, args.query, screens, themes, args.out)
                    if "lab" in hosts:
                        shoot_lab(browser, args.query, themes, args.out)
                    if args.readme:
                        shoot_readme(browser, urls, args.out.parent)
                finally:
                    browser.close()
        finally:
            for proc in servers.values():
                stop_server(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
