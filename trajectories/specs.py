"""The one table of settings: defaults, ranges, scales; it drives validation, sliders, links and the CLI.

Three kinds of settings make a run: the hyperparameters of its update rule (:data:`SPECS`), a learning-rate
schedule with its own parameters for every rule that has a learning rate (:data:`SCHEDULE_SPECS`), and gradient
noise (:func:`sigma_spec`, with a seed and a number of seeds, :data:`SPREAD`). :func:`settings` puts the three
together for one rule, convention and schedule; :func:`resolve` checks and fills them.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

RULES = ("gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam")
CONVENTIONS = ("d2l", "torch")
MAX_STEPS = 100_000  # the most steps a run takes (the command line and the Python API)


class Spec(NamedTuple):
    """One setting of one rule (or schedule) under one convention."""

    default: Any
    low: float = math.nan  # closed range [low, high] for numbers
    high: float = math.nan
    scale: str = "linear"  # "linear" or "log": how a slider should move (a log range may start at 0)
    description: str = ""
    choices: tuple = ()  # non-empty for a choice (schedule, bias correction)
    kind: str = "float"  # "float", "int" (a step count) or "ints" (increasing step counts, e.g. milestones)

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)


def _eta(default: float, note: str = "") -> Spec:
    return Spec(default, 1e-5, 100.0, "log", "learning rate" + note)


def _eps(default: float, where: str) -> Spec:
    return Spec(default, 1e-12, 1.0, "log", f"numerical stabiliser, {where} the square root")


def _decay(default: float, what: str) -> Spec:
    return Spec(default, 0.0, 1.0, "linear", what)


_BIAS = Spec(True, description="divide v and s by (1 - beta^t)", choices=(True, False))

# The book's values where it has them (d2l chapter 12, "Optimization Algorithms"); where it shows a rule only on
# real data (Adam: lr 0.01 on the airfoil set) the 2D default follows the 2D examples (eta = 0.4). SGD is gradient
# descent on a noisy gradient: its noise and its schedule are the run's, as for every rule (sigma_spec, SCHEDULES).
_D2L: dict[str, dict[str, Spec]] = {
    "gd": {"eta": _eta(0.4)},
    "sgd": {"eta": _eta(0.1)},
    "momentum": {"eta": _eta(0.6), "beta": _decay(0.5, "momentum: weight of the previous velocity")},
    # Nesterov is stable on a quadratic only for eta*lambda < (2 + 2 beta) / (1 + 2 beta): 0.6 would diverge here.
    "nesterov": {"eta": _eta(0.3), "beta": _decay(0.5, "momentum: weight of the previous velocity")},
    "adagrad": {"eta": _eta(0.4), "eps": _eps(1e-6, "inside")},
    "rmsprop": {"eta": _eta(0.4), "gamma": _decay(0.9, "decay of the squared-gradient average"),
                "eps": _eps(1e-6, "inside")},
    "adadelta": {"rho": _decay(0.9, "decay of both running averages"), "eps": _eps(1e-5, "inside")},
    "adam": {"eta": _eta(0.4), "beta1": _decay(0.9, "decay of the gradient average"),
             "beta2": _decay(0.999, "decay of the squared-gradient average"), "eps": _eps(1e-6, "outside"),
             "bias_correction": _BIAS},
}

# torch.optim's defaults (lr is required for SGD, whose momentum default 0 would make momentum plain gd:
# those keep the book's values).
_TORCH: dict[str, dict[str, Spec]] = {
    "gd": _D2L["gd"],
    "sgd": _D2L["sgd"],
    "momentum": _D2L["momentum"],
    "nesterov": _D2L["nesterov"],
    "adagrad": {"eta": _eta(0.01), "eps": _eps(1e-10, "outside")},
    "rmsprop": {"eta": _eta(0.01), "gamma": _decay(0.99, "decay of the squared-gradient average (torch's alpha)"),
                "eps": _eps(1e-8, "outside")},
    "adadelta": {"eta": _eta(1.0, " (torch's lr, a multiplier on the step)"),
                 "rho": _decay(0.9, "decay of both running averages"), "eps": _eps(1e-6, "inside")},
    "adam": {"eta": _eta(0.001), "beta1": _decay(0.9, "decay of the gradient average"),
             "beta2": _decay(0.999, "decay of the squared-gradient average"), "eps": _eps(1e-8, "outside"),
             "bias_correction": _BIAS},
}

SPECS: dict[str, dict[str, dict[str, Spec]]] = {"d2l": _D2L, "torch": _TORCH}


# ---- learning-rate schedules ----------------------------------------------------------------------------------
# eta_t replaces eta in the rule's update at step t (t = 1, 2, ...). Under d2l, the book's formulas: its SGD section
# (d2l 12.4, "Dynamic Learning Rate": exponential, polynomial) and its learning-rate scheduling section (d2l 12.11,
# :label:`sec_scheduler`: FactorScheduler, the multi-factor schedule, CosineScheduler with warm-up); step t uses the
# value of the book's t-th call, as its plots draw them (the SGD section's clock starts at t = 1 and advances before
# each call). Under torch, torch.optim.lr_scheduler stepped once after every step, so step t uses the rate after
# t - 1 scheduler steps: ExponentialLR, PolynomialLR, StepLR, MultiStepLR, CosineAnnealingLR (after a LinearLR
# warm-up through SequentialLR, when warmup > 0) and LinearLR. trajectories.schedules computes them.
def _steps(default: int, what: str, low: int = 1) -> Spec:
    return Spec(default, low, MAX_STEPS, "linear", what, kind="int")


def _rate(default: float, what: str) -> Spec:  # an absolute learning rate; 0 allowed, so a log slider with a 0 stop
    return Spec(default, 0.0, 100.0, "log", what)


_MILESTONES = Spec((15, 30), 1, MAX_STEPS, "linear", "steps after which the rate is multiplied by factor", kind="ints")

SCHEDULE_SPECS: dict[str, dict[str, dict[str, Spec]]] = {
    "d2l": {
        "constant": {},
        "exponential": {"decay": Spec(0.1, 0.0, 1.0, "linear", "lambda in eta exp(-lambda (t + 1)) (d2l 12.4)")},
        "polynomial": {"decay": Spec(0.1, 0.0, 1.0, "linear", "beta in eta (beta (t + 1) + 1)^-power (d2l 12.4)"),
                       "power": Spec(0.5, 0.0, 4.0, "linear", "the power (d2l 12.4's alpha)")},
        "factor": {"factor": _decay(0.9, "eta_t = max(stop, eta_(t-1) factor) (d2l 12.11 FactorScheduler)"),
                   "stop": _rate(1e-7, "the lowest rate (stop_factor_lr)")},
        "multifactor": {"milestones": _MILESTONES, "factor": _decay(0.5, "the rate's factor at each milestone")},
        "cosine": {"period": _steps(20, "max_update: the step at which the rate reaches final"),
                   "final": _rate(0.0, "final_lr: the rate from period on"),
                   "warmup": _steps(0, "warmup_steps: a linear rise first", low=0),
                   "warmup_begin": _rate(0.0, "warmup_begin_lr: the rate the warm-up starts from")},
    },
    "torch": {
        "constant": {},
        "exponential": {"factor": _decay(0.9, "ExponentialLR's gamma: eta factor^(t - 1)")},
        "polynomial": {"period": _steps(5, "PolynomialLR's total_iters"),
                       "power": Spec(1.0, 0.0, 4.0, "linear", "PolynomialLR's power")},
        "factor": {"every": _steps(10, "StepLR's step_size"), "factor": _decay(0.1, "StepLR's gamma")},
        "multifactor": {"milestones": _MILESTONES, "factor": _decay(0.1, "MultiStepLR's gamma")},
        "cosine": {"period": _steps(20, "the step at which the rate reaches final (T_max + warmup)"),
                   "final": _rate(0.0, "CosineAnnealingLR's eta_min"),
                   "warmup": _steps(0, "LinearLR warm-up steps before the cosine (SequentialLR)", low=0),
                   "start_factor": _decay(1 / 3, "the warm-up's LinearLR start_factor")},
        "linear": {"start_factor": _decay(1 / 3, "LinearLR's start_factor"),
                   "end_factor": _decay(1.0, "LinearLR's end_factor"),
                   "period": _steps(5, "LinearLR's total_iters")},
    },
}
SCHEDULES: dict[str, tuple[str, ...]] = {c: tuple(t) for c, t in SCHEDULE_SPECS.items()}
_SCHEDULE = {c: Spec("constant", description="learning-rate schedule: eta_t in place of eta", choices=SCHEDULES[c])
             for c in CONVENTIONS}


# ---- gradient noise -------------------------------------------------------------------------------------------
def sigma_spec(rule: str) -> Spec:
    """The noise's standard deviation: the book's SGD adds N(0, 1) to each coordinate of g, the others none."""
    return Spec(1.0 if rule == "sgd" else 0.0, 0.0, 10.0, "linear",
                "gradient noise: N(0, sigma^2) added to each coordinate of g")


SPREAD = Spec(1, 1, 100, "linear", "seeds drawn: each path faint, the median run bold", kind="int")
MAX_SEED = 2 ** 32 - 1

# How a setting is written in a label, a slider's name and a legend.
SYMBOLS = {"eta": "η", "gamma": "γ", "rho": "ρ", "beta": "β", "beta1": "β1", "beta2": "β2", "eps": "ε",
           "schedule": "lr(t)", "bias_correction": "bias corr.", "sigma": "σ"}


def check_name(value: Any, parameter: str, allowed: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``allowed``, else raise a one-sentence ValueError."""
    if isinstance(value, str) and value in allowed:
        return value
    names = ", ".join(repr(a) for a in allowed)
    raise ValueError(f"The '{parameter}' parameter must be one of {names}. Got {value!r} instead.")


