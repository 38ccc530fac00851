"""A teacher's own objective: the grammar, its messages and limits, the exact gradient, and the objective built from
a formula (window, levels, minima, saddles, Hessian), down to the book's printed lines."""

from __future__ import annotations

import functools
import json
import math
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trajectories import run
from trajectories.formula import MAX_EXPONENT, MAX_LENGTH, FormulaError, parse, slug
from trajectories.objectives import OBJECTIVES, WRITTEN, check_objective, from_formula, get_objective
from trajectories.rules import STEP_2D, eta_limit

BOOK = json.loads((Path(__file__).parent / "golden" / "book.json").read_text())


# ---- reading -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "canonical"), [
    ("0.1*x1^2+2*x2^2", "0.1*x1^2 + 2*x2^2"),
    ("0.1 * x1**2 + 2 * x2**2", "0.1*x1^2 + 2*x2^2"),
    ("f = x^2 + 2y^2", "x1^2 + 2*x2^2"),
    ("f(x1, x2) = X1^2", "x1^2"),
    ("x\u2081\u00b2 + 2x\u2082\u00b2", "x1^2 + 2*x2^2"),
    ("\u2212x1 \u00d7 x2", "-x1*x2"),
    ("2(x1 - 1)^2", "2*(x1 - 1)^2"),
    ("-x1^2", "-x1^2"),
    ("(-x1)^2", "(-x1)^2"),
    ("2^3^2", "2^3^2"),
    ("(2^3)^2", "(2^3)^2"),
    ("x1 - (x2 - 1)", "x1 - (x2 - 1)"),
    ("x1 / (x2 * 2)", "x1/(x2*2)"),
    ("ln(x1) + arctan(x2)", "log(x1) + atan(x2)"),
    ("1e-6*x1 + 0.00010*x2", "1e-6*x1 + 0.0001*x2"),
    ("pi e x1", "pi*e*x1"),
])
def test_the_canonical_form(typed, canonical):
    f = parse(typed)
    assert f.text == canonical
    assert parse(canonical).text == canonical


def test_the_issues_message():
    with pytest.raises(FormulaError) as err:
        parse("x1^2 + * x2")
    assert str(err.value) == "f = x1^2 + * x2: expected a number, x1, x2, a function or '(' at position 8"


@pytest.mark.parametrize(("text", "message"), [
    ("x1 2", "expected an operator or the end at position 4"),
    ("x1)", "unmatched ')' at position 3"),
    ("exp(x1", "expected an operator or ')' at the end"),
    ("sin x1", "expected '(' after sin at position 5"),
    ("", "expected a number, x1, x2, a function or '(' at the end"),
    ("x1 $ 2", "unexpected character '$' at position 4"),
    ("\u04451^2", "unexpected character U+0445 (not ASCII) at position 1"),
    ("2^2^10", "the exponent 2^10 is outside [-100, 100] at position 3"),
    ("x1 + log(0)", "the value of log(0) is not finite at position 6"),
])
def test_messages_name_the_position_and_what_was_expected(text, message):
    with pytest.raises(FormulaError, match="^f = ") as err:
        parse(text)
    assert str(err.value).endswith(message) and "\n" not in str(err.value)


HOSTILE = ["__import__('os')", "__import__('os').system('id')", "x1**9999999", "(" * 10000 + "x1" + ")" * 10000,
           "x1 + " * 20480, "\u0445\u2081^2", "\uff58\uff11^2", "\u0435xp(x1)", "1e999", "0/0", "x1**x1**x1**9999",
           "exec('1')", "eval(x1)", "open('/etc/passwd')", "lambda: 0", "x1.__class__", "{{7*7}}", "x1; import os",
           "-" * 1000 + "x1", "(" * 33 + "x1" + ")" * 33, "1+" * 51 + "x1", "x+" * 240 + "x", "\x00x1", "x1\u202e"]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_formulas_get_a_message_at_once(text):
    started = time.perf_counter()
    with pytest.raises(FormulaError) as err:
        parse(text)
    assert time.perf_counter() - started < 1.0  # a hang would show; the work is microseconds
    message = str(err.value)
    assert message.startswith("f = ") and "\n" not in message and len(message) < 400


def test_limits_hold_before_the_text_is_read():
    assert "at most 500" in str(pytest.raises(FormulaError, parse, "x" * (MAX_LENGTH + 1)).value)
    parse("0." + "1" * 479 + "*x1^2 + " + "+".join(["x2"] * 4))  # 500 characters, under every limit
    parse(f"x1^{MAX_EXPONENT} + x2^-{MAX_EXPONENT}")
    with pytest.raises(FormulaError, match="outside"):
        parse(f"x1^{MAX_EXPONENT + 1}")
    with pytest.raises(FormulaError, match="a name or a formula"):
        parse(None)


def test_file_name_piece_is_safe_short_and_distinct():
    pieces = {slug(t) for t in ["x1*x2", "x1^x2", "x1/x2", "(x1 - x2)^2", "x1 - x2^2", "x1^2" + " + x1" * 60]}
    assert len(pieces) == 6
    for piece in pieces:
        assert len(piece) <= 33 and all(c.isascii() and (c.isalnum() or c in "._+-") for c in piece)


