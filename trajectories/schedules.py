r"""Learning-rate schedules: the rate eta_t that step t uses in place of eta, for every rule with a learning rate.

Each schedule is computed the way its source computes it, step after step, so that the numbers are the source's:

- ``convention="d2l"``: the book's code. Its SGD section (d2l 12.4, "Dynamic Learning Rate") multiplies eta by
  ``exponential_lr`` (:math:`e^{-\lambda t}`) or ``polynomial_lr`` (:math:`(1 + \beta t)^{-\alpha}`), whose clock
  starts at t = 1 and advances before each call, so step t reads t + 1. Its learning-rate scheduling section
  (d2l 12.11) has ``FactorScheduler`` (:math:`\eta_t = \max(\eta_{stop}, \eta_{t-1} f)`, one call per update),
  the multi-factor schedule (torch's ``MultiStepLR`` in the book's PyTorch tab) and ``CosineScheduler`` with its
  linear warm-up. Step t uses the value of the t-th call, as the book's plots show them (``scheduler(t - 1)``).
- ``convention="torch"``: ``torch.optim.lr_scheduler`` stepped once after every optimizer step, so step t uses the
  rate after t - 1 scheduler steps, by the scheduler's own recursive ``get_lr``: ``ExponentialLR``,
  ``PolynomialLR``, ``StepLR`` ("factor"), ``MultiStepLR`` ("multifactor"), ``CosineAnnealingLR`` (after a
  ``LinearLR`` warm-up through ``SequentialLR`` when ``warmup > 0``) and ``LinearLR``.

eta and the float parameters may be arrays (a batch of runs); step counts and milestones are plain integers.
``tests/golden/generate_torch.py`` records torch's rates and runs, and ``tests/test_schedules.py`` checks both
conventions against their sources.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from .specs import SCHEDULE_SPECS, SCHEDULES, check_name


def rates(schedule: str, convention: str, eta: Any, params: Mapping[str, Any], steps: int) -> np.ndarray | None:
    """eta_t for t = 1..``steps``: shape (steps,) + the shape of eta and the parameters; None for "constant".

    ``params`` holds the schedule's parameters (checked by :func:`trajectories.specs.resolve`).
    """
    schedule = check_name(schedule, "schedule", SCHEDULES[check_name(convention, "convention", ("d2l", "torch"))])
    if schedule == "constant":
        return None
    p = {k: _plain(params[k]) for k in SCHEDULE_SPECS[convention][schedule]}
    make = _D2L[schedule] if convention == "d2l" else _TORCH[schedule]
    out = [np.asarray(v, dtype=float) for v in make(_plain(eta), p, steps)]
    return np.stack(np.broadcast_arrays(*out))


def _plain(value: Any) -> Any:
    """A Python float for one number, so that the arithmetic is the book's and torch's (Python floats, the math
    module); a float array for a batch; step counts and milestones as they are."""
    if isinstance(value, (int, tuple)):
        return value
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)


def _exp(x: Any) -> Any:
    return math.exp(x) if isinstance(x, float) else np.exp(x)


# ---- the book (d2l) ---------------------------------------------------------------------------------------------
def _d2l_exponential(eta, p, steps):
    for t in range(1, steps + 1):  # exponential_lr: t += 1; return math.exp(-0.1 * t)
        yield eta * _exp(-p["decay"] * (t + 1))


def _d2l_polynomial(eta, p, steps):
    for t in range(1, steps + 1):  # polynomial_lr: t += 1; return (1 + 0.1 * t) ** (-0.5)
        yield eta * (1 + p["decay"] * (t + 1)) ** (-p["power"])


def _d2l_factor(eta, p, steps):
    lr = eta
    stop = p["stop"]
    for _ in range(steps):  # FactorScheduler.__call__: base_lr = max(stop_factor_lr, base_lr * factor)
        lr = lr * p["factor"]
        lr = max(stop, lr) if isinstance(lr, float) and isinstance(stop, float) else np.maximum(stop, lr)
        yield lr


def _multistep(eta, milestones, factor, steps):
    lr = eta
    for t in range(1, steps + 1):  # MultiStepLR.get_lr at last_epoch t - 1: lr * gamma ** count at a milestone
        if t - 1 in milestones:
            lr = lr * factor
        yield lr


def _d2l_multifactor(eta, p, steps):
    return _multistep(eta, p["milestones"], p["factor"], steps)


def _d2l_cosine(eta, p, steps):
    period, final, warmup, begin = p["period"], p["final"], p["warmup"], p["warmup_begin"]
    max_steps = period - warmup
    lr = eta
    for t in range(1, steps + 1):  # CosineScheduler.__call__(epoch), epoch = t - 1
        epoch = t - 1
        if epoch < warmup:
            yield begin + (eta - begin) * float(epoch) / float(warmup)
            continue
        if epoch <= period:
            lr = final + (eta - final) * (1 + math.cos(math.pi * (epoch - warmup) / max_steps)) / 2
        yield lr


_D2L = {"exponential": _d2l_exponential, "polynomial": _d2l_polynomial, "factor": _d2l_factor,
        "multifactor": _d2l_multifactor, "cosine": _d2l_cosine}


# ---- torch.optim.lr_scheduler ----------------------------------------------------------------------------------
def _torch_exponential(eta, p, steps):
    lr = eta
    for t in range(1, steps + 1):
        if t > 1:
            lr = lr * p["factor"]
        yield lr


def _torch_polynomial(eta, p, steps):
    lr, total, power = eta, p["period"], p["power"]
    for t in range(1, steps + 1):
        k = t - 1  # last_epoch
        if 0 < k <= total:
            lr = lr * ((1.0 - k / total) / (1.0 - (k - 1) / total)) ** power
        yield lr


def _torch_factor(eta, p, steps):
    lr = eta
    for t in range(1, steps + 1):
        k = t - 1
        if k != 0 and k % p["every"] == 0:
            lr = lr * p["factor"]
        yield lr


def _torch_multifactor(eta, p, steps):
    return _multistep(eta, p["milestones"], p["factor"], steps)


def _linear_step(lr, k, start, end, total):
    """LinearLR.get_lr at last_epoch k >= 1."""
    if k > total:
        return lr
    return lr * (1.0 + (end - start) / (total * start + (k - 1) * (end - start)))


def _cosine_step(lr, eta, k, period, final):
    """CosineAnnealingLR.get_lr at last_epoch k >= 1 (past its first step)."""
    if (k - 1 - period) % (2 * period) == 0:
        return lr + (eta - final) * (1 - math.cos(math.pi / period)) / 2
    return (1 + math.cos(math.pi * k / period)) / (1 + math.cos(math.pi * (k - 1) / period)) * (lr - final) + final


def _torch_cosine(eta, p, steps):
    period, final, warmup, start = p["period"] - p["warmup"], p["final"], p["warmup"], p["start_factor"]
    lr = eta
    for t in range(1, steps + 1):
        k = t - 1  # SequentialLR's last_epoch
        if k < warmup:  # LinearLR(start_factor, end_factor=1, total_iters=warmup)
            lr = eta * start if k == 0 else _linear_step(lr, k, start, 1.0, warmup)
        elif k == warmup:  # the milestone: CosineAnnealingLR._update_lr(0), its closed form at 0
            lr = final + (eta - final) * (1 + math.cos(math.pi * 0 / period)) / 2 if warmup else eta
        else:
            lr = _cosine_step(lr, eta, k - warmup, period, final)
        yield lr


def _torch_linear(eta, p, steps):
    start, end, total = p["start_factor"], p["end_factor"], p["period"]
    lr = eta
    for t in range(1, steps + 1):
        k = t - 1
        lr = eta * start if k == 0 else _linear_step(lr, k, start, end, total)
        yield lr


_TORCH = {"exponential": _torch_exponential, "polynomial": _torch_polynomial, "factor": _torch_factor,
          "multifactor": _torch_multifactor, "cosine": _torch_cosine, "linear": _torch_linear}
