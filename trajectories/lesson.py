"""A lesson: the whole set of settings the app shows, and its link form ``?optimizer=rmsprop&eta=0.4``.

A lesson is a list of runs (up to :data:`MAX_RUNS`) on shared settings (objective, start, steps, convention). A
:class:`Run` is an optimizer with its own settings (hyperparameters, learning-rate schedule, gradient noise), its
noise's seed, a spread over seeds and an optional name; two runs may share an optimizer (gd at eta 0.4 and 0.6).

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

Links. ``optimizer=gd,momentum`` shows one run per name; a key sets every run that takes it (``eta=0.4``), and
``momentum.eta=0.6`` the runs of one optimizer. ``run=gd:eta=0.4&run=gd:eta=0.6`` adds one run per ``run`` key,
with its own settings after the colon, separated by commas (a value may itself hold commas: ``milestones=15,30``);
its settings win over the other keys. :meth:`Lesson.to_query` writes the ``optimizer=`` form when every optimizer
appears once (so today's links read as they always did) and the ``run=`` form otherwise.
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
from .i18n import DEFAULT, LANGUAGES, Message, MessageError, check_lang, in_language, reason, text
from .i18n import name as term
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
from .specs import (
    CONVENTIONS,
    MAX_SEED,
    RULES,
    SCHEDULE_SPECS,
    SCHEDULES,
    SPREAD,
    SYMBOLS,
    check_int,
    check_name,
    check_value,
    joined,
    parse_pair,
    resolve,
    settings,
    sigma_spec,
    specs,
    takes_schedule,
)

MAX_RUNS = 6
MAX_NAME = 180  # characters of an export's file name before its suffix: six runs' settings would pass 255
MAX_OPTIMIZERS = MAX_RUNS  # a link's optimizer= list: one run per name
PAGE_STEPS = 500  # the app's steps slider: a link, the page and the widget ask for at most this many steps
VIEW_KEYS = ("lang",)  # settings of the link that are the page's, not the lesson's: the language it speaks
MAX_LABEL = 40  # characters in a run's name
RUN_KEYS = ("seed", "spread", "label")  # a run's own keys beside its settings (specs.settings)


class Frozen(Mapping):
    """A read-only, hashable mapping: a run's settings, so that a lesson can key a cache."""

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


def check_label(label: Any) -> str:
    """A run's name: up to :data:`MAX_LABEL` printable characters, without '=' (which a link's run syntax reads
    as a setting) and not blank; "" means none (the label is made from what differs)."""
    if isinstance(label, str) and (label == "" or (len(label) <= MAX_LABEL and label.isprintable() and "=" not in label
                                                   and label.strip() == label and label.strip())):
        return label
    raise MessageError("error.label", most=str(MAX_LABEL), value=repr(label))


@dataclass(frozen=True)
class Run:
    """One run of a lesson: an optimizer with its own settings, its noise's seed, a spread and a name.

    Parameters
    ----------
    optimizer : str, default="rmsprop"
    hyperparameters : mapping, optional
        The run's settings: the rule's hyperparameters (``eta``, ``gamma``, ...), ``schedule`` and its
        parameters (``"cosine"``, ``period``, ...) and ``sigma``, the gradient noise's standard deviation; missing
        ones take their defaults under the lesson's convention (a lesson stores them all).
    seed : int, default=0
        The noise's seed: runs with the same seed meet the same draws.
    spread : int, default=1
        How many seeds to run (seed, seed + 1, ...): 1 is one path; 20 to 100 draw the spread.
    label : str, default=""
        A teacher's name for the run; by default the label is made from what differs from the other runs.

    Examples
    --------
    >>> Run("gd", {"eta": 0.6}, seed=3)
    Run('gd', {'eta': 0.6}, seed=3)
    >>> Run.parse("gd:eta=0.6,schedule=cosine,period=20")  # a link's run= value
    Run('gd', {'eta': 0.6, 'schedule': 'cosine', 'period': 20})
    """

    optimizer: str = "rmsprop"
    hyperparameters: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0
    spread: int = 1
    label: str = ""

    def __post_init__(self) -> None:
        check_name(self.optimizer, "optimizer", RULES)
        if not isinstance(self.hyperparameters, Mapping):
            raise ValueError(f"The 'hyperparameters' parameter of {self.optimizer} must map names to values. "
                             f"Got {self.hyperparameters!r} instead.")
        hp = {k: tuple(v) if isinstance(v, list) else v for k, v in self.hyperparameters.items()}
        for key, value in hp.items():
            if isinstance(value, np.ndarray):
                raise ValueError(f"The '{key}' parameter of {self.optimizer} in a lesson must be one value. Got an "
                                 f"array of shape {value.shape} instead.")
        object.__setattr__(self, "hyperparameters", Frozen(hp))
        object.__setattr__(self, "seed", check_int(self.seed, "seed", 0, MAX_SEED, bound="[0, 2**32)"))
        object.__setattr__(self, "spread", check_value(self.optimizer, "spread", SPREAD, self.spread))
        object.__setattr__(self, "label", check_label(self.label))

    @classmethod
    def parse(cls, text: str) -> Run:
        """A run written as a link's ``run=`` value, ``"gd:eta=0.4,schedule=cosine"``; a bad part raises."""
        rule, given, bad = _parse_run(text)
        if bad:
            raise MessageError(bad[0][1].key, **bad[0][1].params)
        own = {k: v for k, v in given.items() if k not in RUN_KEYS}
        return cls(rule, {k: _typed(rule, k, v) for k, v in own.items()},
                   **{k: _run_key(k, given[k]) for k in RUN_KEYS if k in given})

    def __repr__(self) -> str:
        given = {k: v for k, v in (("seed", self.seed), ("spread", self.spread), ("label", self.label))
                 if v != {"seed": 0, "spread": 1, "label": ""}[k]}
        return "Run(" + ", ".join([repr(self.optimizer), repr(_visible(self))]
                                  + [f"{k}={v!r}" for k, v in given.items()]) + ")"

    def settings_for(self, convention: str) -> dict[str, Any]:
        """Every setting under ``convention``, checked; what only the other convention knows is dropped."""
        return resolve(self.optimizer, convention, _for_convention(self.optimizer, convention,
                                                                   dict(self.hyperparameters)))


