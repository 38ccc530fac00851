"""The command line: ``trajectories run rmsprop --eta 0.4 --gamma 0.9``; every flag comes from the spec table."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import landscape
from .engine import run
from .figures import add_export
from .objectives import OBJECTIVES
from .serve import add_serve
from .specs import CONVENTIONS, RULES, SPECS


class UsageError(Exception):
    """A bad command line: printed as one line, exit status 2."""


def _hyper_flags() -> dict[str, Any]:
    """Every hyperparameter of every rule, once, with the spec that says its type."""
    flags: dict[str, Any] = {}
    for table in SPECS.values():
        for rule_specs in table.values():
            for name, spec in rule_specs.items():
                flags.setdefault(name, spec)
    return flags


def add_run_settings(p: argparse.ArgumentParser) -> None:
    """The engine's settings as flags: objective, start, steps, convention, seed and each hyperparameter."""
    p.add_argument("--objective", default="quadratic", help=f"one of {', '.join(OBJECTIVES)}")
    p.add_argument("--condition", type=float, help="condition number of the 'general' objective")
    p.add_argument("--angle", type=float, help="rotation in degrees of the 'general' objective")
    p.add_argument("--start", default="-5,-2", help="start point x1,x2 (default: the book's -5,-2)")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--convention", default="d2l", help=f"one of {', '.join(CONVENTIONS)}")
    p.add_argument("--seed", type=int, default=0, help="seed of SGD's gradient noise")
    for name, spec in _hyper_flags().items():
        if spec.choices == (True, False):
            p.add_argument(f"--{name.replace('_', '-')}", dest=name, action=argparse.BooleanOptionalAction,
                           default=None, help=spec.description)
        elif spec.is_choice:
            p.add_argument(f"--{name}", choices=spec.choices, default=None, help=spec.description)
        else:
            p.add_argument(f"--{name}", type=float, default=None, help=spec.description)


def parse_start(text: str) -> tuple[float, float]:
    try:
        x1, x2 = (float(v) for v in text.split(","))
    except ValueError:
        raise ValueError(f"The 'start' parameter must be two numbers x1,x2. Got {text!r} instead.") from None
    return x1, x2


def run_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments for :func:`run` from parsed flags (only the hyperparameters that were given)."""
    objective: Any = args.objective
    if args.condition is not None or args.angle is not None:
        from .objectives import get_objective
        params = {k: v for k, v in (("condition", args.condition), ("angle", args.angle)) if v is not None}
        objective = get_objective(args.objective, **params)
    hyper = {name: getattr(args, name) for name in _hyper_flags() if getattr(args, name) is not None}
    return dict(objective=objective, start=parse_start(args.start), steps=args.steps,
                convention=args.convention, seed=args.seed, **hyper)


def _cmd_run(args: argparse.Namespace) -> int:
    trajectory = run(args.optimizer, **run_kwargs(args))
    if args.json:
        print(json.dumps(trajectory.to_dict()))
    else:
        print(trajectory.book_line())
    return 0


def _add_run(sub: Any) -> None:
    p = sub.add_parser("run", help="run one optimizer and print the book's line")
    p.add_argument("optimizer", help=f"one of {', '.join(RULES)}")
    add_run_settings(p)
    p.add_argument("--json", action="store_true", help="print the whole trajectory as JSON")
    p.set_defaults(func=_cmd_run)


# Each subcommand adds its own parser; a new one is one more entry here.
COMMANDS: list[Callable[[Any], None]] = [_add_run, add_serve, landscape.add_command, add_export]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own usage errors: one line, exit 2
        raise UsageError(message)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="trajectories", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for add in COMMANDS:
        add(sub)
    try:
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except (UsageError, ValueError, OSError) as exc:
        print(f"trajectories: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
