"""What the front end is told: the spec table, the objectives, SGD's noise and a lesson, as plain JSON-ready data.

The browser runs its own port of the engine (``js/src/core/``: f and its gradient, the rules, the landscape
sweep), but every fact it needs comes from here, so Python stays the one source of truth: ranges, defaults,
scales and slider stops of each hyperparameter, of the steps and of the general quadratic, each objective's
window, minima, Hessian and formula, the landscape's choices and budget, each rule's update in the book's
notation for the step inspector, and the noise numpy's generator draws for SGD's seed. The widget sends this as
its state when it is built; the HTML export writes it into the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from . import display, view
from .engine import BOUND, MAX_STEPS
from .i18n import tables
from .inspector import templates
from .landscape import BUDGET, DEFAULT_AXES, METRICS, RESOLUTION, fit_budget
from .lesson import MAX_OPTIMIZERS, PAGE_STEPS, Lesson
from .objectives import GENERAL_RANGES, OBJECTIVES, WRITTEN, Objective
from .rules import sgd_noise
from .specs import CONVENTIONS, RULES, SPECS, Spec

# The book's colours (d2l show_trace_2d): blue contours, one orange path. With several runs each optimizer keeps one
# colour of Okabe & Ito's eight (colour-blind safe) and one marker shape, in every figure and on every page, so two
# runs shown together differ in both: orange and vermillion look alike on a projector, their markers do not. Two
# colours change on a dark page, where black would vanish and yellow needs no help: ink for gd, and on a light
# ground (every exported file) Okabe-Ito's yellow darkened to hold a line's contrast (2.6:1, the book's orange's).
BOOK_CONTOUR = "#1f77b4"
BOOK_PATH = "#ff7f0e"
BOOK_MARKER = "circle"
SYMBOLS = {"eta": "η", "gamma": "γ", "rho": "ρ", "beta": "β", "beta1": "β1", "beta2": "β2", "eps": "ε",
           "schedule": "lr(t)", "bias_correction": "bias corr."}


class Look(NamedTuple):
    """How one run is drawn: its colour on a light page (and in files), on a dark page, and its marker."""

    color: str
    dark: str
    marker: str


LOOKS: dict[str, Look] = {
    "gd": Look("#000000", "#E8E8E8", "circle"),  # black (ink): the plain method
    "sgd": Look("#56B4E9", "#56B4E9", "x"),  # sky blue
    "momentum": Look("#D55E00", "#D55E00", "square"),  # vermillion
    "nesterov": Look("#009E73", "#009E73", "triangle"),  # bluish green
    "adagrad": Look("#CC79A7", "#CC79A7", "diamond"),  # reddish purple
    "rmsprop": Look("#0072B2", "#0072B2", "triangle-down"),  # blue
    "adadelta": Look("#B8A200", "#F0E442", "star"),  # yellow
    "adam": Look("#E69F00", "#E69F00", "plus"),  # orange
}
BOOK_LOOK = Look(BOOK_PATH, BOOK_PATH, BOOK_MARKER)
# Colours of the figure itself on a dark page: the book's blue contours and the grey gradient arrow are too faint on
# a dark ground.
DARK = {"contour": "#5AA7E0", "gradient": "#B0B0B0"}
GRADIENT = "#555555"
# What the page's front end of this checkout reads until it draws each optimizer's look: colours and markers by
# position.
_PAGE_PALETTE = ("#D55E00", "#009E73", "#CC79A7", "#E69F00")
_PAGE_MARKERS = ("circle", "square", "triangle", "diamond")


def looks(optimizers: Sequence[str]) -> list[Look]:
    """The look of each run, in order: the book's orange circle when alone; otherwise each optimizer's own, and a
    second run of an optimizer already shown the first colour and marker of :data:`LOOKS` not yet taken."""
    names = list(optimizers)
    for name in names:
        if name not in LOOKS:
            raise ValueError(f"The 'optimizers' parameter must list names among {', '.join(LOOKS)}. Got {name!r} "
                             "instead.")
    if len(names) == 1:
        return [BOOK_LOOK]
    first = [name not in names[:i] for i, name in enumerate(names)]
    spare_colors = [look for name, look in LOOKS.items() if name not in names]
    spare_markers = [look.marker for name, look in LOOKS.items() if name not in names]
    out = []
    for name, own in zip(names, first, strict=True):
        if own:
            out.append(LOOKS[name])
        else:
            color = spare_colors.pop(0) if spare_colors else LOOKS[name]
            out.append(Look(color.color, color.dark, spare_markers.pop(0) if spare_markers else LOOKS[name].marker))
    return out


_LOG_MANTISSAS = (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 9.0)
_EPS_MANTISSAS = (1.0, 2.0, 5.0)
TOLERANCES = (0.001, 0.01, 0.1, 0.5, 1.0)  # the landscape's choices of "arrived" for the steps metric
LANDSCAPE_RESOLUTION = 96  # cells per side when the Landscape tab opens


def colors_for(optimizers: Sequence[str]) -> dict[str, str]:
    """The colour of each optimizer in a figure (a light ground): the book's orange when alone, else its own."""
    return {name: look.color for name, look in zip(optimizers, looks(optimizers), strict=True)}


