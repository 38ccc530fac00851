"""A lesson: the whole set of settings the app shows, and its link form ``?optimizer=rmsprop&eta=0.4``.

The same object drives the app, the preset links of the Voila page, the export command and the landscape. The
objective is a built-in one's name or a teacher's formula (``objective=x1^4 + x2^2``), kept in its canonical form. A
``Lesson`` checks every field when it is made, with the engine's one-sentence messages, so a lesson that exists
always runs; it is hashable, so caches key on the lesson itself. Loose settings become a lesson in one of two
ways: :func:`make_lesson` (keywords from Python and the command line; a bad value raises) and
:meth:`Lesson.from_query` (a page's link; never raises: a bad value is dropped, the default is kept, and a
one-sentence note says why). Nothing here evaluates, opens or runs anything taken from a link: values are parsed
as numbers, checked against fixed lists of names, or read by the formula grammar of :mod:`trajectories.formula`.
A link's numbers are ASCII, as links write them: the page with no server reads links with the browser's own parsing
(js/src/core/link.js), and both sides give the same lesson for the same link (js/test/links.json).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

import numpy as np

from .engine import MAX_STEPS, Trajectory, check_start, check_steps, run
from .formula import FormulaError
from .i18n import DEFAULT, LANGUAGES, Message, MessageError, check_lang, in_language, reason
from .objectives import (
    OBJECTIVES,
    Objective,
    check_general,
    check_objective,
    check_window,
    from_formula,
    general,
    window_error,
)
from .specs import CONVENTIONS, RULES, check_int, check_name, parse_pair, resolve, specs

MAX_OPTIMIZERS = 4
PAGE_STEPS = 500  # the app's steps slider: a link, the page and the widget ask for at most this many steps
VIEW_KEYS = ("lang",)  # settings of the link that are the page's, not the lesson's: the language it speaks


class Frozen(Mapping):
    """A read-only, hashable mapping: a lesson's hyperparameters, so that a lesson can key a cache."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] = ()) -> None:
        self._data = dict(data)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __repr__(self) -> str:
        return repr(self._data)


