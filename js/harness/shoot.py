"""Screenshots of the Landscape tab harness: python harness/shoot.py [case,...] [--theme dark] [--out DIR]

Opens harness/landscape.html in headless Chromium, waits for every map, fails on any console error or page error,
and writes one PNG per case (the 900 x 560 box and what spills out of it).
"""

import argparse
import pathlib
import sys

from common import BAD_ATTRIBUTES, launch, url, watch
from playwright.sync_api import sync_playwright

READY = """() => Array.from(document.querySelectorAll('.tj-landscape-plot'))
    .every(p => p.dataset.state === 'ready' || p.dataset.state === 'error')"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", nargs="?", default="")
    parser.add_argument("--theme", default="light")
    parser.add_argument("--out", default="/tmp/landscape_shots")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    problems = []
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 960, "height": 800}, device_scale_factor=1)
        watch(page, problems)
        page.goto(url(theme=args.theme, case=args.cases))
        page.wait_for_function(READY, timeout=60000)
        page.wait_for_timeout(100)
        for box in page.query_selector_all(".tj-app"):
            name = box.get_attribute("data-case")
            path = out / f"{name}-{args.theme}.png"
            box.screenshot(path=str(path))
            info = box.query_selector(".tj-landscape-info").inner_text()
            size = box.bounding_box()
            side = box.query_selector(".tj-landscape-side").bounding_box()
            plot = box.query_selector(".tj-landscape-plot").bounding_box()
            print(f"{path}  box {size['width']:.0f}x{size['height']:.0f} side h {side['height']:.0f} "
                  f"plot {plot['width']:.0f}x{plot['height']:.0f} | {info}")
        bad = page.evaluate(BAD_ATTRIBUTES)
        problems += [f"bad attribute: {b}" for b in bad]
        browser.close()
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
