"""Generate tests/golden/torch.json: float64 trajectories of torch.optim on the book's objectives.

Run once, with torch installed (``pip install torch==2.13.0``), from the repository root:

    python tests/golden/generate_torch.py

The tests read the JSON and never import torch. Each case records the torch optimizer and the keyword
arguments it was given; anything not given is torch's own default, so the test also checks that the
"torch" convention's defaults are torch's. The schedule cases add a torch.optim.lr_scheduler stepped once after
every optimizer step (the way torch documents it), and record the learning rate each step used.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import torch

STEPS = 50
START = (-5.0, -2.0)

OBJECTIVES = {
    "quadratic": lambda x: 0.1 * x[0] ** 2 + 2 * x[1] ** 2,
    "rotated": lambda x: 0.1 * (x[0] + x[1]) ** 2 + 2 * (x[0] - x[1]) ** 2,
}

# (torch optimizer, its kwargs, our rule, torch-name -> our-name map)
CASES = [
    ("SGD", {"lr": 0.1}, "gd"),
    ("SGD", {"lr": 0.4}, "gd"),
    ("SGD", {"lr": 0.6}, "gd"),  # diverges on quadratic: |1 - 0.6 * 4| > 1
    ("SGD", {"lr": 0.6, "momentum": 0.5}, "momentum"),
    ("SGD", {"lr": 0.6, "momentum": 0.25}, "momentum"),
    ("SGD", {"lr": 0.1, "momentum": 0.9}, "momentum"),
    ("SGD", {"lr": 0.3, "momentum": 0.5, "nesterov": True}, "nesterov"),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}, "nesterov"),
    ("Adagrad", {"lr": 0.4}, "adagrad"),
    ("Adagrad", {"lr": 2.0}, "adagrad"),
    ("Adagrad", {}, "adagrad"),
    ("RMSprop", {"lr": 0.4, "alpha": 0.9}, "rmsprop"),
    ("RMSprop", {"lr": 0.1, "alpha": 0.9, "eps": 1e-6}, "rmsprop"),
    ("RMSprop", {}, "rmsprop"),
    ("Adadelta", {}, "adadelta"),
    ("Adadelta", {"lr": 5.0, "rho": 0.9}, "adadelta"),
    ("Adadelta", {"lr": 1.0, "rho": 0.5, "eps": 1e-5}, "adadelta"),
    ("Adam", {"lr": 0.4}, "adam"),
    ("Adam", {"lr": 0.1, "betas": (0.8, 0.99)}, "adam"),
    ("Adam", {}, "adam"),
]

NAMES = {"lr": "eta", "alpha": "gamma", "momentum": "beta", "rho": "rho", "eps": "eps"}

# (torch optimizer, its kwargs, our rule, the scheduler: (class, kwargs) or a SequentialLR of a LinearLR warm-up and
# a CosineAnnealingLR, our schedule and its parameters). 50 steps: past every milestone and past T_max, where
# CosineAnnealingLR turns back up.
SCHEDULE_CASES = [
    ("SGD", {"lr": 0.4}, "gd", ("StepLR", {"step_size": 3, "gamma": 0.5}),
     {"schedule": "factor", "every": 3, "factor": 0.5}),
    ("SGD", {"lr": 0.6, "momentum": 0.5}, "momentum", ("MultiStepLR", {"milestones": [5, 12], "gamma": 0.3}),
     {"schedule": "multifactor", "milestones": [5, 12], "factor": 0.3}),
    ("Adam", {"lr": 0.4}, "adam", ("ExponentialLR", {"gamma": 0.9}), {"schedule": "exponential", "factor": 0.9}),
    ("RMSprop", {"lr": 0.1, "alpha": 0.9}, "rmsprop", ("PolynomialLR", {"total_iters": 10, "power": 2.0}),
     {"schedule": "polynomial", "period": 10, "power": 2.0}),
    ("Adagrad", {"lr": 2.0}, "adagrad", ("CosineAnnealingLR", {"T_max": 15, "eta_min": 0.01}),
     {"schedule": "cosine", "period": 15, "final": 0.01}),
    ("Adadelta", {"lr": 5.0}, "adadelta", ("LinearLR", {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 8}),
     {"schedule": "linear", "start_factor": 0.1, "end_factor": 1.0, "period": 8}),
    ("SGD", {"lr": 0.4, "momentum": 0.5}, "momentum",
     ("LinearLR", {"start_factor": 1.0, "end_factor": 0.2, "total_iters": 10}),
     {"schedule": "linear", "start_factor": 1.0, "end_factor": 0.2, "period": 10}),
    ("SGD", {"lr": 0.3, "momentum": 0.5, "nesterov": True}, "nesterov",
     ("warmup-cosine", {"start_factor": 0.25, "warmup": 5, "T_max": 15, "eta_min": 0.001}),
     {"schedule": "cosine", "period": 20, "final": 0.001, "warmup": 5, "start_factor": 0.25}),
    ("Adam", {"lr": 0.1, "betas": (0.8, 0.99)}, "adam",
     ("warmup-cosine", {"start_factor": 0.5, "warmup": 3, "T_max": 7, "eta_min": 0.0}),
     {"schedule": "cosine", "period": 10, "final": 0.0, "warmup": 3, "start_factor": 0.5}),
]


def ours(kwargs: dict) -> dict:
    out = {}
    for key, value in kwargs.items():
        if key == "betas":
            out["beta1"], out["beta2"] = value
        elif key != "nesterov":
            out[NAMES[key]] = value
    return out


def scheduler(opt, spec: tuple):
    name, kwargs = spec
    s = torch.optim.lr_scheduler
    if name == "warmup-cosine":
        warm = s.LinearLR(opt, start_factor=kwargs["start_factor"], end_factor=1.0, total_iters=kwargs["warmup"])
        cosine = s.CosineAnnealingLR(opt, T_max=kwargs["T_max"], eta_min=kwargs["eta_min"])
        return s.SequentialLR(opt, [warm, cosine], milestones=[kwargs["warmup"]])
    return getattr(s, name)(opt, **kwargs)


def trace(objective, optimizer: str, kwargs: dict, schedule: tuple | None = None) -> tuple[list, list]:
    x = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, optimizer)([x], **kwargs)
    sched = None if schedule is None else scheduler(opt, schedule)
    points, lrs = [x.detach().tolist()], []
    for _ in range(STEPS):
        opt.zero_grad()
        objective(x).backward()
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        if sched is not None:
            sched.step()
        points.append([v if math.isfinite(v) else None for v in x.detach().tolist()])
    return points, lrs


def main() -> int:
    torch.set_default_dtype(torch.float64)
    cases = []
    for name, objective in OBJECTIVES.items():
        for optimizer, kwargs, rule in CASES:
            cases.append({"objective": name, "torch_optimizer": optimizer, "torch_kwargs": kwargs, "rule": rule,
                          "hyperparameters": ours(kwargs), "steps": STEPS, "start": START,
                          "points": trace(objective, optimizer, kwargs)[0]})
    schedules = []
    for optimizer, kwargs, rule, spec, settings in SCHEDULE_CASES:
        points, lrs = trace(OBJECTIVES["quadratic"], optimizer, kwargs, spec)
        schedules.append({"objective": "quadratic", "torch_optimizer": optimizer, "torch_kwargs": kwargs,
                          "scheduler": spec[0], "scheduler_kwargs": spec[1], "rule": rule,
                          "hyperparameters": {**ours(kwargs), **settings}, "steps": STEPS, "start": START,
                          "points": points, "lrs": lrs})
    out = {"generator": "tests/golden/generate_torch.py", "torch": torch.__version__, "cases": cases,
           "schedules": schedules}
    path = Path(__file__).with_name("torch.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {len(cases)} cases and {len(schedules)} schedules to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
