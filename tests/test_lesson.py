"""Lessons and their links: every setting round-trips; a bad link never raises and says what it ignored."""

from dataclasses import replace

import numpy as np
import pytest

from trajectories import run
from trajectories.lesson import MAX_OPTIMIZERS, Lesson


def test_the_issues_single_optimizer_link():
    lesson, notes = Lesson.from_query("optimizer=rmsprop&eta=0.4&gamma=0.9&steps=20")
    assert notes == []
    assert lesson.optimizers == ("rmsprop",) and lesson.resolved("rmsprop")["gamma"] == 0.9
    (t,) = lesson.run().values()
    assert t.book_line() == run("rmsprop", eta=0.4, gamma=0.9).book_line()


def test_the_issues_several_optimizers_link():
    lesson, notes = Lesson.from_query("optimizer=gd,momentum&momentum.eta=0.6&momentum.beta=0.5")
    assert notes == [] and lesson.optimizers == ("gd", "momentum")
    runs = lesson.run()
    assert np.array_equal(runs["momentum"].points, run("momentum", eta=0.6, beta=0.5).points)
    assert np.array_equal(runs["gd"].points, run("gd").points)


@pytest.mark.parametrize("query", [
    "optimizer=rmsprop&eta=0.4&gamma=0.9&steps=20",
    "optimizer=gd,momentum,adam&momentum.eta=0.6&adam.bias_correction=off&start=-3,1.5&steps=200",
    "optimizer=adadelta&convention=torch&eta=3&rho=0.5",
    "optimizer=sgd&schedule=polynomial&seed=7&objective=bowl",
    "optimizer=nesterov&objective=general&condition=50&angle=30",
])
def test_links_round_trip(query):
    lesson, notes = Lesson.from_query(query)
    assert notes == []
    again, notes = Lesson.from_query(lesson.to_query())
    assert again == lesson and notes == []


@pytest.mark.parametrize(("query", "ignored"), [
    ("optimizer=rmsprop&gamma=1.5", "gamma"),
    ("optimizer=rmsprop&eta=nan", "eta"),
    ("optimizer=rmsprop&eta=1e400", "eta"),
    ("optimizer=rmsprop&eta=__import__('os')", "eta"),
    ("optimizer=rmsprop&steps=0", "steps"),
    ("optimizer=rmsprop&steps=2.5", "steps"),
    ("optimizer=rmsprop&start=1,x", "start"),
    ("optimizer=rmsprop&start=1e9,0", "start"),
    ("optimizer=rmsprop&objective=../../etc/passwd", "objective"),
    ("optimizer=rmsprop&convention=jax", "convention"),
    ("optimizer=rmsprop&alpha=0.9", "alpha"),
    ("optimizer=gd,momentum&adam.eta=0.1", "adam.eta"),
    ("optimizer=adamw", "adamw"),
    ("optimizer=adadelta&eta=2", "eta"),
])
def test_bad_links_open_with_defaults_and_say_why(query, ignored):
    lesson, notes = Lesson.from_query(query)
    assert len(notes) == 1 and ignored in notes[0] and notes[0].startswith("Ignored")
    assert "Traceback" not in notes[0]
    default = Lesson(optimizers=lesson.optimizers)
    assert lesson.steps == default.steps and lesson.start == default.start
    lesson.run()


def test_too_many_optimizers_keeps_the_first_ones():
    lesson, notes = Lesson.from_query("optimizer=gd,sgd,momentum,nesterov,adagrad,rmsprop,adam")
    assert len(lesson.optimizers) == MAX_OPTIMIZERS and "at most" in notes[0]


def test_lesson_validates_like_the_engine():
    with pytest.raises(ValueError, match="The 'rho' parameter of adadelta must be a float in the range"):
        Lesson(optimizers=("adadelta",), hyperparameters={"adadelta": {"rho": 2}})
    with pytest.raises(ValueError, match="The 'optimizer' parameter must list 1 to"):
        Lesson(optimizers=())
    with pytest.raises(ValueError, match="The 'steps' parameter"):
        Lesson(steps=10**6)


def test_switching_convention_drops_what_the_other_convention_lacks():
    torch = Lesson.from_query("optimizer=adadelta&convention=torch&eta=3")[0]
    assert torch.resolved("adadelta")["eta"] == 3
    assert "eta" not in replace(torch, convention="d2l").resolved("adadelta")
