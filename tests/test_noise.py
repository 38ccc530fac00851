"""The gradient noise: Philox4x32-10 as Random123 publishes it, a logarithm and a normal quantile built from correctly
rounded operations, draws that are normal, and runs that meet the draws of their seed."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from trajectories import noise, run
from trajectories.objectives import get_objective

# Random123's known-answer vectors for philox4x32 with 10 rounds: the file tests/kat_vectors of the Random123
# distribution (D. E. Shaw Research, https://github.com/DEShawResearch/random123), three lines
# "philox4x32 10 <counter: 4 words> <key: 2 words> <expected: 4 words>", all hexadecimal.
KAT = """
philox4x32 10 00000000 00000000 00000000 00000000 00000000 00000000 6627e8d5 e169c58d bc57ac4c 9b00dbd8
philox4x32 10 ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff 408f276d 41c83b0e a20bc7c6 6d5451fd
philox4x32 10 243f6a88 85a308d3 13198a2e 03707344 a4093822 299f31d0 d16cfe09 94fdcceb 5001e420 24126ea1
"""


@pytest.mark.parametrize("line", KAT.strip().splitlines())
def test_philox_gives_random123s_known_answers(line):
    words = [int(w, 16) for w in line.split()[2:]]
    counter, key, expected = words[:4], words[4:6], words[6:]
    assert [int(w) for w in noise.philox4x32(counter, key)] == expected


def test_philox_is_counter_based_and_broadcasts():
    counters = np.arange(10)
    batched = noise.philox4x32((counters, 0, 0, 0), (7, 1))
    for i in range(10):
        alone = noise.philox4x32((i, 0, 0, 0), (7, 1))
        assert [int(w[i]) for w in batched] == [int(w) for w in alone]


def test_the_logarithm_is_within_one_unit_in_the_last_place():
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.uniform(0, 1, 200_000), 10.0 ** rng.uniform(-300, 300, 200_000),
                        [2.0 ** -53, 0.075, 0.5, 1.0 - 2.0 ** -53, 1.0, 2.0, math.e]])
    ours = noise.log(x)
    exact = np.array([math.log(v) for v in x])
    ulps = np.abs(ours - exact) / np.spacing(np.abs(exact) + 1e-300)
    assert ulps.max() <= 1.0
    assert noise.log(1.0) == 0.0 and noise.log(2.0) == math.log(2.0)


def test_the_quantile_is_python_statistics_as241():
    # statistics.NormalDist.inv_cdf is Wichura's AS241 too, with the C library's log: within a few units apart
    rng = np.random.default_rng(4)
    u = noise.uniform(rng.integers(0, 2 ** 32, 100_000, dtype=np.uint64),
                      rng.integers(0, 2 ** 32, 100_000, dtype=np.uint64))
    u = np.concatenate([u, [2.0 ** -53, 1 - 2.0 ** -53, 0.075, 0.925, 0.0749, 1e-10]])
    ours = noise.inverse_normal(u)
    reference = np.array([statistics.NormalDist().inv_cdf(float(p)) for p in u])
    assert np.max(np.abs(ours - reference) / np.maximum(np.abs(reference), 1e-300)) <= 2e-15
    assert np.mean(ours == reference) > 0.99


def test_uniforms_stay_inside_the_open_interval_and_are_symmetric():
    top, bottom = np.uint64(2 ** 32 - 1), np.uint64(0)
    high, low = noise.uniform(top, top), noise.uniform(bottom, bottom)
    assert 0.0 < low < 0.5 < high < 1.0 and low + high == 1.0
    assert noise.inverse_normal(low) == -noise.inverse_normal(high)


def test_the_draws_are_standard_normal():
    draws = noise.table(np.arange(200), 500)  # 200 seeds x 500 steps x 2 coordinates
    z = draws.ravel()
    n = z.size
    assert abs(z.mean()) < 4 / math.sqrt(n)
    assert abs(z.var() - 1) < 4 * math.sqrt(2 / n)
    # Kolmogorov-Smirnov against the normal CDF: 1.95 / sqrt(n) is the 0.1% critical value
    ranked = np.sort(z)
    cdf = 0.5 * (1 + np.vectorize(math.erf)(ranked / math.sqrt(2)))
    d = max(np.max(np.arange(1, n + 1) / n - cdf), np.max(cdf - np.arange(n) / n))
    assert d < 1.95 / math.sqrt(n)
    # no correlation between the two coordinates, consecutive steps or neighbouring seeds
    for a, b in ((draws[:, 0], draws[:, 1]), (draws[1:], draws[:-1]), (draws[..., 1:], draws[..., :-1])):
        assert abs(np.corrcoef(a.ravel(), b.ravel())[0, 1]) < 4 / math.sqrt(a.size)


def test_a_seed_draws_the_same_alone_or_in_a_batch():
    batch = noise.table(np.array([3, 7, 2 ** 32 - 1]), 40)
    for i, seed in enumerate((3, 7, 2 ** 32 - 1)):
        np.testing.assert_array_equal(batch[..., i], noise.table(seed, 40))
        for t in (1, 17, 40):
            np.testing.assert_array_equal(noise.gaussian(seed, t), batch[t - 1, :, i])
    assert not np.array_equal(noise.table(3, 40), noise.table(4, 40))


@pytest.mark.parametrize(("rule", "sigma"), [("gd", 1.0), ("sgd", 1.0), ("gd", 0.25)])
def test_a_run_adds_sigma_times_its_seeds_draws_to_the_gradient(rule, sigma):
    eta, seed = 0.1, 5
    t = run(rule, eta=eta, sigma=sigma, seed=seed, steps=30)
    grad = get_objective("quadratic").grad
    for step in range(1, 31):
        x, following = t.points[step - 1], t.points[step]
        g = np.array(grad(*x))
        drawn = ((x - following) / eta - g) / sigma  # gd: x' = x - eta (g + sigma xi)
        np.testing.assert_allclose(drawn, noise.gaussian(seed, step), rtol=1e-9, atol=1e-9)


def test_runs_with_one_seed_meet_the_same_draws_and_a_spread_runs_each_seed():
    a = run("momentum", sigma=0.5, seed=11, steps=25)
    b = run("momentum", sigma=0.5, seed=11, steps=25)
    np.testing.assert_array_equal(a.points, b.points)
    spread = run("adam", sigma=0.5, seed=np.arange(40, 60), steps=25, eta=0.1)
    assert spread.batch_shape == (20,)
    for i in (0, 9, 19):
        np.testing.assert_array_equal(spread.pick(i).points, run("adam", sigma=0.5, seed=40 + i, steps=25,
                                                                 eta=0.1).points)


def test_no_noise_leaves_the_runs_as_they_were():
    assert run("rmsprop", eta=0.4, gamma=0.9, seed=3).book_line() == "epoch 20, x1: -0.010599, x2: 0.000000"
    assert run("gd", seed=3).seed is None  # nothing was drawn


def test_the_spread_summaries():
    spread = run("gd", eta=0.4, sigma=1.0, seed=np.arange(0, 9), steps=15)
    final = spread.losses[:, -1]
    assert spread.median_run() == int(np.argsort(final, kind="stable")[4])
    q = spread.loss_quantiles()
    ranked = np.sort(spread.losses, axis=0)
    np.testing.assert_array_equal(q, ranked[[1, 4, 7]])  # round(0.1 * 8) = 1, 4, round(0.9 * 8) = 7