def specs(rule: str, convention: str = "d2l") -> dict[str, Spec]:
    """The hyperparameter specs of ``rule`` under ``convention``, keyed by the book's symbols."""
    convention = check_name(convention, "convention", CONVENTIONS)
    return SPECS[convention][check_name(rule, "optimizer", RULES)]


def _fmt(x: float) -> str:
    return f"{x:g}"


def check_int(value: Any, parameter: str, low: int, high: int | None = None, *, of: str = "",
              none: bool = False, bound: str = "") -> int | None:
    """Return ``value`` as an int if it is an integer in [low, high] (no upper end if ``high`` is None), else raise
    one sentence that names the parameter, the range and the value.

    ``of`` names the owner (``of="general"`` gives "The 'condition' parameter of general"), ``none`` lets None
    through, and ``bound`` replaces the printed range (``"[0, 2**32)"``).
    """
    if none and value is None:
        return None
    ok = not isinstance(value, (bool, np.bool_)) and isinstance(value, (int, np.integer)) \
        and low <= value and (high is None or value <= high)
    if ok:
        return int(value)
    owner = f" of {of}" if of else ""
    span = bound or (f"[{low}, {high}]" if high is not None else f">= {low}")
    kind = "None or an integer" if none else "an integer"
    where = "in the range " if span.startswith(("[", "(")) else ""
    raise ValueError(f"The '{parameter}' parameter{owner} must be {kind} {where}{span}. Got {value!r} instead.")