@dataclass(frozen=True, init=False)
class Lesson:
    """Settings for one picture: the runs, and the objective, start, steps and convention they share.

    ``Lesson(runs=(Run("gd", {"eta": 0.4}), Run("gd", {"eta": 0.6})))``, or as before one run per optimizer:
    ``Lesson(optimizers=("gd", "momentum"), hyperparameters={"momentum": {"eta": 0.6}}, seed=3)``. Those three
    keywords also change the runs of a lesson in :func:`dataclasses.replace`: ``optimizers`` keeps the runs of the
    optimizers still named (a new one starts from its defaults), ``hyperparameters`` replaces the settings of the
    runs of each optimizer it names, ``seed`` sets every run's seed.

    A run's settings are stored complete (every setting, default or given) and read-only; a value that only the
    other convention knows (Adadelta's ``eta`` under d2l, a torch-only schedule) is dropped, so a lesson survives a
    switch of convention; anything else that is wrong raises one ValueError that names the parameter, the allowed
    values and the value received.

    ``objective`` is a built-in objective's name or a formula in x1 and x2 (stored in its canonical form, so
    ``"x1^2+2*x2^2"`` and ``"x1**2 + 2 x2^2"`` are the same lesson); ``window`` (x1 low, x1 high, x2 low, x2 high)
    sets the view instead of the objective's own.
    """

    runs: tuple[Run, ...] = (Run(),)
    objective: str = "quadratic"
    condition: float = 20.0  # only used by objective="general"
    angle: float = 0.0  # only used by objective="general"
    start: tuple[float, float] = (-5.0, -2.0)
    steps: int = 20
    convention: str = "d2l"
    window: tuple[float, float, float, float] | None = None

    def __init__(self, runs: Sequence[Run | str] | None = None, *, objective: str = "quadratic",
                 condition: float = 20.0, angle: float = 0.0, start: Any = (-5.0, -2.0), steps: int = 20,
                 convention: str = "d2l", optimizers: Sequence[str] | None = None,
                 hyperparameters: Mapping[str, Mapping[str, Any]] | None = None, seed: int | None = None,
                 window: Any = None) -> None:
        for key, value in (("objective", objective), ("condition", condition), ("angle", angle), ("start", start),
                           ("steps", steps), ("convention", convention), ("window", window)):
            object.__setattr__(self, key, value)
        object.__setattr__(self, "runs", _legacy_runs(runs, optimizers, hyperparameters, seed))
        self.__post_init__()

    def __post_init__(self) -> None:
        convention = check_name(self.convention, "convention", CONVENTIONS)
        objective = check_objective(self.objective)
        window = check_window(self.window)
        condition, angle = check_general(self.condition, self.angle)
        start = check_start(self.start)
        if start.shape != (2,):
            raise ValueError(f"The 'start' parameter of a lesson must be one pair (x1, x2). Got {self.start!r} "
                             "instead.")
        steps = check_steps(self.steps)
        runs = tuple(replace(r, hyperparameters=r.settings_for(convention)) for r in self.runs)
        # Stored fully resolved and normalised: equal lessons draw the same picture and hash the same.
        for attribute, value in (("objective", objective), ("condition", condition), ("angle", angle),
                                 ("start", (float(start[0]), float(start[1]))), ("steps", steps), ("runs", runs),
                                 ("window", window)):
            object.__setattr__(self, attribute, value)
        if objective not in OBJECTIVES:
            self.objective_function()  # a formula with no finite value in its window raises here, not when run
        labels = self.labels
        twice = sorted({label for label in labels if labels.count(label) > 1})
        if twice:
            raise ValueError(f"The 'label' parameter must name each run once. Got {twice[0]!r} twice.")

    def __hash__(self) -> int:
        return hash((self.runs, self.objective, self.condition, self.angle, self.start, self.steps, self.convention,
                     self.window))

    def __repr__(self) -> str:
        """As the lesson would be made: one run per optimizer with one seed as ``Lesson(optimizers=...,
        hyperparameters=..., ..., seed=...)``, anything else as ``Lesson(runs=(Run(...), ...), ...)``."""
        shared = (f"objective={self.objective!r}, condition={self.condition!r}, angle={self.angle!r}, "
                  f"start={self.start!r}, steps={self.steps!r}, convention={self.convention!r}"
                  + ("" if self.window is None else f", window={self.window!r}"))
        simple = len(set(self.optimizers)) == len(self.runs) and len({r.seed for r in self.runs}) == 1 \
            and all(r.spread == 1 and not r.label for r in self.runs)
        if simple:
            hp = {r.optimizer: _visible(r) for r in self.runs}
            return f"Lesson(optimizers={self.optimizers!r}, hyperparameters={hp!r}, {shared}, seed={self.seed!r})"
        return f"Lesson(runs={self.runs!r}, {shared})"

    # ---- views of the runs --------------------------------------------------------------------------------------
    @property
    def optimizers(self) -> tuple[str, ...]:
        """Each run's optimizer, in order (a name appears twice when two runs share it)."""
        return tuple(r.optimizer for r in self.runs)

    @property
    def hyperparameters(self) -> Frozen:
        """The settings of the first run of each optimizer, by optimizer name."""
        out: dict[str, Frozen] = {}
        for r in self.runs:
            out.setdefault(r.optimizer, r.hyperparameters)
        return Frozen(out)

    @property
    def seed(self) -> int:
        """The first run's seed (every run's, when the lesson was made with one seed)."""
        return self.runs[0].seed

    @property
    def labels(self) -> tuple[str, ...]:
        """Each run's label: its name if a teacher gave one, else its optimizer and what differs from the other
        runs of the same optimizer ("gd η=0.4", "gd η=0.6"); the optimizer alone when it appears once."""
        return tuple(r.label or made for r, made in zip(self.runs, _made_labels(self.runs), strict=True))

    def said_labels(self, lang: str = DEFAULT) -> tuple[str, ...]:
        """The labels as a reader of ``lang`` reads them (legends, titles, alt text): a made label starts with the
        optimizer's name in that language ("梯度下降 η=0.4"); a teacher's name stays as written. The labels
        themselves (:attr:`labels`) stay the runs' names in links, files and the readout's keys."""
        if check_lang(lang) == DEFAULT:  # the English edition's words are the names themselves
            return self.labels
        return tuple(r.label or made for r, made in zip(self.runs, _made_labels(self.runs, lang), strict=True))

    @property
    def keys(self) -> tuple[str, ...]:
        """Each run's id in classes, SVG ids and the exported file: its optimizer, numbered when it repeats
        (``gd-1``, ``gd-2``)."""
        seen: dict[str, int] = {}
        out = []
        for r in self.runs:
            seen[r.optimizer] = seen.get(r.optimizer, 0) + 1
            out.append(r.optimizer if self.optimizers.count(r.optimizer) == 1 else f"{r.optimizer}-{seen[r.optimizer]}")
        return tuple(out)

    def run_of(self, which: str | int) -> Run:
        """A run by index, label, key or (its first run) optimizer name."""
        if isinstance(which, (int, np.integer)) and not isinstance(which, bool) and 0 <= which < len(self.runs):
            return self.runs[int(which)]
        for names in (self.labels, self.keys, self.optimizers):
            if which in names:
                return self.runs[names.index(which)]
        raise ValueError(f"The 'run' parameter must be an index, label or optimizer of the lesson's runs "
                         f"({', '.join(self.labels)}). Got {which!r} instead.")

    def resolved(self, which: str | int) -> dict[str, Any]:
        """All settings of a run (by index, label or optimizer name; see :meth:`run_of`)."""
        return dict(self.run_of(which).hyperparameters)

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

    # ---- running ------------------------------------------------------------------------------------------------
    def run(self) -> dict[str, Trajectory]:
        """One trajectory per run, by label, from the shared start; a spread's is batched over its seeds."""
        objective = self.objective_function()
        return {label: run(r.optimizer, objective=objective, start=self.start, steps=self.steps,
                           convention=self.convention, seed=_seeds(r), **r.hyperparameters)
                for label, r in zip(self.labels, self.runs, strict=True)}

    def readout(self, trajectories: Mapping[str, Trajectory] | None = None) -> dict[str, str]:
        """Where each run ends, in the book's words, by label; for a spread, its median run's line."""
        out = {}
        for label, t in (self.run() if trajectories is None else trajectories).items():
            if t.batch_shape:
                i = t.median_run()
                median = text("readout.median", count=str(t.batch_shape[0]), seed=str(int(t.seed[i])))
                out[label] = f"{median}: {t.pick(i).book_line()}"
            else:
                out[label] = t.book_line()
        return out

    def with_hyperparameter(self, optimizer: str, name: str, value: Any) -> Lesson:
        """The lesson with ``name`` set to ``value`` in every run of ``optimizer`` (a new schedule starts from its
        own parameters' defaults)."""
        return replace(self, runs=tuple(replace(r, hyperparameters=changed(r.hyperparameters, {name: value}))
                                        if r.optimizer == optimizer else r for r in self.runs))

    # ---- links --------------------------------------------------------------------------------------------------
    def to_query(self) -> str:
        """The link form: every hyperparameter spelled out, so a link keeps its meaning if a default changes; a
        schedule (SGD's always) with its parameters, noise, seed, spread and name where not the default; the
        convention, start and steps. One ``optimizer=`` list with ``name.key`` settings when every optimizer
        appears once, else one ``run=`` per run. Numbers are written in their shortest exact form, so
        ``from_query(lesson.to_query())`` is ``lesson``."""
        default = Lesson()
        legacy = len(set(self.optimizers)) == len(self.runs)
        q: list[tuple[str, str]] = [("optimizer", ",".join(self.optimizers))] if legacy else []
        q += [("objective", self.objective), ("steps", str(self.steps))]
        seeds = {r.seed for r in self.runs}
        if self.convention != default.convention:
            q.append(("convention", self.convention))
        if legacy and len(seeds) == 1 and self.seed != 0:
            q.append(("seed", str(self.seed)))
        if self.objective == "general":
            q += [("condition", _fmt(self.condition)), ("angle", _fmt(self.angle))]
        if self.start != default.start:
            q.append(("start", f"{_fmt(self.start[0])},{_fmt(self.start[1])}"))
        if self.window is not None:
            q.append(("window", ",".join(_fmt(v) for v in self.window)))
        for r in self.runs:
            words = _written(r, own_seed=not legacy or len(seeds) > 1)
            if legacy:
                q += [(f"{r.optimizer}.{k}" if len(self.runs) > 1 else k, v) for k, v in words]
            else:
                q.append(("run", ":".join([r.optimizer] + [",".join(f"{k}={v}" for k, v in words)] * bool(words))))
        return urlencode(q, safe=",:=")

    @classmethod
    def from_query(cls, query: str | Mapping[str, Any], *, ignore: Sequence[str] = (),
                   lang: str = DEFAULT) -> tuple[Lesson, list[str]]:
        """Parse a link's query (``"optimizer=gd,momentum&momentum.eta=0.6"``, ``"run=gd:eta=0.4&run=gd:eta=0.6"``
        or a mapping); never raises.

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
            pairs = [(k, v) for k, v in _pairs(query) if k not in ignore]
        except (TypeError, ValueError):
            return cls(), [Message("note.bad_link", value=repr(query))]
        items = {k: v for k, v in pairs if k != "run"}
        notes: list[str] = []
        if "lang" in items:
            raw = items.pop("lang")
            try:
                check_name(raw, "lang", LANGUAGES)
            except ValueError as exc:
                notes.append(_ignored("lang", raw, reason(exc)))
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

        # The runs, in the order the link gives them: an optimizer= list, then each run= value.
        listed: list[tuple[str, dict[str, str]]] = []
        for key, raw in pairs:
            if key == "optimizer":
                listed += [(name, {}) for name in _optimizer_list(raw, notes)]
            elif key == "run":
                rule, given, bad = _parse_run(raw)
                notes += [Message("note.ignored_in_run_text", what=what, run=repr(raw), reason=why) if what
                          else Message("note.ignored_run", run=repr(raw), reason=why) for what, why in bad]
                if rule is not None:
                    listed.append((rule, given))
        items.pop("optimizer", None)
        if len(listed) > MAX_RUNS:
            notes.append(Message("note.too_many_runs", count=str(MAX_RUNS)))
            listed = listed[:MAX_RUNS]
        if not listed:
            listed = [(r.optimizer, {}) for r in Lesson.runs]
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
        convention = kw.pop("convention", Lesson.convention)
        seed = kw.pop("seed", None)
        runs = _link_runs(listed, items, convention, seed, notes)
        try:
            return cls(runs=runs, convention=convention, **kw), notes
        except ValueError as exc:  # every value was checked as it was taken: this is a last line of defence
            return cls(), notes + [Message("note.bad_settings", reason=reason(exc))]


def link_lang(query: str | Mapping[str, Any]) -> str | None:
    """The language a link asks the page to speak (``lang=zh``), or None where it names none the page speaks
    (``Lesson.from_query`` gives the note for a bad one)."""
    try:
        raw = dict(_pairs(query)).get("lang")
    except (TypeError, ValueError):
        return None
    return raw if raw in LANGUAGES else None


def _ignored(key: str, raw: str, why: str) -> Message:
    return Message("note.ignored", key=key, value=repr(raw), reason=why)


# ---- runs from loose settings ---------------------------------------------------------------------------------
def _legacy_runs(runs: Any, optimizers: Any, hyperparameters: Any, seed: Any) -> tuple[Run, ...]:
    """The runs a lesson is made with: ``runs``, changed by the older keywords where they are given."""
    if runs is None:
        runs = (Run(),) if optimizers is None else ()
    if isinstance(runs, (str, Run)) or not isinstance(runs, Sequence):
        raise ValueError(f"The 'runs' parameter must be a list of runs (Run or 'gd:eta=0.4'). Got {runs!r} instead.")
    runs = [Run.parse(r) if isinstance(r, str) else r for r in runs]
    for r in runs:
        if not isinstance(r, Run):
            raise ValueError(f"The 'runs' parameter must be a list of runs (Run or 'gd:eta=0.4'). Got {r!r} in it.")
    if optimizers is not None:
        names = optimizers
        if isinstance(names, str) or not isinstance(names, Sequence) or not 1 <= len(names) <= MAX_OPTIMIZERS:
            count = len(names) if isinstance(names, Sequence) and not isinstance(names, str) else names
            raise ValueError(f"The 'optimizer' parameter must list 1 to {MAX_OPTIMIZERS} optimizers. "
                             f"Got {count!r} instead.")
        for name in names:
            check_name(name, "optimizer", RULES)
        if len(set(names)) != len(names):
            raise ValueError(f"The 'optimizer' parameter must not list an optimizer twice (several runs of one "
                             f"optimizer are runs=). Got {','.join(names)} instead.")
        first = {}
        for r in runs:
            first.setdefault(r.optimizer, r)
        runs = [first.get(name, Run(name, seed=runs[0].seed if runs else 0)) for name in names]
    if hyperparameters is not None:
        if not isinstance(hyperparameters, Mapping):
            raise ValueError(f"The 'hyperparameters' parameter must map optimizer names to their values. "
                             f"Got {hyperparameters!r} instead.")
        for name, hp in hyperparameters.items():
            check_name(name, "optimizer", RULES)
            if not isinstance(hp, Mapping):
                raise ValueError(f"The 'hyperparameters' parameter of {name} must map names to values. "
                                 f"Got {hp!r} instead.")
        runs = [replace(r, hyperparameters=hyperparameters[r.optimizer]) if r.optimizer in hyperparameters else r
                for r in runs]
    if seed is not None:
        runs = [replace(r, seed=seed) for r in runs]
    if not 1 <= len(runs) <= MAX_RUNS:
        raise ValueError(f"The 'runs' parameter must hold 1 to {MAX_RUNS} runs. Got {len(runs)} instead.")
    return tuple(runs)


def _for_convention(rule: str, convention: str, given: dict[str, Any]) -> dict[str, Any]:
    """``given`` without what only the other convention knows: Adadelta's eta and schedule under d2l, a schedule
    only torch has (then the constant rate), a parameter of the other convention's version of this schedule."""
    other = "torch" if convention == "d2l" else "d2l"
    out = dict(given)
    schedule = out.get("schedule", "constant")
    if not isinstance(schedule, str) or not (takes_schedule(rule, convention) or takes_schedule(rule, other)):
        return out
    if schedule not in SCHEDULES[convention] or not takes_schedule(rule, convention):
        if takes_schedule(rule, other) and schedule in SCHEDULES[other]:
            out.pop("schedule", None)
            theirs = set(specs(rule, other)) | set(SCHEDULE_SPECS[other][schedule])
            return {k: v for k, v in out.items() if k not in theirs or k in specs(rule, convention)}
        return out
    mine = settings(rule, convention, schedule)
    theirs = set(specs(rule, other)) | set(SCHEDULE_SPECS[other].get(schedule, {}))
    return {k: v for k, v in out.items() if k in mine or k not in theirs}


