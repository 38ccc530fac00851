"""A formula wherever an objective is taken: Lesson, the link's ``objective=`` and ``window=``, ``run``, the
command line (``run``, ``export``, ``landscape``), the exported figure and its file name, the landscape."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_formula import TREES, WRITTEN
from test_links_property import VALUES
from test_links_property import _check as check_link

from trajectories import figures
from trajectories.cli import main
from trajectories.formula import FormulaError
from trajectories.landscape import compute, from_lesson
from trajectories.lesson import Lesson, make_lesson
from trajectories.state import lesson_from_state, lesson_state

ROOT = Path(__file__).resolve().parents[1]


def test_a_lesson_keeps_the_canonical_form():
    a = Lesson(objective="0.1 * x1**2 + 2 x2^2")
    b = make_lesson("rmsprop", objective="f = 0.1x\u2081\u00b2 + 2x\u2082\u00b2")
    assert a.objective == b.objective == "0.1*x1^2 + 2*x2^2"
    assert a == b and hash(a) == hash(b)
    assert a.objective_function().formula.text == a.objective


def test_a_formula_equal_to_the_books_quadratic_runs_as_it():
    for rule, hp in (("gd", {"eta": 0.4}), ("momentum", {"eta": 0.6, "beta": 0.5}), ("rmsprop", {"eta": 0.4})):
        built_in = make_lesson(rule, **hp).run()[rule]
        written = make_lesson(rule, objective=WRITTEN["quadratic"], **hp).run()[rule]
        np.testing.assert_array_equal(written.points, built_in.points)  # to the last bit
        np.testing.assert_array_equal(written.losses, built_in.losses)
        assert written.book_line() == built_in.book_line()


def test_the_link_carries_a_formula_and_a_window():
    lesson = make_lesson("gd,momentum", objective="x1^4 + x2^2", window="-6,2,-3,3", start="-4,1")
    query = lesson.to_query()
    assert "objective=x1%5E4+%2B+x2%5E2" in query and "window=-6,2,-3,3" in query
    assert Lesson.from_query(query) == (lesson, [])
    assert Lesson.from_query("objective=" + quote("x1^4 + x2^2"))[0].objective == "x1^4 + x2^2"


@pytest.mark.parametrize(("query", "says"), [
    ("objective=" + quote("x1^2 + * x2"), "expected a number, x1, x2, a function or '(' at position 8"),
    ("objective=x1^2+2*x2^2", "at position 6 (in a link, '+' is written %2B)"),  # a bare + is a space in a query
    ("objective=__import__('os')", "unknown name '__import__' at position 1"),
    ("objective=" + quote("x1**9999999"), "the exponent 9999999 is outside [-100, 100]"),
    ("objective=" + "(" * 10000, "the formula has 10000 characters; at most 500"),
    ("objective=sqrt(-1-x1%5E2)", "the formula has no finite value"),
    ("objective=log(x1)&window=-3,-1,0,1", "no finite value for x1 in [-3, -1]"),
    ("window=1,2,3", "The 'window' parameter must be four numbers"),
    ("window=2,1,0,1", "The 'window' parameter must be four numbers"),
    ("objective=quadratc", "must be one of 'quadratic'"),
])
def test_a_bad_formula_in_a_link_is_a_note(query, says):
    lesson, notes = Lesson.from_query(query)
    assert len(notes) == 1 and says in notes[0], notes
    assert lesson.objective == "quadratic" or "window" in query
    lesson.run()


def test_a_window_on_a_builtin_objective():
    lesson = make_lesson("gd", window=(-3, 3, -2, 2))
    o = lesson.objective_function()
    assert (o.xlim, o.ylim, o.name) == ((-3.0, 3.0), (-2.0, 2.0), "quadratic")
    assert lesson_from_state({**lesson_state(lesson), "window": [-3, 3, -2, 2]}) == lesson


FORMULA_LESSONS = st.builds(
    lambda text, start, window, steps: (text, start, window, steps),
    TREES, st.tuples(st.floats(-8, 8), st.floats(-8, 8)),
    st.one_of(st.none(), st.tuples(st.floats(-9, -0.5), st.floats(0.5, 9), st.floats(-9, -0.5), st.floats(0.5, 9))),
    st.integers(1, 60))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(FORMULA_LESSONS)
def test_a_formula_lessons_link_gives_the_same_lesson(case):
    text, start, window, steps = case
    try:
        lesson = make_lesson("gd,adam", objective=text, start=start, window=window, steps=steps)
    except FormulaError:
        assume(False)
    again, notes = Lesson.from_query(lesson.to_query())
    assert notes == [] and again == lesson
    runs = lesson.run()
    assert set(runs) == {"gd", "adam"}


# ---- the command line ----------------------------------------------------------------------------------------

def test_run_with_a_formula_prints_the_books_line(capsys):
    assert main(["run", "gd", "--eta", "0.4", "--objective", WRITTEN["quadratic"]]) == 0
    assert capsys.readouterr().out == "epoch 20, x1: -0.943467, x2: -0.000073\n"  # d2l 12.6, tests/golden/book.json
    assert main(["run", "gd", "--objective=-x1^2 - x2^2", "--steps", "3", "--eta", "0.1"]) == 0
    assert capsys.readouterr().out.startswith("epoch 3, x1: -8.640000")


@pytest.mark.parametrize(("argv", "says"), [
    (["run", "gd", "--objective", "x1^2 + * x2"], "f = x1^2 + * x2: expected a number, x1, x2, a function or '(' at "
                                                  "position 8"),
    (["export", "gd", "--objective", "__import__('os')"], "unknown name '__import__' at position 1"),
    (["landscape", "gd", "--objective", "x1 + x2"], "must have a minimum"),
    (["run", "gd", "--window=1,0,0,1"], "The 'window' parameter must be four numbers"),
])
def test_a_bad_formula_on_the_command_line_is_one_line_and_exit_2(capsys, tmp_path, argv, says):
    assert main(argv + (["-o", str(tmp_path)] if argv[0] == "export" else [])) == 2
    captured = capsys.readouterr()
    assert says in captured.err and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.out == "" and list(tmp_path.iterdir()) == []


def test_landscape_of_the_written_quadratic_is_the_builtins(capsys):
    argv = ["landscape", "momentum", "--resolution", "32", "--steps", "20"]
    assert main([*argv, "--objective", "quadratic"]) == 0
    built_in = capsys.readouterr().out
    assert main([*argv, "--objective", WRITTEN["quadratic"]]) == 0
    assert capsys.readouterr().out == built_in
    written = compute("momentum", resolution=32, objective=make_lesson("momentum",
                                                                       objective=WRITTEN["quadratic"]).objective_function())
    np.testing.assert_array_equal(written.boundary(), compute("momentum", resolution=32).boundary())


def test_landscape_from_a_formula_lesson():
    m = from_lesson(make_lesson("rmsprop", objective="x1^4 + x2^2"), resolution=32, metric="distance")
    assert m.values.shape == (32, 32) and np.isfinite(m.values).any() and m.boundary() is None


def test_export_names_the_file_safely_and_draws_the_formula(tmp_path):
    assert main(["export", "gd,momentum", "--objective", "(x1^2 + x2 - 11)^2 + (x1 + x2^2 - 7)^2", "--loss",
                 "-o", str(tmp_path)]) == 0
    (path,) = tmp_path.iterdir()
    assert re.fullmatch(r"gd_eta0\.4_vs_momentum_eta0\.6_beta0\.5_f-[A-Za-z0-9.+_-]{1,24}-[0-9a-f]{8}\.svg", path.name)
    svg = path.read_text()
    assert "<title>trajectories: optimizer=gd,momentum&amp;objective=%28x1%5E2+%2B+x2+-+11%29%5E2+%2B+" in svg
    assert 'id="tj-trajectory-gd"' in svg and 'id="tj-contours"' in svg


@pytest.mark.parametrize("text", ["3", "x1", "x2^2", "log(x1)", "exp(10*x1)", "x1^4 + x2^2", "abs(x1) + abs(x2)"])
def test_figures_of_odd_formulas_render(text):
    lesson = make_lesson("gd,adam", objective=text)
    data = figures.figure_bytes(lesson, loss=True)
    assert data.startswith(b"<?xml") and b"tj-trajectory-adam" in data
    figures.figure_bytes(lesson)  # the book's view, grown to the paths


def test_a_window_far_and_wide_keeps_the_grid_small():
    lesson = make_lesson("gd", objective="x1^2 + x2^2", window="-1e6,1e6,-1e6,1e6")
    assert figures.figure_bytes(lesson).startswith(b"<?xml")
    assert "_window-1e+06_1e+06_-1e+06_1e+06" in figures.file_name(lesson)


FORMULA_VALUES = st.one_of(TREES, st.sampled_from(["x1^2 + * x2", "__import__('os')", "x1**9999999", "0/0", "1e999",
                                                   "-6,2,-3,3", "1,2,3,4", "-1e6,1e6,-1e6,1e6", "nan,1,2,3"]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["objective", "window", "start", "optimizer", "steps"]),
                          st.one_of(FORMULA_VALUES, VALUES)), max_size=6))
def test_any_link_with_formulas_and_windows_gives_a_lesson_that_runs(pairs):
    lesson, notes = Lesson.from_query(urlencode(pairs))
    check_link(lesson, notes)


def test_every_functions_latex_typesets():
    from matplotlib.figure import Figure

    from trajectories.formula import FUNCTIONS, parse

    text = " + ".join(f"{name}(1 + x1^2/9)" for name in FUNCTIONS) + " + pi*e*x2 + 1e-6*x1 + 2^x2/(1 + x2^2)"
    text += " + (-x1)^2 + x1*(-x2) + 1.5e20*x1 + abs(x1)^2 + sqrt(x1^2 + 1)^3 + x1^-2"
    latex = parse(text).latex
    figure = Figure()
    figure.text(0, 0, f"${latex}$")
    figure.canvas.draw_idle()
    data = figures.render(figure)  # mathtext raises on LaTeX it cannot read
    assert data.startswith(b"<?xml")


def test_reading_a_formula_link_imports_opens_and_runs_nothing_in_a_fresh_interpreter():
    """The audit hook of test_safety.py sees only what earlier tests have not imported already: here a fresh
    interpreter reads formula links (and finds their minima) under the hook, so a lazy import on the way (numpy's
    np.median imports numpy.ma on its first call) shows."""
    code = (
        "import sys\n"
        "from trajectories.lesson import Lesson\n"
        "seen = []\n"
        "sys.addaudithook(lambda e, a: seen.append(e) if e in ('import', 'open', 'exec', 'compile',"
        " 'subprocess.Popen', 'os.system') else None)\n"
        "for q in ('objective=x1%5E4+%2B+x2%5E2', 'objective=sin(x1)*x2%5E2&window=-3,3,-3,3',"
        " 'objective=abs(x1)+x2%5E4&start=3,4', 'objective=__import__(1)', 'objective=x1**9999999'):\n"
        "    Lesson.from_query(q)[0].run()\n"
        "print(seen)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=str(ROOT))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