def parse_pair(text: Any, parameter: str, names: tuple[str, str] = ("x1", "x2")) -> tuple[float, float]:
    """Two numbers written ``"x1,x2"`` (a start point, a span ``low,high``) as floats; else one sentence."""
    try:
        if not isinstance(text, str):
            raise ValueError
        x, y = (float(v) for v in text.split(","))
    except ValueError:
        raise ValueError(f"The '{parameter}' parameter must be two numbers {names[0]},{names[1]}. "
                         f"Got {text!r} instead.") from None
    return x, y


MAX_MILESTONES = 8


def check_value(rule: str, name: str, spec: Spec, value: Any) -> Any:
    """Validate one setting's value (a number or an array of numbers, a step count, milestones, a choice) against
    its spec; ``rule`` names the owner in the message ("gd", "gd's cosine schedule")."""
    if spec.is_choice:
        if isinstance(value, (bool, str)) and value in spec.choices and type(value) is type(spec.default):
            return value
        allowed = ", ".join(repr(c) for c in spec.choices)
        raise ValueError(f"The '{name}' parameter of {rule} must be one of {allowed}. Got {value!r} instead.")
    if spec.kind == "int":
        return _step_count(rule, name, spec, value)
    if spec.kind == "ints":
        return _milestones(rule, name, spec, value)
    where = f"The '{name}' parameter of {rule} must be a float in the range [{_fmt(spec.low)}, {_fmt(spec.high)}]"
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None:
        raise ValueError(f"{where}. Got {value!r} instead.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{where}. Got {value!r} instead.") from None
    if array.dtype == object or array.size == 0:
        raise ValueError(f"{where}. Got {value!r} instead.")
    bad = ~((array >= spec.low) & (array <= spec.high))  # NaN compares False, so it lands here too
    if bad.any():
        first = array[bad].flat[0] if array.ndim else array
        raise ValueError(f"{where}. Got {float(first):g} instead.")
    return float(array) if array.ndim == 0 else array


