"""The hyperparameter landscape: one optimizer run over a grid of two of its hyperparameters, one number per cell.

The whole grid is one call of the batched engine :func:`~trajectories.engine.run` with array-valued
hyperparameters; each cell is coloured by how well its run did (log10 of the final loss, log10 of the distance
to the nearest minimum, or the steps it took to come within ``tol`` of one). For quadratics the theoretical
stability limit of gd, momentum and Nesterov is known in closed form and can be drawn over the map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .engine import Trajectory, check_steps, run
from .i18n import text
from .lesson import Lesson
from .objectives import Objective, get_objective
from .rules import eta_limit
from .specs import RULES, Spec, check_int, check_name, resolve, specs

# The defaults: the two hyperparameters whose interplay each rule is about; one axis gives a 1D curve.
DEFAULT_AXES: dict[str, tuple[str, ...]] = {
    "gd": ("eta",), "sgd": ("eta",), "adagrad": ("eta",),
    "momentum": ("eta", "beta"), "nesterov": ("eta", "beta"),
    "rmsprop": ("eta", "gamma"), "adam": ("eta", "beta1"), "adadelta": ("rho", "eps"),
}
# What the colour shows, in English (the tables of messages say it in each language: metric.<name>).
METRICS: dict[str, str] = {name: text(f"metric.{name}") for name in ("loss", "distance", "steps")}
RESOLUTION = (32, 256)  # cells per side: the same bounds in the API, the CLI and the app's slider
# The most cell-steps (resolution^2 x steps, resolution x steps for one axis) a map of the page may cost, in the
# browser and in the kernel's export: about a second on this project's 2-core machine (bench_landscape.py).
BUDGET = 8_000_000
CHUNK = 2_000_000  # cell-steps per call of run(): at most about 150 MB of points, state and rates
FLOOR = 1e-16  # log10 needs a positive number: a loss or distance of exactly 0 is drawn as this


@dataclass(frozen=True)
class Landscape:
    """A computed map. ``values`` and ``diverged`` have shape (ny, nx) for two axes, (nx,) for one.

    ``values`` is NaN where a run diverged and, for the ``steps`` metric, where it never came within ``tol``.
    Log-scaled axes keep their true values in ``x_values`` / ``y_values``; drawing code places them by log10.
    """

    optimizer: str
    x: str
    y: str | None
    x_values: np.ndarray
    y_values: np.ndarray | None
    x_scale: str  # "log" or "linear", from the spec table
    y_scale: str | None
    metric: str
    tol: float
    values: np.ndarray
    diverged: np.ndarray  # bool, True where the run left |x| <= BOUND or became non-finite
    current: dict[str, Any]  # every hyperparameter of the setting the map is centred on (the sliders' values)
    objective: Objective
    start: tuple[float, float]
    steps: int
    convention: str

    @property
    def label(self) -> str:
        """What the colour (or the 1D curve's height) means."""
        return f"steps to |x - x*| <= {self.tol:g}" if self.metric == "steps" else METRICS[self.metric]

    def boundary(self) -> np.ndarray | float | None:
        """The theoretical stability limit in axis values, or None where theory has nothing to say here.

        For two axes, an (n, 2) array of (x, y) points along the curve eta * lambda_max = c(beta); for one axis, the
        x value of the limit. See :func:`~trajectories.rules.eta_limit`.
        """
        return _boundary(self.optimizer, self.objective, self.x, self.y, self.current,
                         self.x_values, self.y_values)


def check_landscape(landscape: Any) -> Landscape:
    """``landscape`` if it is a :class:`Landscape`, else one sentence."""
    if not isinstance(landscape, Landscape):
        raise ValueError(f"The 'landscape' parameter must be a Landscape from compute(). "
                         f"Got {type(landscape).__name__} instead.")
    return landscape


def _boundary(optimizer: str, objective: Objective, x: str, y: str | None, current: dict[str, Any],
              x_values: np.ndarray, y_values: np.ndarray | None) -> np.ndarray | float | None:
    """The stability limit of :func:`~trajectories.rules.eta_limit` over the map's axes (see
    :meth:`Landscape.boundary`); None where it does not apply or falls outside a one-axis map."""
    if current.get("schedule", "constant") != "constant":
        return None  # the limit holds for a constant rate; a schedule moves it every step
    if eta_limit(optimizer, objective) is None:
        return None
    if y is not None:  # momentum and Nesterov have exactly eta and beta: the curve eta = limit(beta)
        betas = np.asarray(y_values if x == "eta" else x_values, dtype=float)
        etas = np.array([eta_limit(optimizer, objective, beta=float(b)) for b in betas])
        return np.column_stack([etas, betas] if x == "eta" else [betas, etas])
    if x == "eta":
        return float(eta_limit(optimizer, objective, beta=float(current.get("beta", 0.0))))
    # One axis, beta, eta fixed: where the limit crosses the current eta (monotone in beta), between two cells.
    betas = np.asarray(x_values, dtype=float)
    gap = np.array([eta_limit(optimizer, objective, beta=float(b)) for b in betas]) - current["eta"]
    hits = np.flatnonzero(np.sign(gap[:-1]) != np.sign(gap[1:]))
    if not hits.size:
        return None
    k = hits[0]
    return float(betas[k] + (betas[k + 1] - betas[k]) * gap[k] / (gap[k] - gap[k + 1]))


def fit_budget(resolution: int, steps: int, axes: int = 2, cost: int = 1) -> int:
    """The resolution a map of the page gets: ``resolution``, lowered so that its cost (resolution^2 x steps
    for two axes, resolution x steps for one, times ``cost``: what one step of a formula costs in steps of a
    built-in objective, :attr:`trajectories.formula.Formula.cost`) stays within :data:`BUDGET`. The page reads this
    function's answers for cost 1 (state.config) and applies the same rule to a formula's cost."""
    check_int(axes, "axes", 1, 2)
    cells = BUDGET // max(1, check_steps(steps) * check_int(cost, "cost", 1, None))
    return min(check_int(resolution, "resolution", 1, None), cells if axes == 1 else math.isqrt(cells))


def axis_values(optimizer: str, name: str, resolution: int, convention: str = "d2l",
                span: tuple[float, float] | None = None) -> np.ndarray:
    """Cell centres along one axis: ``resolution`` values from the spec's low to high (or ``span``), evenly
    spaced on the spec's scale (log for eta and eps)."""
    spec = _axis_spec(check_name(optimizer, "optimizer", RULES), name, convention)
    resolution = _check_resolution(resolution)
    low, high = (spec.low, spec.high) if span is None else _check_span(optimizer, name, spec, span)
    if spec.scale == "log":
        return np.geomspace(low, high, resolution)
    return np.linspace(low, high, resolution)


def compute(optimizer: str, axes: tuple[str, ...] | None = None, *, resolution: int = 64, metric: str = "loss",
            tol: float = 0.1, objective: str | Objective = "quadratic", start: Any = (-5.0, -2.0),
            steps: int = 20, convention: str = "d2l", seed: int | None = 0,
            spans: dict[str, tuple[float, float]] | None = None, **hyperparameters: Any) -> Landscape:
    """Run ``optimizer`` over a grid of one or two of its hyperparameters and score every run.

    Parameters
    ----------
    optimizer : str
        One of ``gd, sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam``.
    axes : tuple of one or two str, optional
        The hyperparameters on the x (and y) axis; by default those of :data:`DEFAULT_AXES`.
    resolution : int, default=64
        Cells per side, in the range [32, 256].
    metric : {"loss", "distance", "steps"}, default="loss"
        log10 of the final loss, log10 of the final distance to the nearest minimum, or the first step whose
        point is within ``tol`` of a minimum.
    tol : float, default=0.1
        The distance that counts as arrived, for ``metric="steps"``.
    objective, start, steps, convention, seed
        As for :func:`~trajectories.engine.run`; the objective must have a minimum.
    spans : dict, optional
        ``{name: (low, high)}`` to narrow an axis inside its spec range.
    **hyperparameters
        The current setting: the fixed values of the other hyperparameters, and the marker on the map.

    Examples
    --------
    >>> m = compute("rmsprop", ("eta", "gamma"), resolution=32)
    >>> m.values.shape, m.label
    ((32, 32), 'log10 final loss')
    """
    rule = check_name(optimizer, "optimizer", RULES)
    obj = objective if isinstance(objective, Objective) else get_objective(objective)
    axes = _check_axes(rule, axes, convention)
    resolution = _check_resolution(resolution)
    steps = check_steps(steps)
    metric = check_name(metric, "metric", tuple(METRICS))
    tol = _check_tol(tol)
    if not obj.minima:
        raise ValueError(f"The 'objective' parameter of the landscape must have a minimum to measure against. "
                         f"Got {obj.name} instead.")
    spans = dict(spans or {})
    for name in spans:
        if name not in axes:
            raise ValueError(f"The 'spans' parameter may only narrow the axes {', '.join(axes)}. "
                             f"Got {name!r} instead.")
    current = resolve(rule, convention, hyperparameters)
    for name, value in current.items():
        if isinstance(value, np.ndarray):
            raise ValueError(f"The '{name}' parameter of the {rule} landscape must be one float (the map makes the "
                             f"grid itself). Got an array of shape {value.shape} instead.")
    table = specs(rule, convention)
    x, y = axes[0], (axes[1] if len(axes) > 1 else None)
    xs = axis_values(rule, x, resolution, convention, spans.get(x))
    ys = None if y is None else axis_values(rule, y, resolution, convention, spans.get(y))
    steps_kw = dict(objective=obj, start=start, steps=steps, convention=convention, seed=seed)
    if y is None:
        trajectory = run(rule, **steps_kw, **dict(current, **{x: xs}))
        values, diverged = score(trajectory, metric, tol)
    else:
        # run() keeps every point and state: rows of the grid go in blocks that keep that memory bounded.
        rows = max(1, CHUNK // (resolution * (steps + 1)))
        values = np.empty((resolution, resolution))
        diverged = np.empty((resolution, resolution), bool)
        for i in range(0, resolution, rows):
            block = run(rule, **steps_kw, **dict(current, **{x: xs[None, :], y: ys[i:i + rows, None]}))
            values[i:i + rows], diverged[i:i + rows] = score(block, metric, tol)
            trajectory = block
    return Landscape(rule, x, y, xs, ys, table[x].scale, None if y is None else table[y].scale, metric, tol,
                     values, diverged, current, obj, tuple(float(v) for v in np.asarray(start, dtype=float)),
                     trajectory.steps, convention)


def from_lesson(lesson: Lesson, optimizer: str | int | None = None, axes: tuple[str, ...] | None = None, *,
                resolution: int = 64, metric: str = "loss", tol: float = 0.1,
                spans: dict[str, tuple[float, float]] | None = None, budget: bool = False) -> Landscape:
    """The map of one of ``lesson``'s runs (by optimizer name, label or index; the first by default), every other
    setting from the lesson and that run (its schedule, noise and seed); with ``budget``, the resolution lowered as
    the page lowers it (:func:`fit_budget`)."""
    if not isinstance(lesson, Lesson):
        raise ValueError(f"The 'lesson' parameter must be a Lesson. Got {type(lesson).__name__} instead.")
    try:
        chosen = lesson.runs[0] if optimizer is None else lesson.run_of(optimizer)
    except ValueError:
        raise ValueError(f"The 'optimizer' parameter must be one of the lesson's optimizers "
                         f"({', '.join(dict.fromkeys(lesson.optimizers))}), a run's label or its index. "
                         f"Got {optimizer!r} instead.") from None
    if budget:
        axes = _check_axes(chosen.optimizer, axes, lesson.convention)
        formula = lesson.objective_function().formula
        resolution = fit_budget(_check_resolution(resolution), lesson.steps, len(axes),
                                1 if formula is None else formula.cost)
    return compute(chosen.optimizer, axes, resolution=resolution, metric=metric, tol=tol,
                   objective=lesson.objective_function(), start=lesson.start, steps=lesson.steps,
                   convention=lesson.convention, seed=chosen.seed, spans=spans, **chosen.hyperparameters)


def score(trajectory: Trajectory, metric: str = "loss", tol: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """One number per run of a batched trajectory, and where the runs diverged (value NaN there)."""
    if not isinstance(trajectory, Trajectory):
        raise ValueError(f"The 'trajectory' parameter must be a Trajectory from run(). "
                         f"Got {type(trajectory).__name__} instead.")
    metric = check_name(metric, "metric", tuple(METRICS))
    tol = _check_tol(tol)
    obj = trajectory.objective
    diverged = np.asarray(trajectory.diverged_at if trajectory.diverged_at is not None else -1) >= 0
    diverged = np.broadcast_to(diverged, trajectory.batch_shape)
    with np.errstate(all="ignore"):
        if metric == "loss":
            loss = trajectory.losses[..., -1]
            values = np.log10(np.maximum(loss, FLOOR))
        elif metric == "distance":
            values = np.log10(np.maximum(_distance(obj, trajectory.final), FLOOR))
        else:
            near = _distance(obj, trajectory.points) <= tol  # (..., steps + 1), False on NaN rows
            values = np.where(near.any(-1), near.argmax(-1), np.nan).astype(float)
    values = np.where(diverged, np.nan, values)
    return values, diverged.copy()


def _distance(obj: Objective, points: np.ndarray) -> np.ndarray:
    # One minimum at a time, in place: the same numbers as np.linalg.norm over a (..., m, 2) array of differences
    # (sqrt of dx*dx + dy*dy; sqrt keeps the order, np.minimum keeps NaN), without making that array. At the
    # landscape's budget it held 8e6 x m x 2 floats and took most of a map's export with the steps metric: 1.8 s of
    # CPU before, 0.9 s now (benchmarks/bench_landscape.py --export).
    x1, x2 = points[..., 0], points[..., 1]
    # in the memory order of the run's arrays (steps first), which the batch's view of them does not show
    nearest, dx, dy = np.empty_like(x1), np.empty_like(x1), np.empty_like(x1)
    for k, (a, b) in enumerate(np.asarray(obj.minima, dtype=float)):
        np.subtract(x1, a, out=dx)
        np.multiply(dx, dx, out=dx)
        np.subtract(x2, b, out=dy)
        np.multiply(dy, dy, out=dy)
        np.add(dx, dy, out=nearest if k == 0 else dx)
        if k:
            np.minimum(nearest, dx, out=nearest)
    return np.sqrt(nearest, out=nearest)


def _axis_spec(rule: str, name: str, convention: str) -> Spec:
    table = specs(rule, convention)
    numeric = [k for k, s in table.items() if not s.is_choice]
    if name not in numeric:
        raise ValueError(f"The 'axes' parameter of the {rule} landscape must name its numeric hyperparameters "
                         f"({', '.join(numeric)}). Got {name!r} instead.")
    return table[name]


def _check_axes(rule: str, axes: Any, convention: str) -> tuple[str, ...]:
    if axes is None:
        axes = tuple(a for a in DEFAULT_AXES[rule] if a in specs(rule, convention))
    if isinstance(axes, str):
        axes = (axes,)
    axes = tuple(axes)
    if not 1 <= len(axes) <= 2 or (len(axes) == 2 and axes[0] == axes[1]):
        raise ValueError(f"The 'axes' parameter must be one or two different hyperparameter names. "
                         f"Got {axes!r} instead.")
    for name in axes:
        _axis_spec(rule, name, convention)
    return axes


def _check_resolution(resolution: Any) -> int:
    return check_int(resolution, "resolution", *RESOLUTION)


def _check_tol(tol: Any) -> float:
    if isinstance(tol, (bool, np.bool_)) or not isinstance(tol, (int, float, np.floating, np.integer)) \
            or not (math.isfinite(tol) and tol > 0):
        raise ValueError(f"The 'tol' parameter must be a positive finite float. Got {tol!r} instead.")
    return float(tol)


def _check_span(rule: str, name: str, spec: Spec, span: Any) -> tuple[float, float]:
    where = (f"The '{name}' span of the {rule} landscape must be two increasing floats in the range "
             f"[{spec.low:g}, {spec.high:g}]")
    try:
        low, high = (float(v) for v in span)
    except (TypeError, ValueError):
        raise ValueError(f"{where}. Got {span!r} instead.") from None
    if not (spec.low <= low < high <= spec.high) or (spec.scale == "log" and low <= 0):
        raise ValueError(f"{where}. Got {span!r} instead.")
    return low, high


def summary(m: Landscape) -> str:
    """One line: the best cell and how many runs diverged."""
    n = m.values.size
    share = f"{int(m.diverged.sum())} of {n} runs diverged"
    if np.isnan(m.values).all():
        return f"{m.optimizer}: no run scored; {share}"
    i = np.unravel_index(np.nanargmin(m.values), m.values.shape)
    at = f"{m.x}={m.x_values[i[-1]]:.4g}" + ("" if m.y is None else f", {m.y}={m.y_values[i[0]]:.4g}")
    return f"{m.optimizer}: best {m.values[i]:.4g} ({m.label}) at {at}; {share}"
