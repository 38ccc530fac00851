"""The picture: contours of the objective, one path per run, the current step, loss and effective rate.

Pure matplotlib, no widgets: the figure ``trajectories export`` writes and the app's Export downloads (the app on
screen draws the same picture in the browser, ``js/src/figures/plot.js``). :class:`TraceFigure` builds the
figure of one lesson.

The book's look (d2l ``show_trace_2d``) for one optimizer: contours in ``#1f77b4`` with matplotlib's automatic
levels, the path as ``'-o'`` in ``#ff7f0e``, axes labelled x1 and x2. Several runs take the colour-blind-safe
palette, one marker shape each, and a legend with their labels. A spread (a run over many seeds) draws every seed's
path faint and its median run bold, and in the loss panel the median loss with the 10-90% band.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from matplotlib.ticker import LogLocator, NullFormatter

from .engine import Trajectory
from .objectives import Objective, get_objective
from .specs import check_int
from .state import BOOK_CONTOUR, colors_for, markers_for

# matplotlib's glyph for each marker name of state.MARKERS
MPL_MARKERS = {"circle": "o", "square": "s", "triangle": "^", "diamond": "D", "star": "*", "cross": "P"}
GRADIENT_COLOR = "#555555"
BOOK_FIGSIZE = (3.5, 2.5)  # d2l's set_figsize default for these plots
APP_FIGSIZE = (9.0, 4.2)
_GRID_STEP = 0.1  # d2l's contour grid spacing
_GRID_POINTS = 300  # at most this many grid steps per side
_MAX_DECADES = 14  # log panels show at most this many decades below their top


def contour_grid(objective: Objective) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid the contours are drawn on: d2l's ``arange(lo, hi, 0.1)`` over the objective's view, with a
    coarser step where a side is longer than :data:`_GRID_POINTS` steps of 0.1 (a window a teacher set)."""
    span = max(objective.xlim[1] - objective.xlim[0], objective.ylim[1] - objective.ylim[0])
    step = max(_GRID_STEP, span / _GRID_POINTS)
    x1 = np.arange(objective.xlim[0], objective.xlim[1], step)
    x2 = np.arange(objective.ylim[0], objective.ylim[1], step)
    g1, g2 = np.meshgrid(x1, x2)
    with np.errstate(all="ignore"):
        return g1, g2, objective.f(g1, g2)


def contour_levels(objective: Objective, z: np.ndarray) -> Any:
    """Matplotlib's automatic levels (``None``) as the book, or log-spaced ones for ``levels == "log"``."""
    if objective.levels != "log":
        return None
    finite = z[np.isfinite(z)]
    top = float(finite.max())
    low = float(finite[finite > 0].min()) if (finite > 0).any() else top * 1e-6
    low = max(low, top * 1e-6)
    return np.geomspace(low, top, 16)[:-1]


def _decades(values: np.ndarray, floor_span: int = _MAX_DECADES) -> tuple[float, float] | None:
    """Limits of a log axis rounded out to whole decades, so most slider moves keep them unchanged."""
    v = values[np.isfinite(values) & (values > 0)]
    if v.size == 0:
        return None
    hi = math.ceil(math.log10(float(v.max())) + 1e-9)
    lo = math.floor(math.log10(float(v.min())) - 1e-9)
    lo = max(lo, hi - floor_span)
    if lo >= hi:
        lo = hi - 1
    return 10.0 ** lo, 10.0 ** hi


def _floor(limits: tuple[float, float] | None, decades: int) -> tuple[float, float] | None:
    """Show at least ``decades`` decades below the top, so small changes at the bottom fit without a redraw."""
    if limits is None:
        return None
    return min(limits[0], limits[1] / 10.0 ** decades), limits[1]


def left_view(trajectory: Trajectory) -> int | None:
    """The first step whose point lies outside the objective's view window, or None if the path stays in it."""
    p = np.asarray(trajectory.points)
    if p.ndim != 2:
        raise ValueError(f"The 'trajectory' parameter of left_view must be a single run. Got a batch of shape "
                         f"{p.shape[:-2]} instead.")
    (a, b), (c, d) = trajectory.objective.xlim, trajectory.objective.ylim
    with np.errstate(invalid="ignore"):
        inside = (p[:, 0] >= a) & (p[:, 0] <= b) & (p[:, 1] >= c) & (p[:, 1] <= d)
    inside &= np.isfinite(p).all(1)
    out = np.flatnonzero(~inside)
    return None if out.size == 0 else int(out[0])