def _integral(value: Any) -> int | None:
    """An int from an int or a float with no fraction (JSON has one kind of number); None for anything else."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and value == int(value):
        return int(value)
    return None


def _step_count(owner: str, name: str, spec: Spec, value: Any) -> int:
    n = _integral(value)
    if n is None or not spec.low <= n <= spec.high:
        raise ValueError(f"The '{name}' parameter of {owner} must be an integer in the range "
                         f"[{int(spec.low)}, {int(spec.high)}]. Got {value!r} instead.")
    return n


def _milestones(owner: str, name: str, spec: Spec, value: Any) -> tuple[int, ...]:
    steps = [_integral(v) for v in value] if isinstance(value, (list, tuple)) else [None]
    if not 1 <= len(steps) <= MAX_MILESTONES or any(n is None or not spec.low <= n <= spec.high for n in steps) \
            or any(a >= b for a, b in zip(steps, steps[1:], strict=False)):
        raise ValueError(f"The '{name}' parameter of {owner} must be 1 to {MAX_MILESTONES} increasing integers "
                         f"in the range [{int(spec.low)}, {int(spec.high)}]. Got {value!r} instead.")
    return tuple(steps)


def takes_schedule(rule: str, convention: str = "d2l") -> bool:
    """Whether ``rule`` has a learning rate to schedule under ``convention`` (all but the book's Adadelta)."""
    return "eta" in specs(rule, convention)


def settings(rule: str, convention: str = "d2l", schedule: str = "constant") -> dict[str, Spec]:
    """Every setting of a run of ``rule``: its hyperparameters, then (if it has a learning rate) ``schedule`` and
    that schedule's parameters, then the noise's ``sigma``."""
    table = dict(specs(rule, convention))
    if takes_schedule(rule, convention):
        table["schedule"] = _SCHEDULE[convention]
        table.update(SCHEDULE_SPECS[convention][check_name(schedule, "schedule", SCHEDULES[convention])])
    table["sigma"] = sigma_spec(rule)
    return table


def resolve(rule: str, convention: str, given: dict[str, Any], *, together: bool = True) -> dict[str, Any]:
    """Fill defaults and validate ``given`` settings (hyperparameters, schedule and its parameters, sigma); unknown
    names raise one clear ValueError.

    The result holds every hyperparameter of ``rule``, then ``schedule`` and the chosen schedule's parameters (for
    rules with a learning rate), then ``sigma``, each given or default. ``together=False`` checks each value alone,
    not how they go together (a cosine schedule's warm-up must end before its period).
    """
    rule = check_name(rule, "optimizer", RULES)
    convention = check_name(convention, "convention", CONVENTIONS)
    schedule = "constant"
    if "schedule" in given and takes_schedule(rule, convention):
        schedule = check_value(rule, "schedule", _SCHEDULE[convention], given["schedule"])
    table = settings(rule, convention, schedule)
    for name in given:
        if name not in table:
            raise ValueError(_unknown(rule, convention, schedule, name))
    own = SCHEDULE_SPECS[convention][schedule]
    out = {name: check_value(f"{rule}'s {schedule} schedule" if name in own else rule, name, spec,
                             given.get(name, spec.default)) for name, spec in table.items()}
    if together and schedule == "cosine" and not out["warmup"] < out["period"]:
        raise ValueError(f"The 'warmup' parameter of {rule}'s cosine schedule must be below its period "
                         f"({out['period']}). Got {out['warmup']!r} instead.")
    return out


def _unknown(rule: str, convention: str, schedule: str, name: str) -> str:
    table = specs(rule, convention)
    known = ", ".join(repr(k) for k in table)
    extra = ""
    if rule == "adadelta" and convention == "d2l" and (name == "eta" or name == "schedule"
                                                         or any(name in t for t in SCHEDULE_SPECS["torch"].values())):
        extra = " (the book's Adadelta has no learning rate; convention='torch' adds torch's lr)"
    elif any(name in t for c in CONVENTIONS for t in SCHEDULE_SPECS[c].values()):
        having = [s for s, t in SCHEDULE_SPECS[convention].items() if name in t]
        extra = (f" (a parameter of the {' and '.join(having)} schedule, and this run's schedule is {schedule})"
                 if having else f" (a schedule parameter only under convention="
                                f"'{'torch' if convention == 'd2l' else 'd2l'}')")
    more = ", 'schedule' (and its parameters)" if takes_schedule(rule, convention) else ""
    return (f"The '{name}' parameter is not a hyperparameter of {rule} under the {convention} convention{extra}; "
            f"it takes {known}{more} and 'sigma'.")