def _seeds(r: Run) -> Any:
    """The run's seed, or a spread's seeds; without noise every seed walks the same path, so one is run."""
    if r.spread == 1 or not r.hyperparameters.get("sigma", 0) > 0:
        return r.seed
    return (r.seed + np.arange(r.spread, dtype=np.int64)) % (MAX_SEED + 1)


def _made_labels(runs: Sequence[Run], lang: str | None = None) -> list[str]:
    """The optimizer, then what differs between the unnamed runs of that optimizer: a hyperparameter, the schedule,
    a schedule's parameter (between runs of the same schedule), the noise where there is some, the seed of a noisy
    run, a spread; identical runs are numbered. With ``lang``, as a reader of that language reads it (梯度下降 余弦,
    随机梯度下降 种子3); without, the names links and files use."""
    out = []
    for r in runs:
        group = [s for s in runs if s.optimizer == r.optimizer and not s.label]
        words = []
        if len(group) > 1:
            hp = r.hyperparameters
            schedule = hp.get("schedule")
            for key, value in hp.items():
                peers = [s for s in group if key not in _schedule_params(schedule or "")
                         or s.hyperparameters.get("schedule") == schedule]
                differs = len({repr(s.hyperparameters.get(key)) for s in peers}) > 1
                if differs and (key != "sigma" or value > 0):
                    words.append(_word(key, value, lang))
            noisy = hp.get("sigma", 0) > 0
            if noisy and len({s.seed for s in group if s.hyperparameters.get("sigma", 0) > 0}) > 1:
                words.append(_word("seed", r.seed, lang))
            if r.spread > 1 and len({s.spread for s in group}) > 1:
                words.append(_word("spread", r.spread, lang))
        name = term("optimizer", r.optimizer, lang) if lang else r.optimizer
        out.append(f"{name} {', '.join(words)}" if words else name)
    made = [x for x, r in zip(out, runs, strict=True) if not r.label]
    for label in set(made):
        if made.count(label) > 1:
            k = iter(range(1, len(out) + 1))
            out = [f"{x} ({next(k)})" if x == label and not r.label else x for x, r in zip(out, runs, strict=True)]
    return out


