r"""Update rules: pure functions of (x, g, state, hyperparameters), and their d2l-form ``*_2d`` callables.

Every update is per coordinate and broadcasts: ``x`` and ``g`` hold both coordinates on the first axis and
any batch of settings after it, and every hyperparameter may be an array over that batch. A rule returns the
new position, the new state and the effective learning rate it used (the factor in front of ``g``; for momentum
and Nesterov, eta, the factor in front of the velocity). Nothing is mutated, nothing is global. A schedule and
gradient noise are the engine's: it passes eta_t as ``hp["eta"]`` and the noisy gradient as ``g``.

The d2l form, ``rmsprop_2d(x1, x2, s1, s2, f_grad=None, *, eta=0.4, gamma=0.9, ...)``, runs unchanged inside the
book's ``train_2d`` loop (``x1, x2, s1, s2 = -5, -2, 0, 0``). Rules with more state per coordinate than one
number keep a tuple in ``s1`` / ``s2``: Adadelta ``(s, delta)``, Adam ``(v, s, t)``, SGD ``t``; 0 is fresh state.
A schedule and noise need the step count: SGD, Adam, and gd given either (then gd keeps ``t`` as SGD does).

The pure updates trust their inputs, so that they cost nothing extra per step; ``run()`` and the ``*_2d``
callables validate everything first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np

from . import noise, schedules
from .objectives import Objective, get_objective
from .specs import RULES, check_int, check_name, resolve

Array = Any  # a float or a numpy array
Update = tuple[Array, Any, Array | None]  # (new x, new state, effective learning rate or None)


class Velocity(NamedTuple):
    v: Array  # momentum buffer


class Accumulator(NamedTuple):
    s: Array  # sum (AdaGrad) or running average (RMSProp) of g^2


class AdadeltaState(NamedTuple):
    s: Array  # E[g^2]
    delta: Array  # E[(delta x)^2]


class AdamState(NamedTuple):
    v: Array  # E[g]
    s: Array  # E[g^2]


class Clock(NamedTuple):
    pass  # SGD keeps only the step count, which the engine passes as t


STATES: dict[str, type] = {"gd": Clock, "sgd": Clock, "momentum": Velocity, "nesterov": Velocity,
                           "adagrad": Accumulator, "rmsprop": Accumulator, "adadelta": AdadeltaState,
                           "adam": AdamState}


def init(rule: str, x: Array) -> NamedTuple:
    """Fresh (all-zero) state of ``rule`` for positions shaped like ``x``."""
    cls = STATES[rule]
    return cls(*(np.zeros_like(x) for _ in cls._fields))


# --- the rules ------------------------------------------------------------------------------------------------

def gd(x: Array, g: Array, state: Any, hp: Mapping[str, Any], t: int,
       convention: str = "d2l") -> Update:
    r"""Gradient descent, :math:`x \leftarrow x - \eta\, g`."""
    return x - hp["eta"] * g, state, hp["eta"]


def sgd(x: Array, g: Array, state: Any, hp: Mapping[str, Any], t: int,
        convention: str = "d2l") -> Update:
    r"""The book's SGD: gradient descent, :math:`x \leftarrow x - \eta_t g`, on the noisy gradient
    :math:`g + \sigma \xi_t,\ \xi_t \sim N(0, 1)` (sigma = 1 by default, the book's), with the book's
    schedules :math:`\eta_t = \eta\, \mathrm{lr}(t)`. The engine adds the noise and the schedule, as it does
    for every rule: only their defaults make SGD."""
    return gd(x, g, state, hp, t, convention)


def momentum(x: Array, g: Array, state: Any, hp: Mapping[str, Any], t: int,
             convention: str = "d2l") -> Update:
    r"""Momentum (heavy ball), :math:`v \leftarrow \beta v + g;\ x \leftarrow x - \eta v`.

    Same in both conventions (torch's SGD with dampening 0 starts its buffer at g, which is :math:`\beta 0 + g`).
    """
    v = hp["beta"] * state.v + g
    return x - hp["eta"] * v, Velocity(v), hp["eta"]


def nesterov_lookahead(x: Array, state: Any, hp: Mapping[str, Any], convention: str = "d2l") -> Array:
    """Where Nesterov reads the gradient: the look-ahead point (d2l) or the current point (torch)."""
    return x - hp["eta"] * hp["beta"] * state.v if convention == "d2l" else x


def nesterov(x: Array, g: Array, state: Any, hp: Mapping[str, Any], t: int,
             convention: str = "d2l") -> Update:
    r"""Nesterov momentum.

    d2l (Sutskever's form, g read at the look-ahead point :math:`x - \eta\beta v`):
    :math:`v \leftarrow \beta v + g;\ x \leftarrow x - \eta v`.
    torch (g read at x): :math:`v \leftarrow \beta v + g;\ x \leftarrow x - \eta (g + \beta v)`.
    """
    v = hp["beta"] * state.v + g
    step = v if convention == "d2l" else g + hp["beta"] * v
    return x - hp["eta"] * step, Velocity(v), hp["eta"]


def adagrad(x: Array, g: Array, state: Any, hp: Mapping[str, Any], t: int,
            convention: str = "d2l") -> Update:
    r"""AdaGrad, :math:`s \leftarrow s + g^2`.

    d2l, eps inside the root: :math:`x \leftarrow x - \frac{\eta}{\sqrt{s + \epsilon}} g`.
    torch, eps outside: :math:`x \leftarrow x - \frac{\eta}{\sqrt{s} + \epsilon} g`.
    """
    s = state.s + g ** 2
    lr = hp["eta"] / (np.sqrt(s + hp["eps"]) if convention == "d2l" else np.sqrt(s) + hp["eps"])
    return x - lr * g, Accumulator(s), lr


def rmsprop(x: Array, g: Array, state: Any, hp: Mapping[str, Any], t: int,
            convention: str = "d2l") -> Update:
    r"""RMSProp, :math:`s \leftarrow \gamma s + (1 - \gamma) g^2` (torch's alpha is gamma).

    d2l, eps inside the root: :math:`x \leftarrow x - \frac{\eta}{\sqrt{s + \epsilon}} g`.
    torch, eps outside: :math:`x \leftarrow x - \frac{\eta}{\sqrt{s} + \epsilon} g`.
    """
    gamma = hp["gamma"]
    s = gamma * state.s + (1 - gamma) * g ** 2
    lr = hp["eta"] / (np.sqrt(s + hp["eps"]) if convention == "d2l" else np.sqrt(s) + hp["eps"])
    return x - lr * g, Accumulator(s), lr


def adadelta(x: Array, g: Array, state: Any, hp: Mapping[str, Any], t: int,
             convention: str = "d2l") -> Update:
    r"""Adadelta, eps inside both roots.

    .. math::
        s \leftarrow \rho s + (1 - \rho) g^2;\quad
        g' = \frac{\sqrt{\Delta x + \epsilon}}{\sqrt{s + \epsilon}}\, g;\quad
        x \leftarrow x - \eta g';\quad \Delta x \leftarrow \rho \Delta x + (1 - \rho) g'^2

    d2l has no eta (it is 1); torch's lr is eta. With :math:`\Delta x = 0` the first steps are about
    :math:`\sqrt{\epsilon / s}\, g`: tiny, which is the lesson.
    """
    rho = hp["rho"]
    s = rho * state.s + (1 - rho) * g ** 2
    ratio = np.sqrt(state.delta + hp["eps"]) / np.sqrt(s + hp["eps"])
    g_prime = ratio * g
    delta = rho * state.delta + (1 - rho) * g_prime ** 2
    eta = hp.get("eta", 1.0)
    if convention == "d2l":
        return x - g_prime, AdadeltaState(s, delta), ratio
    return x - eta * g_prime, AdadeltaState(s, delta), eta * ratio


def _corrected(m, beta, t, on):
    # (1 - beta^t) is 0 only when beta = 1, where the average never moves off 0: leave it uncorrected then.
    if not on:
        return m
    c = 1 - np.asarray(beta, dtype=float) ** t
    return m / np.where(c == 0, 1.0, c)


def adam(x: Array, g: Array, state: Any, hp: Mapping[str, Any], t: int,
         convention: str = "d2l") -> Update:
    r"""Adam, eps outside the root and after bias correction (both conventions; only the defaults differ).

    .. math::
        v \leftarrow \beta_1 v + (1 - \beta_1) g;\quad s \leftarrow \beta_2 s + (1 - \beta_2) g^2;\quad
        \hat v = \frac{v}{1 - \beta_1^t};\quad \hat s = \frac{s}{1 - \beta_2^t};\quad
        x \leftarrow x - \frac{\eta\, \hat v}{\sqrt{\hat s} + \epsilon}

    With ``bias_correction=False``, :math:`\hat v = v` and :math:`\hat s = s`. A decay rate of exactly 1 keeps
    its average at 0 and is left uncorrected (0/0 has no value).
    """
    b1, b2, on = hp["beta1"], hp["beta2"], hp["bias_correction"]
    v = b1 * state.v + (1 - b1) * g
    s = b2 * state.s + (1 - b2) * g ** 2
    lr = hp["eta"] / (np.sqrt(_corrected(s, b2, t, on)) + hp["eps"])
    return x - lr * _corrected(v, b1, t, on), AdamState(v, s), lr


UPDATES: dict[str, Callable] = {"gd": gd, "sgd": sgd, "momentum": momentum, "nesterov": nesterov,
                                "adagrad": adagrad, "rmsprop": rmsprop, "adadelta": adadelta, "adam": adam}
LOOKAHEADS: dict[str, Callable] = {"nesterov": nesterov_lookahead}


# --- the d2l form ---------------------------------------------------------------------------------------------

def _unpack(rule: str, s1: Any, s2: Any, x: np.ndarray) -> tuple[NamedTuple, int]:
    """Turn the book's (s1, s2) into a state over both coordinates and the step count t."""
    fresh = init(rule, x)
    parts, t = [], 0
    for i, s in enumerate((s1, s2)):
        if rule in ("gd", "sgd"):
            t = max(t, int(s) if np.ndim(s) == 0 else int(np.max(s)))
            continue
        if isinstance(s, tuple):
            if rule == "adam":
                *s, t = s
            parts.append(tuple(np.asarray(a, dtype=float) for a in s))
        elif np.ndim(s) == 0 and s == 0:
            parts.append(tuple(f[i] for f in fresh))
        else:
            parts.append((np.asarray(s, dtype=float),))
    if not parts:
        return fresh, t
    return STATES[rule](*(np.stack(np.broadcast_arrays(a, b)) for a, b in zip(*parts, strict=True))), t


def _pack(rule: str, state: NamedTuple, t: int, clock: bool = False) -> tuple[Any, Any]:
    if rule in ("gd", "sgd"):
        return (t, t) if rule == "sgd" or clock else (0, 0)
    per = [tuple(_plain(f[i]) for f in state) for i in (0, 1)]
    if rule == "adam":
        return per[0] + (t,), per[1] + (t,)
    return tuple(p if len(p) > 1 else p[0] for p in per)


def _plain(a: np.ndarray) -> Any:
    return a[()] if a.ndim == 0 else a


def _d2l_grad(f_grad: Callable | None, objective: str | Objective) -> Callable:
    if f_grad is not None:
        if not callable(f_grad):
            raise ValueError(f"The 'f_grad' parameter must be a function (x1, x2) -> (g1, g2). Got {f_grad!r} "
                             "instead.")
        return f_grad
    return get_objective(objective).grad


_CLOCKED = ("gd", "sgd", "adam")  # the rules whose book form carries the step count that schedules and noise read


def _make_2d(rule: str) -> Callable:
    def step_2d(x1, x2, s1, s2, f_grad=None, *, objective="quadratic", convention="d2l", seed=0, **hyper):
        hp = resolve(rule, convention, hyper)
        scheduled = hp.get("schedule", "constant") != "constant"
        noisy = np.any(np.asarray(hp["sigma"]) > 0)
        if (scheduled or noisy) and rule not in _CLOCKED:
            raise ValueError(f"The book's form of {rule} keeps no step count, which a schedule and gradient noise "
                             f"need: use trajectories.run() for {rule}. Got schedule={hp.get('schedule')!r}, "
                             f"sigma={hp['sigma']!r}.")
        check_int(seed, "seed", 0, 2 ** 32 - 1, bound="[0, 2**32)")
        grad = _d2l_grad(f_grad, objective)
        with np.errstate(all="ignore"):
            x = np.stack(np.broadcast_arrays(np.asarray(x1, dtype=float), np.asarray(x2, dtype=float)))
            state, t = _unpack(rule, s1, s2, x)
            t += 1
            if scheduled:
                hp = dict(hp, eta=schedules.rates(hp["schedule"], convention, hp["eta"], hp, t)[t - 1])
            look = LOOKAHEADS.get(rule)
            xg = look(x, state, hp, convention) if look else x
            g = np.stack(np.broadcast_arrays(*grad(xg[0], xg[1])))
            if noisy:
                xi = noise.gaussian(seed, t)
                g = g + hp["sigma"] * xi.reshape((2,) + (1,) * (g.ndim - 1))
            x, state, _ = UPDATES[rule](x, g, state, hp, t, convention)
        return (_plain(x[0]), _plain(x[1])) + _pack(rule, state, t, clock=scheduled or noisy)

    step_2d.__name__ = step_2d.__qualname__ = f"{rule}_2d"
    step_2d.__doc__ = (f"One step of {rule} in the book's form ``(x1, x2, s1, s2) -> (x1, x2, s1, s2)``.\n\n"
                       f"Hyperparameters, a schedule and gradient noise (``sigma``, ``seed``) and ``objective``\n"
                       f"(default: the book's 0.1 x1^2 + 2 x2^2) are keywords; a d2l ``f_grad(x1, x2) -> (g1, g2)``\n"
                       f"may be passed fifth. The update:\n\n" + (UPDATES[rule].__doc__ or ""))
    return step_2d


gd_2d = _make_2d("gd")
sgd_2d = _make_2d("sgd")
momentum_2d = _make_2d("momentum")
nesterov_2d = _make_2d("nesterov")
adagrad_2d = _make_2d("adagrad")
rmsprop_2d = _make_2d("rmsprop")
adadelta_2d = _make_2d("adadelta")
adam_2d = _make_2d("adam")

STEP_2D: dict[str, Callable] = {r: globals()[f"{r}_2d"] for r in RULES}


def trainer(rule: str, **hyperparameters: Any) -> Callable:
    """``functools.partial`` of a ``*_2d`` callable, for the book's ``train_2d``."""
    return functools.partial(STEP_2D[check_name(rule, "optimizer", RULES)], **hyperparameters)


def eta_limit(rule: str, objective: str | Objective = "quadratic", *, beta: float = 0.0) -> float | None:
    r"""The largest stable eta of gd, sgd (in expectation), momentum or nesterov on a convex quadratic, else None.

    With :math:`a = \eta \lambda_{max}`: gd needs :math:`a < 2`; momentum :math:`a < 2 + 2\beta`; Nesterov
    (both conventions share the characteristic polynomial :math:`z^2 - (1+\beta)(1-a) z + \beta(1-a)`)
    :math:`a < (2 + 2\beta) / (1 + 2\beta)`. None for other rules and for objectives without a positive
    definite constant Hessian.
    """
    obj = get_objective(objective)
    check_name(rule, "optimizer", RULES)
    if isinstance(beta, bool) or not isinstance(beta, (int, float)) or not 0 <= beta <= 1:
        raise ValueError(f"The 'beta' parameter of {rule} must be a float in the range [0, 1]. Got {beta!r} instead.")
    if obj.hessian is None or np.linalg.eigvalsh(obj.hessian)[0] <= 0:
        return None
    lam = obj.lambda_max
    if rule in ("gd", "sgd"):
        return 2 / lam
    if rule == "momentum":
        return (2 + 2 * beta) / lam
    if rule == "nesterov":
        return (2 + 2 * beta) / ((1 + 2 * beta) * lam)
    return None
