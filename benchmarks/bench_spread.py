"""A spread on the page: a key on a noisy run's eta until the end of the frame that shows its seeds' new paths.

    python benchmarks/bench_spread.py [--moves 30] [--busy] [--json out.json]

One command, 1 to 3 minutes on 2 cores. The self-contained page (``trajectories export ... --format html``, this
checkout on PYTHONPATH) is opened from ``file://`` in headless Chromium, one browser context per page:

- spread 100: SGD on the bowl over 100 seeds x 100 steps (``run=sgd:spread=100``), its eta moved: one batched
  sweep of the 100 seeds in the page, every seed's path faint, the median bold, the loss panel's median with its
  10-90% band (issue 21's target: within a frame);
- spread 50: the same over 50 seeds;
- baseline: the same SGD run alone (one seed), 100 steps: what a key costs without a spread, in the same run.

The pages take turns, one move each per round, so drifting load hits them alike; keys alternate ArrowRight and
ArrowLeft. What one move measures, inside the page: from a capture-phase ``keydown`` listener on ``window`` (the
trusted key, ``page.keyboard.press``) to the end of the animation frame that sets the moved run's new path: a
MutationObserver on the path's ``d`` posts a MessageChannel message, which runs as the first task after that
frame's rendering (the app draws inside the frame's requestAnimationFrame callbacks). The frame's script time (the
first rAF callback's start to the new ``d``) is printed alongside.

Also printed: the engine alone in Node (js/src/core/engine.js's runSpread, 100 seeds x 100 steps: with every
seed's noise drawn afresh and with the draws cached, as after the first move), and the machine's load average
(``os.getloadavg``) before and after. Medians, p95, and the ratio spread / baseline measured in the same run.
With ``--busy`` both cores are kept busy by two ``while True: pass`` processes that the benchmark starts and always
stops.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from procstats import median, percentile  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                 "--disable-backgrounding-occluded-windows"]
VIEWPORT = {"width": 1280, "height": 900}
PAGES = {  # name: (link, the moved run's key)
    "spread 100": ("objective=bowl&steps=100&run=sgd:spread=100", "sgd"),
    "spread 50": ("objective=bowl&steps=100&run=sgd:spread=50", "sgd"),
    "baseline": ("objective=bowl&steps=100&run=sgd", "sgd"),
}

PROBE = """(key) => {
  const path = document.querySelector(`.tj-plot .tj-trajectory-${key} .tj-line`);
  const raf = window.requestAnimationFrame.bind(window);
  window.tjBench = { start: 0, frame: 0, set: 0, end: 0, done: null };
  window.requestAnimationFrame = (f) => raf((t) => {
    if (window.tjBench.start && !window.tjBench.frame) window.tjBench.frame = performance.now();
    f(t);
  });
  window.addEventListener('keydown', () => {
    Object.assign(window.tjBench, { start: performance.now(), frame: 0, set: 0, end: 0 });
    window.tjBench.done = new Promise((resolve) => { window.tjBench.resolve = resolve; });
  }, true);
  const channel = new MessageChannel();
  channel.port1.onmessage = () => { window.tjBench.end = performance.now(); window.tjBench.resolve(); };
  new MutationObserver(() => {
    if (!window.tjBench.start || window.tjBench.set) return;
    window.tjBench.set = performance.now();
    channel.port2.postMessage(0);
  }).observe(path, { attributes: true, attributeFilter: ['d'] });
}"""

NODE_ENGINE = """
import { runSpread } from "./src/core/engine.js";
const config = JSON.parse(process.argv[1]);
const options = { objective: "bowl", steps: 100 };
const fresh = [], cached = [];
for (let r = 0; r < %d; r++) {
  let t = performance.now();
  runSpread("sgd", { ...options, seed: 1000 + 100 * (r + 1) * 1000 }, 100, config);  // seeds never drawn before
  fresh.push(performance.now() - t);
  t = performance.now();
  runSpread("sgd", { ...options, seed: 1000 + 100 * (r + 1) * 1000, eta: 0.11 }, 100, config);  // the same seeds
  cached.push(performance.now() - t);
}
console.log(JSON.stringify({ fresh, cached }));
"""


def engine_times(rounds: int) -> dict[str, list[float]]:
    sys.path.insert(0, str(ROOT))
    from trajectories.state import config

    done = subprocess.run(["node", "--input-type=module", "-e", NODE_ENGINE % rounds, json.dumps(config())],
                          cwd=ROOT / "js", capture_output=True, text=True, timeout=600, check=True)
    return json.loads(done.stdout)


def page_file(folder: Path) -> Path:
    out = folder / "app.html"
    subprocess.run([sys.executable, "-m", "trajectories", "export", "rmsprop", "--format", "html", "-o", str(out)],
                   check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=300, capture_output=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=30, help="measured moves per page (after 3 warm-up moves)")
    parser.add_argument("--json", type=Path, help="write every measurement here")
    parser.add_argument("--busy", action="store_true", help="keep both cores busy while measuring")
    args = parser.parse_args(argv)
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2 if args.busy else 0)]
    try:
        return measure(args)
    finally:
        for p in busy:
            p.kill()
            p.wait()


def measure(args: argparse.Namespace) -> int:
    load_before = os.getloadavg()
    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, list[float]]] = {name: {"total": [], "script": []} for name in PAGES}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        html = page_file(Path(tmp))
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        pages = {}
        for name, (link, key) in PAGES.items():
            context = browser.new_context(viewport=VIEWPORT)
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "blob:"))
                          else r.abort())
            page = context.new_page()
            page.goto(f"{html.as_uri()}?{link}")
            page.wait_for_function("() => /epoch|diverged/.test(document.querySelector('.tj-readout')?.textContent)")
            page.evaluate(PROBE, key)
            page.focus(f".tj-{key}-eta")
            pages[name] = page
        for move in range(args.moves + 3):
            for name, page in pages.items():
                page.keyboard.press("ArrowRight" if move % 2 == 0 else "ArrowLeft")
                page.evaluate("() => window.tjBench.done")
                b = page.evaluate("() => ({...window.tjBench, done: null, resolve: null})")
                if move >= 3:
                    results[name]["total"].append(b["end"] - b["start"])
                    results[name]["script"].append(b["set"] - b["frame"])
        browser.close()
    engine = engine_times(max(10, args.moves // 2))
    load_after = os.getloadavg()

    base = median(results["baseline"]["total"])
    print(f"key to the end of the frame that shows the new paths (ms), {args.moves} moves per page")
    print(f"{'page':<12} {'median':>8} {'p95':>8} {'script':>8} {'ratio':>8}")
    for name, r in results.items():
        m = median(r["total"])
        print(f"{name:<12} {m:8.1f} {percentile(r['total'], 0.95):8.1f} {median(r['script']):8.1f} {m / base:8.2f}")
    print("engine alone in Node, runSpread of 100 seeds x 100 steps (ms): "
          f"noise drawn afresh {median(engine['fresh']):.1f}, cached {median(engine['cached']):.1f}")
    print(f"load average (1, 5, 15 min): before {load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f}, "
          f"after {load_after[0]:.1f} {load_after[1]:.1f} {load_after[2]:.1f}")
    if args.json:
        args.json.write_text(json.dumps({"pages": results, "engine": engine, "load": [load_before, load_after]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