def _word(key: str, value: Any, lang: str | None = None) -> str:
    if key == "schedule":
        return text(f"choice.{value}", lang) if lang else str(value)
    if key == "seed":
        return text("label.seed", lang, seed=str(value)) if lang else f"seed {value}"
    if key == "spread":
        return text("label.seeds", lang, count=str(value)) if lang else f"{value} seed{'s' * (value != 1)}"
    if isinstance(value, tuple):
        return f"{key}={','.join(str(v) for v in value)}"
    if isinstance(value, bool):
        if lang:
            return text("label.on" if value else "label.off", lang, name=term("symbol", key, lang))
        return f"{SYMBOLS.get(key, key)} {'on' if value else 'off'}"
    return f"{SYMBOLS.get(key, key)}={value:g}" if isinstance(value, float) else f"{SYMBOLS.get(key, key)}={value}"


def _visible(r: Run) -> dict[str, Any]:
    """The settings a link and a lesson's repr spell out: every hyperparameter; SGD's schedule always and any other
    that is not constant, with all its parameters; sigma where it is not the optimizer's default."""
    hp = r.hyperparameters
    out = {k: v for k, v in hp.items() if k in specs(r.optimizer, "d2l") or k in specs(r.optimizer, "torch")}
    schedule = hp.get("schedule", "constant")
    if schedule != "constant" or (r.optimizer == "sgd" and "schedule" in hp):
        out["schedule"] = schedule
        out |= {k: v for k, v in hp.items() if k in _schedule_params(schedule)}
    if "sigma" in hp and hp["sigma"] != sigma_spec(r.optimizer).default:
        out["sigma"] = hp["sigma"]
    return out


