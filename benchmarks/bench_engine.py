"""Batched sweep vs one-by-one: 128 x 128 RMSProp settings (eta x gamma) x 100 steps.

    python benchmarks/bench_engine.py            # batched sweep (all 16384 runs) vs a random sample run one by one
    python benchmarks/bench_engine.py --full     # the one-by-one loop over all 16384 settings, once

Prints medians over repeats and the per-trajectory ratio, measured in the same run. The batched result keeps
points, losses and the optimizer state, as run() always does; sampled cells are checked equal to single runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from trajectories import run  # noqa: E402

N, STEPS = 128, 100
ETA = np.logspace(-3, 1, N)[:, None]
GAMMA = np.linspace(0.0, 1.0, N)[None, :]


def batched():
    return run("rmsprop", eta=ETA, gamma=GAMMA, steps=STEPS)


def one_by_one(cells):
    return [run("rmsprop", eta=float(ETA[i, 0]), gamma=float(GAMMA[0, j]), steps=STEPS) for i, j in cells]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=15)
    p.add_argument("--sample", type=int, default=256, help="cells run one by one per repeat")
    p.add_argument("--full", action="store_true", help="run all 16384 settings one by one, once")
    args = p.parse_args()

    rng = np.random.default_rng(0)
    batched()  # warm up
    batch_times, single_times = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        sweep = batched()
        batch_times.append(time.perf_counter() - t0)
        cells = [tuple(c) for c in rng.integers(0, N, (args.sample, 2))]
        t0 = time.perf_counter()
        singles = one_by_one(cells)
        single_times.append((time.perf_counter() - t0) / len(cells))
        for (i, j), one in zip(cells[:16], singles[:16], strict=True):
            assert np.array_equal(one.points, sweep.points[i, j], equal_nan=True), "batched cell != single run"
    full = None
    if args.full:
        t0 = time.perf_counter()
        one_by_one([(i, j) for i in range(N) for j in range(N)])
        full = time.perf_counter() - t0

    b = statistics.median(batch_times)
    s = statistics.median(single_times)
    per_batched = b / (N * N)
    print(f"rmsprop sweep {N}x{N} settings x {STEPS} steps (points, losses, state kept); {args.repeats} repeats")
    print(f"batched sweep, all {N * N} runs:   median {b * 1e3:8.1f} ms  (min {min(batch_times) * 1e3:.1f}, "
          f"max {max(batch_times) * 1e3:.1f})")
    print(f"one by one through run():        median {s * 1e3:8.3f} ms per trajectory "
          f"(sample of {args.sample} per repeat) -> {s * N * N:.1f} s for the sweep")
    if full is not None:
        print(f"one by one, all {N * N} settings once: {full:.1f} s")
    print(f"batched per trajectory:          median {per_batched * 1e6:8.2f} us")
    print(f"ratio (one-by-one / batched, per trajectory): {s / per_batched:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