def drawn_until(trajectory: Trajectory, fit: bool = False) -> int:
    """The last step the picture draws: all of them, or, for a run that ends outside the view (it diverged or
    is on its way), the first step outside, so the path is drawn up to where it left the window.

    With ``fit`` (the view grows to hold the paths, as the book's ``show_trace_2d`` does), a run that stayed
    finite is drawn whole; a diverged one is still drawn up to where it left the window.
    """
    if fit and trajectory.diverged_at is None:
        return trajectory.steps
    out = left_view(trajectory)
    if out is None:
        return trajectory.steps
    last = trajectory.last_valid()
    (a, b), (c, d) = trajectory.objective.xlim, trajectory.objective.ylim
    back_inside = trajectory.diverged_at is None and a <= last[0] <= b and c <= last[1] <= d
    return trajectory.steps if back_inside else out


class _Path:
    """The artists of one run: its path, the current-step marker, two arrows and two panel curves; for a spread,
    its seeds' paths (faint) and the loss band."""

    def __init__(self, trace: TraceFigure, name: str, color: str, marker: str, label: str) -> None:
        ax = trace.ax
        self.name = name
        self.color = color
        self.faint = ax.add_collection(LineCollection([], colors=color, linewidths=0.8, alpha=0.2, zorder=2.5))
        self.band: Any = None
        self.line, = ax.plot([], [], "-" + marker, color=color, label=label, markersize=5, linewidth=1.5,
                             zorder=3)
        self.current, = ax.plot([], [], marker, color=color, markersize=11, markeredgecolor="black",
                                markeredgewidth=1.2, zorder=5, visible=False)
        style = dict(arrowstyle="-|>", mutation_scale=12, shrinkA=0, shrinkB=0, zorder=6, visible=False)
        self.gradient = ax.add_patch(FancyArrowPatch((0, 0), (0, 0), color=GRADIENT_COLOR, linestyle=(0, (3, 2)),
                                                     linewidth=1.4, **style))
        self.update = ax.add_patch(FancyArrowPatch((0, 0), (0, 0), color=color, linewidth=2.2, **style))
        self.loss = self.lr = self.lr2 = None
        self.end = 0  # how many points of the path are drawn
        if trace.loss_ax is not None:
            self.loss, = trace.loss_ax.plot([], [], color=color, linewidth=1.4)
            self.lr, = trace.lr_ax.plot([], [], color=color, linewidth=1.4)
            self.lr2, = trace.lr_ax.plot([], [], color=color, linewidth=1.4, linestyle=(0, (3, 2)))