def _written(r: Run, own_seed: bool) -> list[tuple[str, str]]:
    """A run's settings as a link writes them (:func:`_visible`), then its seed, spread and name where not the
    default."""
    out = [(k, _fmt(v)) for k, v in _visible(r).items()]
    if own_seed and r.seed != 0:
        out.append(("seed", str(r.seed)))
    if r.spread != 1:
        out.append(("spread", str(r.spread)))
    if r.label:
        out.append(("label", r.label))
    return out


def _schedule_params(schedule: str) -> set[str]:
    return {k for c in CONVENTIONS for k in SCHEDULE_SPECS[c].get(schedule, {})}


# ---- reading a link's runs ------------------------------------------------------------------------------------
def _optimizer_list(raw: str, notes: list[str]) -> list[str]:
    listed = tuple(dict.fromkeys(n.strip().lower() for n in raw.split(",") if n.strip()))
    for n in listed:
        if n not in RULES:
            notes.append(Message("note.ignored_optimizer", name=repr(n), allowed=", ".join(RULES)))
    known = [n for n in listed if n in RULES]
    if len(known) > MAX_OPTIMIZERS:
        notes.append(Message("note.too_many_optimizers", count=str(MAX_OPTIMIZERS)))
    return known[:MAX_OPTIMIZERS]


