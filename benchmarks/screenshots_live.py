"""The README's pictures of live figures and animations, made as tests/test_embed.py makes them and shot in headless
Chromium with every request to another host refused.

    python benchmarks/screenshots_live.py [--out assets]

Writes:

- ``live-sphinx.png``: the Sphinx page of docs/live-figures.md (Alabaster, its notes column) with the live figure,
  after η of momentum was moved three stops with the arrow key, 1280 x 900;
- ``live-reveal.png``: the reveal.js deck of docs/live-figures.md on its second slide, 1280 x 720;
- ``live-myst.png``: the MyST book of docs/live-figures.md built by mystmd, drawn as tests/test_myst.py draws it (the
  theme's renderer; mystmd's own theme cannot be downloaded here), 1280 x 900;
- ``play-momentum.gif``: ``trajectories export momentum --eta 0.6 --beta 0.5 --format gif`` (the book's momentum,
  21 frames);
- ``play-frames.png``: frames 0, 1, 2 and 20 of that GIF side by side.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pages import READY, TIMEOUT_MS  # noqa: E402
from test_embed import frame_of, make_deck, make_sphinx_site  # noqa: E402
from test_myst import Quiet, make_book, myst_page  # noqa: E402

from trajectories import cli  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TWO_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"


def offline_page(browser, width: int, height: int, served: str = "file://"):
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith((served, "file://", "data:", "blob:"))
                  else (page.problems.append(f"request to {r.request.url}"), r.abort()))
    return page


def shoot(page, path: Path) -> None:
    page.evaluate(TWO_FRAMES)
    page.screenshot(path=str(path))
    if page.problems:
        raise RuntimeError(f"the page reported problems while making {path}: {page.problems}")
    print(f"wrote {path}")
    page.context.close()


def frames_strip(gif: Path, picks: tuple[int, ...], out: Path) -> None:
    with Image.open(gif) as im:
        frames = []
        for k in picks:
            im.seek(k)
            frames.append(np.asarray(im.convert("RGB")))
    gap = np.full((frames[0].shape[0], 12, 3), 255, np.uint8)
    strip = np.concatenate([part for f in frames for part in (f, gap)][:-1], axis=1)
    Image.fromarray(strip).save(out, optimize=True)
    print(f"wrote {out}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "assets", help="folder for the pictures (default assets/)")
    args = p.parse_args()
    from playwright.sync_api import sync_playwright

    gif = args.out / "play-momentum.gif"
    assert cli.main(["export", "momentum", "--eta", "0.6", "--beta", "0.5", "--format", "gif", "-o", str(gif)]) == 0
    frames_strip(gif, (0, 1, 2, 20), args.out / "play-frames.png")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        site, _ = make_sphinx_site(Path(tmp))
        page = offline_page(browser, 1280, 900)
        page.goto((site / "index.html").as_uri())
        frame = frame_of(page, "iframe.trajectories-figure")
        frame.wait_for_function(READY, timeout=TIMEOUT_MS)
        frame.focus(".tj-momentum-eta")
        for _ in range(3):
            page.keyboard.press("ArrowLeft")
        frame.evaluate("() => document.activeElement.blur()")
        page.evaluate("() => scrollTo(0, 0)")
        shoot(page, args.out / "live-sphinx.png")
        slides = Path(tmp) / "slides"
        slides.mkdir()
        deck = make_deck(slides)
        page = offline_page(browser, 1280, 720)
        page.goto((deck / "index.html").as_uri() + "#/1")
        frame = frame_of(page, ".reveal iframe")
        frame.wait_for_function(READY, timeout=TIMEOUT_MS)
        page.wait_for_timeout(1000)  # reveal.js's slide transition
        shoot(page, args.out / "live-reveal.png")
        book = Path(tmp) / "book"
        book.mkdir()
        site, nodes, _ = make_book(book)
        (site / "public" / "index.html").write_text(myst_page("Momentum and RMSProp", nodes), encoding="utf-8")
        handler = partial(Quiet, directory=str(site / "public"))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            page = offline_page(browser, 1280, 900, f"http://127.0.0.1:{server.server_address[1]}/")
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            page.wait_for_function("() => [...document.querySelectorAll('.myst-anywidget')].filter((r) => /epoch/"
                                   ".test(r.shadowRoot?.querySelector('.tj-readout')?.textContent ?? '')).length"
                                   " === 2", timeout=TIMEOUT_MS)
            shoot(page, args.out / "live-myst.png")
        finally:
            server.shutdown()
            server.server_close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
