"""Write js/test/formula.json: what trajectories.formula and objectives.from_formula make of a set of formulas, for
js/src/core/formula.js to match.

Run from the repository root after any change to the formula grammar, its evaluation or the search for minima:

    python js/test/make_formula_golden.py

Nothing in the JSON is typed in by hand: the canonical texts, LaTeX, messages, operations, values, gradients,
windows, minima and runs all come from the package. Floats are written with repr (they read back to the same
double); NaN and the infinities, which JSON has no numbers for, as the strings "nan", "inf" and "-inf".
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the golden data must come from this checkout, not an installed copy

from make_golden import write  # noqa: E402  (one writer for every golden: a record a line)

from trajectories import formula as F  # noqa: E402
from trajectories.engine import run  # noqa: E402
from trajectories.landscape import RESOLUTION, fit_budget  # noqa: E402
from trajectories.objectives import from_formula  # noqa: E402

OUT = Path(__file__).with_name("formula.json")

# Formulas a teacher might type: the built-in objectives written out, one-variable and constant ones, flat minima,
# valleys, kinks, saddles, every function, implicit products, Unicode forms and aliases.
FORMULAS = [
    "0.1*x1^2 + 2*x2^2", "x1^2 + 2*x2^2", "0.1*(x1 + x2)^2 + 2*(x1 - x2)^2", "(1 - x1)^2 + 100*(x2 - x1^2)^2",
    "(x1^2 + x2 - 11)^2 + (x1 + x2^2 - 7)^2", "x1^2 - x2^2", "x1^4 + x2^2", "x1^2", "(x1 - x2)^2",
    "sin(x1) + cos(x2)", "x1^3 - 3*x1 + x2^2", "x1 + x2", "3", "x1^3 - 3*x1*x2^2", "exp(x1) + x2^2",
    "log(x1^2 + x2^2 + 1)", "sqrt(x1^2 + x2^2)", "abs(x1) + abs(x2)", "x1*x2", "0.5*x1^2 + 10*x2^2 + 3*x1*x2",
    "x1^4 - 2*x1^2 + x2^4", "x1^2/(1 + x2^2)", "2^x1 + x2^2", "x1^x2 + x2^2", "tanh(x1)^2 + sinh(x2/3)^2",
    "atan(x1) + cosh(x2/2)", "x1^0.5 + x2^2", "x1^-2 + x2^2", "-x1^2 - x2^2", "e^(-x1^2 - x2^2)",
    "pi*x1^2 + e*x2^2", "tan(x1/4)^2 + x2^2", "(x1 - 1)^4 + (x2 + 0.5)^4", "x1^6 + x2^2", "f(x, y) = x^2 + 3y^2",
    "x\u2081\u00b2 + 2x\u2082\u00b3", "1e-3*x1^2 + 1.5e2*x2^2", "x1^0*x2 + x2^2",
    "10*x1^2 + x2^2 - 0.5*x1*x2 + 2*x1 - x2",
    "\u2212x1 \u00d7 x2 + x1\u00b7x1 + \u03c0", "2(x1 - 1)^2 + 3 (x2 + 2)^2", "-(-x1)^2 + x1*-x2 + 2^-x1",
    "x1 - (x2 - (x1 + 1))", "1/2x1^2 + x2^2/4", "0.00001*x1^2 + x2^2 + 1.5e20*0", "sqrt(2)*x1^2 + exp(1)*x2^2",
    "ln(x1^2 + 1) + arctan(x2)^2", "abs(x1 - 0.05) + x2^2", "(x1^2 + x2^2)^2 - 4*(x1^2 + x2^2)",
    "x1^100 + x2^2", "x1*0/0 + 1", "log(x1)",
]
ERRORS = [
    "x1^2 + * x2", "x1**9999999", "__import__('os')", "(" * 10000 + "x1" + ")" * 10000, "x1 + " * 25000,
    "\u04451^2", "\uff58\u00b9", "x\uff11", "\u0435\u0445\u0440(x1)", "1e999", "0/0", "", "f = ", "sin x1", "exp(x1",
    "x1)", "x1 2", "x1 +", "((x1)", "2^2^10", "log(0)", "sqrt(-1) + x1", "x1^(1/0)", "$", "x1 \u202e x2",
    "-" * 40 + "x1", "1+" * 60 + "1", "x+" * 249 + "x", "(" * 40 + "x1" + ")" * 40, "\x00", "x1;x2", "x1 = 3",
    "quadratc", "x1.2.3", "exp", "x1^", "2 3", "x1 ** ** 2", "\u00b2", "x1 # comment", "exp(1000) + x1",
    "x1^101", "x1^-101", "1e308*10 + x1", "a" * 600, "\U0001F600 + x1",
]
POINTS = [(-5.0, -2.0), (0.0, 0.0), (1.0, 1.0), (0.3, -0.7), (2.5, 1.5), (-1e3, 1e-3), (1e10, -1e10), (-0.0, 2.0),
          (1e-300, -1e-300), (7.0, -3.25)]
OBJECTIVES = [(t, (-5.0, -2.0), None) for t in FORMULAS if t not in ("x1*0/0 + 1",)] + [
    ("x1^2", (3.0, 4.0), None), ("0.1*x1^2 + 2*x2^2", (-5.0, -2.0), (-3.0, 3.0, -2.0, 2.0)),
    ("(x1 - 10)^2 + x2^2", (-5.0, -2.0), None), ("(x1 - x2)^2", (1.0, -7.0), None),
    ("x1^4 + x2^2", (2.0, 2.0), (0.5, 4.0, 0.5, 4.0)), ("sin(x1) + cos(x2)", (0.0, 0.0), (-10.0, 10.0, -10.0, 10.0)),
]
RUNS = [  # (formula, rule, settings, steps): the book's rules on formulas, stepped by the Python engine
    ("0.1*x1^2 + 2*x2^2", "gd", {"eta": 0.4}, 20), ("x1^2 + 2*x2^2", "gd", {"eta": 0.1}, 20),
    ("0.1*x1^2 + 2*x2^2", "momentum", {"eta": 0.6, "beta": 0.5}, 20),
    ("(1 - x1)^2 + 100*(x2 - x1^2)^2", "gd", {"eta": 0.001}, 50),
    ("x1^4 + x2^2", "momentum", {"eta": 0.01, "beta": 0.9}, 60),
    ("sin(x1) + cos(x2)", "gd", {"eta": 0.5}, 40), ("x1^3 - 3*x1 + x2^2", "gd", {"eta": 0.05}, 30),
    ("exp(x1) + x2^2", "gd", {"eta": 0.6}, 40), ("x1^2/(1 + x2^2)", "momentum", {"eta": 0.3, "beta": 0.5}, 30),
]
TRANSCENDENTAL = {"exp", "log", "sin", "cos", "tan", "tanh", "sinh", "cosh", "atan"}


def num(x: float) -> float | str:
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def exact(node: F.Node, constants: dict) -> bool:
    """Whether every operation is one JavaScript and numpy both round correctly: + - * /, sqrt, abs, integer
    powers (repeated multiplication). Anything through Math.exp, Math.pow, ... may differ in the last bit."""
    if node.kind == "call" and node.name in TRANSCENDENTAL:
        return False
    if node.kind == "pow":
        c = constants[id(node.b)]
        if c is None or c != int(c):
            return False
    return all(exact(child, constants) for child in (node.a, node.b) if child is not None)


def parse_case(text: str) -> dict:
    try:
        f = F.parse(text)
    except F.FormulaError as exc:
        # the message as data (the page's FormulaError.note) and Python's words for it in both languages
        return {"input": text, "error": str(exc), "zh": str(exc.message.to("zh")), "message": exc.message.data()}
    constants = F.fold(f.tree)
    return {"input": text, "text": f.text, "latex": f.latex, "variables": list(f.variables),
            "degree": num(f.degree), "quadratic": f.quadratic, "slug": F.slug(text), "cost": f.cost,
            "exact": exact(f.tree, constants),
            "tape": [[op.kind, op.a, op.b, num(op.c), op.name, op.d1, op.d2] for op in f.tape]}


def values(text: str) -> dict:
    f = F.parse(text)
    rng = np.random.default_rng(24)
    pts = POINTS + [tuple(p) for p in rng.uniform(-6, 6, (10, 2)).tolist()]
    out = []
    for x1, x2 in pts:
        v, g1, g2 = f.value_and_grad(np.float64(x1), np.float64(x2))  # one point at a time, as the engine steps
        out.append([num(x1), num(x2), num(v), num(g1), num(g2)])
    return {"text": f.text, "exact": exact(f.tree, F.fold(f.tree)), "points": out}


def objective(text: str, start: tuple, window: tuple | None) -> dict:
    o = from_formula(text, start=start, window=window)
    return {"input": text, "start": list(start), "window": None if window is None else list(window),
            "name": o.name, "latex": o.latex, "xlim": list(o.xlim), "ylim": list(o.ylim),
            "minima": [list(m) for m in o.minima], "saddles": [list(s) for s in o.saddles], "levels": o.levels,
            "hessian": None if o.hessian is None else [[num(v) for v in row] for row in o.hessian.tolist()]}


def run_case(text: str, rule: str, settings: dict, steps: int) -> dict:
    t = run(rule, objective=from_formula(text), steps=steps, **settings)
    f = F.parse(text)
    return {"text": text, "optimizer": rule, "settings": settings, "steps": steps, "start": [-5.0, -2.0],
            "exact": exact(f.tree, F.fold(f.tree)), "diverged_at": t.diverged_at,
            "points": [[num(a), num(b)] for a, b in t.points.tolist()], "book_line": t.book_line()}


def main() -> int:
    valid = [t for t in FORMULAS if "error" not in parse_case(t)]
    data = {
        "generator": "js/test/make_formula_golden.py", "numpy": np.__version__,
        "limits": {"maxLength": F.MAX_LENGTH, "maxDepth": F.MAX_DEPTH, "maxNodes": F.MAX_NODES,
                   "maxNumbers": F.MAX_NUMBERS, "maxExponent": F.MAX_EXPONENT, "messageEcho": F.MESSAGE_ECHO},
        "functions": list(F.FUNCTIONS),
        "numbers": [[x, F.number_text(x)] for x in (0.0, 0.1, 2.0, 100.0, 1e-4, 1e-5, 1.5e-7, 123456789.0, 1e15, 1e16,
                                                     1.5e20, 1234567890123456.0, 0.30000000000000004, 5e-324,
                                                     1.7976931348623157e308, 2.5, 1 / 3)],
        "parse": [parse_case(t) for t in FORMULAS + ERRORS],
        "values": [values(t) for t in valid],
        "objectives": [objective(*case) for case in OBJECTIVES],
        "runs": [run_case(*case) for case in RUNS],
        # landscape.fit_budget for a formula's cost: the page's tab lowers the resolution the same way
        "budgets": [[RESOLUTION[1], steps, axes, cost, fit_budget(RESOLUTION[1], steps, axes, cost)]
                    for steps in (1, 20, 100, 500) for axes in (1, 2) for cost in (1, 2, 5, 38, 200)],
    }
    write(data, OUT)
    print(f"wrote {len(data['parse'])} formulas, {len(data['objectives'])} objectives and {len(data['runs'])} runs "
          f"to {OUT} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
