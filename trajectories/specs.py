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

from .i18n import Message, MessageError, tables, text

RULES = ("gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam")
CONVENTIONS = ("d2l", "torch")
MAX_STEPS = 100_000  # the most steps a run takes (the command line and the Python API)


class Spec(NamedTuple):
    """One setting of one rule (or schedule) under one convention."""

    default: Any
    low: float = math.nan  # closed range [low, high] for numbers
    high: float = math.nan
    scale: str = "linear"  # "linear" or "log": how a slider should move (a log range may start at 0)
    text: str = ""  # the key of its description in the tables of messages (trajectories/locales)
    choices: tuple = ()  # non-empty for a choice (schedule, bias correction)
    kind: str = "float"  # "float", "int" (a step count) or "ints" (increasing step counts, e.g. milestones)

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)

    @property
    def description(self) -> str:
        """What it is, in English (the command line's help); the page says it in its language from ``text``. A
        ``text`` that is no key of the tables (the command line's own help of a flag) is said as it is."""
        return text(self.text) if self.text in tables()["en"] else self.text


def _eta(default: float, text: str = "spec.eta") -> Spec:
    return Spec(default, 1e-5, 100.0, "log", text)


def _eps(default: float, where: str) -> Spec:
    return Spec(default, 1e-12, 1.0, "log", f"spec.eps_{where}")


def _decay(default: float, text: str) -> Spec:
    return Spec(default, 0.0, 1.0, "linear", text)


def _start_factor(default: float, text: str) -> Spec:
    """LinearLR's start_factor: torch refuses 0 (its recursive form divides by the factor), so the range starts just
    above it."""
    return Spec(default, 0.01, 1.0, "linear", text)


_BIAS = Spec(True, text="spec.bias_correction", choices=(True, False))

