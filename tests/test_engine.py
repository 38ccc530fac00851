"""Stepping: shapes, batching, divergence, state, the lessons the book draws from edge settings."""

import math

import numpy as np
import pytest

from trajectories import BOUND, OBJECTIVES, RULES, get_objective, run, specs
from trajectories.rules import eta_limit

NUMERIC = {r: [k for k, s in specs(r).items() if not s.is_choice] for r in RULES}


@pytest.mark.parametrize("rule", RULES)
def test_shapes_and_start(rule):
    t = run(rule, steps=7, seed=1)
    assert t.points.shape == (8, 2)
    assert tuple(t.points[0]) == (-5.0, -2.0)
    assert t.losses.shape == (8,)
    assert t.losses[0] == pytest.approx(0.1 * 25 + 2 * 4)
    for value in t.state.values():
        assert value.shape == (8, 2)
        assert np.all(value[0] == 0)
    assert t.effective_lr.shape == (7, 2)
    if rule in ("momentum", "nesterov"):  # the rate in front of the velocity
        assert np.all(t.effective_lr == t.hyperparameters["eta"])
    assert (t.rates is None) == ("eta" not in specs(rule))


@pytest.mark.parametrize("rule", RULES)
def test_batch_cell_equals_single_run(rule):
    grids = {}
    for i, name in enumerate(NUMERIC[rule]):
        spec = specs(rule)[name]
        lo, hi = (spec.low, min(spec.high, 2.0)) if spec.scale == "linear" else (1e-3, 1.0)
        grids[name] = np.linspace(lo, hi, 5).reshape((5,) + (1,) * i)
    t = run(rule, steps=30, seed=4, **grids)
    shape = np.broadcast_shapes(*(g.shape for g in grids.values()))
    assert t.points.shape == shape + (31, 2)
    rng = np.random.default_rng(0)
    for _ in range(5):
        cell = tuple(rng.integers(0, n) for n in shape)
        one = run(rule, steps=30, seed=4, **{k: float(np.broadcast_to(g, shape)[cell]) for k, g in grids.items()})
        assert np.array_equal(one.points, t.points[cell], equal_nan=True)
        assert np.array_equal(one.losses, t.losses[cell], equal_nan=True)
        assert (one.diverged_at if one.diverged_at is not None else -1) == t.diverged_at[cell]


def test_batch_over_start_points():
    starts = np.array([[-5.0, -2.0], [1.0, 1.0], [0.0, 0.0]])
    t = run("momentum", start=starts, steps=10)
    for i, s in enumerate(starts):
        assert np.array_equal(t.points[i], run("momentum", start=s, steps=10).points)


def test_divergence_stops_cleanly_and_keeps_the_points_before():
    t = run("gd", eta=0.6, steps=60)  # |1 - 0.6 * 4| = 1.4 > 1: x2 grows 1.4x a step
    k = t.diverged_at
    assert k is not None and 20 < k < 60
    assert np.all(np.abs(t.points[:k]) <= BOUND)
    assert np.all(np.isnan(t.points[k:])) and np.all(np.isnan(t.losses[k:]))
    assert np.all(np.isfinite(t.losses[:k]))
    assert t.points[20, 1] == pytest.approx(-1673.365109, abs=1e-6)  # the book's printed step 20 is kept
    assert "diverged at step" in t.book_line()


def test_overflowing_run_is_data_not_a_warning():
    # Rosenbrock's gradient is cubic: eta = 100 overflows float64 within a few steps if nothing stops it.
    t = run("gd", objective="rosenbrock", eta=100, steps=500)
    assert t.diverged_at == 1
    assert np.array_equal(t.points[0], [-5.0, -2.0]) and np.all(np.isnan(t.points[1:]))


def test_whole_batch_diverging_ends_early_with_nan_rows():
    t = run("gd", eta=np.array([50.0, 100.0]), steps=1000, objective="rosenbrock")
    assert list(t.diverged_at) == [1, 1]
    assert t.points.shape == (2, 1001, 2) and np.all(np.isnan(t.points[:, 1:]))


def test_rmsprop_gamma_one_is_the_books_exercise():
    # gamma = 1: s never moves off 0, so the step is eta / sqrt(eps) * g, a huge one.
    t = run("rmsprop", eta=0.4, gamma=1.0, steps=20)
    assert np.all(t.state["s"][: t.diverged_at or None] == 0)
    assert t.effective_lr[0, 0] == pytest.approx(0.4 / math.sqrt(1e-6))
    assert t.diverged_at is not None


def test_adadelta_first_steps_are_tiny_and_grow():
    t = run("adadelta", steps=500)
    first = np.abs(t.points[1] - t.points[0])
    assert np.all(first < 0.02)  # about sqrt(eps / s) * g with s = (1 - rho) g^2
    lr = t.effective_lr
    assert np.all(lr[-1] > 10 * lr[0])
    assert t.losses[-1] < 0.01 * t.losses[0]


def test_adam_decay_rate_one_is_defined():
    still = run("adam", beta1=1.0, steps=10)  # v stays 0: no move, and no 0/0
    assert np.all(still.points == still.points[0])
    assert still.diverged_at is None
    wild = run("adam", beta2=1.0, steps=10)  # s stays 0: eta * v / eps, the RMSProp gamma = 1 lesson
    assert wild.diverged_at is not None


def test_adam_without_bias_correction_differs():
    a, b = run("adam", steps=5), run("adam", steps=5, bias_correction=False)
    assert not np.allclose(a.points[1:], b.points[1:])


