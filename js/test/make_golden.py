"""Write js/test/golden.json: what the Python engine computes, for the JavaScript engine's tests to match.

Run from the repository root after any change to the Python engine, the spec table or this list of cases:

    python js/test/make_golden.py

Floats are written with repr (they read back to the same double), NaN as null. Nothing in the JSON is typed in by
hand: every number comes from trajectories' own functions. The JavaScript is given what the page is given,
``state.config()`` (the spec table, the objectives' facts, the bound), written here as ``config``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the golden data must come from this checkout's engine, not an installed copy

from trajectories import noise as gen  # noqa: E402
from trajectories.engine import BOUND, run  # noqa: E402
from trajectories.i18n import LANGUAGES  # noqa: E402
from trajectories.landscape import _boundary, axis_values, compute, score  # noqa: E402
from trajectories.lesson import Lesson  # noqa: E402
from trajectories.objectives import OBJECTIVES, get_objective  # noqa: E402
from trajectories.plotting import _decades, _floor, contour_grid, contour_levels, drawn_until, left_view  # noqa: E402
from trajectories.rules import eta_limit  # noqa: E402
from trajectories.schedules import rates  # noqa: E402
from trajectories.specs import CONVENTIONS, RULES, SCHEDULE_SPECS, SCHEDULES, SPECS, resolve, takes_schedule  # noqa: E402
from trajectories.state import config  # noqa: E402
from trajectories.view import unit, view_of  # noqa: E402

OUT = Path(__file__).with_name("golden.json")
SEED = 7
GENERALS = ({"condition": 50.0, "angle": 30.0}, {"condition": 5.0, "angle": -60.0})

# Settings beyond the defaults: the book's values, diverging ones, and the edges of each rule.
SETTINGS: dict[str, list[dict]] = {
    "gd": [{"eta": 0.1}, {"eta": 0.5}, {"eta": 0.6}, {"eta": 5.0}],
    "sgd": [{"eta": 0.1, "schedule": "constant"}, {"eta": 0.1, "schedule": "exponential"},
            {"eta": 0.4, "schedule": "polynomial"}, {"eta": 5.0}],
    "momentum": [{"eta": 0.6, "beta": 0.5}, {"eta": 0.6, "beta": 0.25}, {"eta": 0.9, "beta": 0.99},
                 {"eta": 3.0, "beta": 0.999}, {"eta": 0.1, "beta": 0.0}],
    "nesterov": [{"eta": 0.6, "beta": 0.5}, {"eta": 0.1, "beta": 0.9}, {"eta": 2.0, "beta": 0.95}],
    "adagrad": [{"eta": 2.0}, {"eta": 100.0}, {"eta": 0.4, "eps": 1e-12}, {"eta": 1e-5, "eps": 1.0}],
    "rmsprop": [{"eta": 0.4, "gamma": 0.9}, {"eta": 0.4, "gamma": 1.0}, {"eta": 0.01, "gamma": 0.0},
                {"eta": 30.0, "gamma": 0.5, "eps": 1e-12}],
    "adadelta": [{"rho": 0.5}, {"rho": 1.0}, {"rho": 0.0, "eps": 1.0}, {"eta": 5.0}, {"eta": 100.0, "rho": 0.99}],
    "adam": [{"eta": 0.1, "beta1": 0.8, "beta2": 0.99}, {"bias_correction": False},
             {"eta": 0.4, "beta1": 1.0, "beta2": 1.0}, {"eta": 100.0, "beta1": 0.0, "beta2": 0.0},
             {"eta": 0.4, "beta1": 0.5, "beta2": 1.0, "bias_correction": True}],
}
SAME_IN_BOTH = ("gd", "sgd", "momentum")  # one update and one set of defaults under both conventions
LONG = [  # (optimizer, objective, settings): 100-step runs, where small differences would have time to grow
    ("adadelta", "quadratic", {}), ("adam", "rosenbrock", {"eta": 0.05}), ("rmsprop", "himmelblau", {"eta": 0.3}),
    ("sgd", "rotated", {"eta": 0.05, "schedule": "polynomial"}), ("nesterov", "general", {"eta": 0.02, "beta": 0.9}),
]


def floats(a) -> list:
    """A nested list of plain floats with NaN as None; infinities have no place in the golden data."""
    a = np.asarray(a, dtype=float)
    if np.isinf(a).any():
        raise ValueError(f"The golden data must not hold infinities. Got {a[np.isinf(a)][0]} instead.")
    return np.where(np.isnan(a), None, a).tolist()


def one(x) -> float | None:
    return None if x is None else float(x)


def objective_options(name: str, params: dict) -> dict:
    return {"objective": name, **params}


def run_case(optimizer: str, convention: str, name: str, params: dict, settings: dict, steps: int = 20) -> dict:
    obj = get_objective(name, **params)
    seed = SEED if optimizer == "sgd" else None
    t = run(optimizer, objective=obj, convention=convention, steps=steps, seed=seed, **settings)
    options = {**objective_options(name, params), "start": [-5.0, -2.0], "steps": steps, "convention": convention,
               **settings}
    if optimizer == "sgd":
        options |= {"seed": seed}  # the browser draws the noise of the seed as Python does
    return {"optimizer": optimizer, "options": options, "hyperparameters": plain_settings(t.hyperparameters),
            "points": floats(t.points), "losses": floats(t.losses),
            "effective_lr": None if t.effective_lr is None else floats(t.effective_lr),
            "diverged_at": t.diverged_at, "book_line": t.book_line()}


def plain_settings(hp: dict) -> dict:
    return {k: v if isinstance(v, (str, bool, int)) else list(v) if isinstance(v, tuple) else float(v)
            for k, v in hp.items()}


def takes(optimizer: str, convention: str, settings: dict) -> bool:
    return all(k in SPECS[convention][optimizer] for k in settings)


def objectives() -> list[tuple[str, dict]]:
    return [(n, {}) for n in OBJECTIVES if n != "general"] + [("general", p) for p in GENERALS]


# Teachers' formulas (issue 24): the book's quadratic and Himmelblau written out, a flat minimum, one through
# Math.sin and Math.cos, a rotated quadratic (a Hessian with a cross term), and one in a window a teacher set,
# wide enough that the contour grid is coarser than the book's 0.1.
FORMULAS = [("0.1*x1^2 + 2*x2^2", {}), ("(x1^2 + x2 - 11)^2 + (x1 + x2^2 - 7)^2", {}), ("x1^4 + x2^2", {}),
            ("sin(x1) + cos(x2)*x2 + 0.05*x1^2", {}), ("0.5*(x1 + x2)^2 + 3*(x1 - 2*x2)^2", {}),
            ("x1^2 + x2^2", {"window": [-100.0, 100.0, -50.0, 50.0]})]
FORMULA_RUNS = FORMULAS[:4]


def with_formulas() -> list[tuple[str, dict]]:
    return objectives() + FORMULAS


def runs() -> list[dict]:
    cases = []
    for convention in CONVENTIONS:
        for optimizer in RULES:
            if convention == "torch" and optimizer in SAME_IN_BOTH:
                continue
            for name, params in objectives():
                cases.append(run_case(optimizer, convention, name, params, {}))
            for settings in SETTINGS[optimizer]:
                if takes(optimizer, convention, settings):
                    cases.append(run_case(optimizer, convention, "quadratic", {}, settings))
    for optimizer, name, settings in LONG:
        params = GENERALS[0] if name == "general" else {}
        cases.append(run_case(optimizer, "d2l", name, params, settings, steps=100))
    for convention in CONVENTIONS:
        for optimizer in RULES:
            if convention == "torch" and optimizer in SAME_IN_BOTH:
                continue
            for name, params in FORMULA_RUNS:
                cases.append(run_case(optimizer, convention, name, params, {}))
    return cases


def objective_data() -> list[dict]:
    out = []
    for name, params in with_formulas():
        obj = get_objective(name, **params)
        out.append({"name": name, "params": params,
                    "hessian": None if obj.hessian is None else floats(obj.hessian),
                    "minima": floats(obj.minima) if obj.minima else [], "saddles": floats(obj.saddles) if obj.saddles
                    else [], "xlim": list(obj.xlim), "ylim": list(obj.ylim), "levels": obj.levels})
    return out


def eta_limits() -> list[dict]:
    out = []
    for name, params in with_formulas():
        obj = get_objective(name, **params)
        for rule in RULES:
            for beta in (0.0, 0.25, 0.5, 0.9, 1.0):
                out.append({"optimizer": rule, "objective": name, "params": params, "beta": beta,
                            "limit": one(eta_limit(rule, obj, beta=beta))})
    return out


def formats() -> list:
    rng = np.random.default_rng(SEED)
    ties = [k / 128 for k in (1, 3, 5, 7, 125, 127, 129, 1001)]  # x * 1e6 ends in exactly .5 only at odd k / 128
    values = [0.0, -0.0, -1e-9, 1e-9, 5e-7, -5e-7, 4.999999999e-7, 1.5e-6, 2.5e-6, 0.1, -0.010599, 1673.365109,
              -1673.3651085, 999999.9999995, BOUND, -BOUND, 123456789.123456789, 1e22, 2.0 ** -1074]
    values += ties + [-v for v in ties]
    values += (rng.standard_normal(100) * 10.0 ** rng.integers(-8, 7, 100)).tolist()
    return [[v, f"{v:f}"] for v in values]


def python_formats() -> list:
    """repr, :g and .4g of floats (core/format.js's pyRepr and pyG): exact ties, which Python rounds to even,
    edges and drawn ones."""
    rng = np.random.default_rng(SEED)
    values = [0.0, -0.0, 2.5, 1234565.0, 100.0625, 999999.5, 999998.5, 0.125, 0.375, 12.5, 0.5, 1.5, 1e16, 1e15,
              9999999999999998.0, 1e-4, 1e-5, 0.0001234565, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308]
    values += [k / 2 ** s for k in (1, 3, 5, 25, 125, 12345, 123455, 1234565, 2469131) for s in range(0, 24, 3)]
    values += (rng.standard_normal(300) * 10.0 ** rng.integers(-30, 30, 300)).tolist()
    values += rng.uniform(-1000, 1000, 100).tolist()
    return [[v, repr(v), f"{v:g}", f"{v:.4g}"] for v in values]


def general_latex() -> list:
    """general(condition, angle).latex, which the page writes itself as the sliders move (objectives.generalLatex)."""
    rng = np.random.default_rng(SEED)
    pairs = [(c, a) for c in (1.0, 1.0000001, 2.0, 20.0, 1000.0) for a in (-180.0, -90.0, -45.0, 0.0, -0.0, 1e-9,
                                                                             30.0, 90.0, 135.0, 180.0)]
    pairs += list(zip((10.0 ** rng.uniform(0, 3, 100)).tolist(), rng.uniform(-180, 180, 100).tolist(), strict=True))
    return [[c, a, get_objective("general", condition=c, angle=a).latex] for c, a in pairs]


def axes() -> list[dict]:
    """axis_values() for every distinct (low, high, scale) of the spec table's numeric hyperparameters."""
    out, seen = [], set()
    for convention in CONVENTIONS:
        for rule, table in SPECS[convention].items():
            for name, spec in table.items():
                for n in (32, 97):
                    if spec.is_choice or (spec.low, spec.high, spec.scale, n) in seen:
                        continue
                    seen.add((spec.low, spec.high, spec.scale, n))
                    out.append({"optimizer": rule, "convention": convention, "name": name, "resolution": n,
                                "low": spec.low, "high": spec.high, "scale": spec.scale,
                                "values": floats(axis_values(rule, name, n, convention))})
    return out


def spaced(spec_low: float, spec_high: float, n: int, scale: str) -> np.ndarray:
    """axis_values() below its minimum resolution of 32: the same numpy call, for small maps."""
    return np.geomspace(spec_low, spec_high, n) if scale == "log" else np.linspace(spec_low, spec_high, n)


def small_map(optimizer: str, x: str, y: str | None, n: int, *, metric: str, tol: float = 0.1,
              objective: str = "quadratic", params: dict | None = None, steps: int = 20, convention: str = "d2l",
              spans: dict | None = None, **settings) -> dict:
    """What landscape.compute() does (one batched run(), then score()), on an n-cell axis or an n x n grid."""
    params = params or {}
    obj = get_objective(objective, **params)
    table = SPECS[convention][optimizer]
    spans = spans or {}

    def values(name):
        low, high = spans.get(name, (table[name].low, table[name].high))
        return spaced(low, high, n, table[name].scale)

    current = resolve(optimizer, convention, settings)
    xs = values(x)
    ys = None if y is None else values(y)
    grid = {x: xs} if y is None else {x: xs[None, :], y: ys[:, None]}
    seed = SEED if optimizer == "sgd" else None
    t = run(optimizer, objective=obj, steps=steps, convention=convention, seed=seed, **dict(current, **grid))
    vals, diverged = score(t, metric, tol)
    return map_record(optimizer, x, y, xs, ys, metric, tol, vals, diverged, objective, params, steps, convention,
                      current, seed)


def map_record(optimizer, x, y, xs, ys, metric, tol, vals, diverged, objective, params, steps, convention, current,
               seed) -> dict:
    options = {**objective_options(objective, params), "start": [-5.0, -2.0], "steps": steps,
               "convention": convention,
               **{k: v if isinstance(v, (str, bool)) else float(v) for k, v in current.items()}}
    if optimizer == "sgd":
        options |= {"seed": seed}  # the browser draws the noise of the seed as Python does
    return {"optimizer": optimizer, "x": x, "y": y, "x_values": floats(xs), "y_values": None if ys is None
            else floats(ys), "metric": metric, "tol": tol, "options": options,
            "values": floats(np.ravel(vals)), "diverged": "".join("1" if d else "0" for d in np.ravel(diverged))}


def maps() -> list[dict]:
    out = []
    for metric in ("loss", "distance", "steps"):
        out.append(small_map("rmsprop", "eta", "gamma", 8, metric=metric))
        out.append(small_map("momentum", "eta", "beta", 8, metric=metric))
        out.append(small_map("gd", "eta", None, 12, metric=metric, tol=0.01))
    out.append(small_map("adam", "eta", "beta1", 8, metric="loss", objective="rosenbrock", convention="torch",
                         steps=50))
    out.append(small_map("adam", "beta2", "eta", 8, metric="distance", objective="himmelblau", bias_correction=False))
    out.append(small_map("sgd", "eta", None, 16, metric="steps", tol=0.5, objective="himmelblau",
                         schedule="polynomial"))
    out.append(small_map("adadelta", "rho", "eps", 8, metric="distance", steps=100))
    out.append(small_map("adadelta", "eta", "rho", 8, metric="loss", convention="torch"))
    out.append(small_map("nesterov", "beta", None, 16, metric="loss", eta=0.3, objective="general",
                         params=GENERALS[0]))
    out.append(small_map("adagrad", "eps", "eta", 8, metric="steps", tol=1.0, objective="rotated",
                         spans={"eta": (0.01, 10.0)}))
    for optimizer, axes_, metric in (("rmsprop", ("eta", "gamma"), "loss"), ("momentum", ("eta", "beta"), "steps"),
                                     ("gd", ("eta",), "distance")):
        m = compute(optimizer, axes_, resolution=32, metric=metric)
        out.append(map_record(optimizer, m.x, m.y, m.x_values, m.y_values, m.metric, m.tol, m.values, m.diverged,
                              "quadratic", {}, m.steps, m.convention, m.current, None) | {"compute": True})
    return out


def boundaries() -> list[dict]:
    xs8 = spaced(1e-5, 100.0, 8, "log")
    b8 = spaced(0.0, 1.0, 8, "linear")
    b16 = spaced(0.0, 1.0, 16, "linear")
    cases = [  # (optimizer, objective, params, x, y, current, x values, y values)
        ("momentum", "quadratic", {}, "eta", "beta", {}, xs8, b8),
        ("momentum", "quadratic", {}, "beta", "eta", {}, b8, xs8),
        ("nesterov", "quadratic", {}, "eta", "beta", {}, xs8, b8),
        ("nesterov", "general", GENERALS[1], "eta", "beta", {}, xs8, b8),
        ("gd", "quadratic", {}, "eta", None, {}, xs8, None),
        ("gd", "general", GENERALS[0], "eta", None, {}, xs8, None),
        ("sgd", "quadratic", {}, "eta", None, {}, xs8, None),
        ("sgd", "quadratic", {}, "eta", None, {"schedule": "exponential"}, xs8, None),
        ("momentum", "quadratic", {}, "eta", None, {"beta": 0.25}, xs8, None),
        ("momentum", "quadratic", {}, "beta", None, {"eta": 0.6}, b16, None),
        ("momentum", "quadratic", {}, "beta", None, {"eta": 0.3}, b16, None),
        ("nesterov", "quadratic", {}, "beta", None, {"eta": 0.35}, b16, None),
        ("momentum", "rotated", {}, "beta", None, {"eta": 0.3}, b16, None),
        ("momentum", "rosenbrock", {}, "eta", "beta", {}, xs8, b8),
        ("momentum", "saddle", {}, "eta", "beta", {}, xs8, b8),
        ("adagrad", "quadratic", {}, "eta", None, {}, xs8, None),
    ]
    out = []
    for optimizer, name, params, x, y, settings, xv, yv in cases:
        current = resolve(optimizer, "d2l", settings)
        b = _boundary(optimizer, get_objective(name, **params), x, y, current, xv, yv)
        out.append({"optimizer": optimizer, "objective": name, "params": params, "x": x, "y": y,
                    "current": current, "x_values": floats(xv), "y_values": None if yv is None else floats(yv),
                    "boundary": None if b is None else floats(b)})
    return out


# Runs for the figure's drawn_until: paths that stay, leave for good, diverge, leave and come back, start outside.
PLOT_RUNS = [  # (optimizer, objective, settings, start, steps)
    ("gd", "quadratic", {"eta": 0.4}, [-5.0, -2.0], 20), ("gd", "quadratic", {"eta": 0.6}, [-5.0, -2.0], 20),
    ("gd", "quadratic", {"eta": 5.0}, [-5.0, -2.0], 20), ("gd", "quadratic", {"eta": 0.5}, [-5.0, -2.0], 20),
    ("momentum", "quadratic", {"eta": 3.0, "beta": 0.999}, [-5.0, -2.0], 40),
    ("momentum", "quadratic", {"eta": 0.6, "beta": 0.5}, [-5.0, -2.0], 20),
    ("adagrad", "quadratic", {"eta": 100.0}, [-5.0, -2.0], 40),
    ("adagrad", "quadratic", {"eta": 2.0}, [-5.0, -2.0], 40),
    ("rmsprop", "quadratic", {"eta": 30.0, "gamma": 0.5, "eps": 1e-12}, [-5.0, -2.0], 40),
    ("adam", "quadratic", {"eta": 1.5}, [-5.0, -2.0], 60), ("gd", "saddle", {"eta": 0.1}, [1.0, 0.01], 40),
    ("gd", "saddle", {"eta": 0.5}, [1.0, 0.0], 20), ("gd", "quadratic", {"eta": 0.4}, [-7.0, 0.5], 20),
    ("gd", "quadratic", {"eta": 0.4}, [0.0, 0.0], 20), ("adam", "rosenbrock", {"eta": 0.05}, [-1.5, 2.0], 100),
    ("gd", "rosenbrock", {"eta": 0.01}, [-5.0, -2.0], 20), ("rmsprop", "himmelblau", {"eta": 0.3}, [-5.0, -2.0], 60),
    ("nesterov", "himmelblau", {"eta": 0.05, "beta": 0.9}, [0.0, 0.0], 60),
]
# Lessons for the view's window (trajectories.view): (objective, params, start, view, [(optimizer, settings, steps)])
VIEW_CASES = [
    ("quadratic", {}, [-5.0, -2.0], "fit", [("gd", {"eta": 0.4}, 20), ("momentum", {"eta": 0.6, "beta": 0.5}, 20)]),
    ("quadratic", {}, [-5.0, -2.0], "window", [("momentum", {"eta": 0.6, "beta": 0.5}, 20)]),
    ("quadratic", {}, [-5.0, -2.0], "fit", [("gd", {"eta": 0.6}, 20)]),
    ("quadratic", {}, [-5.0, -2.0], "fit", [("gd", {"eta": 0.6}, 60), ("momentum", {"eta": 0.6, "beta": 0.5}, 60)]),
    ("quadratic", {}, [-5.0, -2.0], "fit", [("gd", {"eta": 0.45}, 20), ("rmsprop", {"eta": 0.4, "gamma": 0.9}, 20)]),
    ("quadratic", {}, [-5.0, -2.0], "fit", [("adagrad", {"eta": 2.0}, 40)]),
    ("quadratic", {}, [8.0, -6.0], "fit", [("gd", {"eta": 0.4}, 20)]),
    ("rosenbrock", {}, [-5.0, -2.0], "fit", [("rmsprop", {"eta": 0.4, "gamma": 0.9}, 20),
                                             ("momentum", {"eta": 0.01, "beta": 0.5}, 20)]),
    ("saddle", {}, [-4.0, 0.1], "fit", [("gd", {"eta": 0.4}, 20)]),
    ("himmelblau", {}, [-5.0, -2.0], "fit", [("adam", {"eta": 1.5}, 60), ("gd", {"eta": 0.01}, 60)]),
    ("general", {"condition": 50.0, "angle": 30.0}, [-5.0, -2.0], "fit", [("gd", {"eta": 0.1}, 30)]),
    ("rotated", {}, [-5.0, -2.0], "fit", [("momentum", {"eta": 0.4, "beta": 0.9}, 100)]),
    # a formula's window, found from its start or set by the lesson: its view unit comes from view.unit in the page
    ("x1^4 + x2^2", {"start": [-2.5, 2.0]}, [-2.5, 2.0], "fit", [("gd", {"eta": 0.02}, 30),
                                                                  ("adagrad", {"eta": 1.5}, 30)]),
    ("x1^2 + 3*x2^2", {"start": [-5.0, -2.0], "window": [-3.0, 3.0, -1.0, 2.5]}, [-5.0, -2.0], "fit",
     [("momentum", {"eta": 0.3, "beta": 0.5}, 20)]),
]
UNIT_CASES = [(-5.5, 1.0), (-3.0, 1.0), (-6.0, 6.0), (0.0, 1e-3), (-1e6, 1e6), (1.0, 1.8), (-0.3, 0.5), (0.0, 8.0),
              (-2.5, 2.5), (10.0, 10.08), (-7.0, 4.0), (0.0, 4e-5)]
DECADE_CASES = [  # values for the log panels' limits
    [10.5, 1.0, 1e-3], [1.0], [0.5], [10.0], [1e-300, 1e300], [3e-7, 2e-7], [0.4] * 20, [1e6, 1e-12, None],
    [None, None], [0.0, 1.0, 2.0], [-1.0, 5.0], [9.999999999, 1.00000001], [123.0, 4.5e-20, 7.7e-9],
    [1e-9, 0.999999, 1000.0001],
]


LOCATOR_CASES = [(0.0, 24.1), (1000.1, 1000.9), (2.0, 2.0), (-1e-20, 3e-20), (-12.25, 30.25), (0.0, 1e-300),
                 (-7.5, -7.25), (3.0, 1e7), (0.0, 0.0)]


def plot_data() -> dict:
    """The figure's pure parts as plotting.py computes them: contour levels, drawn_until, log-panel limits."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    locator = [{"vmin": a, "vmax": b, "ticks": floats(MaxNLocator(8, min_n_ticks=1).tick_values(a, b))}
               for a, b in LOCATOR_CASES]

    levels = []
    for name, params in with_formulas():
        obj = get_objective(name, **params)
        g1, g2, z = contour_grid(obj)
        cs = Figure().add_subplot().contour(g1, g2, z, levels=contour_levels(obj, z))
        levels.append({"name": name, "params": params, "levels": floats(cs.levels)})
    runs_ = []
    for optimizer, name, settings, start, steps in PLOT_RUNS:
        seed = SEED if optimizer == "sgd" else None
        t = run(optimizer, objective=get_objective(name), start=tuple(start), steps=steps, seed=seed, **settings)
        runs_.append({"optimizer": optimizer, "options": {"objective": name, "start": start, "steps": steps,
                                                          **settings},
                      "diverged_at": t.diverged_at, "left_view": left_view(t), "drawn_until": drawn_until(t)})
    decades = []
    for values in DECADE_CASES:
        v = np.array([np.nan if x is None else x for x in values], dtype=float)
        limits = _decades(v)
        decades.append({"values": floats(v), "decades": None if limits is None else list(limits),
                        "floor12": None if limits is None else list(_floor(limits, 12)),
                        "floor4": None if limits is None else list(_floor(limits, 4))})
    views = []
    for name, params, start, which, cases in VIEW_CASES:
        obj = get_objective(name, **params)
        trs = [run(o, objective=obj, start=tuple(start), steps=steps, **settings) for o, settings, steps in cases]
        v = view_of(obj, [(t.points, t.diverged_at is not None) for t in trs], start, which)
        g1, g2, z = contour_grid(obj, v.xlim, v.ylim)
        cs = Figure().add_subplot().contour(g1, g2, z, levels=contour_levels(obj, z))
        views.append({"objective": name, "params": params, "start": start, "view": which,
                      "runs": [{"optimizer": o, "settings": settings, "steps": steps} for o, settings, steps in cases],
                      "xlim": list(v.xlim), "ylim": list(v.ylim), "ends": list(v.ends), "held": list(v.held),
                      "levels": floats(cs.levels)})
    units = [{"low": lo, "high": hi, "unit": unit(lo, hi)} for lo, hi in UNIT_CASES]
    return {"levels": levels, "locator": locator, "runs": runs_, "decades": decades, "views": views, "units": units}


# ---- schedules, noise and runs (issue 21): the browser draws the same noise and computes the same schedules -----
NOISE_SEEDS = (0, 1, 7, 123456789, 2 ** 32 - 1)
SCHEDULE_CASES = {  # (convention, schedule): parameter sets beyond the defaults
    ("d2l", "exponential"): [{"decay": 0.3}], ("d2l", "polynomial"): [{"decay": 0.5, "power": 1.5}],
    ("d2l", "factor"): [{"factor": 0.8, "stop": 0.05}], ("d2l", "multifactor"): [{"milestones": (3, 7, 40)}],
    ("d2l", "cosine"): [{"period": 25, "final": 0.01, "warmup": 5, "warmup_begin": 0.02}, {"period": 1}],
    ("torch", "exponential"): [{"factor": 0.5}], ("torch", "polynomial"): [{"period": 30, "power": 0.5}],
    ("torch", "factor"): [{"every": 4, "factor": 0.7}], ("torch", "multifactor"): [{"milestones": (1, 2, 50)}],
    ("torch", "cosine"): [{"period": 10, "final": 0.05}, {"period": 30, "warmup": 8, "start_factor": 0.1}],
    ("torch", "linear"): [{"start_factor": 1.0, "end_factor": 0.1, "period": 12}],
}


def noise_data() -> dict:
    rng = np.random.default_rng(SEED)
    words = []  # counter (4 words), key (2 words), then Philox4x32-10's 4 words
    for given in rng.integers(0, 2 ** 32, (20, 6), dtype=np.uint64).tolist():
        words.append(given + [int(w) for w in gen.philox4x32(given[:4], given[4:])])
    x = np.concatenate([rng.uniform(0, 0.075, 200), 10.0 ** rng.uniform(-16, -1, 100), [2.0 ** -53, 0.075]])
    u = np.concatenate([gen.uniform(*rng.integers(0, 2 ** 32, (2, 300), dtype=np.uint64)),
                        [2.0 ** -53, 0.5 - 2.0 ** -53, 0.075, 0.425, 0.925]])
    return {"philox": words, "log": floats(np.stack([x, gen.log(x)], -1)),
            "quantile": floats(np.stack([u, gen.inverse_normal(u)], -1)),
            "tables": [{"seed": s, "steps": 60, "table": floats(gen.table(s, 60))} for s in NOISE_SEEDS]}


def schedule_data() -> list[dict]:
    out = []
    for convention in CONVENTIONS:
        for schedule in SCHEDULES[convention]:
            for given in [{}] + SCHEDULE_CASES.get((convention, schedule), []):
                params = resolve("gd", convention, {"schedule": schedule, **given})
                for eta in (0.4, 0.003):
                    table = rates(schedule, convention, eta, params, 60)
                    out.append({"convention": convention, "schedule": schedule, "eta": eta,
                                "params": plain_settings({k: params[k] for k in SCHEDULE_SPECS[convention][schedule]}),
                                "rates": None if table is None else floats(table)})
    return out


def noisy_runs() -> list[dict]:
    """Runs with schedules and noise, each rule under both conventions: options as the browser's run() takes them."""
    cases = []
    rng = np.random.default_rng(SEED + 1)
    for convention in CONVENTIONS:
        for optimizer in RULES:
            for i, schedule in enumerate(SCHEDULES[convention] if takes_schedule(optimizer, convention) else
                                         ("constant",)):
                given = {"sigma": [0.0, 0.3, 1.0, 2.5][(i + RULES.index(optimizer)) % 4]}
                if schedule != "constant":
                    given |= {"schedule": schedule, **SCHEDULE_CASES.get((convention, schedule), [{}])[0]}
                seed = int(rng.integers(0, 2 ** 32))
                cases.append(noisy_case(optimizer, convention, "quadratic", given, seed, 25))
    for optimizer, objective, given in [("adam", "rosenbrock", {"eta": 0.05, "sigma": 0.5}),
                                        ("sgd", "himmelblau", {"schedule": "cosine", "period": 80}),
                                        ("momentum", "general", {"eta": 0.1, "sigma": 3.0}),
                                        ("gd", "quadratic", {"eta": 0.6, "sigma": 5.0})]:  # diverges
        cases.append(noisy_case(optimizer, "d2l", objective, given, 7, 60))
    return cases


def noisy_case(optimizer: str, convention: str, objective: str, given: dict, seed: int, steps: int) -> dict:
    params = GENERALS[0] if objective == "general" else {}
    t = run(optimizer, objective=get_objective(objective, **params), convention=convention, steps=steps, seed=seed,
            **given)
    options = {**objective_options(objective, params), "start": [-5.0, -2.0], "steps": steps,
               "convention": convention, "seed": seed, **plain_settings(given)}
    return {"optimizer": optimizer, "options": options, "hyperparameters": plain_settings(t.hyperparameters),
            "points": floats(t.points), "losses": floats(t.losses), "effective_lr": floats(t.effective_lr),
            "rates": None if t.rates is None else floats(t.rates), "diverged_at": t.diverged_at,
            "book_line": t.book_line()}


def spreads() -> list[dict]:
    """Runs over many seeds: each seed's final point, the median run and the loss's 10/50/90% per step."""
    out = []
    for optimizer, objective, given, first, n in [
            ("sgd", "bowl", {}, 0, 50), ("gd", "quadratic", {"sigma": 2.0}, 9, 20),
            ("adam", "quadratic", {"sigma": 1.0, "eta": 0.3}, 2 ** 32 - 3, 7),
            ("gd", "quadratic", {"eta": 0.55, "sigma": 3.0}, 4, 30)]:
        seeds = (first + np.arange(n)) % 2 ** 32
        t = run(optimizer, objective=objective, steps=50, seed=seeds, **given)
        out.append({"optimizer": optimizer, "options": {"objective": objective, "steps": 50, **given},
                    "seeds": seeds.tolist(), "finals": floats(t.points[:, -1]), "median": t.median_run(),
                    "quantiles": [None if not np.isfinite(v) else v for v in t.loss_quantiles().ravel()],
                    "diverged": [int(d) for d in t.diverged_at]})
    return out


def lessons() -> list[dict]:
    """Links with runs: the runs the link gives (every setting), their labels (and as a Chinese reader reads them)
    and keys, the link written back."""
    out = []
    for query in ("run=gd:eta=0.4&run=gd:eta=0.6", "run=momentum:eta=0.6,beta=0.5&run=momentum:eta=0.6,beta=0.25",
                  "objective=bowl&steps=50&run=sgd:schedule=constant&run=sgd:schedule=exponential",
                  "optimizer=gd,momentum&gd.sigma=0.5&seed=3&schedule=cosine&period=12",
                  "run=gd:label=gd, fast,eta=0.9&run=gd&run=gd&run=adam:spread=20,sigma=1&convention=torch",
                  "run=sgd:schedule=multifactor,milestones=5,12,factor=0.3,seed=9&run=sgd:seed=10&run=sgd",
                  "run=sgd:sigma=0.5,seed=3&run=sgd:sigma=0.5,seed=4&run=sgd:sigma=0.5,spread=5",
                  "run=adam:bias_correction=0&run=adam&run=adam&run=momentum:schedule=cosine&run=momentum"):
        lesson, notes = Lesson.from_query(query)
        out.append({"query": query, "notes": notes, "link": lesson.to_query(), "labels": list(lesson.labels),
                    "said": {lang: list(lesson.said_labels(lang)) for lang in LANGUAGES}, "keys": list(lesson.keys),
                    "readout": lesson.readout(),
                    "runs": [{"optimizer": r.optimizer, "settings": plain_settings(r.hyperparameters), "seed": r.seed,
                              "spread": r.spread, "label": r.label} for r in lesson.runs]})
    return out


def write(data: dict, out: Path = OUT) -> None:
    """Compact JSON with one record per line, so that a change to the engine shows as a readable diff (the other
    golden scripts write theirs with it too)."""
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            body = "[\n" + ",\n".join(json.dumps(v, separators=(",", ":"), allow_nan=False) for v in value) + "\n]"
        else:
            body = json.dumps(value, separators=(",", ":"), allow_nan=False)
        parts.append(f"{json.dumps(key)}:{body}")
    out.write_text("{\n" + ",\n".join(parts) + "\n}\n")


def main() -> int:
    with np.errstate(all="ignore"):
        data = {"generator": "js/test/make_golden.py", "numpy": np.__version__, "bound": BOUND,
                "config": config(), "objectives": objective_data(), "formats": formats(),
                "python_formats": python_formats(), "latex": general_latex(),
                "eta_limits": eta_limits(), "axes": axes(), "boundaries": boundaries(), "runs": runs(),
                "maps": maps(), "plot": plot_data(), "noise": noise_data(), "schedules": schedule_data(),
                "noisy_runs": noisy_runs(), "spreads": spreads(), "lessons": lessons()}
    write(data)
    print(f"wrote {len(data['runs'])} runs and {len(data['maps'])} maps to {OUT} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
