"""Stepping: run a rule on an objective for many steps, batched over array-valued settings, stopping cleanly."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .i18n import MessageError
from .objectives import Objective, get_objective
from .rules import LOOKAHEADS, UPDATES, init
from .specs import CONVENTIONS, RULES, check_int, check_name, resolve

BOUND = 1e6  # a run whose |x1| or |x2| passes this has diverged
MAX_STEPS = 100_000


@dataclass(frozen=True)
class Trajectory:
    """The result of :func:`run`. Batch dimensions (from array-valued settings) come first.

    Rows after ``diverged_at`` are NaN: the points up to there are kept, the rest is not invented.
    """

    optimizer: str
    objective: Objective
    convention: str
    hyperparameters: dict[str, Any]
    start: np.ndarray  # (..., 2)
    steps: int
    seed: int | None
    points: np.ndarray  # (..., steps + 1, 2), start included
    losses: np.ndarray  # (..., steps + 1)
    state: dict[str, np.ndarray]  # name -> (..., steps + 1, 2): the state after each step, zeros first
    effective_lr: np.ndarray | None  # (..., steps, 2): the factor in front of g at each step; None for momentum
    diverged_at: Any  # int or None for one run; for a batch, an int array with -1 where the run did not diverge
    batch_shape: tuple[int, ...] = field(default=())
    # A single run keeps what each step read (the step inspector shows it); a batch, such as a landscape's grid,
    # does not: writing them would cost it a fifth more time and memory.
    # (steps, 2): the gradient of f each step read, entry t - 1 for step t, before any noise (SGD's is added by its
    # rule: rules.sgd_noise); kept for the step that diverged, NaN after it
    gradients: np.ndarray | None = None
    lookahead: np.ndarray | None = None  # (steps, 2): where Nesterov (d2l) read it, x - eta beta v; else None

    @property
    def final(self) -> np.ndarray:
        """The last point (NaN where the run diverged)."""
        return self.points[..., -1, :]

    def last_valid(self) -> np.ndarray:
        """The last finite point of each run: the final point, or the one before divergence."""
        d = np.asarray(-1 if self.diverged_at is None else self.diverged_at)
        idx = np.where(d < 0, self.steps, d - 1)[..., None, None]
        return np.take_along_axis(self.points, np.broadcast_to(idx, self.batch_shape + (1, 2)), -2)[..., 0, :]

    def book_line(self) -> str:
        """The line d2l's ``train_2d`` prints: ``epoch 20, x1: -0.010599, x2: 0.000000`` (one run only)."""
        if self.batch_shape:
            raise ValueError(f"The 'book_line' method needs a single run. Got a batch of shape {self.batch_shape} "
                             "instead.")
        if self.diverged_at is not None:
            x1, x2 = self.last_valid()
            return (f"diverged at step {self.diverged_at}: |x| passed {BOUND:g}; last finite point at epoch "
                    f"{self.diverged_at - 1}, x1: {x1:f}, x2: {x2:f}")
        x1, x2 = self.final
        return f"epoch {self.steps}, x1: {x1:f}, x2: {x2:f}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (NaN becomes None)."""
        def plain(a):
            if a is None:
                return None
            a = np.asarray(a)
            if a.dtype.kind == "f":
                return np.where(np.isfinite(a), a, None).tolist()
            return a.tolist()
        return {
            "optimizer": self.optimizer, "objective": self.objective.name, "convention": self.convention,
            "hyperparameters": {k: plain(v) if isinstance(v, np.ndarray) else v
                                for k, v in self.hyperparameters.items()},
            "start": plain(self.start), "steps": self.steps, "seed": self.seed,
            "points": plain(self.points), "losses": plain(self.losses),
            "state": {k: plain(v) for k, v in self.state.items()},
            "effective_lr": plain(self.effective_lr), "diverged_at": plain(self.diverged_at),
            "gradients": plain(self.gradients), "lookahead": plain(self.lookahead),
        }


def check_start(start: Any) -> np.ndarray:
    where = MessageError("error.start", bound=f"{BOUND:g}", value=repr(start))
    if isinstance(start, (str, bytes)):
        raise where
    try:
        a = np.asarray(start, dtype=float)
    except (TypeError, ValueError):
        raise where from None
    if a.ndim == 0 or a.shape[-1] != 2 or not (np.abs(a) <= BOUND).all():
        raise where
    return a


def check_steps(steps: Any, high: int = MAX_STEPS) -> int:
    """``steps`` as an int in [1, high]; else one sentence naming the range."""
    return check_int(steps, "steps", 1, high)


def check_seed(seed: Any) -> int | None:
    """``seed`` as an int in [0, 2**32), or None; else one sentence naming the range."""
    return check_int(seed, "seed", 0, 2 ** 32 - 1, none=True, bound="[0, 2**32)")


