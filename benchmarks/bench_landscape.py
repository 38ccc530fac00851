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
        from bench_landscape_browser import bench_browser  # noqa: PLC0415

        bench_browser(args.browser_repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
