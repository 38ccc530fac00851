"""Stepping: run a rule on an objective for many steps, batched over array-valued settings, stopping cleanly."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import noise, schedules
from .i18n import MessageError
from .objectives import Objective, get_objective
from .rules import LOOKAHEADS, UPDATES, init
from .specs import CONVENTIONS, MAX_SEED, MAX_STEPS, RULES, check_int, check_name, resolve

BOUND = 1e6  # a run whose |x1| or |x2| passes this has diverged
SPREAD_QUANTILES = (0.1, 0.5, 0.9)  # the band and the median drawn for a spread over seeds
__all__ = ["BOUND", "MAX_STEPS", "Trajectory", "check_seed", "check_start", "check_steps", "run"]


@dataclass(frozen=True)
class Trajectory:
    """The result of :func:`run`. Batch dimensions (from array-valued settings) come first.

    Rows after ``diverged_at`` are NaN: the points up to there are kept, the rest is not invented.
    """

    optimizer: str
    objective: Objective
    convention: str
    hyperparameters: dict[str, Any]  # every setting: the rule's hyperparameters, schedule and parameters, sigma
    start: np.ndarray  # (..., 2)
    steps: int
    seed: Any  # int, an int array (one seed per run of a batch), or None for a run without noise
    points: np.ndarray  # (..., steps + 1, 2), start included
    losses: np.ndarray  # (..., steps + 1)
    state: dict[str, np.ndarray]  # name -> (..., steps + 1, 2): the state after each step, zeros first
    effective_lr: np.ndarray | None  # (..., steps, 2): the factor in front of g (of v for momentum) at each step
    diverged_at: Any  # int or None for one run; for a batch, an int array with -1 where the run did not diverge
    batch_shape: tuple[int, ...] = field(default=())
    rates: np.ndarray | None = None  # (..., steps): eta_t, the scheduled learning rate of each step (None: no eta)
    # A single run keeps what each step read (the step inspector shows it); a batch, such as a landscape's grid,
    # does not: writing them would cost it a fifth more time and memory.
    # (steps, 2): the gradient of f each step read, entry t - 1 for step t, before any noise (added after it is
    # kept: trajectories.noise, times the run's sigma); kept for the step that diverged, NaN after it
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

    def pick(self, index: int | tuple[int, ...]) -> Trajectory:
        """One run of a batch, as the single-run Trajectory that running it alone gives."""
        index = index if isinstance(index, tuple) else (index,)
        if len(index) != len(self.batch_shape):
            raise ValueError(f"The 'index' parameter must have one integer per batch axis {self.batch_shape}. "
                             f"Got {index!r} instead.")

        def one(a):
            return None if a is None else np.asarray(a)[index]

        def setting(v):  # a setting's array lines up with the batch's last axes, and may be 1 along some
            if not isinstance(v, np.ndarray):
                return v
            own = index[len(index) - v.ndim:] if v.ndim else ()
            return v[tuple(i if n > 1 else 0 for i, n in zip(own, v.shape, strict=True))].item()

        d = np.asarray(-1 if self.diverged_at is None else self.diverged_at)
        d = int(d[index]) if d.ndim else int(d)
        seed = setting(self.seed)
        return Trajectory(self.optimizer, self.objective, self.convention,
                          {k: setting(v) for k, v in self.hyperparameters.items()}, one(self.start), self.steps,
                          seed, one(self.points), one(self.losses), {k: one(v) for k, v in self.state.items()},
                          one(self.effective_lr), None if d < 0 else d, (), one(self.rates))

    def median_run(self) -> int:
        """The index of the median run of a one-axis batch (a spread over seeds): ranked by final loss, a diverged
        run counting as infinitely bad, ties in batch order; the lower middle of an even count."""
        if len(self.batch_shape) != 1:
            raise ValueError(f"The 'median_run' method needs a batch along one axis. Got shape {self.batch_shape} "
                             "instead.")
        final = np.where(np.isnan(self.losses[:, -1]), np.inf, self.losses[:, -1])
        return int(np.argsort(final, kind="stable")[(self.batch_shape[0] - 1) // 2])

    def loss_quantiles(self, q: tuple[float, ...] = SPREAD_QUANTILES) -> np.ndarray:
        """Per step, the ``q`` quantiles of the loss over a one-axis batch: shape (len(q), steps + 1).

        Nearest rank on the sorted losses (index round(q (n - 1)), halves up), a diverged run counting as +inf:
        the order statistics the browser computes the same way.
        """
        if len(self.batch_shape) != 1:
            raise ValueError(f"The 'loss_quantiles' method needs a batch along one axis. Got shape "
                             f"{self.batch_shape} instead.")
        n = self.batch_shape[0]
        ranked = np.sort(np.where(np.isnan(self.losses), np.inf, self.losses), axis=0)
        return np.stack([ranked[int(np.floor(p * (n - 1) + 0.5))] for p in q])

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


def check_seed(seed: Any) -> Any:
    """``seed`` as an int in [0, 2**32), an int array of such seeds (one per run of a batch), or None; else one
    sentence naming the range."""
    if isinstance(seed, (list, tuple, np.ndarray)):
        a = np.asarray(seed)
        if a.size and a.dtype.kind in "iu" and a.min() >= 0 and a.max() <= MAX_SEED:
            return a.astype(np.int64)
        raise ValueError(f"The 'seed' parameter must be None, an integer or an array of integers in the range "
                         f"[0, 2**32). Got {seed!r} instead.")
    return check_int(seed, "seed", 0, MAX_SEED, none=True, bound="[0, 2**32)")


def run(optimizer: str, *, objective: str | Objective = "quadratic", start: Any = (-5.0, -2.0), steps: int = 20,
        convention: str = "d2l", seed: Any = None, **hyperparameters: Any) -> Trajectory:
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
        The book's formulas and constants, or torch.optim's (and torch.optim.lr_scheduler's).
    seed : int, array of int or None
        Seed of the gradient noise (:mod:`trajectories.noise`); an array runs one seed per run of a batch (a
        spread). None draws one when there is noise, and records it in the result.
    **hyperparameters
        The book's symbols (``eta``, ``gamma``, ...), floats or arrays that broadcast into a batch; ``schedule``
        and its parameters (``schedule="cosine", period=20``; :data:`trajectories.specs.SCHEDULE_SPECS`); and
        ``sigma``, the noise's standard deviation (1 for SGD, 0 for the others).

    Examples
    --------
    >>> run("rmsprop", eta=0.4, gamma=0.9).book_line()
    'epoch 20, x1: -0.010599, x2: 0.000000'
    >>> run("gd", eta=0.4, schedule="cosine", period=20, sigma=0.5, seed=3).steps
    20
    """
    rule = check_name(optimizer, "optimizer", RULES)
    convention = check_name(convention, "convention", CONVENTIONS)
    obj = objective if isinstance(objective, Objective) else get_objective(objective)
    hp = resolve(rule, convention, hyperparameters)
    x0 = check_start(start)
    steps = check_steps(steps)
    seed = check_seed(seed)
    noisy = bool(np.any(np.asarray(hp["sigma"]) > 0))
    if noisy and seed is None:
        seed = int(np.random.SeedSequence().entropy % 2 ** 32)  # drawn, and recorded in the result
    numeric = [np.asarray(v) for v in hp.values() if not isinstance(v, (str, bool, int, tuple))]
    seeds = () if seed is None or not noisy else np.shape(seed)
    batch = np.broadcast_shapes(x0.shape[:-1], seeds, *(a.shape for a in numeric))
    with np.errstate(all="ignore"):
        return _run(rule, obj, convention, hp, x0, steps, seed if noisy else None, batch)


