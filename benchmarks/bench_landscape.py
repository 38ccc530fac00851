"""The landscape's speed: a 128 x 128 map of 100-step runs, batched vs the same grid one trajectory at a time.

    python benchmarks/bench_landscape.py             # compute(): batched map vs a sample of cells run one by one
    python benchmarks/bench_landscape.py --full      # ... and the whole grid one by one, once (about a minute)
    python benchmarks/bench_landscape.py --browser   # ... and the maps the Landscape tab computes in Chromium,
                                                     # and a key on a slider while the largest map computes
    python benchmarks/bench_landscape.py --export    # ... and the kernel's Export map SVG at the budget (CPU s)

The map is computed by ``trajectories.landscape.compute`` (one batched ``run`` plus the metric); the baseline runs
the same settings through ``run`` one at a time and scores each the same way. Prints medians over repeats and the
ratio per trajectory, measured in the same run. Target: the 128 x 128 map under 150 ms.

Key to frame while the largest map computes (``--browser``): on the page with no server, Adam on Himmelblau with
the steps metric at the budget (500 steps, 126 x 126 cells, about 7.9 million cell-steps); a key on the steps
slider starts such a map, and 50 ms later, while it computes, a trusted key on the same slider is timed from its
keydown to the end of the first frame that shows the new plot (bench_slider.py's measure: INIT_JS and press). That
key starts the next map. Once with the maps in the tab's Web Worker (the page as shipped), once with no Worker in
the page (the same sliced computation in the page itself: the baseline, as the tab was before the worker). Target:
within a frame, 16.7 ms, median and p95.
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
# (query, what to set in the tab, label): the 96 x 96 default at 100 steps, then the most the controls allow.
BROWSER_CASES = [
    ("optimizer=rmsprop&steps=100", {}, "rmsprop 96 x 96, 100 steps"),
    ("optimizer=momentum&steps=100", {}, "momentum 96 x 96, 100 steps"),
    ("optimizer=adam&steps=100", {}, "adam 96 x 96, 100 steps"),
    ("optimizer=adam&steps=500", {"resolution": "End"}, "adam at the budget: 256 asked, 500 steps"),
    ("optimizer=adam&objective=himmelblau&start=-1,-1&steps=500", {"resolution": "End", "metric": "steps"},
     "worst: adam, himmelblau, steps metric, at the budget"),
]
MAPS_DRAWN = "() => Number(document.querySelector('.tj-landscape-plot').dataset.maps || 0)"


def bench_browser(repeats: int) -> None:
    """In Chromium, the map the Landscape tab computes in the page (the self-contained HTML export, so no server
    shares the machine): the compute time the tab reports and the wall time from a key on the steps slider to the
    new map, medians over ``repeats`` maps. The budget (``trajectories.landscape.BUDGET``) comes from here."""
    import subprocess
    import tempfile

    from playwright.sync_api import sync_playwright

    from trajectories.landscape import BUDGET

    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "app.html"
        subprocess.run([sys.executable, "-m", "trajectories", "export", "rmsprop", "--format", "html", "-o", str(html)],
                       check=True, cwd=ROOT)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            print(f"browser: maps computed in the page (Chromium), budget {BUDGET:,} cell-steps, "
                  f"{repeats} maps each, medians")
            for query, settings, label in BROWSER_CASES:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{html.as_uri()}?{query}")
                page.get_by_role("tab", name="Landscape").click()
                page.wait_for_selector(".tj-landscape-plot[data-state=ready]", timeout=120_000)
                if "metric" in settings:
                    page.select_option(".tj-landscape-metric", settings["metric"])
                if "resolution" in settings:
                    page.focus("input.tj-landscape-resolution")
                    page.keyboard.press(settings["resolution"])
                compute, wall = [], []
                for k in range(repeats + 1):
                    page.wait_for_selector(".tj-landscape-plot[data-state=ready]", timeout=120_000)
                    drawn = page.evaluate(MAPS_DRAWN)
                    page.focus(".tj-steps")
                    t0 = time.perf_counter()
                    page.keyboard.press("ArrowLeft" if k % 2 == 0 else "ArrowRight")  # 100 <-> 95, 500 <-> 490
                    page.wait_for_function(f"() => ({MAPS_DRAWN})() > {drawn} && document.querySelector("
                                           "'.tj-landscape-plot').dataset.state === 'ready'", timeout=120_000)
                    if k > 0:  # the first warms the page up
                        wall.append((time.perf_counter() - t0) * 1e3)
                        info = page.inner_text(".tj-landscape-info")
                        compute.append(float(info.split(" in ")[1].split(" ms")[0]))
                print(f"  {label:<55} compute {statistics.median(compute):6.0f} ms (max {max(compute):.0f}), "
                      f"key to new map {statistics.median(wall):6.0f} ms; {info}")
                page.close()
            browser.close()


def _norm_distance(obj, points):
    """The distance to the nearest minimum as landscape.py computed it before (the export's baseline)."""
    minima = np.asarray(obj.minima, dtype=float)
    return np.linalg.norm(points[..., None, :] - minima, axis=-1).min(-1)


EXPORT_CASES = [(query, {"metric": settings.get("metric", "loss")}, label)
                for query, settings, label in BROWSER_CASES if settings.get("resolution") == "End"]


def _export_cpu(query: str, metric: str) -> tuple[float, float, int]:
    """CPU seconds of one Export map SVG as the kernel answers it (App.export_landscape, the tab's settings at
    the most the controls allow), and the resolution the budget gave; the first call in the process includes
    importing matplotlib, as a kernel's first export does."""
    from trajectories.app import App
    from trajectories.landscape import DEFAULT_AXES
    from trajectories.lesson import Lesson
    from trajectories.state import RESOLUTION, fit_budget

    lesson = Lesson.from_query(query)[0]
    name = lesson.optimizers[0]
    settings = {"optimizer": name, "axes": list(DEFAULT_AXES[name]), "metric": metric, "tol": 0.1,
                "resolution": RESOLUTION[1], "spans": {"eta": [1e-3, 10.0]} if "eta" in DEFAULT_AXES[name] else {}}
    app = App(lesson)
    t0 = time.process_time()
    _, svg = app.export_landscape(settings)
    assert svg.startswith(b"<?xml")
    return time.process_time() - t0, len(svg), fit_budget(RESOLUTION[1], lesson.steps)


def bench_export(repeats: int) -> None:
    """The kernel's Export map SVG at the budget: CPU seconds per export (the map computed again by the Python
    engine, scored and drawn by matplotlib), now and with the distance computed as before (the baseline, in the
    same run). The first export of a fresh process (a kernel's first, which imports matplotlib) is shown apart."""
    import subprocess

    from trajectories import landscape

    print(f"kernel: Export map SVG at the budget, CPU seconds per export, median of {repeats} (and the first, "
          "in a fresh process)")
    for query, settings, label in EXPORT_CASES:
        code = (f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'benchmarks')!r}]; import bench_landscape "
                f"as b; print(b._export_cpu({query!r}, {settings['metric']!r})[0])")
        first = float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                                     cwd=ROOT).stdout)
        times = {}
        for variant, distance in (("now", landscape._distance), ("before", _norm_distance)):
            saved, landscape._distance = landscape._distance, distance
            try:
                _export_cpu(query, settings["metric"])  # warm up
                runs = [_export_cpu(query, settings["metric"]) for _ in range(repeats)]
            finally:
                landscape._distance = saved
            times[variant] = statistics.median(t for t, _, _ in runs)
        resolution = runs[0][2]
        print(f"  {label:<55} {resolution} x {resolution}: median {times['now']:.2f} s (first {first:.2f} s) | "
              f"before: {times['before']:.2f} s | ratio {times['before'] / times['now']:.1f}x")
