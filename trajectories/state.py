"""What the front end is told: the spec table, the objectives, the runs' colours and a lesson, as plain JSON data.

The browser runs its own port of the engine (``js/src/core/``: f and its gradient, the rules, the schedules, the
noise, the landscape sweep), but every fact it needs comes from here, so Python stays the one source of truth:
ranges, defaults, scales and slider stops of each hyperparameter, schedule parameter and noise setting, of the
steps and of the general quadratic, each objective's window, minima, Hessian and formula, the runs' colours and
markers, the landscape's choices and budget, each rule's update in the book's notation for the step inspector.
The widget sends this as its state when it is built; the HTML export writes it into the page. The gradient noise
is not sent: both engines draw it from the same counter-based generator (:mod:`trajectories.noise`).
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
from .lesson import MAX_NAME, MAX_OPTIMIZERS, MAX_RUNS, PAGE_STEPS, Lesson, Run
from .objectives import GENERAL_RANGES, OBJECTIVES, WRITTEN, Objective
from .specs import CONVENTIONS, RULES, SCHEDULE_SPECS, SPECS, SPREAD, SYMBOLS, Spec, settings, sigma_spec

# The book's colours (d2l show_trace_2d): blue contours, one orange path. With several runs each optimizer keeps one
# colour of Okabe & Ito's eight (colour-blind safe) and one marker shape, in every figure and on every page, so two
# runs shown together differ in both: orange and vermillion look alike on a projector, their markers do not. Two
# colours change on a dark page, where black would vanish and yellow needs no help: ink for gd, and on a light
# ground (every exported file) Okabe-Ito's yellow darkened to hold a line's contrast (2.6:1, the book's orange's).
BOOK_CONTOUR = "#1f77b4"
BOOK_PATH = "#ff7f0e"
BOOK_MARKER = "circle"


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


def slider_values(name: str, spec: Spec, *extra: float) -> list[float]:
    """The values a hyperparameter slider stops at: round numbers (so the book's 0.4, 0.6, 2, 0.9, 0.999 and
    1e-6 are hit exactly), the spec's ends, and any ``extra`` value (a link's 0.37 is shown as it is)."""
    lo, hi = spec.low, spec.high
    if spec.kind == "int":
        return sorted({float(v) for v in range(int(lo), min(int(hi), PAGE_STEPS) + 1)} | {float(spec.default)})
    if spec.scale == "log":
        mantissas = _EPS_MANTISSAS if name == "eps" else _LOG_MANTISSAS
        bottom = lo if lo > 0 else 1e-5  # a log range that starts at 0 (an absolute rate): 0, then 1e-5 up
        grid = {float(f"{m}e{e}") for e in range(math.floor(math.log10(bottom)), math.ceil(math.log10(hi)) + 1)
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
        first, last = math.floor(math.log10(spec.low or 1e-5)), math.ceil(math.log10(spec.high))
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
    if spec.kind == "ints":
        return {"default": list(spec.default), "low": spec.low, "high": spec.high, "kind": spec.kind,
                "text": spec.text}
    out = {"default": spec.default, "low": spec.low, "high": spec.high, "scale": spec.scale,
           "text": spec.text, "stops": slider_values(name, spec), "spanStops": span_stops(spec)}
    if spec.kind != "float":
        out["kind"] = spec.kind
    return out


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
        "maxRuns": MAX_RUNS, "maxName": MAX_NAME, "pageSteps": PAGE_STEPS, "maxSteps": MAX_STEPS, "bound": BOUND,
        "specs": {c: {r: {n: _spec(n, s) for n, s in SPECS[c][r].items()} for r in RULES} for c in CONVENTIONS},
        "schedules": {c: {name: {n: _spec(n, s) for n, s in table.items()} for name, table in SCHEDULE_SPECS[c].items()}
                      for c in CONVENTIONS},
        "schedule": {c: _spec("schedule", settings("gd", c)["schedule"]) for c in CONVENTIONS},
        "sigma": {r: _spec("sigma", sigma_spec(r)) for r in RULES}, "spread": _spec("spread", SPREAD),
        "objectives": {name: _objective(o) for name, o in OBJECTIVES.items()}, "general": _general(),
        "stepStops": step_stops(), "defaultLesson": lesson_state(Lesson()),
        "colors": {"book": BOOK_PATH, "bookMarker": BOOK_MARKER, "contour": BOOK_CONTOUR, "gradient": GRADIENT,
                   "dark": DARK, "looks": {name: look._asdict() for name, look in LOOKS.items()}},
        "symbols": SYMBOLS,
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
    """A lesson as plain data (the widget's ``lesson`` trait): its runs, each with every setting resolved, and the
    settings they share."""
    if not isinstance(lesson, Lesson):
        raise ValueError(f"The 'lesson' parameter must be a Lesson. Got {type(lesson).__name__} instead.")
    return {"runs": [{"optimizer": r.optimizer, "settings": {k: list(v) if isinstance(v, tuple) else v
                                                             for k, v in r.hyperparameters.items()},
                      "seed": r.seed, "spread": r.spread, "label": r.label} for r in lesson.runs],
            "objective": lesson.objective, "condition": lesson.condition, "angle": lesson.angle,
            "start": list(lesson.start), "steps": lesson.steps, "convention": lesson.convention,
            "window": None if lesson.window is None else list(lesson.window)}


RUN_FIELDS = ("optimizer", "settings", "seed", "spread", "label")
OLD_FIELDS = ("optimizers", "hyperparameters", "seed")  # a lesson's plain form before runs
LESSON_FIELDS = ("runs", "objective", "condition", "angle", "start", "steps", "convention", "window")


def lesson_from_state(state: Any) -> Lesson:
    """The Lesson a front end's plain data describes; anything wrong raises the lesson's one-sentence ValueError."""
    if not isinstance(state, dict):
        raise ValueError(f"The 'lesson' parameter must be a mapping of a lesson's fields. Got {state!r} instead.")
    if "runs" not in state and set(state) & set(OLD_FIELDS):
        # the form before runs (a notebook saved by an earlier version, a recorded session): one run per optimizer
        state = dict(state)
        for key in ("optimizers", "start", "window"):
            if isinstance(state.get(key), list):
                state[key] = tuple(state[key])
        unknown = sorted(set(state) - set(LESSON_FIELDS) - set(OLD_FIELDS))
        if unknown:
            raise ValueError(f"The 'lesson' parameter takes only {', '.join(LESSON_FIELDS)}. Got {unknown[0]!r} as "
                             "well.")
        return Lesson(**state)
    unknown = sorted(set(state) - set(LESSON_FIELDS))
    if unknown:
        raise ValueError(f"The 'lesson' parameter takes only {', '.join(LESSON_FIELDS)}. Got {unknown[0]!r} as well.")
    given = dict(state)
    runs = given.get("runs", [])
    if not isinstance(runs, list) or not all(isinstance(r, dict) for r in runs):
        raise ValueError(f"The 'runs' parameter must be a list of runs. Got {runs!r} instead.")
    out = []
    for r in runs:
        extra = sorted(set(r) - set(RUN_FIELDS))
        if extra:
            raise ValueError(f"The 'runs' parameter takes runs of {', '.join(RUN_FIELDS)} only. Got {extra[0]!r} as "
                             "well.")
        if not isinstance(r.get("settings", {}), dict):
            raise ValueError(f"The 'settings' parameter of a run must map names to values. Got {r['settings']!r} "
                             "instead.")
        out.append(Run(r.get("optimizer"), r.get("settings", {}), seed=r.get("seed", 0), spread=r.get("spread", 1),
                       label=r.get("label", "")))
    given["runs"] = tuple(out)
    for key in ("start", "window"):
        if isinstance(given.get(key), list):
            given[key] = tuple(given[key])
    return Lesson(**given)