def _run(rule, obj, convention, hp, x0, steps, seed, batch) -> Trajectory:
    update, look = UPDATES[rule], LOOKAHEADS.get(rule)
    eta_t = schedules.rates(hp["schedule"], convention, hp["eta"], hp, steps) if "schedule" in hp else None
    xi = None
    if seed is not None:  # (steps, 2, *seed shape), lined up with the batch's last axes behind the coordinates
        table = noise.table(seed, steps)
        xi = table.reshape((steps, 2) + (1,) * (len(batch) - np.ndim(seed)) + np.shape(seed))
    sigma = hp["sigma"]
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
        hp_t = hp if eta_t is None else dict(hp, eta=eta_t[t - 1])
        xg = look(x, state, hp_t, convention) if look else x
        g1, g2 = obj.grad(xg[0], xg[1])
        g = np.empty_like(x) if grads is None else grads[t - 1]  # written where it is kept: no copy per step
        g[0], g[1] = g1, g2
        if reads is not None:
            reads[t - 1] = xg
        if xi is not None:
            g = g + sigma * xi[t - 1]  # a new array: the gradient kept is f's, before the noise
        x, state, lr = update(x, g, state, hp_t, t, convention)
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
    rates = None
    if "eta" in hp:
        table = np.asarray(hp["eta"] if eta_t is None else eta_t, dtype=float)
        if eta_t is not None:  # (steps, *eta's shape): eta's axes line up with the batch's last ones
            table = table.reshape((steps,) + (1,) * (len(batch) + 1 - table.ndim) + table.shape[1:])
        rates = np.array(np.broadcast_to(table, (steps,) + batch), dtype=float)
        if last < steps or (first >= 0).any():
            np.copyto(rates, np.nan, where=dead[1:, 0])
    losses = obj.f(points[:, 0], points[:, 1])

    def front(a, coord=True):  # (steps, 2, *batch) -> (*batch, steps, 2)
        return np.moveaxis(a, (0, 1), (-2, -1)) if coord else np.moveaxis(a, 0, -1)

    diverged_at: Any = first
    if not batch:
        diverged_at = None if first < 0 else int(first)
    return Trajectory(rule, obj, convention, hp, np.broadcast_to(x0, batch + (2,)), steps, seed,
                      front(points), front(losses, coord=False), {k: front(v) for k, v in states.items()},
                      None if lrs is None else front(lrs), diverged_at, batch,
                      None if rates is None else front(rates, coord=False), grads, reads)

