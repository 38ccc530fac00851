"""What an animation of Play costs: the GIF and the MP4 of the book's RMSProp (20 steps, 21 frames) against one still
PNG of the same figure at the same resolution.

    python benchmarks/bench_animation.py [--repeats 7] [--steps 20]

Times, in one process and taking turns (so the load of a shared machine hits them alike), the medians of (a) the
baseline: ``figure_bytes(..., format="png")``, one figure built and drawn by Agg at 200 dpi; (b) ``animation_bytes``
as a GIF: the figure built once, drawn once per step, one palette, Pillow's encoder; (c) the same as an MP4 (if
imageio-ffmpeg is installed). Prints the medians, the ratios to the baseline and the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from procstats import medians_ms  # noqa: E402

import trajectories.figures as ex  # noqa: E402
from trajectories.lesson import Lesson  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--steps", type=int, default=20)
    args = p.parse_args()
    lesson = Lesson(optimizers=("rmsprop",), steps=args.steps)
    fns = [lambda: ex.figure_bytes(lesson, format="png"), lambda: ex.animation_bytes(lesson, format="gif")]
    try:
        import imageio_ffmpeg  # noqa: F401
        fns.append(lambda: ex.animation_bytes(lesson, format="mp4"))
    except ImportError:
        print("imageio-ffmpeg is not installed: no MP4 (pip install 'trajectories[video]')")
    before = os.getloadavg()[0]
    results = medians_ms(fns, args.repeats)
    after = os.getloadavg()[0]
    base = results[0]
    frames = args.steps + 1
    print(f"still PNG, 3.5 x 2.5 in at 200 dpi (baseline): median {base:.0f} ms")
    for name, ms in zip(("GIF", "MP4"), results[1:], strict=False):
        print(f"{name} of {frames} frames: median {ms:.0f} ms  ratio {ms / base:.1f}  ({ms / frames:.0f} ms a frame)")
    print(f"load average (1 min): {before:.1f} before, {after:.1f} after, on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
