"""2D objectives: value, analytic gradient, LaTeX, a view window and the minima, all numpy and broadcasting."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .specs import check_name

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
            raise ValueError(f"The '{name}' parameter of general must be a float in the range [{low}, {high}]. "
                             f"Got {value!r} instead.")
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


def get_objective(objective: str | Objective = "quadratic", **params: float) -> Objective:
    """Look an objective up by name (``general`` takes ``condition`` and ``angle``), or pass one through."""
    if isinstance(objective, Objective) and not params:
        return objective
    name = check_name(objective, "objective", tuple(OBJECTIVES))
    if name == "general":
        return general(**params)
    if params:
        raise ValueError(f"The '{next(iter(params))}' parameter is not a parameter of the {name} objective; "
                         f"only 'general' takes condition and angle.")
    return OBJECTIVES[name]