def run(optimizer: str, *, objective: str | Objective = "quadratic", start: Any = (-5.0, -2.0), steps: int = 20,
        convention: str = "d2l", seed: int | None = None, **hyperparameters: Any) -> Trajectory:
    """Run ``optimizer`` for ``steps`` steps from ``start`` and return the whole :class:`Trajectory`.

    Parameters
    ----------
    optimizer : str
        One of ``gd, sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam``.
    objective : str or Objective, default="quadratic"
        The book's f = 0.1 x1^2 + 2 x2^2 unless told otherwise.
    start : pair of floats, default=(-5.0, -2.0)
        The book's start point; an array of shape (..., 2) starts a batch.
    steps : int, default=20
    convention : {"d2l", "torch"}, default="d2l"
        The book's formulas and constants, or torch.optim's.
    seed : int or None
        Seed of SGD's gradient noise (None draws one and records it in the result).
    **hyperparameters
        The book's symbols (``eta``, ``gamma``, ...); floats or arrays, which broadcast into a batch.

    Examples
    --------
    >>> run("rmsprop", eta=0.4, gamma=0.9).book_line()
    'epoch 20, x1: -0.010599, x2: 0.000000'
    """
    rule = check_name(optimizer, "optimizer", RULES)
    convention = check_name(convention, "convention", CONVENTIONS)
    obj = objective if isinstance(objective, Objective) else get_objective(objective)
    hp = resolve(rule, convention, hyperparameters)
    x0 = check_start(start)
    steps = check_steps(steps)
    seed = check_seed(seed)
    if rule == "sgd" and seed is None:
        seed = int(np.random.SeedSequence().entropy % 2 ** 32)  # drawn, and recorded in the result
    numeric = [np.asarray(v) for v in hp.values() if not isinstance(v, (str, bool))]
    batch = np.broadcast_shapes(x0.shape[:-1], *(a.shape for a in numeric))
    hp_run = dict(hp, seed=seed) if rule == "sgd" else hp
    with np.errstate(all="ignore"):
        return _run(rule, obj, convention, hp, hp_run, x0, steps, seed, batch)


def _run(rule, obj, convention, hp, hp_run, x0, steps, seed, batch) -> Trajectory:
    update, look = UPDATES[rule], LOOKAHEADS.get(rule)
    # Coordinates on the first axis, the batch after: hyperparameter arrays broadcast against x as they are.
    x = np.array(np.moveaxis(np.broadcast_to(x0, batch + (2,)), -1, 0), dtype=float)
    state = init(rule, x)
    points = np.empty((steps + 1, 2) + batch)
    states = {name: np.empty((steps + 1, 2) + batch) for name in state._fields}
    lrs = None
    grads = None if batch else np.empty((steps, 2))
    # Only a rule that reads its gradient away from x (Nesterov's look-ahead under d2l) keeps where it read it.
    reads = np.empty((steps, 2)) if look and convention == "d2l" and not batch else None
    points[0] = x
    for name in state._fields:
        states[name][0] = 0.0
    alive = np.ones(batch, bool)
    first = np.full(batch, -1)
    last = steps
    for t in range(1, steps + 1):
        xg = look(x, state, hp_run, convention) if look else x
        g1, g2 = obj.grad(xg[0], xg[1])
        g = np.empty_like(x) if grads is None else grads[t - 1]  # written where it is kept: no copy per step
        g[0], g[1] = g1, g2
        if reads is not None:
            reads[t - 1] = xg
        x, state, lr = update(x, g, state, hp_run, t, convention)
        points[t] = x
        for name, value in zip(state._fields, state, strict=True):
            states[name][t] = value
        if lr is not None:
            if lrs is None:
                lrs = np.empty((steps, 2) + batch)
            lrs[t - 1] = lr
        # A run diverges at the first step whose point is not finite or passes the bound. Two reductions tell
        # whether every run is still inside (NaN propagates through max and min); only then look per run.
        if not (x.max() <= BOUND and x.min() >= -BOUND):
            newly = alive & ~(np.abs(x) <= BOUND).all(0)
            if newly.any():
                first[newly] = t
                alive &= ~newly
                if not alive.any():
                    last = t  # every run has left the finite world: the rest would only be NaN
                    break
    if last < steps or (first >= 0).any():
        # From the step of divergence on, NaN: the points before are kept, the rest is not invented.
        step = np.arange(steps + 1).reshape((-1,) + (1,) * (len(batch) + 1))
        dead = (step >= np.where(first < 0, steps + 1, first)) | (step > last)
        np.copyto(points, np.nan, where=dead)
        for a in states.values():
            np.copyto(a, np.nan, where=dead)
        if lrs is not None:
            np.copyto(lrs, np.nan, where=dead[1:])  # the rate of step t moved the point to t: gone with it
        # The gradient of step t was read at point t - 1: the step that diverged keeps the one that sent it away.
        for a in (grads, reads):
            if a is not None:
                np.copyto(a, np.nan, where=dead[:-1])
    losses = obj.f(points[:, 0], points[:, 1])

    def front(a, coord=True):  # (steps, 2, *batch) -> (*batch, steps, 2)
        return np.moveaxis(a, (0, 1), (-2, -1)) if coord else np.moveaxis(a, 0, -1)

    diverged_at: Any = first
    if not batch:
        diverged_at = None if first < 0 else int(first)
    return Trajectory(rule, obj, convention, hp, np.broadcast_to(x0, batch + (2,)), steps, seed,
                      front(points), front(losses, coord=False), {k: front(v) for k, v in states.items()},
                      None if lrs is None else front(lrs), diverged_at, batch, grads, reads)

