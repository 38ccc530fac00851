"""The figure: the book's look, the paths and panels of a lesson, the same figure headless."""

from __future__ import annotations

import io

import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from trajectories import run
from trajectories.lesson import Lesson
from trajectories.objectives import get_objective
from trajectories.plotting import MPL_MARKERS, TraceFigure, contour_levels, drawn_until, left_view
from trajectories.state import BOOK_CONTOUR, BOOK_PATH, LOOKS


def agg_trace(lesson: Lesson, **kw) -> TraceFigure:
    fig = Figure(figsize=(9, 4.2))
    FigureCanvasAgg(fig)
    return TraceFigure.from_lesson(lesson, fig, **kw)


def test_path_data_is_the_trajectory():
    lesson = Lesson(optimizers=("rmsprop", "adagrad"), steps=30)
    trace = agg_trace(lesson)
    runs = lesson.run()
    for name, t in runs.items():
        x, y = trace.paths[name].line.get_data()
        np.testing.assert_array_equal(x, t.points[:, 0])
        np.testing.assert_array_equal(y, t.points[:, 1])
        np.testing.assert_array_equal(trace.paths[name].loss.get_ydata(), t.losses)
        np.testing.assert_array_equal(trace.paths[name].lr.get_ydata(), t.effective_lr[:, 0])
        np.testing.assert_array_equal(trace.paths[name].lr2.get_ydata(), t.effective_lr[:, 1])


def test_the_contours_cover_the_window_shown():
    # gd at eta 0.45 overshoots to x2 = 1.6, above the book's window: the window grows and its contours with it
    trace = agg_trace(Lesson(optimizers=("gd",), hyperparameters={"gd": {"eta": 0.45}}))
    top = trace.ax.get_ylim()[1]
    assert top > 1.6
    highest = max(p.vertices[:, 1].max() for p in trace.contours.get_paths() if len(p.vertices))
    assert highest > get_objective("quadratic").ylim[1] + 0.5


def test_book_look_for_one_optimizer():
    trace = TraceFigure.from_lesson(Lesson(), panels=False)
    line = trace.paths["rmsprop"].line
    assert mcolors.to_hex(line.get_color()) == BOOK_PATH
    assert line.get_marker() == "o" and line.get_linestyle() == "-"
    assert mcolors.to_hex(trace.contours.get_edgecolor()[0]) == BOOK_CONTOUR
    assert (trace.ax.get_xlabel(), trace.ax.get_ylabel()) == ("x1", "x2")
    assert trace.legend is None
    assert tuple(trace.ax.get_xlim()) == get_objective("quadratic").xlim


def test_several_optimizers_take_their_own_colour_and_marker_and_a_legend():
    names = ("gd", "momentum", "adam")
    trace = agg_trace(Lesson(optimizers=names))
    assert [mcolors.to_hex(trace.paths[n].line.get_color()) for n in names] == [LOOKS[n].color.lower() for n in names]
    assert [trace.paths[n].line.get_marker() for n in names] == [MPL_MARKERS[LOOKS[n].marker] for n in names]
    assert [t.get_text() for t in trace.legend.get_texts()] == ["gd", "momentum", "adam"]
    # the same optimizer keeps its look in another company
    other = agg_trace(Lesson(optimizers=("adam", "rmsprop")))
    assert other.paths["adam"].line.get_color() == trace.paths["adam"].line.get_color()


def test_log_levels_for_steep_valleys():
    obj = get_objective("rosenbrock")
    trace = TraceFigure.from_lesson(Lesson(objective="rosenbrock", optimizers=("adam",)), panels=False)
    levels = np.asarray(trace.contours.levels)
    ratios = levels[1:] / levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0])
    assert contour_levels(get_objective("quadratic"), np.ones((2, 2))) is None
    assert obj.levels == "log"


@pytest.mark.parametrize("view", ["fit", "window"])
def test_divergence_is_drawn_up_to_where_it_left_the_window_and_marked_there(view):
    t = run("gd", eta=0.6, steps=60)
    assert t.diverged_at is not None
    out = left_view(t)
    assert drawn_until(t, view) == out
    trace = agg_trace(Lesson(optimizers=("gd",), hyperparameters={"gd": {"eta": 0.6}}, steps=60), view=view)
    assert (trace.ax.get_xlim(), trace.ax.get_ylim()) == (t.objective.xlim, t.objective.ylim)  # not stretched
    x, _ = trace.paths["gd"].line.get_data()
    assert len(x) == out + 1
    np.testing.assert_array_equal(x, t.points[: out + 1, 0])
    assert drawn_until(run("gd", eta=0.4), view) == 20
    exit_ = trace.paths["gd"].exit
    assert exit_.mark.get_visible() and exit_.note.get_text() == f"diverged at step {t.diverged_at}"
    x1, x2 = exit_.mark.get_data()
    assert x2[0] == t.objective.ylim[1] and t.objective.xlim[0] <= x1[0] <= t.objective.xlim[1]


def test_a_run_that_stays_is_not_marked():
    trace = agg_trace(Lesson(optimizers=("gd", "momentum")))
    assert not any(p.exit.mark.get_visible() or p.loss_exit.mark.get_visible() for p in trace.paths.values())


def test_step_highlight_and_arrows():
    lesson = Lesson(optimizers=("momentum",))
    trace = agg_trace(lesson, step=3)
    t = lesson.run()["momentum"]
    p = trace.paths["momentum"]
    assert p.current.get_visible()
    np.testing.assert_array_equal(np.ravel(p.current.get_data()), t.points[3])
    assert p.update.get_visible() and p.gradient.get_visible()
    trace.set_step(None)
    assert not p.current.get_visible() and not p.update.get_visible()
    with pytest.raises(ValueError, match="'step' parameter"):
        trace.set_step(-1)


def test_same_figure_headless_as_svg():
    trace = TraceFigure.from_lesson(Lesson(optimizers=("gd", "adam")))
    with io.StringIO() as buf:
        trace.figure.savefig(buf, format="svg")
        svg = buf.getvalue()
    assert svg.count("<g id=\"line2d_") > 4


def test_bad_inputs_raise_one_sentence():
    with pytest.raises(ValueError, match="'figure' parameter"):
        TraceFigure("figure")
    trace = TraceFigure(panels=False)
    trace.set_optimizers(("gd", "adam"))
    with pytest.raises(ValueError, match="Got none for adam"):
        trace.update({"gd": run("gd")})
    with pytest.raises(ValueError, match="'optimizers' parameter"):
        trace.set_optimizers(())
