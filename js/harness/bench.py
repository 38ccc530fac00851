"""Time the Landscape tab's maps in headless Chromium: python harness/bench.py [repeats]

Each case mounts one tab, then asks for the same map again and again (start moved by 1e-9, so the key changes
and the cost does not), and reports the median compute time (tab.lastTiming: the slices only), the median wall
time from render() to the drawn map, and the longest task the page saw while computing (what a student's click
would wait for at most).
"""

import json
import statistics
import subprocess
import sys

from common import launch, url
from playwright.sync_api import sync_playwright

AT_256 = [["tj-landscape-resolution", "256"]]
# name: (optimizer, hyperparameters, lesson changes, controls)
CASES = {
    "rmsprop 96x96 x 100 steps (the target)": ("rmsprop", {}, {"steps": 100}, []),
    "momentum 96x96 x 100 steps": ("momentum", {}, {"steps": 100}, []),
    "adam 96x96 x 100 steps": ("adam", {}, {"steps": 100}, []),
    "budget: adam 256 -> 126 x 500 steps, loss": ("adam", {}, {"steps": 500}, AT_256),
    "budget: rmsprop 256 -> 126 x 500 steps, loss": ("rmsprop", {}, {"steps": 500}, AT_256),
    "budget: adadelta 256 -> 126 x 500 steps, loss": ("adadelta", {}, {"steps": 500}, AT_256),
    "budget: adam himmelblau, steps metric tol 0.001": (
        "adam", {}, {"steps": 500, "objective": "himmelblau", "start": [-1, -1]},
        AT_256 + [["tj-landscape-metric", "steps"], ["tj-landscape-tol", "0.001"]]),
}
WAIT = "() => h.tab.element.querySelector('.tj-landscape-plot').dataset.state === 'ready'"


def main() -> int:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    rows = []
    with sync_playwright() as p:
        browser = launch(p)
        print("chromium", browser.version)
        for name, (optimizer, hyper, change, controls) in CASES.items():
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.goto(url(case="none"))
            page.evaluate("""([optimizer, hyper, change, controls]) => {
                const c = harness.config;
                const d = Object.fromEntries(Object.entries(c.specs.d2l[optimizer]).map(([k, s]) => [k, s.default]));
                harness.CASES.bench = { lesson: {...c.defaultLesson, optimizers: [optimizer],
                    hyperparameters: {[optimizer]: {...d, ...hyper}}, ...change}, controls };
                window.h = harness.mount('bench');
                window.longest = 0;
                // the observer is live: a 60 ms task outside the measurements must not count, but must be seen
                window.seen = 0;
                new PerformanceObserver(l => { seen += l.getEntries().length; }).observe({type: 'longtask'});
                setTimeout(() => { const t = performance.now(); while (performance.now() - t < 60); }, 0);
                new PerformanceObserver(l => {
                    for (const e of l.getEntries()) if (window.measuring) longest = Math.max(longest, e.duration); })
                    .observe({type: 'longtask', buffered: false});
            }""", [optimizer, hyper, change, controls])
            page.wait_for_function(WAIT, timeout=60000)
            busy, wall = [], []
            cold = page.evaluate("() => h.tab.lastTiming")  # the page's first map: the JIT has not seen the kernel
            for k in range(repeats + 1):
                t = page.evaluate("""async (k) => {
                    await new Promise(r => setTimeout(r, 50));
                    window.measuring = true;
                    const plot = h.tab.element.querySelector('.tj-landscape-plot');
                    const maps = plot.dataset.maps;
                    const t0 = performance.now();
                    const l = h.lesson;
                    h.setLesson({...l, start: [l.start[0] + 1e-9 * (k + 1), l.start[1]]});
                    while (plot.dataset.maps === maps) await new Promise(r => requestAnimationFrame(r));
                    const wall = performance.now() - t0;
                    await new Promise(r => setTimeout(r, 20));
                    window.measuring = false;
                    return [h.tab.lastTiming, wall];
                }""", k)
                if k:  # the first is a warm-up
                    busy.append(t[0])
                    wall.append(t[1])
            info = page.inner_text(".tj-landscape-info")
            longest = page.evaluate("() => longest")
            assert page.evaluate("() => seen") > 0, "the long-task observer saw nothing: the figure would mean nothing"
            page.close()
            row = {"case": name, "cold_ms": round(cold, 1), "median_ms": round(statistics.median(busy), 1), "min_ms": round(min(busy), 1),
                   "max_ms": round(max(busy), 1), "median_wall_ms": round(statistics.median(wall), 1),
                   "longest_task_ms": round(longest, 1), "info": info}
            rows.append(row)
            print(json.dumps(row))
        browser.close()
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
