"""The picture: contours of the objective, one path per run, the current step, loss and effective rate.

Pure matplotlib, no widgets: the figure ``trajectories export`` writes and the app's Export downloads (the app on
screen draws the same picture in the browser, ``js/src/figures/plot.js``). :class:`TraceFigure` builds the
figure of one lesson, in the window :mod:`trajectories.view` gives its runs.

The book's look (d2l ``show_trace_2d``) for one optimizer: contours in ``#1f77b4`` with matplotlib's automatic
levels, the path as ``'-o'`` in ``#ff7f0e``, axes labelled x1 and x2. Several runs take the Okabe-Ito
colour-blind-safe palette, one marker shape each, and a legend with their labels. A spread (a run over many seeds)
draws every seed's path faint and its median run bold, and in the loss panel the median loss with the 10-90% band.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure, FigureBase
from matplotlib.markers import MarkerStyle
from matplotlib.patches import FancyArrowPatch
from matplotlib.path import Path
from matplotlib.ticker import LogLocator, NullFormatter

from . import i18n
from .engine import Trajectory
from .i18n import DEFAULT, check_lang, text
from .inspector import Inspection
from .objectives import Objective, get_objective
from .specs import check_int, check_name
from .state import BOOK_CONTOUR, GRADIENT, Look, looks
from .view import VIEWS, View, exit_point, grid_axes, view_of, view_of_runs

# state.LOOKS's marker names in matplotlib's words
MPL_MARKERS = {"circle": "o", "x": "X", "square": "s", "triangle": "^", "diamond": "D", "triangle-down": "v",
               "star": "*", "plus": "P"}
EXIT_TEXT = "#333333"  # the note beside a path's exit mark: dark, whatever the run's colour (yellow would not read)
BOOK_FIGSIZE = (3.5, 2.5)  # d2l's set_figsize default for these plots
APP_FIGSIZE = (9.0, 4.2)
_MAX_DECADES = 14  # log panels show at most this many decades below their top


def contour_grid(objective: Objective, xlim: Sequence[float] | None = None,
                 ylim: Sequence[float] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid the contours are drawn on: :func:`trajectories.view.grid_axes` over the window shown (the
    objective's by default: d2l's ``arange(lo, hi, 0.1)``)."""
    g1, g2 = np.meshgrid(*grid_axes(objective.xlim if xlim is None else xlim,
                                    objective.ylim if ylim is None else ylim))
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
    """The first step whose point lies outside the objective's window, or None if the path stays in it."""
    p = np.asarray(trajectory.points)
    if p.ndim != 2:
        raise ValueError(f"The 'trajectory' parameter of left_view must be a single run. Got a batch of shape "
                         f"{p.shape[:-2]} instead.")
    (a, b), (c, d) = trajectory.objective.xlim, trajectory.objective.ylim
    with np.errstate(invalid="ignore"):
        inside = (p[:, 0] >= a) & (p[:, 0] <= b) & (p[:, 1] >= c) & (p[:, 1] <= d)
    out = np.flatnonzero(~inside)
    return None if out.size == 0 else int(out[0])


def drawn_until(trajectory: Trajectory, view: str = "window") -> int:
    """The last step a figure of ``trajectory`` alone draws in ``view`` (:func:`trajectories.view.view_of`): all
    of them, or, for a run that leaves the window for good (it diverged or is on its way), the first step outside,
    so the path is drawn up to where it left."""
    return view_of_runs([trajectory], view=view).ends[0]