class TraceFigure:
    """The trajectories figure of one lesson.

    Parameters
    ----------
    figure : matplotlib.figure.Figure, optional
        The figure to draw into; a new one by default.
    panels : bool, default=True
        Add the side panels: loss against step (log scale) and the per-coordinate effective learning rate.
    fit : bool, default=False
        Grow the view beyond the objective's window to hold every path that stayed finite, as the book's
        ``show_trace_2d`` autoscales (contours stay on the objective's grid). The app keeps the window fixed.

    Examples
    --------
    >>> from trajectories.lesson import Lesson
    >>> lesson = Lesson(optimizers=("rmsprop",))
    >>> trace = TraceFigure.from_lesson(lesson, panels=False)
    >>> trace.figure.savefig("rmsprop.svg")  # doctest: +SKIP
    """

    def __init__(self, figure: Figure | None = None, *, panels: bool = True, fit: bool = False) -> None:
        if figure is None:
            # The app's layout is fixed below; the book-sized figure is laid out once by constrained layout.
            figure = Figure(figsize=APP_FIGSIZE) if panels else Figure(figsize=BOOK_FIGSIZE, layout="constrained")
        if not isinstance(figure, Figure):
            raise ValueError(f"The 'figure' parameter must be a matplotlib Figure or None. Got {figure!r} instead.")
        self.figure = figure
        self.fit = bool(fit)
        self.panels = bool(panels)
        if panels:
            grid = figure.add_gridspec(2, 2, width_ratios=(1.75, 1), hspace=0.5, wspace=0.28,
                                       left=0.07, right=0.985, top=0.9, bottom=0.12)
            self.ax = figure.add_subplot(grid[:, 0])
            self.loss_ax = figure.add_subplot(grid[0, 1])
            self.lr_ax = figure.add_subplot(grid[1, 1])
            self.loss_ax.set_yscale("log")
            self.loss_ax.set_title("loss f(x) against step", fontsize=9)
            self.lr_ax.set_yscale("log")
            self.lr_ax.set_title("effective learning rate (x1 solid, x2 dashed)", fontsize=9)
            self.lr_ax.set_xlabel("step", fontsize=9)
            for a in (self.loss_ax, self.lr_ax):
                a.tick_params(labelsize=8)
                a.grid(True, which="major", alpha=0.3)
            self.loss_step = self.loss_ax.axvline(0, color="black", linewidth=0.8, alpha=0.5, visible=False)
            self.lr_step = self.lr_ax.axvline(0, color="black", linewidth=0.8, alpha=0.5, visible=False)
        else:
            self.ax = figure.add_subplot()
            self.loss_ax = self.lr_ax = self.loss_step = self.lr_step = None
        self.ax.set_xlabel("x1")
        self.ax.set_ylabel("x2")
        self.objective: Objective | None = None
        self.contours: Any = None
        self.keys: tuple[str, ...] = ()
        self.paths: dict[str, _Path] = {}
        self.trajectories: dict[str, Trajectory] = {}  # by run key; a spread's is its median run
        self.spreads: dict[str, Trajectory] = {}  # by run key: the whole batch of a spread
        self.step: int | None = None
        self.legend: Any = None
        self.start_marker, = self.ax.plot([], [], "o", color="white", markeredgecolor="black", markersize=7,
                                          zorder=4, label="_start")

    # ---- building -----------------------------------------------------------------------------------------
    @classmethod
    def from_lesson(cls, lesson: Any, figure: Figure | None = None, *, panels: bool = True,
                    trajectories: Mapping[str, Trajectory] | None = None, step: int | None = None,
                    fit: bool = False) -> TraceFigure:
        """Build the figure of a :class:`~trajectories.lesson.Lesson` (running it unless ``trajectories`` given)."""
        trace = cls(figure, panels=panels, fit=fit)
        trace.show(lesson, trajectories, step=step)
        return trace

    def show(self, lesson: Any, trajectories: Mapping[str, Trajectory] | None = None, *,
             step: int | None = None) -> None:
        """Draw ``lesson``: its objective, its runs (``trajectories`` by label, or run now) from its start, and step
        ``step`` highlighted."""
        self.set_objective(lesson.objective_function())
        self.set_runs(lesson.keys, lesson.labels)
        self.set_start(lesson.start)
        runs = lesson.run() if trajectories is None else trajectories
        self.update({key: runs[label] for key, label in zip(lesson.keys, lesson.labels, strict=True)})
        self.set_step(step)

    def set_objective(self, objective: Objective | str) -> None:
        """Draw the contours, minima and formula of ``objective``."""
        objective = self.objective = get_objective(objective)
        g1, g2, z = contour_grid(objective)
        several = len(self.keys) > 1
        finite = z[np.isfinite(z)]
        if finite.size and finite.min() < finite.max():  # a constant (a formula such as f = 3) has no contours
            with np.errstate(all="ignore"):
                self.contours = self.ax.contour(g1, g2, z, levels=contour_levels(objective, z), colors=BOOK_CONTOUR,
                                                linewidths=1.0 if several else 1.5, alpha=0.55 if several else 1.0,
                                                zorder=1)
        if objective.minima:
            m = np.array(objective.minima)
            self.ax.plot(m[:, 0], m[:, 1], "*", color="black", markersize=9, zorder=2, label="_minimum")
        if objective.saddles:
            s = np.array(objective.saddles)
            self.ax.plot(s[:, 0], s[:, 1], "x", color="black", markersize=8, zorder=2, label="_saddle")
        self.ax.set_xlim(objective.xlim)
        self.ax.set_ylim(objective.ylim)
        self.ax.set_title(f"${objective.latex}$", fontsize=10)

    def set_runs(self, keys: Sequence[str], labels: Sequence[str] | None = None) -> None:
        """One set of artists per run (by key), coloured and marked as :func:`~trajectories.state.colors_for` and
        :func:`~trajectories.state.markers_for`, and a legend of ``labels`` for several."""
        keys = tuple(keys)
        labels = tuple(keys if labels is None else labels)
        if not keys or len(labels) != len(keys):
            raise ValueError(f"The 'keys' parameter must name at least one run, with one label each. Got {keys!r} "
                             f"and {labels!r} instead.")
        self.keys = keys
        several = len(keys) > 1
        colors, markers = colors_for(len(keys)), markers_for(len(keys))
        self.paths = {key: _Path(self, key, colors[i], MPL_MARKERS[markers[i]], labels[i])
                      for i, key in enumerate(keys)}
        if several:
            self.legend = self.ax.legend(handles=[p.line for p in self.paths.values()], loc="lower right",
                                         fontsize=8, framealpha=0.9)
            if self.contours is not None:  # drawn before the runs were known: lighter under several paths
                self.contours.set_alpha(0.55)
                self.contours.set_linewidth(1.0)

    def set_optimizers(self, optimizers: Sequence[str]) -> None:
        """One run per optimizer, labelled by its name (see :meth:`set_runs`)."""
        optimizers = tuple(optimizers)
        if not optimizers:
            raise ValueError("The 'optimizers' parameter must name at least one optimizer. Got () instead.")
        self.set_runs(optimizers)

    def set_start(self, start: Sequence[float]) -> None:
        """Mark the shared start point."""
        x1, x2 = (float(v) for v in start)
        self.start_marker.set_data([x1], [x2])

    # ---- updating -----------------------------------------------------------------------------------------
    def update(self, trajectories: Mapping[str, Trajectory]) -> None:
        """Move each path and panel curve to its trajectory (one per run, by key; a spread's batched over seeds)."""
        missing = [n for n in self.keys if n not in trajectories]
        if missing:
            raise ValueError(f"The 'trajectories' parameter must hold a run of every run shown "
                             f"({', '.join(self.keys)}). Got none for {', '.join(missing)}.")
        self.spreads = {n: trajectories[n] for n in self.keys if np.ndim(trajectories[n].points) == 3}
        self.trajectories = {n: _median(trajectories[n]) for n in self.keys}
        steps = max(t.steps for t in self.trajectories.values())
        small = 5 if steps <= 40 else 3.5 if steps <= 120 else 2 if steps <= 300 else 0
        for name, t in self.trajectories.items():
            p = self.paths[name]
            pts = np.asarray(t.points)
            if pts.ndim != 2:
                raise ValueError(f"The 'trajectories' parameter must hold single runs or spreads over seeds. Got a "
                                 f"batch of shape {pts.shape[:-2]} for {name}.")
            end = p.end = drawn_until(t, self.fit) + 1
            p.line.set_data(pts[:end, 0], pts[:end, 1])
            p.line.set_markersize(small)
            spread = self.spreads.get(name)
            p.line.set_linewidth(2.2 if spread is not None else 1.5)
            p.faint.set_segments([] if spread is None else _seed_paths(spread, self.fit))
            if p.loss is not None:
                p.loss.set_data(np.arange(t.steps + 1), t.losses)
                if spread is not None:  # the median loss of every step and the 10-90% band (diverged: no band)
                    low, median, high = (np.where(np.isfinite(q), q, np.nan) for q in spread.loss_quantiles())
                    p.loss.set_data(np.arange(t.steps + 1), median)
                    p.band = self.loss_ax.fill_between(np.arange(t.steps + 1), low, high, color=p.color, alpha=0.2,
                                                       linewidth=0, zorder=1)
                if t.effective_lr is None:
                    p.lr.set_data([], [])
                    p.lr2.set_data([], [])
                else:
                    s = np.arange(1, t.steps + 1)
                    p.lr.set_data(s, t.effective_lr[:, 0])
                    p.lr2.set_data(s, t.effective_lr[:, 1])
        if self.fit:
            self._fit_view()
        if self.loss_ax is not None:
            self._panel_limits(steps)

    def _fit_view(self) -> None:
        """The objective's window, grown with a 5% margin on each side a drawn path goes past."""
        (a, b), (c, d) = self.objective.xlim, self.objective.ylim
        # From the runs, not the artists: asking a line for its data caches its path under the rcParams of the
        # moment, and export renders later under its own (no path simplification).
        drawn = [np.asarray(t.points)[: self.paths[n].end] for n, t in self.trajectories.items()]
        pts = np.concatenate([q for q in drawn if q.size] or [np.empty((0, 2))])
        pts = pts[np.isfinite(pts).all(1)]
        if pts.size == 0:
            return
        lo, hi = np.minimum([a, c], pts.min(0)), np.maximum([b, d], pts.max(0))
        pad = 0.05 * (hi - lo)
        lo = np.where(lo < [a, c], lo - pad, lo)
        hi = np.where(hi > [b, d], hi + pad, hi)
        self.ax.set_xlim(lo[0], hi[0])
        self.ax.set_ylim(lo[1], hi[1])

    def _panel_limits(self, steps: int) -> None:
        trs = list(self.trajectories.values())
        losses = np.concatenate([np.ravel(t.losses) for t in trs]
                                + [np.ravel(t.loss_quantiles()) for t in self.spreads.values()])
        lrs = [np.ravel(t.effective_lr) for t in trs if t.effective_lr is not None]
        finite = losses[np.isfinite(losses)]
        signed = finite.size > 0 and (finite <= 0).any()
        want: dict[str, Any] = {"xlim": (0, max(steps, 1)), "loss_scale": "symlog" if signed else "log"}
        if signed:
            top = float(np.abs(finite).max()) if finite.size else 1.0
            top = 10.0 ** math.ceil(math.log10(max(top, 1e-2)))
            want["loss_ylim"] = (-top if finite.min() < 0 else 0.0, top)
        else:
            want["loss_ylim"] = _floor(_decades(losses), 12)
        want["lr_ylim"] = _floor(_decades(np.concatenate(lrs)), 4) if lrs else None
        for key, value in want.items():
            if key == "xlim":
                self.loss_ax.set_xlim(value)
                self.lr_ax.set_xlim(value)
            elif key == "loss_scale":
                if value == "symlog":
                    self.loss_ax.set_yscale("symlog", linthresh=1e-2)
                else:
                    self.loss_ax.set_yscale("log")
            elif value is not None:
                ax = self.loss_ax if key == "loss_ylim" else self.lr_ax
                ax.set_ylim(value)
                if ax.get_yscale() == "log":
                    lo, hi = value
                    span = math.log10(hi / lo)
                    ax.yaxis.set_major_locator(LogLocator(base=10.0, numticks=6 if span > 6 else 8))
                    ax.yaxis.set_minor_formatter(NullFormatter())

    def set_step(self, step: int | None) -> None:
        """Highlight step ``step`` of each run: its point, the gradient step -eta*grad f and the actual update.

        ``None`` hides the highlight. The update arrow goes from point ``step`` to point ``step + 1``.
        """
        self.step = check_int(step, "step", 0, none=True)
        for a in (self.loss_step, self.lr_step):
            if a is not None:
                a.set_visible(step is not None)
                if step is not None:
                    a.set_xdata([step, step])
        for name, p in self.paths.items():
            t = self.trajectories.get(name)
            if t is None or step is None or step >= p.end or not np.isfinite(t.points[step]).all():
                for a in (p.current, p.gradient, p.update):
                    a.set_visible(False)
                continue
            x = t.points[step]
            p.current.set_data([x[0]], [x[1]])
            p.current.set_visible(True)
            following = t.points[step + 1] if step < t.steps else x
            _arrow(p.update, x, following, self._reach())
            g = np.array(t.objective.grad(x[0], x[1]), dtype=float)
            eta = 1.0 if t.rates is None else float(t.rates[min(step, t.steps - 1)])
            with np.errstate(all="ignore"):
                _arrow(p.gradient, x, x - eta * g, self._reach())

    def _reach(self) -> float:
        (a, b), (c, d) = self.ax.get_xlim(), self.ax.get_ylim()
        return 2.0 * math.hypot(b - a, d - c)

def _median(trajectory: Trajectory) -> Trajectory:
    """A single run as it is; a spread over seeds as its median run."""
    if np.ndim(trajectory.points) != 3:
        return trajectory
    return trajectory.pick(trajectory.median_run())


def _seed_paths(spread: Trajectory, fit: bool) -> list[np.ndarray]:
    """Every seed's path of a spread, each up to where the picture draws it."""
    return [np.asarray(one.points)[: drawn_until(one, fit) + 1]
            for one in (spread.pick(i) for i in range(spread.batch_shape[0]))]


def _arrow(patch: FancyArrowPatch, a: np.ndarray, b: np.ndarray, reach: float) -> None:
    length = float(np.hypot(*(b - a))) if np.isfinite(a).all() and np.isfinite(b).all() else math.nan
    ok = math.isfinite(length) and length > 1e-12
    patch.set_visible(ok)
    if ok:
        if length > reach:  # far beyond the window: keep the direction, spare the renderer huge coordinates
            b = a + (b - a) * (reach / length)
        patch.set_positions((float(a[0]), float(a[1])), (float(b[0]), float(b[1])))
