"""Learning-rate schedules: the book's formulas under d2l (its own code is the reference), every rule with a
learning rate, the effective learning rate, the checks. torch.optim.lr_scheduler's are in test_torch_parity."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trajectories import run, specs
from trajectories.lesson import Lesson
from trajectories.rules import STEP_2D
from trajectories.schedules import rates
from trajectories.specs import CONVENTIONS, RULES, SCHEDULE_SPECS, SCHEDULES, resolve


# ---- the book's code, as Dive into Deep Learning prints it ---------------------------------------------------
# d2l 12.4 (Stochastic Gradient Descent, "Dynamic Learning Rate"): a global clock set to 1, advanced in each call.
def book_sgd_lrs(kind: str, steps: int) -> list[float]:
    t = 1

    def exponential_lr():
        nonlocal t
        t += 1
        return math.exp(-0.1 * t)

    def polynomial_lr():
        nonlocal t
        t += 1
        return (1 + 0.1 * t) ** (-0.5)

    lr = {"exponential": exponential_lr, "polynomial": polynomial_lr}[kind]
    return [lr() for _ in range(steps)]


# d2l 12.11 (Learning Rate Scheduling), the PyTorch tab.
class FactorScheduler:
    def __init__(self, factor=1, stop_factor_lr=1e-7, base_lr=0.1):
        self.factor = factor
        self.stop_factor_lr = stop_factor_lr
        self.base_lr = base_lr

    def __call__(self, num_update):
        self.base_lr = max(self.stop_factor_lr, self.base_lr * self.factor)
        return self.base_lr


class MultiFactorScheduler:  # the TensorFlow tab; the PyTorch tab uses torch's MultiStepLR, the same numbers
    def __init__(self, step, factor, base_lr):
        self.step = step
        self.factor = factor
        self.base_lr = base_lr

    def __call__(self, epoch):
        if epoch in self.step:
            self.base_lr = self.base_lr * self.factor
            return self.base_lr
        else:
            return self.base_lr


class CosineScheduler:
    def __init__(self, max_update, base_lr=0.01, final_lr=0, warmup_steps=0, warmup_begin_lr=0):
        self.base_lr_orig = base_lr
        self.max_update = max_update
        self.final_lr = final_lr
        self.warmup_steps = warmup_steps
        self.warmup_begin_lr = warmup_begin_lr
        self.max_steps = self.max_update - self.warmup_steps

    def get_warmup_lr(self, epoch):
        increase = (self.base_lr_orig - self.warmup_begin_lr) \
            * float(epoch) / float(self.warmup_steps)
        return self.warmup_begin_lr + increase

    def __call__(self, epoch):
        if epoch < self.warmup_steps:
            return self.get_warmup_lr(epoch)
        if epoch <= self.max_update:
            self.base_lr = self.final_lr + (
                self.base_lr_orig - self.final_lr) * (1 + math.cos(
                    math.pi * (epoch - self.warmup_steps) / self.max_steps)) / 2
        return self.base_lr


@pytest.mark.parametrize("kind", ["exponential", "polynomial"])
def test_the_sgd_sections_schedules_are_the_books(kind):
    params = resolve("sgd", "d2l", {"schedule": kind})
    ours = rates(kind, "d2l", 0.1, params, 50)
    np.testing.assert_allclose(ours, [0.1 * lr for lr in book_sgd_lrs(kind, 50)], rtol=2e-16, atol=0)


@pytest.mark.parametrize(("schedule", "given", "book", "eta"), [
    # the book's own examples: each plotted for t in range(num_epochs)
    ("factor", {"factor": 0.9, "stop": 1e-2}, FactorScheduler(factor=0.9, stop_factor_lr=1e-2, base_lr=2.0), 2.0),
    ("multifactor", {"milestones": (15, 30), "factor": 0.5}, MultiFactorScheduler(step=[15, 30], factor=0.5,
                                                                                  base_lr=0.5), 0.5),
    ("cosine", {"period": 20, "final": 0.01}, CosineScheduler(max_update=20, base_lr=0.3, final_lr=0.01), 0.3),
    ("cosine", {"period": 20, "final": 0.01, "warmup": 5},
     CosineScheduler(20, warmup_steps=5, base_lr=0.3, final_lr=0.01), 0.3),
    ("cosine", {"period": 12, "final": 0.05, "warmup": 4, "warmup_begin": 0.02},
     CosineScheduler(12, warmup_steps=4, base_lr=0.4, final_lr=0.05, warmup_begin_lr=0.02), 0.4),
])
def test_the_scheduling_sections_schedules_are_the_books(schedule, given, book, eta):
    params = resolve("gd", "d2l", {"schedule": schedule, **given})
    expected = [book(t) for t in range(50)]  # step t uses the t-th call, as the book's plots draw them
    np.testing.assert_allclose(rates(schedule, "d2l", eta, params, 50), expected, rtol=2e-16, atol=0)


def test_a_schedule_replaces_eta_in_the_update():
    t = run("gd", eta=0.4, schedule="cosine", period=10, steps=15)
    grad = np.array([0.2, 4.0])  # the quadratic's gradient is diag(0.2, 4) x
    x = np.array([-5.0, -2.0])
    for step in range(15):
        x = x - t.rates[step] * (grad * x)
        np.testing.assert_allclose(t.points[step + 1], x, rtol=1e-14, atol=1e-300)
    np.testing.assert_array_equal(t.effective_lr[:, 0], t.rates)
    assert t.rates[0] == 0.4 and t.rates[10] == 0.0  # the cosine reaches its final rate, 0, at step period + 1


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("rule", RULES)
def test_every_rule_with_a_learning_rate_takes_every_schedule(rule, convention):
    if "eta" not in specs(rule, convention):
        with pytest.raises(ValueError, match="the book's Adadelta has no learning rate"):
            run(rule, convention=convention, schedule="cosine")
        return
    plain = run(rule, convention=convention, steps=30, seed=0)
    for schedule in SCHEDULES[convention]:
        t = run(rule, convention=convention, schedule=schedule, steps=30, seed=0)
        assert t.rates.shape == (30,) and np.all(np.isfinite(t.rates))
        if schedule == "constant":
            np.testing.assert_array_equal(t.points, plain.points)
        eta = t.hyperparameters["eta"]
        table = rates(schedule, convention, eta, t.hyperparameters, 30)
        np.testing.assert_array_equal(t.rates, np.full(30, eta) if table is None else table)
        if rule in ("gd", "sgd", "momentum", "nesterov"):
            np.testing.assert_array_equal(t.effective_lr[:, 0], t.rates)


def test_the_effective_rate_of_an_adaptive_rule_carries_the_schedule():
    t = run("adagrad", eta=0.4, schedule="exponential", decay=0.2, steps=10)
    s = t.state["s"][1:]
    np.testing.assert_allclose(t.effective_lr, t.rates[:, None] / np.sqrt(s + 1e-6), rtol=1e-15)


def test_schedules_broadcast_over_a_batch():
    etas = np.array([0.1, 0.3])
    batch = run("rmsprop", eta=etas[:, None], gamma=np.array([0.5, 0.9]), schedule="factor", factor=0.8, steps=12)
    assert batch.rates.shape == (2, 2, 12)
    for i, eta in enumerate(etas):
        alone = run("rmsprop", eta=eta, gamma=0.9, schedule="factor", factor=0.8, steps=12)
        np.testing.assert_array_equal(batch.pick((i, 1)).points, alone.points)


@pytest.mark.parametrize(("given", "says"), [
    ({"schedule": "cosine", "period": 0}, r"The 'period' parameter of gd's cosine schedule must be an integer in the "
                                          r"range \[1, 100000\]\. Got 0 instead\."),
    ({"schedule": "cosine", "warmup": 20}, r"The 'warmup' parameter of gd's cosine schedule must be below its period"),
    ({"schedule": "multifactor", "milestones": (30, 15)}, "must be 1 to 8 increasing integers"),
    ({"schedule": "linear"}, r"The 'schedule' parameter of gd must be one of 'constant'"),
    ({"period": 20}, r"The 'period' parameter is not a hyperparameter of gd .*cosine schedule.* constant"),
    ({"schedule": "factor", "every": 3}, r"'every' parameter is not a hyperparameter of gd .*convention='torch'"),
    ({"sigma": -1}, r"The 'sigma' parameter of gd must be a float in the range \[0, 10\]\. Got -1 instead\."),
])
def test_bad_schedules_say_what_is_wrong(given, says):
    with pytest.raises(ValueError, match=says):
        run("gd", **given)


@pytest.mark.parametrize("schedule", ["linear", "cosine"])
def test_torchs_linear_start_factor_is_above_zero_as_torch_requires(schedule):
    """LinearLR (alone, or as the cosine schedule's warm-up) divides by its start factor: torch refuses 0, and so
    does the spec, with one sentence (a link with start_factor=0 used to stop the run with a ZeroDivisionError)."""
    extra = {"warmup": 3} if schedule == "cosine" else {}
    with pytest.raises(ValueError, match=rf"The 'start_factor' parameter of gd's {schedule} schedule must be a float "
                                         r"in the range \[0\.01, 1\]\. Got 0 instead\."):
        run("gd", convention="torch", schedule=schedule, start_factor=0, **extra)
    t = run("gd", convention="torch", schedule=schedule, start_factor=0.01, steps=12, **extra)
    assert np.isfinite(t.rates).all() and t.rates[0] == pytest.approx(0.4 * 0.01)
    lesson, notes = Lesson.from_query(f"convention=torch&run=gd:schedule={schedule},start_factor=0")
    assert len(notes) == 1 and "start_factor" in notes[0] and np.isfinite(lesson.run()["gd"].points).all()


def test_the_schedule_tables_name_each_setting_once():
    for convention in CONVENTIONS:
        for rule in RULES:
            for schedule, params in SCHEDULE_SPECS[convention].items():
                assert not set(params) & set(specs(rule, convention)), (rule, schedule)
                assert "sigma" not in params and "schedule" not in params


def test_the_books_form_carries_the_clock_for_schedules_and_noise():
    x1, x2, s1, s2 = -5.0, -2.0, 0, 0
    for _ in range(10):
        x1, x2, s1, s2 = STEP_2D["gd"](x1, x2, s1, s2, eta=0.4, schedule="cosine", period=10, sigma=0.5, seed=3)
    assert (s1, s2) == (10, 10)
    t = run("gd", eta=0.4, schedule="cosine", period=10, sigma=0.5, seed=3, steps=10)
    assert (x1, x2) == tuple(t.points[-1])
    x1, x2, s1, s2 = -5.0, -2.0, 0, 0
    for _ in range(10):
        x1, x2, s1, s2 = STEP_2D["sgd"](x1, x2, s1, s2, schedule="polynomial", seed=4)
    assert (x1, x2) == tuple(run("sgd", schedule="polynomial", seed=4, steps=10).points[-1])
    with pytest.raises(ValueError, match="The book's form of momentum keeps no step count"):
        STEP_2D["momentum"](-5.0, -2.0, 0, 0, schedule="cosine")