def test_sgd_noise_is_seeded_and_recorded():
    a, b = run("sgd", seed=7, steps=50), run("sgd", seed=7, steps=50)
    assert np.array_equal(a.points, b.points)
    assert not np.array_equal(a.points, run("sgd", seed=8, steps=50).points)
    drawn = run("sgd", steps=50)
    assert isinstance(drawn.seed, int)
    assert np.array_equal(drawn.points, run("sgd", seed=drawn.seed, steps=50).points)


@pytest.mark.parametrize("schedule", ["constant", "exponential", "polynomial"])
def test_sgd_schedules_follow_the_books_clock(schedule):
    t = run("sgd", schedule=schedule, eta=0.1, steps=3, seed=0)
    # the book sets t = 1 and advances it before each use: step 1 reads t = 2
    expected = {"constant": 1.0, "exponential": math.exp(-0.2), "polynomial": (1 + 0.2) ** -0.5}[schedule]
    assert t.effective_lr[0, 0] == pytest.approx(0.1 * expected)


@pytest.mark.parametrize("name", list(OBJECTIVES))
def test_gradients_match_finite_differences(name):
    obj = get_objective(name)
    rng = np.random.default_rng(1)
    x1, x2 = rng.uniform(-3, 3, 20), rng.uniform(-3, 3, 20)
    g1, g2 = obj.grad(x1, x2)
    h = 1e-6
    assert np.allclose(g1, (obj.f(x1 + h, x2) - obj.f(x1 - h, x2)) / (2 * h), rtol=1e-5, atol=1e-4)
    assert np.allclose(g2, (obj.f(x1, x2 + h) - obj.f(x1, x2 - h)) / (2 * h), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("name", list(OBJECTIVES))
def test_view_shows_start_and_minima(name):
    obj = get_objective(name)
    for x1, x2 in ((-5.0, -2.0),) + obj.minima + obj.saddles:
        assert obj.xlim[0] <= x1 <= obj.xlim[1] and obj.ylim[0] <= x2 <= obj.ylim[1]
    for x1, x2 in obj.minima:
        assert np.hypot(*obj.grad(x1, x2)) < 1e-4
        assert obj.f(x1, x2) <= min(obj.f(x1 + d1, x2 + d2) for d1 in (-0.01, 0.01) for d2 in (-0.01, 0.01))


def test_general_quadratic_is_the_book_quadratic_unrotated():
    g, q = get_objective("general", condition=20, angle=0), get_objective("quadratic")
    assert np.allclose(g.hessian, q.hessian)
    assert np.array_equal(run("gd", objective=g).points, run("gd", objective="quadratic").points)
    turned = get_objective("general", condition=20, angle=45)
    assert turned.lambda_max == pytest.approx(4.0)
    with pytest.raises(ValueError, match="The 'condition' parameter of general must be"):
        get_objective("general", condition=0.5)


@pytest.mark.parametrize(("rule", "beta"), [("gd", 0.0), ("momentum", 0.5), ("momentum", 0.9),
                                             ("nesterov", 0.5), ("nesterov", 0.0)])
@pytest.mark.parametrize("objective", ["quadratic", "bowl", "rotated"])
def test_stability_limit_matches_measured_divergence(rule, beta, objective):
    limit = eta_limit(rule, objective, beta=beta)
    kw = {} if rule == "gd" else {"beta": beta}
    assert run(rule, objective=objective, eta=0.98 * limit, steps=3000, **kw).diverged_at is None
    assert run(rule, objective=objective, eta=1.02 * limit, steps=3000, **kw).diverged_at is not None


def test_no_stability_limit_where_theory_has_none():
    assert eta_limit("rmsprop") is None
    assert eta_limit("gd", "rosenbrock") is None
    assert eta_limit("gd", "saddle") is None


@pytest.mark.parametrize("rule", RULES)
def test_2d_callables_broadcast_over_arrays(rule):
    from trajectories.rules import STEP_2D

    grid = {n: np.linspace(0.1, 0.9, 4) for n in NUMERIC[rule] if n != "eps"}
    x1, x2, s1, s2 = np.full(4, -5.0), -2.0, 0, 0
    for _ in range(5):
        x1, x2, s1, s2 = STEP_2D[rule](x1, x2, s1, s2, seed=2, **grid)
    batched = run(rule, steps=5, seed=2, **grid)
    assert np.array_equal(np.stack([x1, x2], -1), batched.points[:, -1])


def test_doc_example_runs():
    import doctest

    import trajectories.engine

    assert doctest.testmod(trajectories.engine).failed == 0


def test_the_engine_records_the_gradient_it_read_and_nesterovs_look_ahead():
    obj = get_objective("quadratic")
    t = run("rmsprop", steps=6)
    for step in range(6):
        np.testing.assert_array_equal(t.gradients[step], obj.grad(*t.points[step]))
    assert t.lookahead is None
    n = run("nesterov", steps=6, eta=0.3, beta=0.5)
    for step in range(6):
        look = n.points[step] - 0.3 * 0.5 * n.state["v"][step]
        np.testing.assert_array_equal(n.lookahead[step], look)
        np.testing.assert_array_equal(n.gradients[step], obj.grad(*look))
    assert run("nesterov", convention="torch").lookahead is None  # torch reads at x
    # a batch (a landscape's grid) does not keep them: they would cost it a fifth more time and memory
    batch = run("nesterov", eta=np.array([0.1, 0.3]), steps=6)
    assert batch.gradients is None and batch.lookahead is None


def test_a_diverged_run_keeps_the_gradient_that_sent_it_away():
    t = run("gd", eta=0.6, steps=60)
    d = t.diverged_at
    np.testing.assert_array_equal(t.gradients[d - 1], get_objective("quadratic").grad(*t.points[d - 1]))
    assert np.isnan(t.gradients[d:]).all() and np.isnan(t.effective_lr[d - 1]).all()
    data = t.to_dict()
    assert data["gradients"][d] == [None, None] and data["lookahead"] is None