def _parse_run(text: str) -> tuple[str | None, dict[str, str], list[tuple[str, str]]]:
    """``"gd:eta=0.4,schedule=cosine"`` as (rule, {key: raw value}, [(what, why) for each part that is not
    understood]). A part without '=' continues the value before it (``milestones=15,30``)."""
    if not isinstance(text, str):
        return None, {}, [("", Message("reason.run_written", value=repr(text)))]
    name, _, rest = text.partition(":")
    rule = name.strip().lower()
    if rule not in RULES:
        return None, {}, [("", Message("reason.not_optimizer", name=repr(rule), allowed=", ".join(RULES)))]
    given: dict[str, str] = {}
    bad: list[tuple[str, str]] = []
    last = None
    for part in rest.split(",") if rest.strip() else []:
        key, eq, value = part.partition("=")
        if not eq:
            if last is None:
                bad.append((repr(part), Message("reason.run_key_value")))
            else:
                given[last] += "," + part
            continue
        last = key.strip()
        if last in given:
            bad.append((f"{last}={value!r}", Message("reason.set_twice", name=last)))
            last = None
            continue
        given[last] = value
    return rule, given, bad


def _link_runs(listed: list[tuple[str, dict[str, str]]], items: dict[str, str], convention: str, seed: Any,
               notes: list[str]) -> tuple[Run, ...]:
    """The runs of a link: each run's own settings over ``name.key`` keys over plain keys, each checked; a key no run
    takes, or whose value fails a run's check, is dropped with one note, in the order of the link."""
    rules = [rule for rule, _ in listed]
    schedules = []  # which schedule each run has decides which parameters it takes
    for rule, own in listed:
        chosen = "constant"
        if takes_schedule(rule, convention):
            for raw in (items.get("schedule"), items.get(f"{rule}.schedule"), own.get("schedule")):
                if raw in SCHEDULES[convention]:
                    chosen = raw
        schedules.append(chosen)
    layers: list[list[dict[str, Any]]] = [[{}, {}] for _ in listed]  # per run: plain keys, then its optimizer's
    for key, raw in items.items():
        target, _, name = key.rpartition(".")
        if target and target not in rules:
            notes.append(_ignored(key, raw, Message("reason.not_shown", target=target, shown=", ".join(rules))))
            continue
        runs = [i for i, rule in enumerate(rules) if not target or rule == target]
        takers = [i for i in runs if name in RUN_KEYS or name in settings(rules[i], convention, schedules[i])]
        if not takers:
            notes.append(_ignored(key, raw, _not_taken(rules, runs, convention, name)))
            continue
        values = {}
        for i in takers:
            value = _checked(rules[i], convention, name, raw, schedules[i])
            if isinstance(value, Exception):
                notes.append(_ignored(key, raw, reason(value)))
                break
            values[i] = value
        else:
            for i, value in values.items():
                layers[i][1 if target else 0][name] = value
    out = []
    for i, (rule, own) in enumerate(listed):
        mine = {}
        for name, raw in own.items():
            known = name in RUN_KEYS or name in settings(rule, convention, schedules[i])
            value = _checked(rule, convention, name, raw, schedules[i]) if known else _why_not(
                rule, convention, schedules[i], name)
            if isinstance(value, Exception):
                notes.append(Message("note.ignored_in_run", key=name, value=repr(raw), run=str(i + 1), optimizer=rule,
                                     reason=reason(value)))
            else:
                mine[name] = value
        given = {**layers[i][0], **layers[i][1], **mine}
        extra = {k: given.pop(k) for k in RUN_KEYS if k in given}
        try:
            resolve(rule, convention, given)
        except ValueError as exc:  # each value is fine alone, not together (a warm-up past the period)
            notes.append(Message("note.ignored_run_schedule", run=str(i + 1), optimizer=rule, reason=reason(exc)))
            given = {k: v for k, v in given.items() if k not in _schedule_params(given.get("schedule", ""))}
        if seed is not None:
            extra.setdefault("seed", seed)
        try:
            out.append(Run(rule, given, **extra))
        except ValueError as exc:
            notes.append(Message("note.ignored_run_settings", run=str(i + 1), optimizer=rule, reason=reason(exc)))
            out.append(Run(rule))
    while True:  # a name given to two runs (or one a run is called anyway) is kept by the first only
        labels = [r.label or made for r, made in zip(out, _made_labels(out), strict=True)]
        twice = [i for i, r in enumerate(out) if r.label and labels.count(labels[i]) > 1]
        if not twice:
            return tuple(out)
        i = twice[-1]
        notes.append(Message("note.label_taken", label=repr(out[i].label), run=str(i + 1),
                             optimizer=out[i].optimizer))
        out[i] = replace(out[i], label="")