class _Path:
    """The artists of one run: its path, where it leaves the view, the current-step marker, two arrows and the
    panel curves (each with the mark of where a diverging run's curve leaves its panel); for a spread, its seeds'
    paths (faint) and the loss band."""

    def __init__(self, trace: TraceFigure, name: str, look: Look, label: str) -> None:
        ax = trace.ax
        marker = MPL_MARKERS[look.marker]
        color = look.color
        self.name, self.label, self.color = name, label, color
        self.faint = ax.add_collection(LineCollection([], colors=color, linewidths=0.8, alpha=0.2, zorder=2.5))
        self.band: Any = None
        self.line, = ax.plot([], [], "-", marker=marker, color=color, label=label, markersize=5, linewidth=1.5,
                             zorder=3)
        self.current, = ax.plot([], [], linestyle="none", marker=marker, color=color, markersize=11,
                                markeredgecolor="black", markeredgewidth=1.2, zorder=5, visible=False)
        style = dict(arrowstyle="-|>", mutation_scale=12, shrinkA=0, shrinkB=0, zorder=6, visible=False)
        self.gradient = ax.add_patch(FancyArrowPatch((0, 0), (0, 0), color=GRADIENT, linestyle=(0, (3, 2)),
                                                     linewidth=1.4, **style))
        self.update = ax.add_patch(FancyArrowPatch((0, 0), (0, 0), color=color, linewidth=2.2, **style))
        self.exit = _Exit(ax, color)
        self.loss = self.lr = self.lr2 = None
        self.end = 0  # how many points of the path are drawn
        if trace.loss_ax is not None:
            self.loss, = trace.loss_ax.plot([], [], color=color, linewidth=1.4)
            self.lr, = trace.lr_ax.plot([], [], color=color, linewidth=1.4)
            self.lr2, = trace.lr_ax.plot([], [], color=color, linewidth=1.4, linestyle=(0, (3, 2)))
            self.loss_exit = _Exit(trace.loss_ax, color, text=False)
            self.lr_exit = _Exit(trace.lr_ax, color, text=False)
            self.lr2_exit = _Exit(trace.lr_ax, color, text=False)


def _tip(dx: int, dy: int) -> MarkerStyle:
    """A triangle marker with its tip at the point, pointing along (dx, dy)."""
    back, side = np.array([-dx, -dy], float), np.array([-dy, dx], float) * 0.55
    return MarkerStyle(Path([(0.0, 0.0), tuple(back + side), tuple(back - side), (0.0, 0.0)], closed=True))


class _Exit:
    """Where a path or a panel's curve leaves its axes: a triangle on the edge, pointing the way it went, and for a
    path a short note (``diverged at step 14``, ``leaves at step 1``)."""

    # A triangle whose tip touches the edge from inside, pointing out: it stays within the axes (and off a title).
    SIDES = {"top": (_tip(0, 1), (0, -9), "center", "top"), "bottom": (_tip(0, -1), (0, 9), "center", "bottom"),
             "left": (_tip(-1, 0), (9, 0), "left", "center"), "right": (_tip(1, 0), (-9, 0), "right", "center"),
             "end": ("X", (0, -7), "center", "top")}

    def __init__(self, ax: Any, color: str, *, text: bool = True) -> None:
        self.ax = ax
        self.mark, = ax.plot([], [], linestyle="none", marker="X", color=color, markersize=8,
                             markeredgecolor="white", markeredgewidth=0.6, zorder=7, visible=False)
        self.note = (ax.annotate("", (0, 0), xytext=(0, 0), textcoords="offset points", fontsize=7,
                                 color=EXIT_TEXT, annotation_clip=False, zorder=7, visible=False,
                                 bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                                       "alpha": 0.8})
                     if text else None)

    def hide(self) -> None:
        self.mark.set_visible(False)
        if self.note is not None:
            self.note.set_visible(False)

    def show(self, x: float, y: float, side: str, note: str = "", row: int = 0) -> None:
        """Mark (x, y) on ``side`` (or ``"end"``: the engine stopped the run there); ``row`` moves the note one
        line further in, so that notes of runs leaving by the same side do not overlap."""
        marker, offset, ha, va = self.SIDES[side]
        offset = (offset[0], offset[1] - 9 * row) if side in ("top", "end") else (
            (offset[0], offset[1] + 9 * row) if side == "bottom" else (offset[0], offset[1] - 9 * row))
        self.mark.set_data([x], [y])
        self.mark.set_marker(marker)
        self.mark.set_markersize(8 if side == "end" else 14)
        self.mark.set_visible(True)
        if self.note is None:
            return
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        if side in ("top", "bottom", "end"):  # keep the note inside the axes near a corner
            where = (x - x0) / (x1 - x0) if x1 != x0 else 0.5
            ha = "left" if where < 0.2 else "right" if where > 0.8 else "center"
            offset = ({"left": 4, "right": -4}.get(ha, 0), offset[1])
        if side in ("left", "right"):
            where = (y - y0) / (y1 - y0) if y1 != y0 else 0.5
            va = "bottom" if where < 0.1 else "top" if where > 0.9 else "center"
        self.note.set_text(note)
        self.note.xy = (x, y)
        self.note.set_position(offset)
        self.note.set_ha(ha)
        self.note.set_va(va)
        self.note.set_visible(bool(note))