def slider_values(name: str, spec: Spec, *extra: float) -> list[float]:
    """The values a hyperparameter slider stops at: round numbers (so the book's 0.4, 0.6, 2, 0.9, 0.999 and
    1e-6 are hit exactly), the spec's ends, and any ``extra`` value (a link's 0.37 is shown as it is)."""
    lo, hi = spec.low, spec.high
    if spec.scale == "log":
        mantissas = _EPS_MANTISSAS if name == "eps" else _LOG_MANTISSAS
        grid = {float(f"{m}e{e}") for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
                for m in mantissas}
    else:
        grid = {round(lo + i * (hi - lo) / 100, 10) for i in range(101)}
        if hi == 1.0:
            grid |= {0.995, 0.999, 0.9995, 0.9999}
    grid |= {float(lo), float(hi), float(spec.default), *(float(v) for v in extra)}
    return sorted(v for v in grid if lo <= v <= hi)


def span_stops(spec: Spec) -> list[float]:
    """Where a landscape range handle can stop: 1, 2, 5 per decade on a log axis, twentieths on a linear one."""
    if spec.scale == "log":
        first, last = math.floor(math.log10(spec.low)), math.ceil(math.log10(spec.high))
        stops = {float(f"{m}e{e}") for e in range(first, last + 1) for m in (1, 2, 5)}
    else:
        stops = {round(spec.low + i * (spec.high - spec.low) / 20, 10) for i in range(21)}
    return sorted(v for v in stops | {float(spec.low), float(spec.high)} if spec.low <= v <= spec.high)


def log_stops(low: float, high: float) -> list[float]:
    """Round values from ``low`` to ``high`` on a log slider: 1, 1.5, 2, 3, 4, 5, 7 per decade, and the ends."""
    grid = {float(f"{m}e{e}") for e in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
            for m in (1, 1.5, 2, 3, 4, 5, 7)}
    return sorted(v for v in grid | {float(low), float(high)} if low <= v <= high)


def step_stops(high: int = PAGE_STEPS) -> list[int]:
    """The steps slider's stops: every step up to 50, then by fives to 200, by tens beyond (the book's 20 and 50
    sit on the fine part)."""
    return [v for v in [*range(1, 51), *range(55, 201, 5), *range(210, high + 1, 10)] if v <= high]


def _general() -> dict[str, Any]:
    (c_low, c_high), (a_low, a_high) = GENERAL_RANGES["condition"], GENERAL_RANGES["angle"]
    default = Lesson()
    return {"condition": {"default": default.condition, "low": c_low, "high": c_high,
                          "stops": log_stops(c_low, c_high)},
            "angle": {"default": default.angle, "low": a_low, "high": a_high,
                      "stops": [float(v) for v in range(a_low, a_high + 1)]}}


def _spec(name: str, spec: Spec) -> dict[str, Any]:
    # "text": the key of its description in the tables of messages, which the page says in its language
    if spec.is_choice:
        return {"default": spec.default, "choices": list(spec.choices), "text": spec.text}
    return {"default": spec.default, "low": spec.low, "high": spec.high, "scale": spec.scale,
            "text": spec.text, "stops": slider_values(name, spec), "spanStops": span_stops(spec)}


def _objective(o: Objective) -> dict[str, Any]:
    return {"latex": o.latex, "xlim": list(o.xlim), "ylim": list(o.ylim), "viewUnit": list(view.units(o)),
            "minima": [list(m) for m in o.minima],
            "saddles": [list(s) for s in o.saddles], "levels": o.levels,
            "hessian": None if o.hessian is None else np.asarray(o.hessian).tolist(),
            "text": WRITTEN.get(o.name)}  # the formula field starts from it


