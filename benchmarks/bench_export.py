"""What reproducible export costs: trajectories' SVG against matplotlib's plain savefig of the same figure.

    python benchmarks/bench_export.py

Times, in one process, the medians over repeats of (a) ``figure_bytes``: build the book-sized figure and render it
with the fixed salt, no metadata and no path simplification; (b) the baseline: the same TraceFigure saved with
matplotlib's defaults; (c) what the kernel renders when the app's Export SVG is pressed with a step highlighted: the
figure with its side panels (``App.export``, that is ``figure_bytes(lesson, loss=True, step=...)``). Prints the medians
and the ratios to the baseline.
"""

from __future__ import annotations

import argparse
import sys
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from procstats import medians_ms  # noqa: E402

import trajectories.figures as ex  # noqa: E402
from trajectories.lesson import Lesson  # noqa: E402
from trajectories.plotting import TraceFigure  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=21)
    args = p.parse_args()
    lesson = Lesson(optimizers=("rmsprop",))

    def baseline() -> bytes:
        buffer = BytesIO()
        TraceFigure.from_lesson(lesson, panels=False).figure.savefig(buffer, format="svg")
        return buffer.getvalue()

    base, ours, click = medians_ms([baseline, lambda: ex.figure_bytes(lesson),
                                    lambda: ex.figure_bytes(lesson, loss=True, step=4)], args.repeats)
    print(f"matplotlib savefig (baseline), 3.5 x 2.5 in: median {base:.1f} ms")
    print(f"trajectories figure_bytes,     3.5 x 2.5 in: median {ours:.1f} ms  ratio {ours / base:.2f}")
    print(f"Export SVG (the app's figure with panels): median {click:.1f} ms  ratio {click / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
