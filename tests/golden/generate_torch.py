"""Generate tests/golden/torch.json: float64 trajectories of torch.optim on the book's objectives.

Run once, with torch installed (``pip install torch==2.13.0``), from the repository root:

    python tests/golden/generate_torch.py

The tests read the JSON and never import torch. Each case records the torch optimizer and the keyword
arguments it was given; anything not given is torch's own default, so the test also checks that the
"torch" convention's defaults are torch's.
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


def ours(kwargs: dict) -> dict:
    out = {}
    for key, value in kwargs.items():
        if key == "betas":
            out["beta1"], out["beta2"] = value
        elif key != "nesterov":
            out[NAMES[key]] = value
    return out


def trace(objective, optimizer: str, kwargs: dict) -> list:
    x = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, optimizer)([x], **kwargs)
    points = [x.detach().tolist()]
    for _ in range(STEPS):
        opt.zero_grad()
        objective(x).backward()
        opt.step()
        points.append([v if math.isfinite(v) else None for v in x.detach().tolist()])
    return points


def main() -> int:
    torch.set_default_dtype(torch.float64)
    cases = []
    for name, objective in OBJECTIVES.items():
        for optimizer, kwargs, rule in CASES:
            cases.append({"objective": name, "torch_optimizer": optimizer, "torch_kwargs": kwargs, "rule": rule,
                          "hyperparameters": ours(kwargs), "steps": STEPS, "start": START,
                          "points": trace(objective, optimizer, kwargs)})
    out = {"generator": "tests/golden/generate_torch.py", "torch": torch.__version__, "cases": cases}
    path = Path(__file__).with_name("torch.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
