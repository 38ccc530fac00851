"""The view rule (trajectories.view): the window grows to hold the runs that stay near it, never for one that
diverges, and the exported figure's axes and panels follow it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trajectories import run
from trajectories.figures import build
from trajectories.lesson import Lesson, make_lesson
from trajectories.objectives import OBJECTIVES, get_objective
from trajectories.specs import RULES
from trajectories.view import MARGIN, REACH, drawn_until, exit_point, unit, units, view_of, view_of_runs

QUADRATIC = get_objective("quadratic")


def lesson_view(lesson: Lesson, view: str = "fit"):
    runs = lesson.run()
    return view_of(lesson.objective_function(), [(t.points, t.diverged_at is not None) for t in runs.values()],
                   lesson.start, view), runs


def test_momentums_overshoot_stays_in_view():
    # d2l's momentum at eta 0.6, beta 0.5 overshoots to x2 = 2.8 on the first step; the book's window ends at 1
    t = run("momentum", eta=0.6, beta=0.5)
    peak = float(t.points[:, 1].max())
    assert peak > QUADRATIC.ylim[1]
    v = view_of_runs([t])
    assert v.held == (True,) and v.ends == (t.steps,)
    assert v.ylim[1] >= peak + MARGIN * (QUADRATIC.ylim[1] - QUADRATIC.ylim[0])
    assert v.ylim[1] % units(QUADRATIC)[1] == 0  # rounded out to the unit, so small moves keep the axis
    assert (v.xlim, v.ylim[0]) == (QUADRATIC.xlim, QUADRATIC.ylim[0])  # the sides no point went past stay


def test_a_run_on_its_way_out_does_not_stretch_the_axes():
    # gd at eta 0.6 has not passed the engine's bound after 20 steps, but |x2| grows 1.4 times a step: 1673 at 20
    t = run("gd", eta=0.6)
    assert t.diverged_at is None and abs(t.points[-1, 1]) > 1000
    v = view_of_runs([t])
    assert v.held == (False,)
    assert (v.xlim, v.ylim) == (QUADRATIC.xlim, QUADRATIC.ylim)
    assert v.ends == (1,)  # drawn up to its first point outside: it leaves at step 1


def test_a_diverged_run_does_not_stretch_the_axes_and_the_others_still_count():
    lesson = make_lesson("gd,momentum", hyperparameters={"gd": {"eta": 0.6}}, steps=60)
    v, runs = lesson_view(lesson)
    assert runs["gd"].diverged_at is not None and runs["momentum"].diverged_at is None
    assert v.held == (False, True)
    assert v.ylim[1] > runs["momentum"].points[:, 1].max()  # momentum's overshoot is held
    assert v.ylim[1] < 10


def test_the_saddle_and_the_minima_stay_in_view():
    for name, objective in OBJECTIVES.items():
        for rule in RULES:
            hyper = {} if rule == "adadelta" else {"eta": 3.0}
            t = run(rule, objective=objective, steps=40, seed=0 if rule == "sgd" else None, **hyper)
            v = view_of_runs([t])
            for point in (*objective.minima, *objective.saddles):
                assert v.xlim[0] <= point[0] <= v.xlim[1] and v.ylim[0] <= point[1] <= v.ylim[1], (name, rule)


def test_the_start_is_always_in_view():
    t = run("gd", start=(8.0, -6.0))
    v = view_of_runs([t])
    assert v.xlim[1] >= 8.0 and v.ylim[0] <= -6.0


def test_the_window_view_keeps_the_objectives_window():
    t = run("momentum", eta=0.6, beta=0.5)
    v = view_of_runs([t], view="window")
    assert (v.xlim, v.ylim) == (QUADRATIC.xlim, QUADRATIC.ylim)
    assert v.ends == (t.steps,)  # it comes back: drawn whole, the overshoot cut at the edge


def test_units_are_round_and_about_an_eighth():
    assert unit(-3.0, 1.0) == 0.5 and unit(-5.5, 1.0) == 0.5 and unit(-6.0, 6.0) == 1.0 and unit(0, 100) == 10
    for objective in OBJECTIVES.values():
        for (lo, hi), u in zip((objective.xlim, objective.ylim), units(objective), strict=True):
            assert (hi - lo) / 20 < u <= (hi - lo) / 8
            mantissa = u / 10 ** math.floor(math.log10(u))
            assert round(mantissa, 9) in (1, 2, 5)


def test_exit_point_is_on_the_edge_the_segment_crosses():
    assert exit_point((0, 0), (0, 5), (-1, 1), (-1, 1)) == (0.0, 1.0, "top")
    assert exit_point((0, 0), (-4, 2), (-1, 1), (-1, 1)) == (-1.0, 0.5, "left")
    assert exit_point((0, 0), (0.5, 0.5), (-1, 1), (-1, 1)) is None  # stays inside
    assert exit_point((0, 0), (np.nan, np.nan), (-1, 1), (-1, 1)) is None  # stopped by the engine
    assert exit_point((3, 3), (0, 0), (-1, 1), (-1, 1)) is None  # starts outside


def test_drawn_until_comes_back_or_stops_at_the_first_point_outside():
    box = ((-1, 1), (-1, 1))
    back = np.array([[0, 0], [0, 5], [0, 0.5]], float)
    assert drawn_until(back, False, *box) == 2
    assert drawn_until(back, True, *box) == 1
    assert drawn_until(np.array([[0, 0], [0, 0.5]]), False, *box) == 1


def test_bad_inputs_say_what_is_wrong_in_one_sentence():
    with pytest.raises(ValueError, match="'view' parameter"):
        view_of(QUADRATIC, [], (0, 0), "zoom")
    with pytest.raises(ValueError, match="'start' parameter"):
        view_of(QUADRATIC, [], (0, np.nan))
    with pytest.raises(ValueError, match="'paths' parameter"):
        view_of(QUADRATIC, [(np.zeros(3), False)], (0, 0))
    with pytest.raises(ValueError, match="'objective' parameter"):
        view_of("quadratic", [], (0, 0))
    with pytest.raises(ValueError, match="'window' parameter"):
        unit(1.0, 1.0)
    with pytest.raises(ValueError, match="'trajectories' parameter"):
        view_of_runs([])


@settings(max_examples=60, deadline=None)
@given(rule=st.sampled_from(RULES), objective=st.sampled_from(sorted(OBJECTIVES)),
       eta=st.floats(1e-3, 10), steps=st.integers(1, 80),
       start=st.tuples(st.floats(-8, 8), st.floats(-8, 8)))
def test_every_point_of_a_held_run_is_in_view_and_the_window_only_grows(rule, objective, eta, steps, start):
    o = get_objective(objective)
    hyper = {} if rule == "adadelta" else {"eta": eta}
    t = run(rule, objective=o, steps=steps, start=start, seed=0 if rule == "sgd" else None, **hyper)
    v = view_of_runs([t])
    assert v.xlim[0] <= min(o.xlim[0], start[0]) and v.xlim[1] >= max(o.xlim[1], start[0])
    assert v.ylim[0] <= min(o.ylim[0], start[1]) and v.ylim[1] >= max(o.ylim[1], start[1])
    width = np.array([o.xlim[1] - o.xlim[0], o.ylim[1] - o.ylim[0]])
    reach = (np.minimum([o.xlim[0], o.ylim[0]], start) - REACH * width - width,
             np.maximum([o.xlim[1], o.ylim[1]], start) + REACH * width + width)
    assert (np.array([v.xlim[0], v.ylim[0]]) >= reach[0]).all() and (np.array([v.xlim[1], v.ylim[1]]) <= reach[1]).all()
    if v.held[0]:
        p = t.points
        assert ((p[:, 0] >= v.xlim[0]) & (p[:, 0] <= v.xlim[1]) & (p[:, 1] >= v.ylim[0]) & (p[:, 1] <= v.ylim[1])).all()
        assert v.ends[0] == steps
    else:
        assert v.ends[0] <= steps


def test_the_figure_with_panels_scales_them_to_the_runs_that_stay_finite():
    # the case: on Rosenbrock, RMSProp's loss next to a diverging momentum
    lesson = make_lesson("rmsprop,momentum", objective="rosenbrock", hyperparameters={"momentum": {"eta": 0.01}})
    runs = lesson.run()
    assert runs["momentum"].diverged_at is not None and runs["rmsprop"].diverged_at is None
    trace = build(lesson, loss=True)
    lo, hi = trace.loss_ax.get_ylim()
    losses = runs["rmsprop"].losses
    assert ((losses >= lo) & (losses <= hi)).all()
    assert hi <= 10 * losses.max()  # the panel is RMSProp's, not stretched by momentum's 1e25
    x, y = trace.paths["momentum"].loss.get_data()
    assert len(y) < len(runs["momentum"].losses) and trace.paths["momentum"].loss_exit.mark.get_visible()
    assert not trace.paths["rmsprop"].loss_exit.mark.get_visible()
    np.testing.assert_array_equal(trace.paths["rmsprop"].loss.get_ydata(), losses)


def test_when_every_run_diverges_the_panels_hold_them_all():
    lesson = make_lesson("gd", eta=0.9, steps=30)
    t = lesson.run()["gd"]
    assert t.diverged_at is not None
    trace = build(lesson, loss=True)
    lo, hi = trace.loss_ax.get_ylim()
    finite = t.losses[np.isfinite(t.losses)]
    assert lo <= finite.min() and hi >= finite.max()
    assert trace.paths["gd"].loss_exit.mark.get_visible()  # marked where the engine stopped it