def _not_taken(rules: list[str], runs: list[int], convention: str, name: str) -> Message:
    other = "torch" if convention == "d2l" else "d2l"
    targets = [rules[i] for i in runs]
    if any(name in settings(t, convention, s) for t in targets
           for s in (SCHEDULES[convention] if takes_schedule(t, convention) else ("constant",))):
        having = [s for s in SCHEDULES[convention] if name in SCHEDULE_SPECS[convention][s]]
        return Message("reason.no_schedule_takes", schedules=joined(having, "or"))
    theirs = [t for t in targets if name in specs(t, other) or (takes_schedule(t, other) and (
        name == "schedule" or any(name in p for p in SCHEDULE_SPECS[other].values())))]
    if theirs:
        return Message("reason.other_convention", optimizer=theirs[0], name=repr(name), convention=other)
    return Message("reason.no_taker", name=repr(name))


def _why_not(rule: str, convention: str, schedule: str, name: str) -> ValueError:
    """Why a run of ``rule`` with ``schedule`` does not take ``name``: the check's own error."""
    try:
        resolve(rule, convention, {"schedule": schedule, name: 0} if schedule != "constant" else {name: 0})
    except ValueError as exc:
        return exc
    return MessageError("reason.not_taken", rule=rule, name=repr(name))


def _checked(rule: str, convention: str, name: str, raw: str, schedule: str) -> Any:
    """The value of one setting read from a link, checked for a run of ``rule`` with ``schedule``; the exception
    if it fails."""
    try:
        if name in RUN_KEYS:
            return _run_key(name, raw)
        value = _typed(rule, name, raw, convention, schedule)
        given = {"schedule": schedule} if takes_schedule(rule, convention) and name != "schedule" else {}
        return resolve(rule, convention, {**given, name: value}, together=False)[name]
    except (ValueError, TypeError, OverflowError) as exc:
        return exc


def _run_key(name: str, raw: Any) -> Any:
    if name == "label":
        return check_label(raw)
    value = _int(raw, name) if isinstance(raw, str) else raw
    if name == "seed":
        return check_int(value, "seed", 0, MAX_SEED, bound="[0, 2**32)")
    return check_value(Message("owner.run"), name, SPREAD, value)


def _typed(rule: str, name: str, raw: Any, convention: str = "d2l", schedule: str = "constant") -> Any:
    """A link's text as the kind of value ``name`` takes (a choice, a step count, milestones, a float); text that
    is none of these is passed on for the check to name."""
    if not isinstance(raw, str):
        return raw
    spec = _spec_of(rule, name, convention, schedule)
    if spec is None:
        return raw
    if spec.choices == (True, False):
        if raw.lower() in ("1", "true", "on", "yes"):
            return True
        if raw.lower() in ("0", "false", "off", "no"):
            return False
        return raw
    if spec.is_choice:
        return raw
    try:
        if spec.kind == "int":
            return _int(raw, name)
        if spec.kind == "ints":
            return tuple(_int(v, name) for v in raw.split(","))
        return _number(raw)
    except ValueError:
        return raw  # resolve() names the parameter and the range


def _spec_of(rule: str, name: str, convention: str, schedule: str) -> Any:
    for c in (convention, *CONVENTIONS):
        if not takes_schedule(rule, c) and name not in specs(rule, c) and name != "sigma":
            continue
        for s in (schedule, *SCHEDULES[c]):
            if s in SCHEDULES[c] and (takes_schedule(rule, c) or s == "constant"):
                table = settings(rule, c, s)
                if name in table:
                    return table[name]
    return None


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