# ---- evaluating ----------------------------------------------------------------------------------------------

def test_f_and_grad_broadcast_and_never_warn():
    f = parse("x1*0/x2 + log(x1) + exp(1000*x1)")
    x1, x2 = np.array([-1.0, 0.0, 1.0, 2.0]), np.array([[0.0], [1.0]])
    value, (g1, g2) = f.f(x1, x2), f.grad(x1, x2)
    assert value.shape == g1.shape == g2.shape == (2, 4)
    assert np.isnan(value[0]).all() and np.isinf(value[1, 2:]).all()  # 0/0; exp overflows to inf, no warning


@pytest.mark.parametrize(("text", "variables"), [("x1^2", ("x1",)), ("x2^3", ("x2",)), ("3", ()), ("pi", ())])
def test_one_variable_or_none(text, variables):
    f = parse(text)
    assert f.variables == variables
    g1, g2 = f.grad(np.linspace(-2, 2, 5), 1.0)
    assert g1.shape == g2.shape == (5,)
    if "x1" not in variables:
        assert (g1 == 0).all()
    if "x2" not in variables:
        assert (g2 == 0).all()
    t = run("gd", objective=text, steps=5, eta=0.01)
    moved = t.points[-1] != t.points[0]
    assert tuple(moved) == ("x1" in variables, "x2" in variables)


def test_overflow_is_the_usual_divergence():
    t = run("gd", objective="exp(x1^2) + x2^2", start=(3.0, 0.0), steps=20)
    assert t.diverged_at is not None and np.isnan(t.points[t.diverged_at:]).all()
    assert np.isfinite(t.points[:t.diverged_at]).all()


# Random formula trees: every operation and function, kept smooth where they are evaluated (log and sqrt of
# something positive, a division by something away from 0), so that a central difference is a fair reference.
LEAVES = st.sampled_from(["x1", "x2", "0.5", "2", "1.5", "pi", "3"])


def _grow(children):
    u = children
    return st.one_of(
        st.tuples(u, st.sampled_from(["+", "-", "*"]), u).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(u, u).map(lambda t: f"({t[0]})/(1 + ({t[1]})^2)"),
        st.tuples(u, st.sampled_from(["2", "3", "-1", "0.5", "1.5"])).map(
            lambda t: f"(1 + ({t[0]})^2)^{t[1]}" if t[1] in ("-1", "0.5", "1.5") else f"({t[0]})^{t[1]}"),
        st.tuples(st.sampled_from(["sin", "cos", "tanh", "atan", "sinh", "cosh", "exp"]), u).map(
            lambda t: f"{t[0]}(({t[1]})/4)"),
        st.tuples(st.sampled_from(["log", "sqrt"]), u).map(lambda t: f"{t[0]}(1 + ({t[1]})^2)"),
        u.map(lambda t: f"-{t}"),
        u.map(lambda t: f"2^(({t})/8)"),
        u.map(lambda t: f"abs({t})"),
    )


TREES = st.recursive(LEAVES, _grow, max_leaves=12)
POINT = st.floats(min_value=-3, max_value=3, allow_nan=False)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(TREES, POINT, POINT)
def test_gradient_equals_a_central_difference(text, x1, x2):
    try:
        f = parse(text)
    except FormulaError:
        assume(False)  # a random tree may exceed a limit or fold to a non-finite constant
    g = np.array(f.grad(x1, x2), dtype=float)
    assume(np.isfinite(g).all() and np.isfinite(f.f(x1, x2)))
    for i, (e1, e2) in enumerate(((1.0, 0.0), (0.0, 1.0))):
        def at(h, e1=e1, e2=e2):
            return float(f.f(x1 + h * e1, x2 + h * e2))

        h = 5e-5
        fine, coarse = (at(h) - at(-h)) / (2 * h), (at(2 * h) - at(-2 * h)) / (4 * h)
        ahead, behind = (at(h) - at(0)) / h, (at(0) - at(-h)) / h
        scale = max(1.0, abs(coarse), abs(at(0)))
        # smooth here: no kink (abs at 0) between the one-sided differences, no curvature the step cannot resolve
        assume(all(map(math.isfinite, (fine, coarse, ahead, behind))) and abs(coarse - fine) <= 1e-7 * scale
               and abs(ahead - behind) <= 1e-2 * scale)
        assert abs(g[i] - fine) <= 1e-6 * scale, (text, x1, x2, i, g[i], fine)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(TREES)
def test_the_canonical_text_reads_back_to_the_same_function(text):
    try:
        f = parse(text)
    except FormulaError:
        assume(False)
    again = parse(f.text)
    assert again.text == f.text and again.tape == f.tape
    xs = np.linspace(-2, 2, 7)
    np.testing.assert_array_equal(again.f(xs, xs[::-1]), f.f(xs, xs[::-1]))


