"""2D objectives: value, analytic gradient, LaTeX, a view window and the minima, all numpy and broadcasting.

An objective is one of the built-in ones, by name, or a teacher's formula (:mod:`trajectories.formula`), whose
window, contour levels, minima, saddles and constant Hessian (for a quadratic) are found here numerically.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .formula import Formula, FormulaError, parse
from .i18n import MessageError

Array = Any  # a float or a numpy array; everything here broadcasts


class Objective(NamedTuple):
    """A 2D objective f(x1, x2) with its gradient, in the d2l form ``f(x1, x2)`` and ``grad(x1, x2)``."""

    name: str
    f: Callable[[Array, Array], Array]
    grad: Callable[[Array, Array], tuple[Array, Array]]
    latex: str
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    hessian: np.ndarray | None = None  # constant Hessian of a quadratic, for stability limits
    levels: str = "auto"  # "auto" (matplotlib's, as the book) or "log" (steep valleys)
    saddles: tuple[tuple[float, float], ...] = ()
    formula: Formula | None = None  # a teacher's formula; None for the built-in objectives

    @property
    def lambda_max(self) -> float | None:
        """Largest Hessian eigenvalue of a quadratic objective, else None."""
        return None if self.hessian is None else float(np.linalg.eigvalsh(self.hessian)[-1])


# The book's running example (d2l 12.6 onwards): f = 0.1 x1^2 + 2 x2^2, gradient written as the book writes it.
def _quadratic_f(x1, x2):
    return 0.1 * x1 ** 2 + 2 * x2 ** 2


def _quadratic_grad(x1, x2):
    return 0.2 * x1, 4 * x2


def _bowl_f(x1, x2):
    return x1 ** 2 + 2 * x2 ** 2


def _bowl_grad(x1, x2):
    return 2 * x1, 4 * x2


def _rotated_f(x1, x2):
    return 0.1 * (x1 + x2) ** 2 + 2 * (x1 - x2) ** 2


def _rotated_grad(x1, x2):
    a, b = 0.2 * (x1 + x2), 4 * (x1 - x2)
    return a + b, a - b


def _rosenbrock_f(x1, x2):
    return (1 - x1) ** 2 + 100 * (x2 - x1 ** 2) ** 2


def _rosenbrock_grad(x1, x2):
    r = x2 - x1 ** 2
    return -2 * (1 - x1) - 400 * x1 * r, 200 * r


def _himmelblau_f(x1, x2):
    return (x1 ** 2 + x2 - 11) ** 2 + (x1 + x2 ** 2 - 7) ** 2


def _himmelblau_grad(x1, x2):
    a, b = x1 ** 2 + x2 - 11, x1 + x2 ** 2 - 7
    return 4 * x1 * a + 2 * b, 2 * a + 4 * x2 * b


def _saddle_f(x1, x2):
    return x1 ** 2 - x2 ** 2


def _saddle_grad(x1, x2):
    return 2 * x1, -2 * x2


_BOOK_VIEW = ((-5.5, 1.0), (-3.0, 1.0))  # d2l's show_trace_2d grid: arange(-5.5, 1, .1) x arange(-3, 1, .1)
# The general quadratic's settings: (low, high) of each, checked here and sent to the page's sliders.
GENERAL_RANGES = {"condition": (1, 1000), "angle": (-180, 180)}


def check_general(condition: Any, angle: Any) -> tuple[float, float]:
    """``condition`` in [1, 1000] and ``angle`` in [-180, 180] degrees as floats; else one sentence."""
    for name, value in (("condition", condition), ("angle", angle)):
        low, high = GENERAL_RANGES[name]
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not low <= value <= high:
            raise MessageError("error.float_range", parameter=name, rule="general", low=str(low), high=str(high),
                               value=repr(value))
    return float(condition), float(angle)


def general(condition: float = 20.0, angle: float = 0.0) -> Objective:
    """A quadratic 0.5 x^T H x with eigenvalues 0.2 and 0.2*condition, its axes turned by ``angle`` degrees.

    ``general(20, 0)`` has the Hessian of the book's ``quadratic`` (diag(0.2, 4)).
    """
    condition, angle = check_general(condition, angle)
    lam = np.array([0.2, 0.2 * condition])
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    rot = np.array([[c, -s], [s, c]])
    h = rot @ np.diag(lam) @ rot.T
    h11, h12, h22 = float(h[0, 0]), float(h[0, 1]), float(h[1, 1])

    def f(x1, x2):
        return 0.5 * (h11 * x1 ** 2 + 2 * h12 * x1 * x2 + h22 * x2 ** 2)

    def grad(x1, x2):
        return h11 * x1 + h12 * x2, h12 * x1 + h22 * x2

    cross = f"{'-' if h12 < 0 else '+'} {abs(2 * h12):.4g}\\,x_1 x_2 " if abs(h12) > 1e-12 else ""
    latex = f"f = {h11 / 2:.4g}\\,x_1^2 {cross}+ {h22 / 2:.4g}\\,x_2^2"
    return Objective(f"general(condition={condition:g}, angle={angle:g})", f, grad, latex,
                     (-5.5, 5.5), (-3.5, 3.5), ((0.0, 0.0),), h)


OBJECTIVES: dict[str, Objective] = {
    "quadratic": Objective("quadratic", _quadratic_f, _quadratic_grad, r"f = 0.1\,x_1^2 + 2\,x_2^2",
                           *_BOOK_VIEW, ((0.0, 0.0),), np.diag([0.2, 4.0])),
    "bowl": Objective("bowl", _bowl_f, _bowl_grad, r"f = x_1^2 + 2\,x_2^2", *_BOOK_VIEW, ((0.0, 0.0),),
                      np.diag([2.0, 4.0])),
    "rotated": Objective("rotated", _rotated_f, _rotated_grad,
                         r"f = 0.1\,(x_1 + x_2)^2 + 2\,(x_1 - x_2)^2", (-5.5, 1.5), (-3.0, 1.5), ((0.0, 0.0),),
                         np.array([[4.2, -3.8], [-3.8, 4.2]])),
    "general": general(),
    "rosenbrock": Objective("rosenbrock", _rosenbrock_f, _rosenbrock_grad,
                            r"f = (1 - x_1)^2 + 100\,(x_2 - x_1^2)^2", (-5.5, 2.0), (-3.0, 3.0), ((1.0, 1.0),),
                            levels="log"),
    # Himmelblau's four minima, to 6 decimals; tests check the gradient vanishes there.
    "himmelblau": Objective("himmelblau", _himmelblau_f, _himmelblau_grad,
                            r"f = (x_1^2 + x_2 - 11)^2 + (x_1 + x_2^2 - 7)^2", (-6.0, 6.0), (-6.0, 6.0),
                            ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)),
                            levels="log"),
    "saddle": Objective("saddle", _saddle_f, _saddle_grad, r"f = x_1^2 - x_2^2", (-5.5, 5.5), (-3.5, 3.5), (),
                        np.diag([2.0, -2.0]), saddles=((0.0, 0.0),)),
}


# The built-in objectives as a teacher types them (the app's formula field starts from these; a test checks that
# each is the same function, and that the book's lines come out the same through it). "general" has none.
WRITTEN: dict[str, str] = {
    "quadratic": "0.1*x1^2 + 2*x2^2", "bowl": "x1^2 + 2*x2^2", "rotated": "0.1*(x1 + x2)^2 + 2*(x1 - x2)^2",
    "rosenbrock": "(1 - x1)^2 + 100*(x2 - x1^2)^2", "himmelblau": "(x1^2 + x2 - 11)^2 + (x1 + x2^2 - 7)^2",
    "saddle": "x1^2 - x2^2",
}


def get_objective(objective: str | Objective = "quadratic", **params: Any) -> Objective:
    """Look an objective up by name (``general`` takes ``condition`` and ``angle``), read a formula in x1 and x2
    (which takes ``start`` and ``window``, see :func:`from_formula`), or pass an Objective through."""
    if isinstance(objective, Objective) and not params:
        return objective
    name = check_objective(objective)
    if name not in OBJECTIVES:
        return from_formula(name, **params)
    if name == "general":
        return general(**params)
    if params:
        raise ValueError(f"The '{next(iter(params))}' parameter is not a parameter of the {name} objective; "
                         f"only 'general' takes condition and angle.")
    return OBJECTIVES[name]


def check_objective(objective: Any) -> str:
    """A built-in objective's name as it is, a formula in its canonical form (``0.1*x1^2 + 2*x2^2``); anything else
    raises one line: which names there are, or where the formula stops making sense."""
    if isinstance(objective, str) and objective in OBJECTIVES:
        return objective
    if isinstance(objective, str) and objective.strip().isidentifier() and objective.strip().lower() not in (
            "x", "y", "x1", "x2", "x_1", "x_2", "pi", "e"):
        raise FormulaError("formula.objective", allowed=", ".join(repr(n) for n in OBJECTIVES),
                           value=repr(objective[:40]))
    return parse(objective).text


# ---- a teacher's formula ---------------------------------------------------------------------------------------

SEARCH = 6.0  # stationary points are looked for from a grid over [-SEARCH, SEARCH]^2 (or the window given)
SEARCH_CELLS = 60  # cells per side of that grid
NEWTON_STEPS = 100
MAX_LANDMARKS = 8  # minima (and saddles) marked at most
_RING = 16  # points around a stationary point that tell a minimum from a saddle


def window_error(value: Any) -> MessageError:
    """The sentence for a bad view window (a message of the tables, ``error.window``)."""
    return MessageError("error.window", value=repr(value))


def check_window(window: Any) -> tuple[float, float, float, float] | None:
    """``window`` as four floats (x1 low, x1 high, x2 low, x2 high; or text ``"-6,2,-3,3"``) within the engine's
    bound, or None."""
    if window is None:
        return None
    where = window_error(window)
    if isinstance(window, str) and len(window) <= 200:
        window = window.split(",")
    if isinstance(window, (str, bytes)):
        raise where
    try:
        a, b, c, d = (float(v) for v in window)
    except (TypeError, ValueError):
        raise where from None
    if not (-1e6 <= a < b <= 1e6 and -1e6 <= c < d <= 1e6):
        raise where
    return a, b, c, d


def from_formula(formula: str | Formula, start: Any = (-5.0, -2.0),
                 window: tuple[float, float, float, float] | None = None) -> Objective:
    """The objective of a formula in x1 and x2, e.g. ``from_formula("x1^4 + x2^2")``.

    Its gradient is exact (:mod:`trajectories.formula`). Minima and saddles are found numerically: Newton's
    method from the grid's local minima of f and of |grad f|^2, kept where the gradient vanishes, told apart by
    the values on a small ring around each; a minimum along a flat valley (``x1^2`` alone, ``(x1 - x2)^2``) is the
    valley's point that Newton's method reaches from ``start``. The window holds the origin, ``start`` and those
    points with a margin (unless ``window`` sets it: x1 low, x1 high, x2 low, x2 high); levels are log-spaced
    for a steep, non-negative function; a polynomial of degree 2 gets its constant Hessian, so the stability
    limits of gd, momentum and Nesterov apply.
    """
    text = formula.text if isinstance(formula, Formula) else check_objective(formula)
    if text in OBJECTIVES:
        raise ValueError(f"The 'formula' parameter must be a formula in x1 and x2. Got the name {text!r} instead.")
    x0 = np.asarray(start, dtype=float)
    if x0.shape != (2,) or not (np.abs(x0) <= 1e6).all():
        raise ValueError(f"The 'start' parameter must be a pair of finite floats (x1, x2) with |x1|, |x2| <= "
                         f"1e+06. Got {start!r} instead.")
    return _from_formula(text, (float(x0[0]), float(x0[1])), check_window(window))


@functools.lru_cache(maxsize=64)
def _from_formula(text: str, start: tuple[float, float], window: tuple[float, float, float, float] | None
                  ) -> Objective:
    formula = parse(text)
    box = (-SEARCH, SEARCH, -SEARCH, SEARCH) if window is None else window
    with np.errstate(all="ignore"):
        minima, saddles = _landmarks(formula, box, start)
        hessian = _constant_hessian(formula) if formula.quadratic else None
        if window is None:
            xlim, ylim = _window([(0.0, 0.0), start, *minima, *saddles])
        else:
            xlim, ylim = (window[0], window[1]), (window[2], window[3])
        levels = _levels(formula, xlim + ylim)
    return Objective(text, formula.f, formula.grad, f"f = {formula.latex}", xlim, ylim, minima, hessian, levels,
                     saddles, formula)


def _grid(box: tuple[float, float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    return np.meshgrid(np.linspace(box[0], box[1], SEARCH_CELLS + 1), np.linspace(box[2], box[3], SEARCH_CELLS + 1))


def _local_minima(v: np.ndarray) -> np.ndarray:
    """Flat indices of the grid's points that are finite and no higher than any of their 8 neighbours, lowest
    first (ties by index)."""
    w = np.where(np.isfinite(v), v, np.inf)
    padded = np.pad(w, 1, constant_values=np.inf)
    n, m = w.shape
    ok = np.isfinite(w)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                ok &= w <= padded[1 + di:1 + di + n, 1 + dj:1 + dj + m]
    idx = np.flatnonzero(ok)
    return idx[np.lexsort((idx, w.ravel()[idx]))]


def _hessian_fd(formula: Formula, p: np.ndarray, h: np.ndarray) -> np.ndarray:
    """The Hessian at points p (m, 2) by central differences of the exact gradient, step h (m,) per point."""
    cols = []
    for j in (0, 1):
        e = np.zeros(2)
        e[j] = 1.0
        up = p + h[:, None] * e
        down = p - h[:, None] * e
        gu, gd = np.stack(formula.grad(up[:, 0], up[:, 1]), -1), np.stack(formula.grad(down[:, 0], down[:, 1]), -1)
        cols.append((gu - gd) / (2 * h[:, None]))
    hess = np.stack(cols, -1)  # (m, 2 [d g_i], 2 [d x_j])
    off = 0.5 * (hess[:, 0, 1] + hess[:, 1, 0])
    return np.stack([np.stack([hess[:, 0, 0], off], -1), np.stack([off, hess[:, 1, 1]], -1)], -2)


def _step(p: np.ndarray) -> np.ndarray:
    """The finite-difference step for the Hessian at points p (m, 2): small next to |p|, so that a flat minimum
    (x1^4 at 0) is approached to about 1e-12 rather than stalling where the step's own error dominates."""
    return 1e-4 * np.abs(p).max(-1) + 1e-12