# The book's values where it has them (d2l chapter 12, "Optimization Algorithms"); where it shows a rule only on
# real data (Adam: lr 0.01 on the airfoil set) the 2D default follows the 2D examples (eta = 0.4). SGD is gradient
# descent on a noisy gradient: its noise and its schedule are the run's, as for every rule (sigma_spec, SCHEDULES).
_D2L: dict[str, dict[str, Spec]] = {
    "gd": {"eta": _eta(0.4)},
    "sgd": {"eta": _eta(0.1)},
    "momentum": {"eta": _eta(0.6), "beta": _decay(0.5, "spec.beta")},
    # Nesterov is stable on a quadratic only for eta*lambda < (2 + 2 beta) / (1 + 2 beta): 0.6 would diverge here.
    "nesterov": {"eta": _eta(0.3), "beta": _decay(0.5, "spec.beta")},
    "adagrad": {"eta": _eta(0.4), "eps": _eps(1e-6, "inside")},
    "rmsprop": {"eta": _eta(0.4), "gamma": _decay(0.9, "spec.gamma"),
                "eps": _eps(1e-6, "inside")},
    "adadelta": {"rho": _decay(0.9, "spec.rho"), "eps": _eps(1e-5, "inside")},
    "adam": {"eta": _eta(0.4), "beta1": _decay(0.9, "spec.beta1"),
             "beta2": _decay(0.999, "spec.beta2"), "eps": _eps(1e-6, "outside"),
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
    "rmsprop": {"eta": _eta(0.01), "gamma": _decay(0.99, "spec.gamma_torch"),
                "eps": _eps(1e-8, "outside")},
    "adadelta": {"eta": _eta(1.0, "spec.eta_torch"),
                 "rho": _decay(0.9, "spec.rho"), "eps": _eps(1e-6, "inside")},
    "adam": {"eta": _eta(0.001), "beta1": _decay(0.9, "spec.beta1"),
             "beta2": _decay(0.999, "spec.beta2"), "eps": _eps(1e-8, "outside"),
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


_MILESTONES = Spec((15, 30), 1, MAX_STEPS, "linear", "spec.schedule_milestones", kind="ints")

SCHEDULE_SPECS: dict[str, dict[str, dict[str, Spec]]] = {
    "d2l": {
        "constant": {},
        "exponential": {"decay": Spec(0.1, 0.0, 1.0, "linear", "spec.schedule_exp_decay")},
        "polynomial": {"decay": Spec(0.1, 0.0, 1.0, "linear", "spec.schedule_poly_decay"),
                       "power": Spec(0.5, 0.0, 4.0, "linear", "spec.schedule_poly_power")},
        "factor": {"factor": _decay(0.9, "spec.schedule_factor"),
                   "stop": _rate(1e-7, "spec.schedule_stop")},
        "multifactor": {"milestones": _MILESTONES, "factor": _decay(0.5, "spec.schedule_multifactor")},
        "cosine": {"period": _steps(20, "spec.schedule_cosine_period"),
                   "final": _rate(0.0, "spec.schedule_final"),
                   "warmup": _steps(0, "spec.schedule_warmup", low=0),
                   "warmup_begin": _rate(0.0, "spec.schedule_warmup_begin")},
    },
    "torch": {
        "constant": {},
        "exponential": {"factor": _decay(0.9, "spec.schedule_torch_exponential")},
        "polynomial": {"period": _steps(5, "spec.schedule_torch_poly_period"),
                       "power": Spec(1.0, 0.0, 4.0, "linear", "spec.schedule_torch_poly_power")},
        "factor": {"every": _steps(10, "spec.schedule_torch_step_every"),
                   "factor": _decay(0.1, "spec.schedule_torch_step_factor")},
        "multifactor": {"milestones": _MILESTONES, "factor": _decay(0.1, "spec.schedule_torch_multistep_factor")},
        "cosine": {"period": _steps(20, "spec.schedule_torch_cosine_period"),
                   "final": _rate(0.0, "spec.schedule_torch_final"),
                   "warmup": _steps(0, "spec.schedule_torch_warmup", low=0),
                   "start_factor": _start_factor(1 / 3, "spec.schedule_torch_warmup_start")},
        "linear": {"start_factor": _start_factor(1 / 3, "spec.schedule_torch_linear_start"),
                   "end_factor": _decay(1.0, "spec.schedule_torch_linear_end"),
                   "period": _steps(5, "spec.schedule_torch_linear_period")},
    },
}
SCHEDULES: dict[str, tuple[str, ...]] = {c: tuple(t) for c, t in SCHEDULE_SPECS.items()}
_SCHEDULE = {c: Spec("constant", text="spec.schedule", choices=SCHEDULES[c])
             for c in CONVENTIONS}


# ---- gradient noise -------------------------------------------------------------------------------------------
def sigma_spec(rule: str) -> Spec:
    """The noise's standard deviation: the book's SGD adds N(0, 1) to each coordinate of g, the others none."""
    return Spec(1.0 if rule == "sgd" else 0.0, 0.0, 10.0, "linear",
                "spec.sigma")


SPREAD = Spec(1, 1, 100, "linear", "spec.spread", kind="int")
MAX_SEED = 2 ** 32 - 1

# How a setting is written in a label, a slider's name and a legend.
SYMBOLS = {"eta": "η", "gamma": "γ", "rho": "ρ", "beta": "β", "beta1": "β1", "beta2": "β2", "eps": "ε",
           "schedule": "lr(t)", "bias_correction": "bias corr.", "sigma": "σ"}


def check_name(value: Any, parameter: str, allowed: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``allowed``, else raise a one-sentence ValueError."""
    if isinstance(value, str) and value in allowed:
        return value
    raise MessageError("error.one_of", parameter=parameter, allowed=", ".join(repr(a) for a in allowed),
                       value=repr(value))


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
    if not (of or none) and span.startswith(("[", "(")):  # the sentence a link's note can give in its language
        raise MessageError("error.int_range", parameter=parameter, range=span, value=repr(value))
    kind = "None or an integer" if none else "an integer"
    where = "in the range " if span.startswith(("[", "(")) else ""
    raise ValueError(f"The '{parameter}' parameter{owner} must be {kind} {where}{span}. Got {value!r} instead.")


def parse_pair(written: Any, parameter: str, names: tuple[str, str] = ("x1", "x2")) -> tuple[float, float]:
    """Two numbers written ``"x1,x2"`` (a start point, a span ``low,high``) as floats; else one sentence."""
    try:
        if not isinstance(written, str):
            raise ValueError
        x, y = (float(v) for v in written.split(","))
    except ValueError:
        raise MessageError("error.two_numbers", parameter=parameter, pair=f"{names[0]},{names[1]}",
                           value=repr(written)) from None
    return x, y


MAX_MILESTONES = 8


def check_value(rule: str, name: str, spec: Spec, value: Any) -> Any:
    """Validate one setting's value (a number or an array of numbers, a step count, milestones, a choice) against
    its spec; ``rule`` names the owner in the message ("gd", "gd's cosine schedule")."""
    if spec.is_choice:
        if isinstance(value, (bool, str)) and value in spec.choices and type(value) is type(spec.default):
            return value
        raise MessageError("error.one_of_rule", parameter=name, rule=rule,
                           allowed=", ".join(repr(c) for c in spec.choices), value=repr(value))

    def refuse(got: str) -> MessageError:
        return MessageError("error.float_range", parameter=name, rule=rule, low=_fmt(spec.low),
                            high=_fmt(spec.high), value=got)

    if spec.kind == "int":
        return _step_count(rule, name, spec, value)
    if spec.kind == "ints":
        return _milestones(rule, name, spec, value)
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None:
        raise refuse(repr(value))
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise refuse(repr(value)) from None
    if array.dtype == object or array.size == 0:
        raise refuse(repr(value))
    bad = ~((array >= spec.low) & (array <= spec.high))  # NaN compares False, so it lands here too
    if bad.any():
        first = array[bad].flat[0] if array.ndim else array
        raise refuse(f"{float(first):g}")
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
        raise MessageError("error.int_range_of", parameter=name, rule=owner, low=str(int(spec.low)),
                           high=str(int(spec.high)), value=repr(value))
    return n


def _milestones(owner: str, name: str, spec: Spec, value: Any) -> tuple[int, ...]:
    steps = [_integral(v) for v in value] if isinstance(value, (list, tuple)) else [None]
    if not 1 <= len(steps) <= MAX_MILESTONES or any(n is None or not spec.low <= n <= spec.high for n in steps) \
            or any(a >= b for a, b in zip(steps, steps[1:], strict=False)):
        raise MessageError("error.milestones", parameter=name, rule=owner, most=str(MAX_MILESTONES),
                           low=str(int(spec.low)), high=str(int(spec.high)), value=repr(value))
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
            raise _unknown(rule, convention, schedule, name)
    own = SCHEDULE_SPECS[convention][schedule]
    out = {name: check_value(schedule_owner(rule, schedule) if name in own else rule, name, spec,
                             given.get(name, spec.default)) for name, spec in table.items()}
    if together and schedule == "cosine" and not out["warmup"] < out["period"]:
        raise MessageError("error.warmup", rule=schedule_owner(rule, "cosine"), period=str(out["period"]),
                           value=repr(out["warmup"]))
    return out


def schedule_owner(rule: str, schedule: str) -> Message:
    """Who owns a schedule's parameter, as a message names it ("gd's cosine schedule")."""
    return Message("owner.schedule", rule=rule, schedule=schedule)


def joined(names: list[str], word: str = "and") -> str | Message:
    """Names joined the way the message tables join them (``word``: "and" or "or"): "exponential and polynomial"."""
    out: str | Message = names[0]
    for name in names[1:]:
        out = Message(f"list.{word}", first=out, second=name)
    return out


def _unknown(rule: str, convention: str, schedule: str, name: str) -> MessageError:
    table = specs(rule, convention)
    known = ", ".join(repr(k) for k in table)
    extra: str | Message = ""
    if rule == "adadelta" and convention == "d2l" and (name == "eta" or name == "schedule"
                                                         or any(name in t for t in SCHEDULE_SPECS["torch"].values())):
        extra = Message("error.unknown_adadelta")
    elif any(name in t for c in CONVENTIONS for t in SCHEDULE_SPECS[c].values()):
        having = [s for s, t in SCHEDULE_SPECS[convention].items() if name in t]
        extra = (Message("error.unknown_schedule", schedules=joined(having), schedule=schedule) if having
                 else Message("error.unknown_other", convention="torch" if convention == "d2l" else "d2l"))
    more = Message("error.unknown_more") if takes_schedule(rule, convention) else ""
    return MessageError("error.unknown", parameter=name, rule=rule, convention=convention, extra=extra, known=known,
                        more=more)