WORST = "optimizer=adam&objective=himmelblau&start=-1,-1&steps=500"
PATH = ".tj-plot .tj-trajectory-adam .tj-line"
STATE = "() => document.querySelector('.tj-landscape-plot').dataset.state"


def open_worst(browser, url: str, worker: bool):
    """The page at the largest map, in a context of its own (without Worker for the baseline)."""
    from bench_slider import INIT_JS

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if not worker:
        context.add_init_script("delete window.Worker;")
    context.add_init_script(INIT_JS)
    page = context.new_page()
    page.goto(f"{url}?{WORST}")
    page.wait_for_selector(".tj-readout div", timeout=120_000)
    page.get_by_role("tab", name="Landscape").click()
    page.wait_for_selector(".tj-landscape-plot[data-state=ready]", timeout=120_000)
    page.select_option(".tj-landscape-metric", "steps")
    page.focus("input.tj-landscape-resolution")
    page.keyboard.press("End")
    page.wait_for_selector(".tj-landscape-plot[data-state=ready]", timeout=120_000)
    return context, page


def key_while_computing(page) -> tuple[dict | None, bool]:
    """One key timed while the largest map computes; whether the map was computing when it was pressed."""
    from bench_slider import press

    page.bring_to_front()
    page.focus(".tj-steps")
    page.keyboard.press("ArrowLeft")  # 500 -> 490 steps: a map starts
    page.wait_for_function(f"() => ({STATE})() === 'computing'", timeout=120_000)
    page.wait_for_timeout(50)
    computing = page.evaluate(STATE) == "computing"
    page.evaluate("([k, w]) => window.__bench.arm(k, w)", ["svg", PATH])
    result = press(page, "ArrowRight", False)  # back to 500 steps, while it computes: the next map starts
    page.wait_for_selector(".tj-landscape-plot[data-state=ready]", timeout=120_000)
    return result, computing