def config() -> dict[str, Any]:
    """Everything the front end needs that does not change while it runs (sent once, as widget state)."""
    return {
        "rules": list(RULES), "conventions": list(CONVENTIONS), "maxOptimizers": MAX_OPTIMIZERS,
        "pageSteps": PAGE_STEPS, "maxSteps": MAX_STEPS, "bound": BOUND,
        "specs": {c: {r: {n: _spec(n, s) for n, s in SPECS[c][r].items()} for r in RULES} for c in CONVENTIONS},
        "objectives": {name: _objective(o) for name, o in OBJECTIVES.items()}, "general": _general(),
        "stepStops": step_stops(), "defaultLesson": lesson_state(Lesson()),
        "colors": {"book": BOOK_PATH, "bookMarker": BOOK_MARKER, "contour": BOOK_CONTOUR, "gradient": GRADIENT,
                   "dark": DARK, "looks": {name: look._asdict() for name, look in LOOKS.items()},
                   "palette": list(_PAGE_PALETTE)},
        "markers": list(_PAGE_MARKERS), "symbols": SYMBOLS,
        # how a page shows its lesson (trajectories.display): the link's keys, the names a compact page takes
        "display": {"keys": list(display.KEYS), "default": display.Display().to_state(),
                    "controls": display.CONTROLS, "hyperparameters": list(display.HYPERPARAMETERS)},
        # the view's rule (trajectories.view), which the page applies to its own runs
        "view": {"views": list(view.VIEWS), "default": view.VIEWS[0], "margin": view.MARGIN, "reach": view.REACH,
                 "unitsPerWindow": view.UNITS_PER_WINDOW, "gridStep": view.GRID_STEP, "gridPoints": view.GRID_POINTS},
        # both languages' words, so the page can switch without asking (trajectories/locales, core/i18n.js)
        "messages": tables(),
        "landscape": {"defaultAxes": {r: list(a) for r, a in DEFAULT_AXES.items()}, "metrics": METRICS,
                      "resolution": list(RESOLUTION), "defaultResolution": LANDSCAPE_RESOLUTION,
                      "tolerances": list(TOLERANCES), "budget": BUDGET,
                      # the largest resolution within the budget for one and two axes, at each steps of the page
                      "maxResolution": {str(axes): [fit_budget(RESOLUTION[1], s, axes) for s in
                                                    range(1, PAGE_STEPS + 1)] for axes in (1, 2)}},
        "inspector": templates(),
    }


def lesson_state(lesson: Lesson) -> dict[str, Any]:
    """A lesson as plain data (the widget's ``lesson`` trait): the Lesson's fields, hyperparameters resolved."""
    if not isinstance(lesson, Lesson):
        raise ValueError(f"The 'lesson' parameter must be a Lesson. Got {type(lesson).__name__} instead.")
    return {"optimizers": list(lesson.optimizers),
            "hyperparameters": {n: dict(lesson.hyperparameters[n]) for n in lesson.optimizers},
            "objective": lesson.objective, "condition": lesson.condition, "angle": lesson.angle,
            "start": list(lesson.start), "steps": lesson.steps, "convention": lesson.convention, "seed": lesson.seed,
            "window": None if lesson.window is None else list(lesson.window)}


def lesson_from_state(state: Any) -> Lesson:
    """The Lesson a front end's plain data describes; anything wrong raises the lesson's one-sentence ValueError."""
    if not isinstance(state, dict):
        raise ValueError(f"The 'lesson' parameter must be a mapping of a lesson's fields. Got {state!r} instead.")
    fields = ("optimizers", "hyperparameters", "objective", "condition", "angle", "start", "steps", "convention",
              "seed", "window")
    unknown = sorted(set(state) - set(fields))
    if unknown:
        raise ValueError(f"The 'lesson' parameter takes only {', '.join(fields)}. Got {unknown[0]!r} as well.")
    given = dict(state)
    for key in ("optimizers", "start", "window"):
        if isinstance(given.get(key), list):
            given[key] = tuple(given[key])
    return Lesson(**given)


def noise(seed: int, steps: int = PAGE_STEPS) -> bytes:
    """SGD's noise for ``seed`` at steps 1..``steps`` as little-endian float64 pairs: numpy's generator is the
    reference, and the browser reads these numbers instead of drawing its own."""
    table = np.array([sgd_noise(seed, t) for t in range(1, steps + 1)], dtype="<f8")
    return table.tobytes()
