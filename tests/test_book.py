"""The book's printed numbers, to the 6 decimals it prints, through run() and through the book's own loop.

The expected lines are in golden/book.json with their source (d2l chapter 12, sections 12.3, 12.6, 12.7, 12.8);
the JavaScript engine's tests (js/test/) read the same file.
"""

import functools
import json
from pathlib import Path

import pytest

from trajectories import run
from trajectories.rules import STEP_2D

GOLDEN = json.loads((Path(__file__).parent / "golden" / "book.json").read_text())
BOOK = [(c["objective"], c["optimizer"], c["hyperparameters"], c["printed"])  # (objective, rule, settings, line)
        for c in GOLDEN["cases"]]
IDS = [f"{o}-{r}-" + "-".join(f"{k}{v}" for k, v in s.items()) for o, r, s, _ in BOOK]


def train_2d(trainer, steps=20, f_grad=None):
    """d2l's train_2d, as the book defines it (printing replaced by returning the line)."""
    x1, x2, s1, s2 = -5, -2, 0, 0
    results = [(x1, x2)]
    for i in range(steps):  # noqa: B007 (the book reads i after the loop)
        if f_grad:
            x1, x2, s1, s2 = trainer(x1, x2, s1, s2, f_grad)
        else:
            x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        results.append((x1, x2))
    return f'epoch {i + 1}, x1: {float(x1):f}, x2: {float(x2):f}', results


@pytest.mark.parametrize(("objective", "rule", "settings", "printed"), BOOK, ids=IDS)
def test_run_prints_the_books_line(objective, rule, settings, printed):
    assert run(rule, objective=objective, **settings).book_line() == printed


@pytest.mark.parametrize(("objective", "rule", "settings", "printed"), BOOK, ids=IDS)
def test_2d_callable_in_the_books_loop(objective, rule, settings, printed):
    line, results = train_2d(functools.partial(STEP_2D[rule], objective=objective, **settings))
    assert line == printed
    assert len(results) == 21


def test_the_book_passes_its_gradient_positionally():
    # d2l 12.3: train_2d(gd_2d, f_grad=f_2d_grad) calls trainer(x1, x2, s1, s2, f_grad).
    def f_2d_grad(x1, x2):
        return (2 * x1, 4 * x2)

    line, _ = train_2d(functools.partial(STEP_2D["gd"], eta=0.1), f_grad=f_2d_grad)
    assert line == BOOK[0][3]


def test_partial_of_rmsprop_2d_as_the_issue_writes_it():
    from trajectories.rules import rmsprop_2d

    line, _ = train_2d(functools.partial(rmsprop_2d, eta=0.4, gamma=0.9))
    assert line == "epoch 20, x1: -0.010599, x2: 0.000000"


@pytest.mark.parametrize("rule", ["adadelta", "adam", "sgd", "nesterov"])
def test_tuple_state_rules_agree_with_run_in_the_books_loop(rule):
    _, results = train_2d(functools.partial(STEP_2D[rule], seed=3), steps=30)
    t = run(rule, steps=30, seed=3)
    assert [tuple(map(float, p)) for p in results] == [tuple(p) for p in t.points.tolist()]


def test_torch_convention_changes_the_last_digit():
    # BOOK.md: "Putting eps outside the root changes the last digit (-2.382562, -0.010598)". Those digits are
    # torch's convention with torch's own eps (1e-10 for Adagrad, 1e-8 for RMSprop), as the torch convention's
    # defaults give them.
    assert run("adagrad", eta=0.4, convention="torch").book_line() == "epoch 20, x1: -2.382562, x2: -0.158591"
    assert run("rmsprop", eta=0.4, gamma=0.9, convention="torch").book_line() == (
        "epoch 20, x1: -0.010598, x2: 0.000000")
