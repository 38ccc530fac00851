"""The landscape's speed: a 128 x 128 map of 100-step runs, batched vs the same grid one trajectory at a time.

    python benchmarks/bench_landscape.py             # compute(): batched map vs a sample of cells run one by one
    python benchmarks/bench_landscape.py --full      # ... and the whole grid one by one, once (about a minute)
    python benchmarks/bench_landscape.py --browser   # ... and, on the Voila page, setting change -> new map pixels

The map is computed by ``trajectories.landscape.compute`` (one batched ``run`` plus the metric); the baseline runs
the same settings through ``run`` one at a time and scores each the same way. Prints medians over repeats and the
ratio per trajectory, measured in the same run. Target: the 128 x 128 map under 150 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trajectories import run  # noqa: E402
from trajectories.landscape import compute, score  # noqa: E402

N, STEPS = 128, 100
MAPS = ("rmsprop", "momentum", "adam", "adadelta")  # the default axes for each


def one_by_one(m, cells):
    out = []
    for i, j in cells:
        hp = dict(m.current, **{m.x: float(m.x_values[j]), m.y: float(m.y_values[i])})
        out.append(score(run(m.optimizer, steps=STEPS, seed=0, **hp), m.metric, m.tol)[0])
    return out


def bench_compute(args) -> None:
    rng = np.random.default_rng(0)
    print(f"landscape {N}x{N} cells x {STEPS} steps, metric log10 final loss; {args.repeats} repeats")
    for optimizer in MAPS:
        compute(optimizer, resolution=N, steps=STEPS)  # warm up
        batch_times, single_times = [], []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            m = compute(optimizer, resolution=N, steps=STEPS)
            batch_times.append(time.perf_counter() - t0)
            cells = [tuple(c) for c in rng.integers(0, N, (args.sample, 2))]
            t0 = time.perf_counter()
            singles = one_by_one(m, cells)
            single_times.append((time.perf_counter() - t0) / len(cells))
            for (i, j), value in zip(cells, singles, strict=True):
                assert np.array_equal(value, m.values[i, j], equal_nan=True), "map cell != single run"
        b, s = statistics.median(batch_times), statistics.median(single_times)
        print(f"{optimizer:9s} batched map: median {b * 1e3:7.1f} ms (min {min(batch_times) * 1e3:.1f}) | "
              f"one by one: median {s * 1e3:.3f} ms per run -> {s * N * N:.1f} s for the grid | "
              f"ratio {s * N * N / b:.0f}x  {'OK' if b < 0.150 else 'OVER'} (< 150 ms)")
        if args.full:
            m = compute(optimizer, resolution=N, steps=STEPS)
            t0 = time.perf_counter()
            one_by_one(m, [(i, j) for i in range(N) for j in range(N)])
            full = time.perf_counter() - t0
            print(f"{optimizer:9s} one by one, all {N * N} cells once: {full:.1f} s -> ratio {full / b:.0f}x")


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HASH = """(sel) => { const c = document.querySelector(sel + ' canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 4) { h = (h * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) % 1000000007; }
    return h; }"""
# Poll every animation frame until the map's pixels differ from h0; the time since t0 (taken just before the key).
WAIT_CHANGE = "async ([sel, h0, t0]) => { const hash = " + HASH + """;
    while (hash(sel) === h0) { await new Promise(r => requestAnimationFrame(r));
        if (performance.now() - t0 > 20000) return -1; }
    return performance.now() - t0; }"""


def bench_browser(repeats: int) -> None:
    """On a real ``trajectories serve`` page: press a key on the steps slider, time until the map's pixels change."""
    from playwright.sync_api import sync_playwright

    from trajectories.landscape_app import DEFAULT_RESOLUTION
    sys.path.insert(0, str(ROOT / "tests"))
    from servers import READY_PATH, free_port, start_server, stop_server, wait_ready
    from test_landscape_browser import open_landscape

    port = free_port()
    proc = start_server(port, root=ROOT, extra=("--pool-size=0",))
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_ready(url + READY_PATH, timeout=90, proc=proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            open_landscape(page, url + "?optimizer=rmsprop")
            steps = page.locator(".tj-steps .noUi-handle")

            def settled(sel: str) -> None:
                """Wait until the kernel has answered everything: the steps readout and the map agree, and the
                pixels stay the same for 0.4 s (so no earlier change arrives during the next measurement)."""
                want = page.locator(".tj-steps .widget-readout").inner_text().strip()
                if sel == ".tj-landscape-plot":
                    page.wait_for_function(f"() => document.querySelector('.tj-landscape-info').textContent"
                                           f".includes(' of {want} steps')", timeout=60_000)
                before = page.evaluate(HASH, sel)
                while True:
                    page.wait_for_timeout(400)
                    now = page.evaluate(HASH, sel)
                    if now == before:
                        return
                    before = now

            def key_to_pixels(sel: str) -> tuple[float, float, float]:
                times = []
                for k in range(repeats + 2 + repeats % 2):  # an even count: steps ends back at 20
                    settled(sel)
                    h0 = page.evaluate(HASH, sel)
                    t0 = page.evaluate("() => performance.now()")
                    steps.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
                    dt = page.evaluate(WAIT_CHANGE, [sel, h0, t0])
                    if k >= 2 and dt >= 0:  # the first two warm the path up
                        times.append(dt)
                settled(sel)
                return statistics.median(times), min(times), max(times)

            print(f"browser: key on the steps slider (20 <-> 21) -> new pixels, {repeats} repeats, medians")
            page.get_by_role("tab", name="Trajectories").click()
            page.wait_for_timeout(500)
            med, lo, hi = key_to_pixels(".tj-plot")
            print(f"  baseline, Trajectories tab open: the trajectory plot's new pixels  {med:6.0f} ms "
                  f"(min {lo:.0f}, max {hi:.0f})")
            page.get_by_role("tab", name="Landscape").click()
            page.wait_for_timeout(500)
            for resolution in (DEFAULT_RESOLUTION, 64, 128, 256, DEFAULT_RESOLUTION):  # the default twice: drift shows
                while int(page.locator(".tj-landscape-resolution .widget-readout").inner_text()) != resolution:
                    handle = page.locator(".tj-landscape-resolution .noUi-handle")
                    now = int(page.locator(".tj-landscape-resolution .widget-readout").inner_text())
                    handle.press("ArrowRight" if now < resolution else "ArrowLeft")
                page.wait_for_function(f"() => document.querySelector('.tj-landscape-info').textContent"
                                       f".includes('{resolution * resolution} runs')", timeout=60_000)
                med, lo, hi = key_to_pixels(".tj-landscape-plot")
                info = page.locator(".tj-landscape-info").inner_text()
                verdict = f"; {'OK' if med < 500 else 'OVER'} (< 500 ms)" if resolution == DEFAULT_RESOLUTION else ""
                print(f"  Landscape tab open, {resolution:3d} x {resolution:<3d} map's new pixels  {med:6.0f} ms "
                      f"(min {lo:.0f}, max {hi:.0f}); last map: {info}{verdict}")
            browser.close()
    finally:
        stop_server(proc)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=11)
    p.add_argument("--sample", type=int, default=200, help="cells run one by one per repeat")
    p.add_argument("--full", action="store_true", help="run all 16384 cells one by one, once per optimizer")
    p.add_argument("--browser", action="store_true", help="also time the map's update on the Voila page")
    p.add_argument("--browser-repeats", type=int, default=15)
    args = p.parse_args()
    bench_compute(args)
    if args.browser:
        bench_browser(args.browser_repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
