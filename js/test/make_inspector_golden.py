"""Write js/test/inspector.json: the step inspector as the Python engine fills it, for the page's inspector to match.

Run from the repository root after any change to the engine, the inspector's lines or this list of cases:

    python js/test/make_inspector_golden.py

For every rule, both conventions and each variant (with and without gradient noise, Adam with and without bias
correction), and a few schedules (whose rate at step t is the lines' eta), a run
and the inspector at a few of its steps: the values of every line (the engine's own state where it keeps one) and
the lines with their numbers filled in, as the page shows them. The page is given the same templates it is given
in state.config()["inspector"], written here as ``templates``. Nothing is typed in by hand: every number comes
from trajectories' own functions. Floats are written with repr (they read back to the same double), NaN as null.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the golden data must come from this checkout's engine, not an installed copy

from trajectories import noise  # noqa: E402
from trajectories.engine import run  # noqa: E402
from trajectories.inspector import NOISE, inspect, templates, variant_choices, variant_names  # noqa: E402
from trajectories.specs import CONVENTIONS, RULES, specs  # noqa: E402

OUT = Path(__file__).with_name("inspector.json")
SEED = 7
STEPS = 12
AT = (0, 1, 3, STEPS - 1, STEPS)  # the first steps, a later one, the last step and the last point
# (objective, start, settings): the book's start on its quadratic, and a curved valley with a smaller rate
SETTINGS = (("quadratic", (-5.0, -2.0), {}), ("rosenbrock", (-1.5, 1.5), {"eta": 0.001}))


def floats(a) -> list | None:
    if a is None:
        return None
    a = np.asarray(a, dtype=float)
    return np.where(np.isfinite(a), a, None).tolist()


def record(rule: str, convention: str, objective: str, start, steps: int, settings: dict, at) -> dict:
    sigma = settings.get("sigma", 1.0 if rule == "sgd" else 0.0)
    seed = SEED if sigma > 0 else None
    t = run(rule, objective=objective, start=start, steps=steps, convention=convention, seed=seed, **settings)
    options = {"objective": objective, "start": list(start), "steps": steps, "convention": convention, **settings}
    if seed is not None:  # the inspector is told the noise the engine added: sigma xi per step
        options |= {"seed": seed, "noise": (sigma * noise.table(seed, steps)).tolist()}
    inspections = []
    for step in at:
        i = inspect(t, step)
        inspections.append({
            "step": step, "t": i.t, "x": floats(i.x), "x_next": floats(i.x_next), "update": floats(i.update),
            "gradient": floats(i.gradient), "effective_lr": floats(i.effective_lr), "diverged": i.diverged,
            "state_before": {k: floats(v) for k, v in i.state_before.items()},
            "state_after": {k: floats(v) for k, v in i.state_after.items()},
            "lines": [{"name": ln.line.name, "text": ln.line.text, "value": floats(ln.value),
                       "substituted": list(ln.substituted)} for ln in i.lines]})
    return {"optimizer": rule, "options": options, "diverged_at": t.diverged_at, "inspections": inspections}


def cases() -> list[dict]:
    out = []
    for convention in CONVENTIONS:
        for rule in RULES:
            table = specs(rule, convention)
            names = variant_names(rule, convention)
            for combo in itertools.product(*(variant_choices(rule, convention, n) for n in names)):
                choice = dict(zip(names, combo, strict=True))
                if choice.pop(NOISE, False):
                    choice["sigma"] = 0.5
                for objective, start, settings in SETTINGS:
                    extra = {k: v for k, v in settings.items() if k in table}
                    out.append(record(rule, convention, objective, start, STEPS, {**extra, **choice}, AT))
    # Schedules: the lines are the rule's own, with eta the rate at step t.
    for rule, convention, settings in (
            ("gd", "d2l", {"schedule": "cosine", "period": 8, "warmup": 2}),
            ("sgd", "d2l", {"schedule": "exponential", "decay": 0.2}),
            ("momentum", "torch", {"schedule": "multifactor", "milestones": (2, 5), "factor": 0.5}),
            ("adam", "d2l", {"schedule": "polynomial", "sigma": 0.5})):
        out.append(record(rule, convention, "quadratic", (-5.0, -2.0), STEPS, settings, AT))
    # The book's RMSProp at step 3 (what the browser test reads), and a step that diverges (gd, eta 0.6: x2).
    out.append(record("rmsprop", "d2l", "quadratic", (-5.0, -2.0), 20, {"eta": 0.4, "gamma": 0.9}, (3,)))
    gd = run("gd", eta=0.6, steps=60)
    out.append(record("gd", "d2l", "quadratic", (-5.0, -2.0), 60, {"eta": 0.6}, (gd.diverged_at - 1,)))
    return out


def golden() -> str:
    """The file's text: one line per run, so that a change to the engine or the lines shows as a readable diff."""
    with np.errstate(all="ignore"):
        head = {"generator": "js/test/make_inspector_golden.py", "templates": templates()}
        body = ",\n".join(json.dumps(c, separators=(",", ":"), ensure_ascii=False, allow_nan=False) for c in cases())
    text = json.dumps(head, separators=(",", ":"), ensure_ascii=False, allow_nan=False)[:-1]
    return f'{text},\n"cases":[\n{body}\n]}}\n'


def main() -> int:
    OUT.write_text(golden(), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