def changed(settings_: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """A run's settings with ``changes``; a change of schedule drops the old schedule's parameters (those not in
    ``changes``), so the new one starts from its defaults."""
    out = dict(settings_)
    old, new = out.get("schedule"), changes.get("schedule", out.get("schedule"))
    if new != old:
        out = {k: v for k, v in out.items() if k not in _schedule_params(old or "")}
    return {**out, **changes}


def make_lesson(optimizer: str | Sequence[str] | Lesson | None = None, *, runs: Sequence[Run | str] | None = None,
                hyperparameters: Mapping[str, Mapping[str, Any]] | None = None, objective: str | None = None,
                condition: float | None = None, angle: float | None = None, start: Any = None,
                steps: int | None = None, convention: str | None = None, seed: int | None = None,
                spread: int | None = None, label: str | None = None, window: Any = None, **hyper: Any) -> Lesson:
    """The :class:`Lesson` that these settings describe; unset ones keep their defaults (or ``optimizer``'s,
    if it is a lesson). A bad value raises one ValueError, as the engine does.

    Parameters
    ----------
    optimizer : str, sequence of str or Lesson, default="rmsprop"
        One optimizer, several (``"gd,momentum"`` or ``("gd", "momentum")``), or a lesson to start from. With
        ``runs`` and no ``optimizer``, the lesson is those runs alone.
    runs : sequence of Run or str, optional
        Runs after those of ``optimizer``, each a :class:`Run` or written as in a link: ``["gd:eta=0.4",
        "gd:eta=0.6"]``. Their own settings win over the keywords below.
    hyperparameters : mapping, optional
        Per optimizer, e.g. ``{"momentum": {"eta": 0.6}}`` (every run of that optimizer); applied after ``**hyper``.
    objective, condition, angle, start, steps, convention
        As in :func:`trajectories.run`; ``objective`` may be a formula (``"x1^4 + x2^2"``); ``condition`` and
        ``angle`` only with ``objective="general"``; ``start`` may also be written ``"x1,x2"``.
    window : four floats or str, optional
        The view, x1 low, x1 high, x2 low, x2 high (``"-6,2,-3,3"``), instead of the objective's own.
    seed, spread : int, optional
        The noise's seed and the number of seeds, for every run.
    label : str, optional
        A name for the run (a lesson of one run only).
    **hyper
        The book's symbols (``eta=0.4``), a schedule and its parameters (``schedule="cosine", period=20``) and
        ``sigma``: applied to every run that takes them, as a link's plain keys are.

    Returns
    -------
    Lesson
    """
    base = optimizer if isinstance(optimizer, Lesson) else None
    shared = {k: v for k, v in dict(objective=objective, condition=condition, angle=angle, steps=steps,
                                     convention=convention).items() if v is not None}
    if start is not None:
        shared["start"] = parse_pair(start, "start") if isinstance(start, str) else start
    if window is not None:
        shared["window"] = check_window(window)
    chosen = shared.get("objective", base.objective if base is not None else Lesson.objective)
    for key in ("condition", "angle"):
        if key in shared and chosen != "general":
            raise ValueError(f"The '{key}' parameter only applies to objective='general'. "
                             f"Got objective={chosen!r} instead.")
    convention_ = check_name(shared.get("convention", base.convention if base is not None else Lesson.convention),
                             "convention", CONVENTIONS)
    if base is not None:  # a new convention starts the base's runs from its defaults, as a switch on the page does
        listed = [r if convention_ == base.convention else replace(r, hyperparameters={}) for r in base.runs]
    elif optimizer is None and runs:
        listed = []
    else:
        listed = [Run(n) for n in optimizer_names("rmsprop" if optimizer is None else optimizer)]
    own = [Run.parse(r) if isinstance(r, str) else r for r in (runs or ())]
    for r in own:
        if not isinstance(r, Run):
            raise ValueError(f"The 'runs' parameter must be a list of runs (Run or 'gd:eta=0.4'). Got {r!r} in it.")
    everyone = listed + own
    names = [r.optimizer for r in everyone]
    for opt, values in (hyperparameters or {}).items():
        check_name(opt, "optimizer", RULES)
        if opt not in names:
            first = next(iter(values), "")
            raise ValueError(f"The '{opt}.{first}' parameter names {opt}, which is not among the optimizers "
                             f"shown ({', '.join(names)}).")
    if label is not None and len(everyone) != 1:
        raise ValueError(f"The 'label' parameter names one run; give each run its label in runs= instead. Got "
                         f"{len(everyone)} runs.")

    def schedule_of(r: Run, mine: Mapping[str, Any]) -> Any:
        per = (hyperparameters or {}).get(r.optimizer, {})
        bare = hyper.get("schedule") if takes_schedule(r.optimizer, convention_) else None
        return mine.get("schedule", per.get("schedule", bare if bare is not None else
                                            r.hyperparameters.get("schedule", "constant")))

    def table(r: Run, schedule: Any) -> dict[str, Any]:
        valid = takes_schedule(r.optimizer, convention_) and schedule in SCHEDULES[convention_]
        return settings(r.optimizer, convention_, schedule if valid else "constant")

    taken: set[str] = set()
    done = []
    for r in everyone:
        mine = dict(r.hyperparameters) if r in own else {}
        schedule = schedule_of(r, mine)
        bare = {k: v for k, v in hyper.items() if k in table(r, schedule)}
        taken |= set(bare)
        given = {**bare, **(hyperparameters or {}).get(r.optimizer, {}), **mine}
        if "schedule" not in given and schedule != r.hyperparameters.get("schedule", "constant"):
            given["schedule"] = schedule
        extra = {k: v for k, v in (("seed", seed), ("spread", spread), ("label", label)) if v is not None}
        done.append((r, given, extra))
    nobody = {k: v for k, v in hyper.items() if k not in taken}  # nobody takes it: let every run's check say so
    out = []
    for r, given, extra in done:
        given = {**given, **nobody}
        # a name only the other convention knows is an error here, not dropped
        resolve(r.optimizer, convention_, {**({"schedule": schedule_of(r, given)}
                                              if takes_schedule(r.optimizer, convention_) else {}), **given})
        base_values = {} if r in own else r.hyperparameters
        out.append(replace(r, hyperparameters=changed(base_values, given), **extra))
    if base is not None:
        return replace(base, runs=tuple(out), **shared)
    return Lesson(runs=tuple(out), **shared)


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


def _pairs(query: str | Mapping[str, Any]) -> list[tuple[str, str]]:
    if query is None:
        return []
    if isinstance(query, str):
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
    elif isinstance(query, Mapping):
        pairs = []
        for k, v in query.items():
            values = list(v) if isinstance(v, (list, tuple)) else [v]
            pairs += [(k, x) for x in (values if str(k).strip() == "run" else values[-1:])]
    else:
        raise TypeError(type(query).__name__)
    out = [(str(k).strip(), str(v)) for k, v in pairs]
    last = {k: v for k, v in out if k != "run"}  # a key given twice: the last value, at the first one's place
    kept = []
    for k, v in out:
        if k == "run":
            kept.append((k, v))
        elif k in last:
            kept.append((k, last.pop(k)))
    return kept


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


def _fmt(value: Any) -> str:
    """Shortest exact text of a value: ``0.4``, ``1e-06``, ``20`` (not ``20.0``), ``true``, ``15,30``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, tuple):
        return ",".join(_fmt(v) for v in value)
    return str(value)