def bench_keys(presses: int) -> None:
    import os
    import subprocess
    import tempfile

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    labels = {True: "in a Web Worker (shipped)", False: "in the page (baseline)"}
    times: dict[bool, list[float]] = {True: [], False: []}
    computing = {True: 0, False: 0}
    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "app.html"
        subprocess.run([sys.executable, "-m", "trajectories", "export", "adam", "--format", "html", "-o", str(html)],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            load = os.getloadavg()[0]
            pages = {worker: open_worst(browser, html.as_uri(), worker) for worker in (True, False)}
            for k in range(presses + 2):  # the pages take turns, so drifting load hits them alike
                for worker, (_, page) in pages.items():
                    result, busy = key_while_computing(page)
                    computing[worker] += busy
                    if k >= 2 and result and not result.get("missed"):  # the first two warm the pages up
                        times[worker].append(result["total"])
            for context, _ in pages.values():
                context.close()
            browser.close()
    print(f"key to frame on the steps slider while the largest map computes (adam, himmelblau, steps metric, "
          f"126 x 126 x 500 = 7.9e6 cell-steps); {presses} keys each, pages in turn; load {load:.1f} -> "
          f"{os.getloadavg()[0]:.1f}")
    rows = {}
    for worker, totals in times.items():
        totals.sort()
        rows[worker] = r = {"median": statistics.median(totals), "p95": totals[int(0.95 * (len(totals) - 1))],
                            "max": totals[-1], "within": sum(v <= 1000 / 60 for v in totals) / len(totals)}
        print(f"  maps {labels[worker]:<27} median {r['median']:6.1f} ms, p95 {r['p95']:6.1f} ms, max "
              f"{r['max']:6.1f} ms, {100 * r['within']:.0f}% within a frame ({len(totals)} keys; the map was "
              f"computing at {computing[worker]} of {presses + 2})")
    print(f"  ratio page / worker: median {rows[False]['median'] / rows[True]['median']:.2f}x, p95 "
          f"{rows[False]['p95'] / rows[True]['p95']:.2f}x")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=11)
    p.add_argument("--sample", type=int, default=200, help="cells run one by one per repeat")
    p.add_argument("--full", action="store_true", help="run all 16384 cells one by one, once per optimizer")
    p.add_argument("--browser", action="store_true", help="also time the maps the page computes, in Chromium")
    p.add_argument("--browser-repeats", type=int, default=15)
    p.add_argument("--export", action="store_true", help="also time the kernel's Export map SVG at the budget")
    p.add_argument("--export-repeats", type=int, default=5)
    p.add_argument("--keys", type=int, default=30, help="keys timed while the largest map computes (--browser)")
    args = p.parse_args()
    bench_compute(args)
    if args.browser:
        bench_browser(args.browser_repeats)
        bench_keys(args.keys)
    if args.export:
        bench_export(args.export_repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
