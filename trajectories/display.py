"""How a page shows a lesson, apart from the lesson: presenter mode, a compact set of controls, the panels, the view.

These are options of the page, not settings of the lesson: none of them changes a number the engine computes, so
they are not part of a :class:`~trajectories.lesson.Lesson` (its hash, its file names, ``app.lesson``). They
travel beside it: in a link (``?optimizer=momentum&presenter=1&controls=eta,beta&panels=none``), the link field
keeps them, ``App(..., presenter=True, controls=("eta", "beta"))``, and ``trajectories export --format html
--presenter --controls eta,beta --panels none``.

- ``presenter``: bigger type and thicker lines, for a projector.
- ``controls``: the compact mode, which shows the plot and only the controls named: a hyperparameter (``eta``:
  the eta slider of every run that has one; ``momentum.eta``: one optimizer's) or one of :data:`CONTROLS`.
  ``none`` shows the plot alone; not given (or ``all``), every control. The messages under the plot (a run that
  diverged) always show.
- ``panels``: the loss and effective-rate panels (``panels=none`` hides them).
- ``view``: the window of :mod:`trajectories.view`, ``fit`` (the default) or ``window``.

:meth:`Display.from_query` reads a link and never raises (a bad value is dropped with a note, as for a lesson);
the page reads the same keys with the same vocabulary, which :func:`trajectories.state.config` sends it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from .i18n import Message
from .specs import RULES, SPECS
from .view import VIEWS

# The controls a compact page may name besides the hyperparameters, and what each brings.
CONTROLS: dict[str, str] = {
    "optimizers": "the optimizer buttons",
    "objective": "the objective, its formula and the general quadratic's condition and angle",
    "convention": "the book / torch switch",
    "steps": "the steps slider",
    "start": "the start point's field (the start marker can be dragged whatever the controls)",
    "step": "the step scrubber and Play",
    "reset": "Reset",
    "export": "Export",
    "link": "the link field and Copy",
    "readout": "each path's end in the book's words",
    "landscape": "the Landscape tab",
}
HYPERPARAMETERS: tuple[str, ...] = tuple(dict.fromkeys(n for table in SPECS.values() for rule in table.values()
                                                       for n in rule))
KEYS = ("presenter", "controls", "panels", "view")  # the link's keys; a lesson's link reader leaves them alone
_TRUE, _FALSE = ("1", "true", "on", "yes"), ("0", "false", "off", "no")


def control_names() -> tuple[str, ...]:
    """Every name ``controls`` takes: :data:`CONTROLS`, the hyperparameters, and ``optimizer.hyperparameter``."""
    own = tuple(f"{rule}.{name}" for rule in RULES for name in dict.fromkeys(
        n for table in SPECS.values() for n in table[rule]))
    return (*CONTROLS, *HYPERPARAMETERS, *own)


def check_controls(controls: Any) -> tuple[str, ...] | None:
    """``controls`` as a tuple of known names without repeats (None: every control); else one sentence."""
    if controls is None:
        return None
    if isinstance(controls, str):
        controls = [c for c in controls.split(",") if c.strip()] if controls.strip() != "none" else []
    if not isinstance(controls, Sequence) or not all(isinstance(c, str) for c in controls):
        raise ValueError(f"The 'controls' parameter must be None (every control) or a list of control names such as "
                         f"('eta', 'beta'). Got {controls!r} instead.")
    known = control_names()
    names = tuple(dict.fromkeys(c.strip() for c in controls))
    for name in names:
        if name not in known:
            raise ValueError(f"The 'controls' parameter must name controls among {', '.join(CONTROLS)}, a "
                             f"hyperparameter ({', '.join(HYPERPARAMETERS)}) or one optimizer's "
                             f"(momentum.eta). Got {name!r} instead.")
    return names


@dataclass(frozen=True)
class Display:
    """How a page shows its lesson (the module's docstring says what each option does).

    Parameters
    ----------
    presenter : bool, default=False
        Bigger type and thicker lines for a projector.
    controls : sequence of str, optional
        Show only these controls with the plot (the compact mode); ``()`` shows the plot alone, None every control.
    panels : bool, default=True
        Show the loss and effective-rate panels.
    view : {"fit", "window"}, default="fit"
        The part of the plane shown (:mod:`trajectories.view`).

    Examples
    --------
    >>> Display(presenter=True, controls=("eta", "beta")).to_query()
    'presenter=1&controls=eta,beta'
    """

    presenter: bool = False
    controls: tuple[str, ...] | None = None
    panels: bool = True
    view: str = "fit"

    def __post_init__(self) -> None:
        for name in ("presenter", "panels"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"The '{name}' parameter must be True or False. Got {getattr(self, name)!r} "
                                 "instead.")
        if self.view not in VIEWS:
            raise ValueError(f"The 'view' parameter must be one of {', '.join(map(repr, VIEWS))}. Got {self.view!r} "
                             "instead.")
        object.__setattr__(self, "controls", check_controls(self.controls))

    @property
    def compact(self) -> bool:
        """Whether only some controls show."""
        return self.controls is not None

    def to_query(self) -> str:
        """The link's part for these options: only what differs from the default (``""`` for the default)."""
        q: list[tuple[str, str]] = []
        if self.presenter:
            q.append(("presenter", "1"))
        if self.controls is not None:
            q.append(("controls", ",".join(self.controls) or "none"))
        if not self.panels:
            q.append(("panels", "none"))
        if self.view != Display.view:
            q.append(("view", self.view))
        return urlencode(q, safe=",")

    def to_state(self) -> dict[str, Any]:
        """Plain data for the page (the widget's ``display`` and the HTML page's state)."""
        return {"presenter": self.presenter, "controls": None if self.controls is None else list(self.controls),
                "panels": self.panels, "view": self.view}

    @classmethod
    def from_state(cls, state: Any) -> Display:
        """The options a page's plain data describes; anything wrong raises one sentence."""
        if not isinstance(state, Mapping) or set(state) - set(KEYS):
            raise ValueError(f"The 'display' parameter must be a mapping of {', '.join(KEYS)}. Got {state!r} "
                             "instead.")
        return cls(**{k: tuple(v) if k == "controls" and isinstance(v, list) else v for k, v in state.items()})

    @classmethod
    def from_query(cls, query: str | Mapping[str, Any]) -> tuple[Display, list[str]]:
        """Read the options of a link's query (its other keys are the lesson's, and left alone); never raises.

        A bad value is dropped with a one-sentence note and its option keeps its default; in ``controls`` an
        unknown name is dropped with a note and the others are kept.
        """
        try:
            if isinstance(query, str):
                pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
            elif isinstance(query, Mapping):
                pairs = [(k, v[-1] if isinstance(v, (list, tuple)) and v else v) for k, v in query.items()]
            else:
                raise TypeError(type(query).__name__)
            items = {str(k).strip(): str(v) for k, v in pairs if str(k).strip() in KEYS}
        except (TypeError, ValueError):
            return cls(), []  # the lesson's reader says what is wrong with the link as a whole
        notes: list[str] = []  # messages of the tables, which the page says in its language
        kw: dict[str, Any] = {}
        if "presenter" in items:
            raw = items["presenter"].strip().lower()
            if raw in _TRUE or raw in _FALSE:
                kw["presenter"] = raw in _TRUE
            else:
                notes.append(Message("note.ignored", key="presenter", value=repr(items["presenter"]),
                                     reason=Message("reason.one_or_zero")))
        if "panels" in items:
            raw = items["panels"].strip().lower()
            if raw in ("all", "none") or raw in _TRUE or raw in _FALSE:
                kw["panels"] = raw == "all" or raw in _TRUE
            else:
                notes.append(Message("note.ignored", key="panels", value=repr(items["panels"]),
                                     reason=Message("reason.all_or_none")))
        if "view" in items:
            raw = items["view"].strip().lower()
            if raw in VIEWS:
                kw["view"] = raw
            else:
                notes.append(Message("note.ignored", key="view", value=repr(items["view"]),
                                     reason=Message("reason.must_be_one_of", allowed=", ".join(VIEWS))))
        if "controls" in items:
            raw = items["controls"].strip()
            if raw.lower() != "all":
                names = [] if raw.lower() == "none" else [c.strip() for c in raw.split(",") if c.strip()]
                known = control_names()
                for name in names:
                    if name not in known:
                        notes.append(Message("note.ignored_control", name=repr(name), controls=", ".join(CONTROLS),
                                             hyperparameters=", ".join(HYPERPARAMETERS)))
                kept = tuple(n for n in names if n in known)
                if kept or not names:  # a link whose every name is a typo keeps every control rather than none
                    kw["controls"] = kept
        return cls(**kw), notes