# ---- the objective of a formula ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", WRITTEN)
def test_a_written_out_builtin_is_the_builtin(name):
    built_in, written = OBJECTIVES[name], from_formula(WRITTEN[name])
    assert written.name == WRITTEN[name]  # written in the canonical form, as the formula field shows it
    assert written.latex == built_in.latex
    assert written.levels == built_in.levels
    if built_in.hessian is None:
        assert written.hessian is None
    else:
        np.testing.assert_array_equal(written.hessian, built_in.hessian)  # exact: no finite-difference noise
    if built_in.minima:
        assert len(written.minima) == len(built_in.minima)
        for m in built_in.minima:
            assert min(math.dist(m, w) for w in written.minima) < 1e-6
    assert written.saddles[:len(built_in.saddles)] == built_in.saddles or name == "himmelblau"
    xs = np.linspace(-4, 4, 9)
    np.testing.assert_allclose(written.f(xs, xs[::-1]), built_in.f(xs, xs[::-1]), rtol=1e-14)
    np.testing.assert_allclose(np.array(written.grad(xs, xs[::-1])), np.array(built_in.grad(xs, xs[::-1])),
                               rtol=1e-13, atol=1e-12)


@pytest.mark.parametrize("rule", ["gd", "momentum", "nesterov"])
def test_stability_limits_follow_a_quadratic_formula(rule):
    for name in ("quadratic", "bowl", "rotated"):
        assert eta_limit(rule, WRITTEN[name], beta=0.5) == eta_limit(rule, name, beta=0.5)
    assert eta_limit(rule, "x1^4 + x2^2") is None and eta_limit(rule, "x1^2 - x2^2") is None


BOOK_CASES = [(c["objective"], c["optimizer"], c["hyperparameters"], c["printed"]) for c in BOOK["cases"]]


@pytest.mark.parametrize(("objective", "rule", "settings_", "printed"), BOOK_CASES,
                         ids=[f"{o}-{r}-{s}" for o, r, s, _ in BOOK_CASES])
def test_the_books_lines_from_the_formula(objective, rule, settings_, printed):
    formula = WRITTEN[objective]
    assert run(rule, objective=formula, **settings_).book_line() == printed
    # and through the book's own loop (d2l train_2d: x1, x2, s1, s2 = -5, -2, 0, 0; 20 steps)
    trainer = functools.partial(STEP_2D[rule], objective=formula, **settings_)
    x1, x2, s1, s2 = -5, -2, 0, 0
    for _ in range(20):
        x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
    assert f"epoch 20, x1: {float(x1):f}, x2: {float(x2):f}" == printed


@pytest.mark.parametrize(("text", "minima", "saddles"), [
    ("x1^4 + x2^2", [(0.0, 0.0)], []),  # flat: no curvature at the minimum
    ("x1^2", [(0.0, -2.0)], []),  # a valley: the point the start reaches
    ("(x1 - x2)^2", [(-3.5, -3.5)], []),
    ("x1^4 - 2*x1^2 + x2^4", [(-1.0, 0.0), (1.0, 0.0)], []),
    ("x1^3 - 3*x1 + x2^2", [(1.0, 0.0)], [(-1.0, 0.0)]),
    ("abs(x1) + abs(x2)", [(0.0, 0.0)], []),  # a kink
    ("x1*x2", [], [(0.0, 0.0)]),
    ("tanh(x1)^2 + x2^2", [(0.0, 0.0)], []),  # and not the plateau far out
    ("x1 + x2", [], []),
    ("3", [], []),
])
def test_minima_and_saddles_are_found(text, minima, saddles):
    o = from_formula(text)
    assert [tuple(m) for m in o.minima] == minima and [tuple(s) for s in o.saddles] == saddles


def test_the_window_holds_the_start_and_the_minima_unless_set():
    o = from_formula("(x1 - 3)^2 + (x2 - 2)^2", start=(-5.0, -2.0))
    (a, b), (c, d) = o.xlim, o.ylim
    assert a < -5 and b > 3 and c < -2 and d > 2
    far = from_formula("(x1 - 3)^2 + (x2 - 2)^2", start=(-20.0, 10.0))
    assert far.xlim[0] < -20 and far.ylim[1] > 10
    assert from_formula("x1^2", window=(-1, 2, -3, 4)).xlim == (-1.0, 2.0)
    with pytest.raises(ValueError, match="'window'"):
        from_formula("x1^2", window=(2, 1, 0, 1))


def test_a_formula_without_a_finite_value_says_so():
    with pytest.raises(FormulaError, match="no finite value"):
        from_formula("sqrt(-1 - x1^2)")
    with pytest.raises(FormulaError, match="no finite value"):
        from_formula("log(x1)", window=(-3, -1, 0, 1))


def test_names_and_formulas_are_told_apart():
    assert check_objective("quadratic") == "quadratic"
    assert check_objective(" x1^2 ") == "x1^2"
    assert check_objective("x") == "x1"
    with pytest.raises(ValueError, match="one of 'quadratic'.* or a formula"):
        check_objective("quadratc")
    assert get_objective("x1^2 + x2^2").formula.text == "x1^2 + x2^2"