@dataclass(frozen=True)
class Lesson:
    """Settings for one picture: optimizers (each with its hyperparameters), objective, start, steps, convention.

    ``objective`` is a built-in objective's name or a formula in x1 and x2 (stored in its canonical form, so
    ``"x1^2+2*x2^2"`` and ``"x1**2 + 2 x2^2"`` are the same lesson); ``window`` (x1 low, x1 high, x2 low, x2 high)
    sets the view instead of the objective's own.

    ``hyperparameters`` maps an optimizer name to its values; missing ones take the defaults of ``convention``,
    and the stored mapping is complete (every hyperparameter of every optimizer shown) and read-only. A value that
    only the other convention knows (Adadelta's ``eta`` under d2l) is dropped, so a lesson survives a switch of
    convention; anything else that is wrong raises one ValueError that names the parameter, the allowed values
    and the value received.
    """

    optimizers: tuple[str, ...] = ("rmsprop",)
    hyperparameters: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    objective: str = "quadratic"
    condition: float = 20.0  # only used by objective="general"
    angle: float = 0.0  # only used by objective="general"
    start: tuple[float, float] = (-5.0, -2.0)
    steps: int = 20
    convention: str = "d2l"
    seed: int = 0
    window: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        names = self.optimizers
        if isinstance(names, str) or not isinstance(names, Sequence) or not 1 <= len(names) <= MAX_OPTIMIZERS:
            count = len(names) if isinstance(names, Sequence) and not isinstance(names, str) else names
            raise ValueError(f"The 'optimizer' parameter must list 1 to {MAX_OPTIMIZERS} optimizers. "
                             f"Got {count!r} instead.")
        for name in names:
            check_name(name, "optimizer", RULES)
        if len(set(names)) != len(names):
            raise ValueError(f"The 'optimizer' parameter must not list an optimizer twice. "
                             f"Got {','.join(names)} instead.")
        convention = check_name(self.convention, "convention", CONVENTIONS)
        objective = check_objective(self.objective)
        window = check_window(self.window)
        condition, angle = check_general(self.condition, self.angle)
        start = check_start(self.start)
        if start.shape != (2,):
            raise ValueError(f"The 'start' parameter of a lesson must be one pair (x1, x2). Got {self.start!r} "
                             "instead.")
        steps = check_steps(self.steps)
        seed = check_int(self.seed, "seed", 0, 2 ** 32 - 1, bound="[0, 2**32)")  # no None: a lesson is reproducible
        if not isinstance(self.hyperparameters, Mapping):
            raise ValueError(f"The 'hyperparameters' parameter must map optimizer names to their values. "
                             f"Got {self.hyperparameters!r} instead.")
        full = {}
        for name, hp in self.hyperparameters.items():
            check_name(name, "optimizer", RULES)
            if not isinstance(hp, Mapping):
                raise ValueError(f"The 'hyperparameters' parameter of {name} must map names to values. "
                                 f"Got {hp!r} instead.")
            # A name that only the other convention knows (Adadelta's eta) is dropped, anything else is checked.
            other = [k for k in hp if k not in specs(name, convention)
                     and any(k in specs(name, c) for c in CONVENTIONS)]
            full[name] = resolve(name, convention, {k: v for k, v in hp.items() if k not in other})
            for key, value in full[name].items():
                if isinstance(value, np.ndarray):
                    raise ValueError(f"The '{key}' parameter of {name} in a lesson must be one float. Got an "
                                     f"array of shape {value.shape} instead.")
        for name in names:
            full.setdefault(name, resolve(name, convention, {}))
        # Stored fully resolved and normalised: equal lessons draw the same picture and hash the same.
        for attribute, value in (("optimizers", tuple(names)), ("objective", objective), ("condition", condition),
                                 ("angle", angle), ("start", (float(start[0]), float(start[1]))), ("steps", steps),
                                 ("seed", seed), ("window", window),
                                 ("hyperparameters", Frozen({n: Frozen(full[n]) for n in names}))):
            object.__setattr__(self, attribute, value)
        if objective not in OBJECTIVES:
            self.objective_function()  # a formula with no finite value in its window raises here, not when run

    def __hash__(self) -> int:
        return hash((self.optimizers, self.hyperparameters, self.objective, self.condition, self.angle, self.start,
                     self.steps, self.convention, self.seed, self.window))

    def objective_function(self) -> Objective:
        """The objective drawn and run: a built-in one (in ``window`` if set) or the formula's, whose window follows
        the start unless ``window`` sets it."""
        if self.objective not in OBJECTIVES:
            return from_formula(self.objective, start=self.start, window=self.window)
        objective = general(self.condition, self.angle) if self.objective == "general" else OBJECTIVES[self.objective]
        if self.window is not None:
            a, b, c, d = self.window
            objective = objective._replace(xlim=(a, b), ylim=(c, d))
        return objective

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
        so a link keeps its meaning if a default changes; convention, start and seed when not the default.
        Numbers are written in their shortest exact form, so ``from_query(lesson.to_query())`` is ``lesson``."""
        default = Lesson()
        q: list[tuple[str, str]] = [("optimizer", ",".join(self.optimizers)), ("objective", self.objective),
                                    ("steps", str(self.steps))]
        for key in ("convention", "seed"):
            if getattr(self, key) != getattr(default, key):
                q.append((key, str(getattr(self, key))))
        if self.objective == "general":
            q += [("condition", _fmt(self.condition)), ("angle", _fmt(self.angle))]
        if self.start != default.start:
            q.append(("start", f"{_fmt(self.start[0])},{_fmt(self.start[1])}"))
        if self.window is not None:
            q.append(("window", ",".join(_fmt(v) for v in self.window)))
        several = len(self.optimizers) > 1
        for name in self.optimizers:
            for key, value in self.resolved(name).items():
                q.append((f"{name}.{key}" if several else key, _fmt(value)))
        return urlencode(q, safe=",")

    @classmethod
    def from_query(cls, query: str | Mapping[str, Any], *, ignore: Sequence[str] = (),
                   lang: str = DEFAULT) -> tuple[Lesson, list[str]]:
        """Parse a link's query (``"optimizer=gd,momentum&momentum.eta=0.6"`` or a mapping); never raises.

        Every value goes through the lesson's own checks; a bad one is dropped with a note, and steps past the
        page's slider (:data:`PAGE_STEPS`) are capped with a note. Keys in ``ignore`` (the server's own, such as
        Voila's ``theme``) are dropped silently, and so is ``lang``, the page's language (:func:`link_lang`), when
        it is one the page speaks. Returns the lesson and one note per ignored parameter, in ``lang`` ("en" or
        "zh"): each note is a :class:`~trajectories.i18n.Message`, a ``str`` that the page can say in its own
        language.
        """
        check_lang(lang)
        lesson, notes = cls._from_query(query, ignore)
        return lesson, in_language(notes, lang)

    @classmethod
    def _from_query(cls, query: str | Mapping[str, Any], ignore: Sequence[str]) -> tuple[Lesson, list[Message]]:
        try:
            items = {k: v for k, v in _items(query).items() if k not in ignore}
        except (TypeError, ValueError):
            return cls(), [Message("note.bad_link", value=repr(query))]
        notes: list[Message] = []
        if "lang" in items:
            raw = items.pop("lang")
            if raw not in LANGUAGES:
                notes.append(_ignored("lang", raw, MessageError("error.one_of", parameter="lang",
                                                                allowed=", ".join(map(repr, LANGUAGES)),
                                                                value=repr(raw)).message))
        kw: dict[str, Any] = {}

        def take(key: str, parse: Any) -> None:
            if key not in items:
                return
            raw = items.pop(key)
            try:
                value = parse(raw, key)
                replace(cls(**kw), **{key: value})  # this setting with those accepted so far
            except (ValueError, TypeError, OverflowError) as exc:
                notes.append(_ignored(key, raw, reason(exc)))
            else:
                kw[key] = value

        names = items.pop("optimizer", None)
        optimizers: tuple[str, ...] = Lesson.optimizers
        if names is not None:
            listed = tuple(dict.fromkeys(n.strip().lower() for n in names.split(",") if n.strip()))
            known = tuple(n for n in listed if n in RULES)
            for n in listed:
                if n not in RULES:
                    notes.append(Message("note.ignored_optimizer", name=repr(n), allowed=", ".join(RULES)))
            if len(known) > MAX_OPTIMIZERS:
                notes.append(Message("note.too_many_optimizers", count=str(MAX_OPTIMIZERS)))
            optimizers = known[:MAX_OPTIMIZERS] or optimizers
        kw["optimizers"] = optimizers
        take("convention", _text)
        take("objective", _objective)
        if "steps" in items:  # more than the slider offers: capped, so a link cannot make the page compute for long
            try:
                asked = _int(items["steps"], "steps")
            except ValueError:
                asked = None
            if asked is not None and asked > PAGE_STEPS:
                notes.append(_capped(asked))
                items["steps"] = str(PAGE_STEPS)
        take("steps", _int)
        take("seed", _int)
        take("start", _pair)
        take("window", _window)
        for key in ("condition", "angle"):
            if kw.get("objective") == "general":
                take(key, _float)
            elif key in items:
                notes.append(_ignored(key, items.pop(key), Message("reason.general_only")))
        convention = kw.get("convention", Lesson.convention)
        hp: dict[str, dict[str, Any]] = {}
        for key in list(items):
            raw = items.pop(key)
            target, _, name = key.rpartition(".")
            targets = [target] if target else list(optimizers)
            if target and target not in optimizers:
                notes.append(_ignored(key, raw, Message("reason.not_shown", target=target,
                                                        shown=", ".join(optimizers))))
                continue
            takers = [t for t in targets if name in specs(t, convention)]
            if not takers:
                other = [t for t in targets for c in CONVENTIONS if c != convention and name in specs(t, c)]
                why = (Message("reason.other_convention", optimizer=other[0], name=repr(name),
                               convention="torch" if convention == "d2l" else "d2l")
                       if other else Message("reason.no_taker", name=repr(name)))
                notes.append(_ignored(key, raw, why))
                continue
            for t in takers:
                try:
                    value = resolve(t, convention, {name: _hyper(t, convention, name, raw)})[name]
                except ValueError as exc:
                    notes.append(_ignored(key, raw, reason(exc)))
                    break
                hp.setdefault(t, {})[name] = value
        kw["hyperparameters"] = hp
        try:
            return cls(**kw), notes
        except ValueError as exc:  # every value was checked as it was taken: this is a last line of defence
            return cls(), notes + [Message("note.bad_settings", reason=reason(exc))]


def link_lang(query: str | Mapping[str, Any]) -> str | None:
    """The language a link asks the page to speak (``lang=zh``), or None where it names none the page speaks
    (``Lesson.from_query`` gives the note for a bad one)."""
    try:
        raw = _items(query).get("lang")
    except (TypeError, ValueError):
        return None
    return raw if raw in LANGUAGES else None


def _ignored(key: str, raw: str, why: str) -> Message:
    return Message("note.ignored", key=key, value=repr(raw), reason=why)


def fit_page(lesson: Lesson) -> tuple[Lesson, list[str]]:
    """The lesson within what the page's controls offer (steps up to :data:`PAGE_STEPS`), and a note if it was
    not: the page, a link and the widget never ask for more computation than a slider can."""
    if not isinstance(lesson, Lesson):
        raise ValueError(f"The 'lesson' parameter must be a Lesson. Got {type(lesson).__name__} instead.")
    if lesson.steps <= PAGE_STEPS:
        return lesson, []
    return replace(lesson, steps=PAGE_STEPS), [_capped(lesson.steps)]


def _capped(steps: int) -> Message:
    return Message("note.capped_steps", steps=str(steps), page=str(PAGE_STEPS), most=str(MAX_STEPS))


def make_lesson(optimizer: str | Sequence[str] | Lesson = "rmsprop", *,
                hyperparameters: Mapping[str, Mapping[str, Any]] | None = None, objective: str | None = None,
                condition: float | None = None, angle: float | None = None, start: Any = None,
                steps: int | None = None, convention: str | None = None, seed: int | None = None,
                window: Any = None, **hyper: Any) -> Lesson:
    """The :class:`Lesson` that these settings describe; unset ones keep their defaults (or ``optimizer``'s,
    if it is a lesson). A bad value raises one ValueError, as the engine does.

    Parameters
    ----------
    optimizer : str, sequence of str or Lesson, default="rmsprop"
        One optimizer, several (``"gd,momentum"`` or ``("gd", "momentum")``), or a lesson to start from.
    hyperparameters : mapping, optional
        Per optimizer, e.g. ``{"momentum": {"eta": 0.6}}``; applied after ``**hyper``.
    objective, condition, angle, start, steps, convention, seed
        As in :func:`trajectories.run`; ``objective`` may be a formula (``"x1^4 + x2^2"``); ``condition`` and
        ``angle`` only with ``objective="general"``; ``start`` may also be written ``"x1,x2"``.
    window : four floats or str, optional
        The view, x1 low, x1 high, x2 low, x2 high (``"-6,2,-3,3"``), instead of the objective's own.
    **hyper
        The book's symbols (``eta=0.4``), applied to every optimizer shown that takes them, as a link does.

    Returns
    -------
    Lesson
    """
    base = optimizer if isinstance(optimizer, Lesson) else None
    names = base.optimizers if base is not None else optimizer_names(optimizer)
    settings = {k: v for k, v in dict(objective=objective, condition=condition, angle=angle, steps=steps,
                                      convention=convention, seed=seed).items() if v is not None}
    if start is not None:
        settings["start"] = parse_pair(start, "start") if isinstance(start, str) else start
    if window is not None:
        settings["window"] = check_window(window)
    chosen = settings.get("objective", base.objective if base is not None else Lesson.objective)
    for key in ("condition", "angle"):
        if key in settings and chosen != "general":
            raise ValueError(f"The '{key}' parameter only applies to objective='general'. "
                             f"Got objective={chosen!r} instead.")
    convention_ = settings.get("convention", base.convention if base is not None else Lesson.convention)
    check_name(convention_, "convention", CONVENTIONS)
    hp: dict[str, dict[str, Any]] = {}
    if base is not None and convention_ == base.convention:
        hp = {n: dict(v) for n, v in base.hyperparameters.items()}
    for name, value in hyper.items():
        takers = [n for n in names if name in specs(n, convention_)]
        for n in takers or names:  # nobody takes it: let every optimizer's check say so
            hp.setdefault(n, {})[name] = value
    for opt, values in (hyperparameters or {}).items():
        check_name(opt, "optimizer", RULES)
        if opt not in names:
            first = next(iter(values), "")
            raise ValueError(f"The '{opt}.{first}' parameter names {opt}, which is not among the optimizers "
                             f"shown ({', '.join(names)}).")
        hp.setdefault(opt, {}).update(values)
    for opt, values in hp.items():
        resolve(opt, convention_, values)  # a name only the other convention knows is an error here, not dropped
    if base is not None:
        return replace(base, hyperparameters=hp, **settings)
    return Lesson(optimizers=names, hyperparameters=hp, **settings)


def optimizer_names(optimizer: Any) -> tuple[str, ...]:
    """``"gd,momentum"`` or ``("gd", "momentum")`` as a checked tuple of names."""
    if isinstance(optimizer, str):
        names = tuple(n.strip() for n in optimizer.split(","))
    elif isinstance(optimizer, Sequence) and all(isinstance(n, str) for n in optimizer):
        names = tuple(optimizer)
    else:
        raise ValueError(f"The 'optimizer' parameter must be a name, a comma-separated list of names, a list of "
                         f"names or a Lesson. Got {optimizer!r} instead.")
    for n in names:
        check_name(n, "optimizer", RULES)
    return names


def _items(query: str | Mapping[str, Any]) -> dict[str, str]:
    if query is None:
        return {}
    if isinstance(query, str):
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
    elif isinstance(query, Mapping):
        pairs = [(k, v[-1] if isinstance(v, (list, tuple)) and v else v) for k, v in query.items()]
    else:
        raise TypeError(type(query).__name__)
    return {str(k).strip(): str(v) for k, v in pairs}


def _text(raw: str, key: str) -> str:
    return raw.strip()


def _number(raw: str) -> float:
    """float() of a link's text, ASCII only: Python would read other scripts' digits and spaces, a browser not."""
    if not raw.isascii():
        raise ValueError(raw)
    return float(raw)


def _float(raw: str, key: str) -> float:
    try:
        value = _number(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise MessageError("error.not_finite", parameter=key, value=repr(raw))
    return value


def _int(raw: str, key: str) -> int:
    try:
        if not raw.isascii():
            raise ValueError(raw)
        return int(raw)
    except ValueError:
        raise MessageError("error.not_integer", parameter=key, value=repr(raw)) from None


def _pair(raw: str, key: str) -> tuple[float, float]:
    if not raw.isascii():
        raise MessageError("error.two_numbers", parameter=key, pair="x1,x2", value=repr(raw))
    return parse_pair(raw, key)


def _window(raw: str, key: str) -> tuple[float, float, float, float] | None:
    if not raw.isascii():  # as _pair: a browser reads no other script's digits
        raise window_error(raw)
    return check_window(raw)


def _objective(raw: str, key: str) -> str:
    """A built-in objective's name or a formula; a formula that does not parse says where, and a link whose
    formula has spaces but no '+' is told how a '+' is written in a link (a bare '+' there means a space)."""
    try:
        return check_objective(raw.strip())
    except FormulaError as exc:
        if " " in raw and "+" not in raw:
            raise FormulaError("formula.in_link", error=exc.message) from None
        raise


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
        return _number(raw)
    except ValueError:
        return raw  # resolve() names the parameter and the range


def _fmt(value: Any) -> str:
    """Shortest exact text of a value: ``0.4``, ``1e-06``, ``20`` (not ``20.0``), ``true``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)
