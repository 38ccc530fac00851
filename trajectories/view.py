"""The part of the plane a figure shows: the objective's window, grown to hold the paths that stay near it.

One rule for every picture of a lesson: the exported figures (``plotting``) and the app on screen, whose port
(``js/src``) computes the same window from its own runs with the constants :func:`trajectories.state.config`
sends (``config.view``, and each objective's ``viewUnit``); the golden data ``js/test/make_golden.py`` writes
from :func:`view_of` checks that both sides agree.

The rule, for the ``"fit"`` view (the default):

1. Start from the objective's window (d2l's grid for the book's objectives), grown to hold the start point.
2. A run is *held* when the engine did not stop it (no ``diverged_at``) and every point stays within the
   window widened by :data:`REACH` times its width on each side. Every point of a held run is in view: momentum's
   overshoot to x2 = 2.8 on the book's quadratic grows the window's top instead of being cut off.
3. A side that had to grow gets a margin of :data:`MARGIN` of the window's width and is rounded out to a multiple
   of the objective's unit (:func:`unit`, about an eighth of the window), so a small slider move rarely moves an
   axis.
4. A run that is not held (it diverged, or it is on its way: gd at eta 0.6 has |x2| = 1673 after 20 steps) does not
   stretch the axes: it is drawn up to where it leaves the window (:func:`drawn_until`) and marked there.

``"window"`` keeps the objective's window whatever the paths do. The window never shrinks below the objective's,
so the minima, the saddle and the book's contours stay where the reader expects them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from .engine import Trajectory
from .objectives import Objective
from .specs import check_name

VIEWS = ("fit", "window")
MARGIN = 0.05  # of the objective window's width, beyond a point that took a side past that window
REACH = 1.0  # a run is held while it stays within the window widened by this many widths on each side
UNITS_PER_WINDOW = 8  # a grown side is rounded out to a round number near 1/8 of the window's width
GRID_STEP = 0.1  # the contours' grid: d2l's arange(lo, hi, 0.1) over the window shown...
GRID_POINTS = 400  # ...with at most this many points a side: a window grown far is sampled coarser


class View(NamedTuple):
    """The window a figure shows and how much of each run it draws.

    ``ends[i]`` is the last step of run ``i`` that is drawn (its steps when the whole path is), ``held[i]`` whether
    run ``i`` took part in sizing the window.
    """

    xlim: tuple[float, float]
    ylim: tuple[float, float]
    ends: tuple[int, ...]
    held: tuple[bool, ...]


def unit(low: float, high: float) -> float:
    """The step a grown side of the window ``[low, high]`` is rounded to: 1, 2 or 5 times a power of ten, the
    largest not above a :data:`UNITS_PER_WINDOW`-th of the width (0.5 for the book's x2 from -3 to 1)."""
    if not (math.isfinite(low) and math.isfinite(high) and high > low):
        raise ValueError(f"The 'window' parameter must be two finite numbers low < high. Got ({low!r}, {high!r}) "
                         "instead.")
    target = (high - low) / UNITS_PER_WINDOW
    power = 10.0 ** math.floor(math.log10(target))
    return max(m * power for m in (1, 2, 5) if m * power <= target * (1 + 1e-12))


def units(objective: Objective) -> tuple[float, float]:
    """:func:`unit` of each axis of ``objective``'s window (sent to the page as the objective's ``viewUnit``)."""
    return unit(*objective.xlim), unit(*objective.ylim)


def grid_axes(xlim: Sequence[float], ylim: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """The points of the contours' grid on each axis of the window: d2l's ``arange(lo, hi, 0.1)``, coarser for a
    window over :data:`GRID_POINTS` tenths wide."""
    return tuple(np.arange(lo, hi, max(GRID_STEP, (hi - lo) / GRID_POINTS)) for lo, hi in (xlim, ylim))


def _inside(points: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Which points lie in the box [lo, hi] (False for NaN)."""
    with np.errstate(invalid="ignore"):
        return ((points >= lo) & (points <= hi)).all(axis=-1)


def drawn_until(points: Any, diverged: bool, xlim: Sequence[float], ylim: Sequence[float]) -> int:
    """The last step of a path drawn in the window ``xlim`` x ``ylim``.

    All of them when the path stays inside, or comes back inside and did not diverge; otherwise the first step
    outside, so that the drawn path visibly leaves the window there.
    """
    p = np.asarray(points, dtype=float)
    if p.ndim != 2 or p.shape[-1] != 2 or len(p) == 0:
        raise ValueError(f"The 'points' parameter must be one path of shape (steps + 1, 2). Got shape {p.shape} "
                         "instead.")
    lo, hi = np.array([xlim[0], ylim[0]], float), np.array([xlim[1], ylim[1]], float)
    inside = _inside(p, lo, hi)
    steps = len(p) - 1
    if inside.all() or (not diverged and inside[-1]):
        return steps
    return int(np.flatnonzero(~inside)[0])


def view_of(objective: Objective, paths: Sequence[tuple[Any, bool]], start: Sequence[float],
            view: str = "fit") -> View:
    """The window of a figure of ``paths`` on ``objective`` from ``start``, by the rule in this module's docstring.

    Parameters
    ----------
    objective : Objective
        Its ``xlim`` and ``ylim`` are the window's least extent.
    paths : sequence of (points, diverged)
        Each run's points, shape (steps + 1, 2) with NaN after a divergence, and whether the engine stopped it.
    start : pair of floats
        The start point, always in view.
    view : {"fit", "window"}, default="fit"
        "fit" grows the window to hold the held runs; "window" keeps the objective's window.

    Returns
    -------
    View
    """
    view = check_name(view, "view", VIEWS)
    if not isinstance(objective, Objective):
        raise ValueError(f"The 'objective' parameter must be an Objective. Got {type(objective).__name__} instead.")
    s = np.asarray(start, dtype=float)
    if s.shape != (2,) or not np.isfinite(s).all():
        raise ValueError(f"The 'start' parameter must be one finite pair (x1, x2). Got {start!r} instead.")
    runs = []
    for points, diverged in paths:
        p = np.asarray(points, dtype=float)
        if p.ndim != 2 or p.shape[-1] != 2 or len(p) == 0:
            raise ValueError(f"The 'paths' parameter must hold single paths of shape (steps + 1, 2). Got shape "
                             f"{p.shape} instead.")
        runs.append((p, bool(diverged)))
    base_lo = np.array([objective.xlim[0], objective.ylim[0]], float)
    base_hi = np.array([objective.xlim[1], objective.ylim[1]], float)
    if view == "window":
        held = (False,) * len(runs)
        lo, hi = base_lo, base_hi
    else:
        width = base_hi - base_lo
        lo, hi = np.minimum(base_lo, s), np.maximum(base_hi, s)
        reach_lo, reach_hi = lo - REACH * width, hi + REACH * width
        flags = []
        for p, diverged in runs:
            ok = not diverged and bool(_inside(p, reach_lo, reach_hi).all())
            if ok:
                lo, hi = np.minimum(lo, p.min(axis=0)), np.maximum(hi, p.max(axis=0))
            flags.append(ok)
        held = tuple(flags)
        step = units(objective)
        lo, hi = lo.copy(), hi.copy()
        for k in range(2):
            # the same operations, in the same order, as the page's port: the two sides agree to the bit
            if lo[k] < base_lo[k]:
                lo[k] = math.floor((lo[k] - MARGIN * width[k]) / step[k]) * step[k]
            if hi[k] > base_hi[k]:
                hi[k] = math.ceil((hi[k] + MARGIN * width[k]) / step[k]) * step[k]
    xlim, ylim = (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))
    ends = tuple(len(p) - 1 if ok else drawn_until(p, d, xlim, ylim) for (p, d), ok in zip(runs, held, strict=True))
    return View(xlim, ylim, ends, held)


def view_of_runs(trajectories: Sequence[Trajectory], start: Sequence[float] | None = None,
                 view: str = "fit") -> View:
    """:func:`view_of` for single runs of the engine on one objective (their start unless ``start`` is given)."""
    trajectories = list(trajectories)
    if not trajectories or not all(isinstance(t, Trajectory) and not t.batch_shape for t in trajectories):
        raise ValueError("The 'trajectories' parameter must be one or more single runs of the engine. Got "
                         f"{trajectories!r} instead.")
    objective = trajectories[0].objective
    if start is None:
        start = trajectories[0].start
    return view_of(objective, [(t.points, t.diverged_at is not None) for t in trajectories], start, view)


def exit_point(a: Sequence[float], b: Sequence[float], xlim: Sequence[float],
               ylim: Sequence[float]) -> tuple[float, float, str] | None:
    """Where the segment from ``a`` (inside the window) to ``b`` crosses the window's edge, and through which side
    (``"left"``, ``"right"``, ``"bottom"``, ``"top"``); None if ``a`` is outside or ``b`` inside. A ``b`` that is
    not finite (the run diverged there) gives None: the path then ends at ``a``."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    lo, hi = np.array([xlim[0], ylim[0]], float), np.array([xlim[1], ylim[1]], float)
    if not _inside(a, lo, hi) or not np.isfinite(b).all() or _inside(b, lo, hi):
        return None
    best = (math.inf, "")
    d = b - a
    for k, (side_lo, side_hi) in enumerate((("left", "right"), ("bottom", "top"))):
        if d[k] < 0:
            best = min(best, ((lo[k] - a[k]) / d[k], side_lo))
        elif d[k] > 0:
            best = min(best, ((hi[k] - a[k]) / d[k], side_hi))
    t, side = best
    x = np.clip(a + min(max(t, 0.0), 1.0) * d, lo, hi)
    return float(x[0]), float(x[1]), side

