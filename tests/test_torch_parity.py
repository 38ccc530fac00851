"""convention="torch" against torch.optim, from golden data made by tests/golden/generate_torch.py (no torch here)."""

import json
from pathlib import Path

import numpy as np
import pytest

from trajectories import BOUND, run

GOLDEN = json.loads((Path(__file__).parent / "golden" / "torch.json").read_text())
CASES = GOLDEN["cases"]
IDS = [f"{c['objective']}-{c['torch_optimizer']}-" + "-".join(f"{k}{v}" for k, v in c["torch_kwargs"].items())
       for c in CASES]


def _reference(case):
    return np.array([[np.nan if v is None else v for v in p] for p in case["points"]])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_agrees_with_torch_optim(case):
    t = run(case["rule"], objective=case["objective"], start=case["start"], steps=case["steps"],
            convention="torch", **case["hyperparameters"])
    ref = _reference(case)
    n = case["steps"] + 1 if t.diverged_at is None else t.diverged_at
    ours, ref_kept = t.points[:n], ref[:n]
    size = np.max(np.abs(ours))
    assert np.all(np.isfinite(ours))
    assert np.max(np.abs(ours[:21] - ref_kept[:21])) <= 1e-9 * size
    assert np.max(np.abs(ours - ref_kept)) <= 1e-4 * size
    if t.diverged_at is not None:
        # torch left the bound at the same step, and what follows is not invented
        assert not np.all(np.abs(ref[t.diverged_at]) <= BOUND)
        assert np.all(np.isnan(t.points[t.diverged_at:]))


def test_golden_covers_every_torch_optimizer_on_both_objectives():
    seen = {(c["objective"], c["torch_optimizer"], bool(c["torch_kwargs"].get("nesterov")),
             bool(c["torch_kwargs"].get("momentum"))) for c in CASES}
    for objective in ("quadratic", "rotated"):
        for opt in ("Adagrad", "RMSprop", "Adadelta", "Adam"):
            assert (objective, opt, False, False) in seen
        assert (objective, "SGD", False, False) in seen
        assert (objective, "SGD", False, True) in seen
        assert (objective, "SGD", True, True) in seen


SCHEDULES = GOLDEN["schedules"]


@pytest.mark.parametrize("case", SCHEDULES, ids=[f"{c['scheduler']}-{c['rule']}" for c in SCHEDULES])
def test_schedules_agree_with_torch_lr_scheduler(case):
    """The rate of every step is torch's, stepped once after each optimizer step, and so is the path."""
    hp = {k: tuple(v) if isinstance(v, list) else v for k, v in case["hyperparameters"].items()}
    t = run(case["rule"], objective=case["objective"], start=case["start"], steps=case["steps"],
            convention="torch", **hp)
    lrs = np.array(case["lrs"])
    assert t.diverged_at is None
    # recursive as torch computes them: the same Python float operations, so equal up to the C library's cos and pow
    np.testing.assert_allclose(t.rates, lrs, rtol=1e-15, atol=0)
    ref = _reference(case)
    assert np.max(np.abs(t.points - ref)) <= 1e-12 * np.max(np.abs(ref))


def test_the_schedule_cases_cover_every_torch_schedule():
    from trajectories.specs import SCHEDULES as NAMES

    seen = {c["hyperparameters"]["schedule"] for c in SCHEDULES}
    assert seen == set(NAMES["torch"]) - {"constant"}
    assert any(c["scheduler"] == "warmup-cosine" for c in SCHEDULES)
    assert any(c["scheduler"] == "CosineAnnealingLR" and c["steps"] > 2 * c["scheduler_kwargs"]["T_max"]
               for c in SCHEDULES)  # past T_max, where the cosine turns back up
