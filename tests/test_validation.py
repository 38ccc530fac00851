"""Bad input raises one clear ValueError; any valid setting runs without raising or warning (property tests)."""

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trajectories import CONVENTIONS, MAX_STEPS, OBJECTIVES, RULES, run, specs
from trajectories.rules import STEP_2D

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _valid_value(spec):
    if spec.is_choice:
        return st.sampled_from(spec.choices)
    if spec.scale == "log":
        return st.floats(math.log10(spec.low), math.log10(spec.high)).map(lambda e: float(10 ** e)).map(
            lambda v: min(max(v, spec.low), spec.high))
    return st.one_of(st.floats(spec.low, spec.high), st.sampled_from([spec.low, spec.high]))


@st.composite
def valid_runs(draw):
    rule = draw(st.sampled_from(RULES))
    convention = draw(st.sampled_from(CONVENTIONS))
    table = specs(rule, convention)
    names = draw(st.lists(st.sampled_from(list(table)), unique=True)) if table else []
    hyper = {n: draw(_valid_value(table[n])) for n in names}
    objective = draw(st.sampled_from(list(OBJECTIVES)))
    start = (draw(st.floats(-10, 10)), draw(st.floats(-10, 10)))
    steps = draw(st.integers(1, 150))
    return rule, dict(objective=objective, start=start, steps=steps, convention=convention, seed=0, **hyper)


@SETTINGS
@given(valid_runs())
def test_valid_settings_never_raise_or_warn(case):
    rule, kw = case
    t = run(rule, **kw)  # -W error turns any numpy warning into a failure
    n = kw["steps"] + 1 if t.diverged_at is None else t.diverged_at
    assert np.all(np.isfinite(t.points[:n])) and np.all(np.isnan(t.points[n:]))
    assert np.all(np.isfinite(t.losses[:n]))


@SETTINGS
@given(valid_runs())
def test_valid_settings_in_the_books_form_never_raise_or_warn(case):
    rule, kw = case
    hyper = {k: v for k, v in kw.items() if k not in ("start", "steps")}
    x1, x2, s1, s2 = *kw["start"], 0, 0
    for _ in range(min(kw["steps"], 30)):
        x1, x2, s1, s2 = STEP_2D[rule](x1, x2, s1, s2, **hyper)


def _invalid_value(spec):
    if spec.is_choice:
        return st.sampled_from(["", "nope", 3.5, None])
    return st.one_of(
        st.sampled_from([math.nan, math.inf, -math.inf, "0.1", None, True, [], [0.1, math.nan]]),
        st.floats(allow_nan=False, allow_infinity=False).filter(lambda v: not spec.low <= v <= spec.high),
    )


@st.composite
def invalid_hyperparameters(draw):
    rule = draw(st.sampled_from(RULES))
    convention = draw(st.sampled_from(CONVENTIONS))
    table = specs(rule, convention)
    name = draw(st.sampled_from(list(table)))
    return rule, convention, name, draw(_invalid_value(table[name]))


@SETTINGS
@given(invalid_hyperparameters())
def test_invalid_hyperparameters_always_raise_the_clear_error(case):
    rule, convention, name, value = case
    spec = specs(rule, convention)[name]
    if spec.is_choice:
        pattern = rf"^The '{name}' parameter of {rule} must be one of .+\. Got .+ instead\.$"
    else:
        pattern = (rf"^The '{name}' parameter of {rule} must be a float in the range "
                   rf"\[{re.escape(f'{spec.low:g}')}, {re.escape(f'{spec.high:g}')}\]\. Got .+ instead\.$")
    with pytest.raises(ValueError, match=pattern):
        run(rule, convention=convention, **{name: value})
    with pytest.raises(ValueError, match=pattern):
        STEP_2D[rule](-5, -2, 0, 0, convention=convention, **{name: value})


def test_the_issues_example_message():
    with pytest.raises(ValueError) as info:
        run("adadelta", rho=1.5)
    assert str(info.value) == "The 'rho' parameter of adadelta must be a float in the range [0, 1]. Got 1.5 instead."


def test_decay_rates_allow_the_closed_range():
    for rule, name in [("rmsprop", "gamma"), ("adadelta", "rho"), ("momentum", "beta"), ("adam", "beta1"),
                       ("adam", "beta2")]:
        for value in (0.0, 1.0):
            run(rule, **{name: value})


def test_array_with_one_bad_value_is_rejected():
    with pytest.raises(ValueError, match=r"The 'gamma' parameter of rmsprop .* Got 1\.5 instead\."):
        run("rmsprop", gamma=np.array([0.5, 1.5]))


@pytest.mark.parametrize("steps", [0, -1, MAX_STEPS + 1, 2.5, "20", True, None])
def test_bad_steps(steps):
    with pytest.raises(ValueError, match=rf"^The 'steps' parameter must be an integer in the range \[1, {MAX_STEPS}\]"):
        run("gd", steps=steps)


@pytest.mark.parametrize("start", [(math.nan, 0), (0, math.inf), (2e6, 0), (1, 2, 3), "(-5, -2)", 5, None])
def test_bad_start(start):
    with pytest.raises(ValueError, match=r"^The 'start' parameter must be a pair of finite floats"):
        run("gd", start=start)


@pytest.mark.parametrize(("kw", "parameter"), [({"optimizer": "adamw"}, "optimizer"),
                                               ({"objective": "beale"}, "objective"),
                                               ({"convention": "jax"}, "convention"),
                                               ({"seed": -1}, "seed")])
def test_bad_names(kw, parameter):
    kw = {"optimizer": "gd", **kw}
    with pytest.raises(ValueError, match=rf"^The '{parameter}' parameter must be"):
        run(kw.pop("optimizer"), **kw)


def test_unknown_hyperparameter_names_the_rule_and_what_it_takes():
    with pytest.raises(ValueError, match=r"^The 'alpha' parameter is not a hyperparameter of rmsprop .*'gamma'"):
        run("rmsprop", alpha=0.9)
    with pytest.raises(ValueError, match="has no learning rate"):
        run("adadelta", eta=1.0)
    run("adadelta", eta=1.0, convention="torch")
