"""The one table of hyperparameters: defaults, ranges, scales; it drives validation, sliders and the CLI."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from .i18n import MessageError, text

RULES = ("gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam")
CONVENTIONS = ("d2l", "torch")
SCHEDULES = ("constant", "exponential", "polynomial")


class Spec(NamedTuple):
    """One hyperparameter of one rule under one convention."""

    default: Any
    low: float = math.nan  # closed range [low, high] for numbers
    high: float = math.nan
    scale: str = "linear"  # "linear" or "log": how a slider should move
    text: str = ""  # the key of its description in the tables of messages (trajectories/locales)
    choices: tuple = ()  # non-empty for a choice (schedule, bias correction)

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)

    @property
    def description(self) -> str:
        """What it is, in English (the command line's help); the page says it in its language from ``text``."""
        return text(self.text) if self.text else ""


def _eta(default: float, text: str = "spec.eta") -> Spec:
    return Spec(default, 1e-5, 100.0, "log", text)


def _eps(default: float, where: str) -> Spec:
    return Spec(default, 1e-12, 1.0, "log", f"spec.eps_{where}")


def _decay(default: float, text: str) -> Spec:
    return Spec(default, 0.0, 1.0, "linear", text)


_SCHEDULE = Spec("constant", text="spec.schedule", choices=SCHEDULES)
_BIAS = Spec(True, text="spec.bias_correction", choices=(True, False))

# The book's values where it has them (d2l chapter 12, "Optimization Algorithms"); where it shows a rule only on
# real data (Adam: lr 0.01 on the airfoil set) the 2D default follows the 2D examples (eta = 0.4).
_D2L: dict[str, dict[str, Spec]] = {
    "gd": {"eta": _eta(0.4)},
    "sgd": {"eta": _eta(0.1), "schedule": _SCHEDULE},
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


def check_value(rule: str, name: str, spec: Spec, value: Any) -> Any:
    """Validate one hyperparameter value (a number or an array of numbers) against its spec."""
    if spec.is_choice:
        if isinstance(value, (bool, str)) and value in spec.choices and type(value) is type(spec.default):
            return value
        raise MessageError("error.one_of_rule", parameter=name, rule=rule,
                           allowed=", ".join(repr(c) for c in spec.choices), value=repr(value))

    def refuse(got: str) -> MessageError:
        return MessageError("error.float_range", parameter=name, rule=rule, low=_fmt(spec.low),
                            high=_fmt(spec.high), value=got)

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


def resolve(rule: str, convention: str, given: dict[str, Any]) -> dict[str, Any]:
    """Fill defaults and validate ``given`` hyperparameters; unknown names raise one clear ValueError."""
    table = specs(rule, convention)
    for name in given:
        if name not in table:
            known = ", ".join(repr(k) for k in table)
            extra = ""
            if rule == "adadelta" and name == "eta" and convention == "d2l":
                extra = " (the book's Adadelta has no learning rate; convention='torch' adds torch's lr)"
            raise ValueError(f"The '{name}' parameter is not a hyperparameter of {rule} under the "
                             f"{convention} convention{extra}; it takes {known}.")
    return {name: check_value(rule, name, spec, given.get(name, spec.default)) for name, spec in table.items()}
