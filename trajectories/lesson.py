"""A lesson: the whole set of settings the app shows, and its link form ``?optimizer=rmsprop&eta=0.4``.

The same object drives the app, the preset links of the Voila page, the export command and the landscape.
Parsing a link never raises: a bad value is dropped, the default is kept, and a one-sentence note says why.
Nothing here evaluates, opens or runs anything taken from a link: values are parsed as numbers or checked
against fixed lists of names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from .engine import MAX_STEPS, Trajectory, _check_start, _check_steps, run
from .objectives import Objective, get_objective
from .specs import CONVENTIONS, RULES, check_name, resolve, specs

MAX_OPTIMIZERS = 4


@dataclass(frozen=True)
class Lesson:
    """Settings for one picture: optimizers (each with its hyperparameters), objective, start, steps, convention.

    ``hyperparameters`` maps an optimizer name to its values; missing ones take the defaults of ``convention``,
    and the stored mapping is complete (every hyperparameter of every optimizer shown).
    """

    optimizers: tuple[str, ...] = ("rmsprop",)
    hyperparameters: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    objective: str = "quadratic"
    condition: float = 20.0  # only for objective="general"
    angle: float = 0.0  # only for objective="general"
    start: tuple[float, float] = (-5.0, -2.0)
    steps: int = 20
    convention: str = "d2l"
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.optimizers or len(self.optimizers) > MAX_OPTIMIZERS:
            raise ValueError(f"The 'optimizer' parameter must list 1 to {MAX_OPTIMIZERS} optimizers. "
                             f"Got {len(self.optimizers)} instead.")
        for name in self.optimizers:
            check_name(name, "optimizer", RULES)
        if len(set(self.optimizers)) != len(self.optimizers):
            raise ValueError(f"The 'optimizer' parameter must not list an optimizer twice. "
                             f"Got {','.join(self.optimizers)} instead.")
        check_name(self.convention, "convention", CONVENTIONS)
        self.objective_function()  # validates objective, condition and angle
        _check_start(self.start)
        _check_steps(self.steps)
        full = {}
        for name, hp in self.hyperparameters.items():
            check_name(name, "optimizer", RULES)
            # A name that only the other convention knows (Adadelta's eta) is dropped, anything else is checked.
            other = [k for k in hp if k not in specs(name, self.convention)
                     and any(k in specs(name, c) for c in CONVENTIONS)]
            full[name] = resolve(name, self.convention, {k: v for k, v in hp.items() if k not in other})
        for name in self.optimizers:
            full.setdefault(name, resolve(name, self.convention, {}))
        # Stored fully resolved, for the optimizers shown: equal lessons draw the same picture.
        object.__setattr__(self, "hyperparameters", {name: full[name] for name in self.optimizers})

    def objective_function(self) -> Objective:
        if self.objective == "general":
            return get_objective("general", condition=self.condition, angle=self.angle)
        return get_objective(self.objective)

    def resolved(self, optimizer: str) -> dict[str, Any]:
        """All hyperparameters of ``optimizer``."""
        return dict(self.hyperparameters[optimizer])

    def run(self) -> dict[str, Trajectory]:
        """One trajectory per optimizer, from the shared start."""
        objective = self.objective_function()
        return {name: run(name, objective=objective, start=self.start, steps=self.steps,
                          convention=self.convention, seed=self.seed, **self.resolved(name))
                for name in self.optimizers}

    def with_hyperparameter(self, optimizer: str, name: str, value: Any) -> Lesson:
        hp = {k: dict(v) for k, v in self.hyperparameters.items()}
        hp.setdefault(optimizer, {})[name] = value
        return replace(self, hyperparameters=hp)

    def to_query(self) -> str:
        """The link form: every hyperparameter spelled out (prefixed by its optimizer when several are shown),
        so a link keeps its meaning if a default changes; convention, start and seed when not the default."""
        default = Lesson()
        q: list[tuple[str, str]] = [("optimizer", ",".join(self.optimizers)), ("objective", self.objective),
                                    ("steps", str(self.steps))]
        for key in ("convention", "seed"):
            if getattr(self, key) != getattr(default, key):
                q.append((key, str(getattr(self, key))))
        if self.objective == "general":
            q += [("condition", f"{self.condition:g}"), ("angle", f"{self.angle:g}")]
        if tuple(self.start) != default.start:
            q.append(("start", f"{self.start[0]:g},{self.start[1]:g}"))
        several = len(self.optimizers) > 1
        for name in self.optimizers:
            for key, value in self.resolved(name).items():
                q.append((f"{name}.{key}" if several else key, _fmt(value)))
        return urlencode(q, safe=",")

    @classmethod
    def from_query(cls, query: str | Mapping[str, Any]) -> tuple[Lesson, list[str]]:
        """Parse a link's query (``"optimizer=gd,momentum&momentum.eta=0.6"`` or a mapping); never raises.

        Returns the lesson and one note per ignored parameter, saying why it was ignored.
        """
        items = _items(query)
        notes: list[str] = []
        kw: dict[str, Any] = {}

        def take(key: str, parse: Any) -> None:
            if key not in items:
                return
            raw = items.pop(key)
            try:
                kw[key] = parse(raw)
                replace(Lesson(), **{key: kw[key]})  # validates this one setting alone
            except (ValueError, TypeError) as exc:
                kw.pop(key, None)
                notes.append(f"Ignored {key}={raw!r}: {exc}")

        names = items.pop("optimizer", None)
        optimizers: tuple[str, ...] = Lesson.optimizers
        if names is not None:
            listed = tuple(dict.fromkeys(n.strip().lower() for n in names.split(",") if n.strip()))
            known = tuple(n for n in listed if n in RULES)[:MAX_OPTIMIZERS]
            for n in listed:
                if n not in RULES:
                    notes.append(f"Ignored optimizer {n!r}: it must be one of {', '.join(RULES)}.")
            if len([n for n in listed if n in RULES]) > MAX_OPTIMIZERS:
                notes.append(f"Ignored optimizers beyond the first {MAX_OPTIMIZERS}: the app shows at most "
                             f"{MAX_OPTIMIZERS} at once.")
            optimizers = known or optimizers
        kw["optimizers"] = optimizers
        take("convention", str)
        take("objective", str)
        take("steps", _int)
        take("seed", _int)
        take("start", _pair)
        if kw.get("objective") == "general":
            take("condition", _float)
            take("angle", _float)
        convention = kw.get("convention", Lesson.convention)
        hp: dict[str, dict[str, Any]] = {}
        for key in list(items):
            raw = items.pop(key)
            target, _, name = key.rpartition(".")
            targets = [target] if target else list(optimizers)
            if target and target not in optimizers:
                notes.append(f"Ignored {key}={raw!r}: {target} is not among the optimizers shown "
                             f"({', '.join(optimizers)}).")
                continue
            takers = [t for t in targets if name in specs(t, convention)]
            if not takers:
                other = [t for t in targets for c in CONVENTIONS if c != convention and name in specs(t, c)]
                why = (f"{other[0]} takes {name!r} only under convention={'torch' if convention == 'd2l' else 'd2l'}"
                       if other else f"no optimizer shown takes a parameter named {name!r}")
                notes.append(f"Ignored {key}={raw!r}: {why}.")
                continue
            for t in takers:
                try:
                    value = resolve(t, convention, {name: _hyper(t, convention, name, raw)})[name]
                except ValueError as exc:
                    notes.append(f"Ignored {key}={raw!r}: {exc}")
                    break
                hp.setdefault(t, {})[name] = value
        kw["hyperparameters"] = hp
        return cls(**kw), notes


def _items(query: str | Mapping[str, Any]) -> dict[str, str]:
    if isinstance(query, str):
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
    else:
        pairs = [(k, v[-1] if isinstance(v, (list, tuple)) and v else v) for k, v in query.items()]
    return {str(k).strip(): str(v) for k, v in pairs}


def _float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"it must be a finite number. Got {raw!r} instead.")
    return value


def _int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"it must be an integer in the range [1, {MAX_STEPS}]. Got {raw!r} instead.") from None


def _pair(raw: str) -> tuple[float, float]:
    try:
        x1, x2 = (_float(p) for p in raw.split(","))
    except ValueError:
        raise ValueError(f"it must be two finite numbers x1,x2. Got {raw!r} instead.") from None
    return x1, x2


def _hyper(rule: str, convention: str, name: str, raw: str) -> Any:
    spec = specs(rule, convention)[name]
    if spec.choices == (True, False):
        if raw.lower() in ("1", "true", "on", "yes"):
            return True
        if raw.lower() in ("0", "false", "off", "no"):
            return False
        return raw
    if spec.is_choice:
        return raw
    try:
        return float(raw)
    except ValueError:
        return raw  # resolve() names the parameter and the range


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)