def _eigen(hess: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Eigenvalues (l1, l2) and unit eigenvectors (c, s) of symmetric 2x2 matrices (m, 2, 2), in closed form."""
    a, b, d = hess[:, 0, 0], hess[:, 0, 1], hess[:, 1, 1]
    theta = 0.5 * np.arctan2(2 * b, a - d)
    c, s = np.cos(theta), np.sin(theta)
    l1 = a * c * c + 2 * b * c * s + d * s * s
    l2 = a * s * s - 2 * b * c * s + d * c * c
    return l1, l2, c, s


def _newton(formula: Formula, p: np.ndarray, reach: float) -> np.ndarray:
    """Newton's method on grad f = 0 from each point of p (m, 2), a pseudo-inverse across flat directions and
    steps no longer than 1; rows that stop being finite become NaN."""
    p = p.copy()
    for _ in range(NEWTON_STEPS):
        g = np.stack(formula.grad(p[:, 0], p[:, 1]), -1)
        hess = _hessian_fd(formula, p, _step(p))
        l1, l2, c, s = _eigen(hess)
        top = np.maximum(np.abs(l1), np.abs(l2))
        u1 = c * g[:, 0] + s * g[:, 1]
        u2 = -s * g[:, 0] + c * g[:, 1]
        k1 = np.where(np.abs(l1) > 1e-9 * top, u1 / l1, 0.0)
        k2 = np.where(np.abs(l2) > 1e-9 * top, u2 / l2, 0.0)
        step = np.stack([c * k1 - s * k2, s * k1 + c * k2], -1)
        size = np.sqrt((step * step).sum(-1))
        step = np.where((size > 1.0)[:, None], step / size[:, None], step)
        p = p - step
        p[~(np.isfinite(p).all(-1) & (np.abs(p) <= reach).all(-1))] = np.nan
        if not (np.abs(step) > 1e-15 * (1 + np.abs(p))).any():
            break
    return p


def _landmarks(formula: Formula, box: tuple[float, float, float, float], start: tuple[float, float]
               ) -> tuple[tuple[tuple[float, float], ...], tuple[tuple[float, float], ...]]:
    """(minima, saddles) of ``formula``, searched from a grid over ``box``; see :func:`from_formula`."""
    g1, g2 = _grid(box)
    z, d1, d2 = formula.value_and_grad(g1, g2)
    if not np.isfinite(z).any():
        raise FormulaError("formula.no_value", formula=formula.text, x1_low=f"{box[0]:g}", x1_high=f"{box[1]:g}",
                           x2_low=f"{box[2]:g}", x2_high=f"{box[3]:g}")
    if not formula.variables:
        return (), ()
    size = max(box[1] - box[0], box[3] - box[2])
    reach = max(max(abs(v) for v in box) + size, 2 * max(abs(start[0]), abs(start[1])))
    slope = d1 * d1 + d2 * d2
    lows = _local_minima(z)[:16].tolist()
    seeds = list(dict.fromkeys([*lows, *_local_minima(slope)[:16].tolist()]))
    points = np.concatenate([np.stack([g1.ravel()[seeds], g2.ravel()[seeds]], -1), [start]])
    found = _newton(formula, points, reach)
    steepness = np.sqrt(slope[np.isfinite(slope)])
    typical = _median(steepness) if steepness.size else 1.0
    tol = 1e-8 * typical if typical > 0 else 1e-300  # |grad f| that counts as zero
    g = np.stack(formula.grad(found[:, 0], found[:, 1]), -1)
    still = (np.abs(g) <= tol).all(-1) & np.isfinite(found).all(-1)
    stationary = _distinct([p for p, ok in zip(found[:-1], still[:-1], strict=True) if ok], size)
    kinks = [points[i] for i, seed in enumerate(seeds) if seed in lows and not still[i]]
    kinks = [p for p in kinks if _classify(formula, p[None], 1e-3 * size) == _classify(formula, p[None], 1e-6 * size)
             == ["min"]]  # a minimum where the gradient jumps (|x1| + |x2|, a cone's tip), on a grid point
    kind = _classify(formula, np.array(stationary), 1e-3 * size) if stationary else []
    minima, valleys = [], []
    for p, k in zip(stationary, kind, strict=True):
        if k == "min":
            q, shape = _refine(formula, p, 1e-2 * size, tol, typical / size)
            if shape != "slope":
                (valleys if shape == "valley" else minima).append(q)
    if valleys:
        # A valley of minima (x1^2 alone, (x1 - x2)^2): the one point of it that Newton's method reaches from the
        # start (for x1^2, x1 = 0 at the start's x2).
        on_start = bool(still[-1]) and _classify(formula, found[-1:], 1e-3 * size) == ["min"]
        q, shape = _refine(formula, found[-1], 1e-2 * size, tol, typical / size) if on_start else (None, "")
        minima.append(q if shape == "valley" else valleys[0])
    saddles = [p for p, k in zip(stationary, kind, strict=True) if k == "saddle"]
    return _tidy(formula, _distinct(minima + kinks, size)), _tidy(formula, saddles)


def _median(values: np.ndarray) -> float:
    """The median, as formula_objective.js takes it: the middle value, or the mean of the two middle ones. (Not
    np.median, whose first call imports numpy.ma: nothing is imported while a link is read.)"""
    s = np.sort(values, axis=None)
    m = s.size // 2
    return float(s[m]) if s.size % 2 else float((s[m - 1] + s[m]) / 2)


def _distinct(points: list[np.ndarray], size: float) -> list[np.ndarray]:
    """The points, each once: one within 1e-6 * size of an earlier one is the same point."""
    kept: list[np.ndarray] = []
    for p in points:
        if all(np.abs(p - q).max() > 1e-6 * size for q in kept):
            kept.append(p)
    return kept


def _refine(formula: Formula, p: np.ndarray, r: float, tol: float, curvature: float) -> tuple[np.ndarray, str]:
    """A minimum made exact along its flat directions, and its shape: "point", "valley" or "slope".

    Newton's method creeps towards a flat minimum (x1^4 has no curvature at 0) and stops short; along a direction
    whose curvature is below 1e-6 of the larger one (or of the function's typical curvature), the minimum is where
    the slope in that direction changes sign within r, found by bisection ("point"). If the slope there is zero
    to rounding at both ends, the function does not change along that direction: a valley of minima ("valley").
    If it keeps one sign, the function goes on falling that way, however gently (a plateau such as tanh(x1)^2's
    far out): no minimum ("slope").
    """
    l1, l2, c, s = (float(v[0]) for v in _eigen(_hessian_fd(formula, p[None], _step(p[None]))))
    shape = "point"
    scale = max(abs(l1), abs(l2), curvature)
    for lam, v in ((l1, (c, s)), (l2, (-s, c))):
        if abs(lam) > 1e-6 * scale:
            continue

        def slope(t: float, p: np.ndarray = p, v: tuple[float, float] = v) -> float:
            g1, g2 = formula.grad(p[0] + t * v[0], p[1] + t * v[1])
            return float(g1) * v[0] + float(g2) * v[1]

        lo, hi = -r, r
        s_lo, s_hi = slope(lo), slope(hi)
        if abs(s_lo) <= 1e-4 * tol and abs(s_hi) <= 1e-4 * tol:
            shape = "valley"
        elif s_lo < 0 < s_hi:
            for _ in range(200):
                mid = 0.5 * (lo + hi)
                if mid in (lo, hi):
                    break
                sm = slope(mid)
                if sm == 0:
                    lo = hi = mid
                    break
                lo, hi = (mid, hi) if sm < 0 else (lo, mid)
            t = 0.5 * (lo + hi)
            p = np.array([p[0] + t * v[0], p[1] + t * v[1]])
        else:
            return p, "slope"
    return p, shape


def _classify(formula: Formula, pts: np.ndarray, r: float) -> list[str]:
    """"min" where f rises all around a point, "saddle" where it rises and falls at least twice each, else ""."""
    angle = (np.arange(_RING) + 0.5) * (2 * np.pi / _RING)
    ring = pts[:, None, :] + r * np.stack([np.cos(angle), np.sin(angle)], -1)
    d = formula.f(ring[..., 0], ring[..., 1]) - formula.f(pts[:, 0], pts[:, 1])[:, None]
    out = []
    for row in d:
        if (row > 0).all():
            out.append("min")
        elif np.isfinite(row).all() and (row != 0).all() and (np.sign(row) != np.sign(np.roll(row, 1))).sum() >= 4:
            out.append("saddle")
        else:
            out.append("")
    return out


def _tidy(formula: Formula, points: list[np.ndarray]) -> tuple[tuple[float, float], ...]:
    """At most MAX_LANDMARKS points, the lowest, rounded to 10 decimals and in order of position."""
    if not points:
        return ()
    pts = np.array(points)
    values = formula.f(pts[:, 0], pts[:, 1])
    order = np.lexsort((pts[:, 1], pts[:, 0], values))[:MAX_LANDMARKS]
    snapped = sorted((float(f"{x:.10f}") + 0.0, float(f"{y:.10f}") + 0.0) for x, y in pts[order])
    return tuple(snapped)


def _window(points: list[Any]) -> tuple[tuple[float, float], tuple[float, float]]:
    """A box around the points with a margin (at least 1, 15% of the larger side), its ends on halves."""
    p = np.array([[float(f"{x:.9f}"), float(f"{y:.9f}")] for x, y in points])
    lo, hi = p.min(0), p.max(0)
    pad = max(1.0, 0.15 * float((hi - lo).max()))
    return tuple((math.floor((lo[i] - pad) * 2) / 2, math.ceil((hi[i] + pad) * 2) / 2) for i in (0, 1))


LOG_LEVELS_RATIO = 10.0  # separates rosenbrock (64) and himmelblau (12) from the quadratics' 4 to 11


def _levels(formula: Formula, window: tuple[float, ...]) -> str:
    """Contour levels: matplotlib's ("auto") for a quadratic, as the book draws them, and for any function that
    is negative somewhere or gently sloped; "log" where the largest value over the window is more than
    :data:`LOG_LEVELS_RATIO` times the median (a steep valley, whose bottom even levels would leave empty)."""
    if formula.quadratic:
        return "auto"
    g1, g2 = _grid(window)
    z = formula.f(g1, g2)
    finite = z[np.isfinite(z)]
    if finite.size == 0 or finite.min() < 0:
        return "auto"
    median = _median(finite)
    return "log" if median > 0 and float(finite.max()) > LOG_LEVELS_RATIO * median else "auto"


def _constant_hessian(formula: Formula) -> np.ndarray:
    """The Hessian of a polynomial of degree at most 2: central differences of the exact gradient over a unit step
    at the origin, exact but for rounding (for the book's quadratic, exactly diag(0.2, 4))."""
    g_plus = [np.array(formula.grad(*e), dtype=float) for e in ((1.0, 0.0), (0.0, 1.0))]
    g_minus = [np.array(formula.grad(*e), dtype=float) for e in ((-1.0, 0.0), (0.0, -1.0))]
    h11 = (g_plus[0][0] - g_minus[0][0]) / 2
    h21 = (g_plus[0][1] - g_minus[0][1]) / 2
    h22 = (g_plus[1][1] - g_minus[1][1]) / 2
    return np.array([[h11, h21], [h21, h22]])