def _cut(values: np.ndarray, lo: float, hi: float, transform: Any) -> tuple[int, tuple[float, float, str] | None]:
    """How many values of a panel's curve to draw when it leaves [lo, hi] (on the axis' own scale) and where the
    mark goes: all and none if it stays, else up to the first value past an edge, marked where it crosses."""
    finite = np.isfinite(values)
    with np.errstate(invalid="ignore"):
        inside = finite & (values >= lo) & (values <= hi)
    if inside.all():
        return len(values), None
    first = int(np.flatnonzero(~inside)[0])
    if first == 0:
        return 0, None
    a, b = float(values[first - 1]), float(values[first])
    if not math.isfinite(b):  # stopped by the engine inside the panel: the curve ends there
        return first, (first - 1, a, "end")
    edge, side = (hi, "top") if b > hi else (lo, "bottom")
    ta, tb, te = (float(v) for v in transform.transform(np.array([a, b, edge])))
    t = (te - ta) / (tb - ta) if tb != ta else 1.0
    return first + 1, (first - 1 + min(max(t, 0.0), 1.0), edge, side)


class TraceFigure:
    """The trajectories figure of one lesson.

    Parameters
    ----------
    figure : matplotlib.figure.Figure, optional
        The figure to draw into; a new one by default.
    panels : bool, default=True
        Add the side panels: loss against step (log scale) and the per-coordinate effective learning rate.
    view : {"fit", "window"}, default="fit"
        The part of the plane shown (:mod:`trajectories.view`): "fit" grows the objective's window to hold every
        path that stays near it (a run that diverges is drawn up to where it leaves, and marked there); "window"
        keeps the objective's window. The contours are computed over the window shown.
    lang : {"en", "zh"}, default="en"
        The language of the panels' titles and of the legend's names (梯度下降, AdaGrad算法 in Chinese); the axes
        stay x1 and x2, as in both editions of the book.

    Examples
    --------
    >>> from trajectories.lesson import Lesson
    >>> lesson = Lesson(optimizers=("rmsprop",))
    >>> trace = TraceFigure.from_lesson(lesson, panels=False)
    >>> trace.figure.savefig("rmsprop.svg")  # doctest: +SKIP
    """

    def __init__(self, figure: Figure | None = None, *, panels: bool = True, view: str = "fit",
                 lang: str = DEFAULT) -> None:
        self.lang = check_lang(lang)
        if figure is None:
            # The app's layout is fixed below; the book-sized figure is laid out once by constrained layout.
            figure = Figure(figsize=APP_FIGSIZE) if panels else Figure(figsize=BOOK_FIGSIZE, layout="constrained")
        if not isinstance(figure, FigureBase):
            raise ValueError(f"The 'figure' parameter must be a matplotlib Figure (or SubFigure) or None. Got "
                             f"{figure!r} instead.")
        self.figure = figure
        self.view = check_name(view, "view", VIEWS)
        self.panels = bool(panels)
        if panels:
            grid = figure.add_gridspec(2, 2, width_ratios=(1.75, 1), hspace=0.5, wspace=0.28,
                                       left=0.07, right=0.985, top=0.9, bottom=0.12)
            self.ax = figure.add_subplot(grid[:, 0])
            self.loss_ax = figure.add_subplot(grid[0, 1])
            self.lr_ax = figure.add_subplot(grid[1, 1])
            self.loss_ax.set_yscale("log")
            self.loss_ax.set_title(text("panel.loss", lang), fontsize=9)
            self.lr_ax.set_yscale("log")
            self.lr_ax.set_title(text("figure.rate", lang), fontsize=9)
            self.lr_ax.set_xlabel(text("panel.step", lang), fontsize=9)
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
        self.window: tuple[tuple[float, float], tuple[float, float]] | None = None  # where the contours are
        self.keys: tuple[str, ...] = ()
        self.paths: dict[str, _Path] = {}
        self.trajectories: dict[str, Trajectory] = {}  # by run key; a spread's is its median run
        self.spreads: dict[str, Trajectory] = {}  # by run key: the whole batch of a spread
        self.start: tuple[float, float] | None = None
        self.step: int | None = None
        self.legend: Any = None
        self.start_marker, = self.ax.plot([], [], "o", color="white", markeredgecolor="black", markersize=7,
                                          zorder=4, label="_start")

    # ---- building -----------------------------------------------------------------------------------------
    @classmethod
    def from_lesson(cls, lesson: Any, figure: Figure | None = None, *, panels: bool = True,
                    trajectories: Mapping[str, Trajectory] | None = None, step: int | None = None,
                    view: str = "fit", lang: str = DEFAULT) -> TraceFigure:
        """Build the figure of a :class:`~trajectories.lesson.Lesson` (running it unless ``trajectories`` given)."""
        trace = cls(figure, panels=panels, view=view, lang=lang)
        trace.show(lesson, trajectories, step=step)
        return trace

    def show(self, lesson: Any, trajectories: Mapping[str, Trajectory] | None = None, *,
             step: int | None = None) -> None:
        """Draw ``lesson``: its objective, its runs (``trajectories`` by label, or run now) from its start, and step
        ``step`` highlighted."""
        self.set_objective(lesson.objective_function())
        self.set_runs(lesson.keys, lesson.said_labels(self.lang), [r.optimizer for r in lesson.runs])
        self.set_start(lesson.start)
        runs = lesson.run() if trajectories is None else trajectories
        self.update({key: runs[label] for key, label in zip(lesson.keys, lesson.labels, strict=True)})
        self.set_step(step)

    def set_objective(self, objective: Objective | str) -> None:
        """Draw the minima and formula of ``objective`` (its contours follow with the paths, over the window they
        make)."""
        objective = self.objective = get_objective(objective)
        if objective.minima:
            m = np.array(objective.minima)
            self.ax.plot(m[:, 0], m[:, 1], "*", color="black", markersize=9, zorder=2, label="_minimum")
        if objective.saddles:
            s = np.array(objective.saddles)
            self.ax.plot(s[:, 0], s[:, 1], "x", color="black", markersize=8, zorder=2, label="_saddle")
        self.ax.set_xlim(objective.xlim)
        self.ax.set_ylim(objective.ylim)
        self.ax.set_title(f"${objective.latex}$", fontsize=10)

    def _contour(self, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
        """The contours over the window shown, lighter under several paths."""
        g1, g2, z = contour_grid(self.objective, xlim, ylim)
        several = len(self.keys) > 1
        finite = z[np.isfinite(z)]
        if finite.size and finite.min() < finite.max():  # a constant (a formula such as f = 3) has no contours
            with np.errstate(all="ignore"):
                self.contours = self.ax.contour(g1, g2, z, levels=contour_levels(self.objective, z),
                                                colors=BOOK_CONTOUR, linewidths=1.0 if several else 1.5,
                                                alpha=0.55 if several else 1.0, zorder=1)
        self.window = (xlim, ylim)

    def set_runs(self, keys: Sequence[str], labels: Sequence[str] | None = None,
                 optimizers: Sequence[str] | None = None) -> None:
        """One set of artists per run (by key), drawn as :func:`~trajectories.state.looks` says for the runs'
        ``optimizers`` (the keys when not given), and a legend of ``labels`` for several."""
        keys = tuple(keys)
        labels = tuple(keys if labels is None else labels)
        names = tuple(keys if optimizers is None else optimizers)
        if not keys or len(labels) != len(keys) or len(names) != len(keys):
            raise ValueError(f"The 'keys' parameter must name at least one run, with one label and optimizer each. "
                             f"Got {keys!r}, {labels!r} and {names!r} instead.")
        self.keys = keys
        self.paths = {key: _Path(self, key, look, label)
                      for key, label, look in zip(keys, labels, looks(names), strict=True)}
        if len(keys) > 1:
            self.legend = self.ax.legend(handles=[p.line for p in self.paths.values()], loc="lower right",
                                         fontsize=8, framealpha=0.9)

    def set_optimizers(self, optimizers: Sequence[str]) -> None:
        """One run per optimizer, labelled by its name (see :meth:`set_runs`)."""
        optimizers = tuple(optimizers)
        if not optimizers:
            raise ValueError("The 'optimizers' parameter must name at least one optimizer. Got () instead.")
        self.set_runs(optimizers, [i18n.name("optimizer", n, self.lang) for n in optimizers])

    def set_start(self, start: Sequence[float]) -> None:
        """Mark the shared start point (always in view)."""
        x1, x2 = (float(v) for v in start)
        self.start = (x1, x2)
        self.start_marker.set_data([x1], [x2])

    # ---- updating -----------------------------------------------------------------------------------------
    def update(self, trajectories: Mapping[str, Trajectory]) -> None:
        """Move each path and panel curve to its trajectory (one per run, by key; a spread's batched over seeds), in
        the window :func:`~trajectories.view.view_of` gives them (a spread's median run)."""
        missing = [n for n in self.keys if n not in trajectories]
        if missing:
            raise ValueError(f"The 'trajectories' parameter must hold a run of every run shown "
                             f"({', '.join(self.keys)}). Got none for {', '.join(missing)}.")
        for name in self.keys:
            if np.asarray(trajectories[name].points).ndim not in (2, 3):
                raise ValueError(f"The 'trajectories' parameter must hold single runs or spreads over seeds. Got a "
                                 f"batch of shape {trajectories[name].batch_shape} for {name}.")
        self.spreads = {n: trajectories[n] for n in self.keys if np.ndim(trajectories[n].points) == 3}
        self.trajectories = {n: _median(trajectories[n]) for n in self.keys}
        runs = list(self.trajectories.values())
        start = self.start if self.start is not None else tuple(runs[0].start)
        shown = view_of(self.objective, [(t.points, t.diverged_at is not None) for t in runs], start, self.view)
        self.ax.set_xlim(shown.xlim)
        self.ax.set_ylim(shown.ylim)
        self._contour(shown.xlim, shown.ylim)
        steps = max(t.steps for t in runs)
        small = 5 if steps <= 40 else 3.5 if steps <= 120 else 2 if steps <= 300 else 0
        several = len(runs) > 1
        rows: dict[str, int] = {}
        for (name, t), end in zip(self.trajectories.items(), shown.ends, strict=True):
            p = self.paths[name]
            pts = np.asarray(t.points)
            p.end = end + 1
            p.line.set_data(pts[: p.end, 0], pts[: p.end, 1])
            p.line.set_markersize(small)
            spread = self.spreads.get(name)
            p.line.set_linewidth(2.2 if spread is not None else 1.5)
            p.faint.set_segments([] if spread is None else _seed_paths(spread, shown))
            self._mark_exit(p, t, end, shown, several, rows)
        if self.loss_ax is not None:
            self._panels(steps)

    def _mark_exit(self, p: _Path, t: Trajectory, end: int, shown: View, several: bool,
                   rows: dict[str, int]) -> None:
        """The triangle where a path that is not drawn to its end leaves the view, with its reason (``rows``
        counts the notes already on each side)."""
        if end >= t.steps and t.diverged_at is None:
            p.exit.hide()
            return
        why = (text("plot.diverged_at", self.lang, step=str(t.diverged_at)) if t.diverged_at is not None
               else text("plot.leaves_at", self.lang, step=str(end)))
        note = text("plot.exit_note", self.lang, name=p.label, why=why) if several else why
        pts = np.asarray(t.points)
        crossing = exit_point(pts[end - 1], pts[end], shown.xlim, shown.ylim) if end >= 1 else None
        if crossing is not None:
            x, y, side = crossing
        else:  # stopped by the engine inside the view: the path ends at its last finite point
            last = pts[end] if np.isfinite(pts[end]).all() else pts[max(end - 1, 0)]
            x, y, side = float(last[0]), float(last[1]), "end"
        p.exit.show(x, y, side, note, rows.get(side, 0))
        rows[side] = rows.get(side, 0) + 1

    def _panels(self, steps: int) -> None:
        """Panel limits from the runs the engine did not stop (every run, if it stopped them all); a stopped run's
        curve is cut where it leaves its panel and marked there."""
        trs = list(self.trajectories.values())
        kept = [t for t in trs if t.diverged_at is None]
        rated = [t for t in kept if t.effective_lr is not None] or [t for t in trs if t.effective_lr is not None]
        losses = np.concatenate([np.ravel(t.losses) for t in kept or trs]
                                + [np.ravel(t.loss_quantiles()) for t in self.spreads.values()])
        lrs = np.concatenate([np.ravel(t.effective_lr) for t in rated]) if rated else None
        self._panel_limits(steps, losses, lrs)
        for name, t in self.trajectories.items():
            p = self.paths[name]
            losses = np.asarray(t.losses)
            spread = self.spreads.get(name)
            if p.band is not None:
                p.band.remove()
                p.band = None
            if spread is not None:  # the median loss of every step and the 10-90% band (diverged: no band)
                low, losses, high = (np.where(np.isfinite(q), q, np.nan) for q in spread.loss_quantiles())
                p.band = self.loss_ax.fill_between(np.arange(t.steps + 1), low, high, color=p.color, alpha=0.2,
                                                   linewidth=0, zorder=1)
            curves = [(p.loss, p.loss_exit, self.loss_ax, np.arange(t.steps + 1), losses)]
            if t.effective_lr is None:
                p.lr.set_data([], [])
                p.lr2.set_data([], [])
                p.lr_exit.hide()
                p.lr2_exit.hide()
            else:
                s = np.arange(1, t.steps + 1)
                curves += [(p.lr, p.lr_exit, self.lr_ax, s, t.effective_lr[:, 0]),
                           (p.lr2, p.lr2_exit, self.lr_ax, s, t.effective_lr[:, 1])]
            for line, mark, ax, x, y in curves:
                lo, hi = ax.get_ylim()
                n, where = _cut(y, lo, hi, ax.yaxis.get_transform()) if t.diverged_at is not None else (len(y), None)
                line.set_data(x[:n], y[:n])
                if where is None:
                    mark.hide()
                else:
                    mark.show(float(x[0]) + where[0], where[1], where[2])

    def _panel_limits(self, steps: int, losses: np.ndarray, lrs: np.ndarray | None) -> None:
        finite = losses[np.isfinite(losses)]
        signed = finite.size > 0 and (finite <= 0).any()
        want: dict[str, Any] = {"xlim": (0, max(steps, 1)), "loss_scale": "symlog" if signed else "log"}
        if signed:
            top = float(np.abs(finite).max()) if finite.size else 1.0
            top = 10.0 ** math.ceil(math.log10(max(top, 1e-2)))
            want["loss_ylim"] = (-top if finite.min() < 0 else 0.0, top)
        else:
            want["loss_ylim"] = _floor(_decades(losses), 12)
        want["lr_ylim"] = _floor(_decades(lrs), 4) if lrs is not None else None
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


def _seed_paths(spread: Trajectory, shown: View) -> list[np.ndarray]:
    """Every seed's path of a spread, each up to its first point outside the window shown (or not finite), or whole
    when it is back inside at the end (as the page's plot draws them)."""
    (x0, x1), (y0, y1) = shown.xlim, shown.ylim
    out = []
    for pts in np.asarray(spread.points):
        with np.errstate(invalid="ignore"):
            inside = np.isfinite(pts).all(axis=1) & (pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) \
                & (pts[:, 1] <= y1)
        outside = np.flatnonzero(~inside)
        end = len(pts) if outside.size == 0 or inside[-1] else int(outside[0]) + 1  # back inside at the end: whole
        keep = pts[:end]
        out.append(keep[np.isfinite(keep).all(axis=1)])
    return out


def _arrow(patch: FancyArrowPatch, a: np.ndarray, b: np.ndarray, reach: float) -> None:
    length = float(np.hypot(*(b - a))) if np.isfinite(a).all() and np.isfinite(b).all() else math.nan
    ok = math.isfinite(length) and length > 1e-12
    patch.set_visible(ok)
    if ok:
        if length > reach:  # far beyond the window: keep the direction, spare the renderer huge coordinates
            b = a + (b - a) * (reach / length)
        patch.set_positions((float(a[0]), float(a[1])), (float(b[0]), float(b[1])))


# ---- the step inspector, as a table under the figure ---------------------------------------------------------
INSPECTOR_FONTSIZE = 8.0
_PAD = 0.08  # inches between columns and around the table
_ROW_GAP = 0.07  # inches between rows


class InspectorTable:
    """The step inspector as a table of mathtext: each line of the rule, then its numbers for x1 and x2.

    Its size is measured before the figure is made (:attr:`size`, inches): the coordinates sit side by side when
    the table fits in ``width`` that way, else under each other. :meth:`draw` puts it in a (sub)figure of that size.
    """

    def __init__(self, inspection: Inspection, *, width: float, scale: float = 1.0, lang: str = DEFAULT) -> None:
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.font_manager import FontProperties

        if not isinstance(inspection, Inspection):
            raise ValueError(f"The 'inspection' parameter must be an Inspection from trajectories.inspector.inspect()."
                             f" Got {inspection!r} instead.")
        self.inspection = inspection
        self.fontsize = INSPECTOR_FONTSIZE * scale
        i = inspection
        lang = check_lang(lang)
        self.title, self.note = i.title_in(lang), i.note_in(lang)  # its words in the figure's language
        self.rows = [(f"${il.line.tex}$", *(f"${v}$" for v in il.substituted_tex)) for il in i.lines]
        renderer, prop = RendererAgg(8, 8, 72), FontProperties(size=self.fontsize)

        def measure(text: str) -> tuple[float, float]:
            w, h, _ = renderer.get_text_width_height_descent(text, prop, ismath="$" in text)
            return w / 72, h / 72

        cells = [[measure(c) for c in row] for row in self.rows]
        self.line_height = measure("$x_1$")[1] + _ROW_GAP * scale
        eq = max(c[0][0] for c in cells)
        values = max(max(c[1][0], c[2][0]) for c in cells)
        label = measure("$x_1$:")[0] + _PAD
        side = 2 * _PAD + eq + 2 * (_PAD + values)
        self.stacked = side > width
        gap = _ROW_GAP * scale
        if self.stacked:  # x1's numbers over x2's, beside the equation
            heights = [max(c[0][1] + gap, 2 * (max(c[1][1], c[2][1], self.line_height - gap) + gap)) for c in cells]
        else:
            heights = [max(c[0][1], c[1][1], c[2][1]) + gap for c in cells]
        self.heights = heights
        self.columns = (_PAD, _PAD + eq + _PAD, _PAD + eq + _PAD + (label if self.stacked else values + _PAD))
        self.top = _PAD + (1 if self.stacked else 2) * self.line_height  # the title, and the coordinates' heads
        total_width = 2 * _PAD + eq + label + values if self.stacked else side
        height = self.top + sum(heights) + (self.line_height if self.note else 0) + _PAD
        self.size = (max(width, total_width), height)

    def draw(self, figure: FigureBase) -> list[Any]:
        """Draw the table into ``figure`` (a figure or subfigure of :attr:`size`); returns the text artists."""
        w, h = self.size
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, w)
        ax.set_ylim(h, 0)
        ax.axis("off")
        ax.set_gid("tj-inspector")
        fs, grey = self.fontsize, "#333333"
        texts = [ax.text(_PAD, _PAD, self.title, fontsize=fs, va="top", fontweight="bold")]
        y = self.top
        if not self.stacked:
            for x, head in zip(self.columns[1:], ("$x_1$", "$x_2$"), strict=True):
                texts.append(ax.text(x, _PAD + self.line_height, head, fontsize=fs, va="top", color=grey))
        for row, height in zip(self.rows, self.heights, strict=True):
            texts.append(ax.text(self.columns[0], y + height / 2, row[0], fontsize=fs, va="center"))
            if self.stacked:
                for k, value in enumerate(row[1:]):
                    yk = y + (k + 0.5) * height / 2
                    texts.append(ax.text(self.columns[1], yk, f"$x_{k + 1}$:", fontsize=fs, va="center",
                                         color=grey))
                    texts.append(ax.text(self.columns[2], yk, value, fontsize=fs, va="center"))
            else:
                for x, value in zip(self.columns[1:], row[1:], strict=True):
                    texts.append(ax.text(x, y + height / 2, value, fontsize=fs, va="center"))
            y += height
        if self.note:
            texts.append(ax.text(_PAD, y, self.note, fontsize=fs, va="top", color="#B00020"))
        return texts
