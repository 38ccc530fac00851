"""The interactive app: ipywidgets controls wired to the engine (through :class:`Lesson`) and to the figure.

No maths here: a control changes the :class:`~trajectories.lesson.Lesson`, the lesson runs the engine, and
:class:`~trajectories.plotting.TraceFigure` moves its artists. The figure lives in an ipympl canvas built
once; a slider move blits the moving artists over a cached raster of the contours (see ``plotting.py``).

Convention toggle (book / torch): every value is kept as it is and only the formulas change, so a class sees
what moving eps outside the square root does to the same numbers; a hyperparameter that only the new
convention has (torch's lr for Adadelta) takes that convention's default. Reset returns every setting except
the chosen optimizers and objective to the book's defaults (convention d2l, start (-5, -2), 20 steps).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import ipywidgets as w
from matplotlib.figure import Figure

from .canvas import make_canvas
from .downloads import export_control
from .engine import BOUND
from .landscape_app import attach
from .lesson import MAX_OPTIMIZERS, Lesson
from .objectives import OBJECTIVES
from .plotting import APP_FIGSIZE, TraceFigure, colors_for, drawn_until, formula_png
from .rules import eta_limit
from .specs import RULES, Spec, specs

SYMBOLS = {"eta": "η", "gamma": "γ", "rho": "ρ", "beta": "β", "beta1": "β1", "beta2": "β2", "eps": "ε",
           "schedule": "lr(t)", "bias_correction": "bias corr."}
CONVENTION_LABELS = (("book", "d2l"), ("torch", "torch"))
MAX_SLIDER_STEPS = 1000
_LOG_MANTISSAS = (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 9.0)
_EPS_MANTISSAS = (1.0, 2.0, 5.0)


def slider_values(name: str, spec: Spec, *extra: float) -> list[float]:
    """The values a hyperparameter slider stops at: round numbers (so the book's 0.4, 0.6, 2, 0.9, 0.999 and
    1e-6 are hit exactly), the spec's ends, and any ``extra`` value (a link's 0.37 is shown as it is)."""
    lo, hi = spec.low, spec.high
    if spec.scale == "log":
        mantissas = _EPS_MANTISSAS if name == "eps" else _LOG_MANTISSAS
        grid = {float(f"{m}e{e}") for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
                for m in mantissas}
    else:
        grid = {round(lo + i * (hi - lo) / 100, 10) for i in range(101)}
        if hi == 1.0:
            grid |= {0.995, 0.999, 0.9995, 0.9999}
    grid |= {float(lo), float(hi), float(spec.default), *(float(v) for v in extra)}
    return sorted(v for v in grid if lo <= v <= hi)


def _label(value: float) -> str:
    return f"{value:g}"


class App:
    """The whole app: optimizers, objective, convention, steps, start, hyperparameters, step scrubber, figure.

    Parameters
    ----------
    lesson : Lesson, optional
        The settings to open with (the book's RMSProp example by default).
    notes : sequence of str, default=()
        Short notes to show at once, e.g. why parameters of a preset link were ignored.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The root widget (``App`` also displays itself). Every control carries a ``tj-<name>`` CSS class, a
        hyperparameter slider also ``tj-<optimizer>-<name>``; the figure's canvas carries ``tj-plot``.
    figure : matplotlib.figure.Figure
        The figure on screen, drawn by :class:`~trajectories.plotting.TraceFigure` (``app.trace``).
    trajectories : dict of str to Trajectory
        The runs on screen.

    Hooks for other views: :meth:`observe` (called with the new lesson after every change), :meth:`add_panel`
    (a tab next to the plot), :meth:`add_tool` (a button next to Reset), :attr:`link_base`, :meth:`show_message`.

    Examples
    --------
    >>> app = App(Lesson(optimizers=("gd", "momentum")))  # doctest: +SKIP
    >>> app                                               # doctest: +SKIP
    """

    def __init__(self, lesson: Lesson | None = None, *, notes: Sequence[str] = ()) -> None:
        if lesson is None:
            lesson = Lesson()
        if not isinstance(lesson, Lesson):
            raise ValueError(f"The 'lesson' parameter must be a Lesson or None. Got {type(lesson).__name__} instead.")
        if isinstance(notes, str) or not all(isinstance(n, str) for n in notes):
            raise ValueError(f"The 'notes' parameter must be a sequence of strings. Got {notes!r} instead.")
        self._lesson = lesson
        self._observers: list[Callable[[Lesson], Any]] = []
        self._syncing = False
        self._scrubbed = False
        self._link_base = ""
        self._notes = list(notes)
        self.trajectories: dict[str, Any] = {}
        self.hyper_controls: dict[tuple[str, str], w.Widget] = {}
        self._hyper_key: tuple[Any, ...] = ()
        self._stability: dict[str, w.HTML] = {}
        self._runs: dict[Any, Any] = {}
        self._build_figure()
        self._build_controls()
        self.add_tool(export_control(self))  # tj-export: downloads the figure on screen
        self._sync_controls()
        self._recompute(full=True)
        self.add_tool(self._readout())  # tj-readout: where each path ends, in the book's words
        self.landscape = attach(self)  # the Landscape tab follows the app through observe / add_panel

    # ---- construction -------------------------------------------------------------------------------------
    def _build_figure(self) -> None:
        fig = Figure(figsize=APP_FIGSIZE)
        canvas, self._manager = make_canvas(fig)
        canvas.add_class("tj-plot")
        self.canvas = canvas
        self.trace = TraceFigure(fig, blit=True)
        canvas.mpl_connect("button_press_event", self._guard(self._on_click))

    def _build_controls(self) -> None:
        lesson = self._lesson
        self.optimizer_buttons = {}
        for name in RULES:
            b = w.ToggleButton(description=name, value=name in lesson.optimizers,
                               tooltip=f"show {name} (at most {MAX_OPTIMIZERS} at once)",
                               layout=w.Layout(width="97px", padding="0 2px"))
            b.add_class("tj-optimizer-" + name)
            b.observe(self._guard(self._on_optimizer_toggle), "value")
            self.optimizer_buttons[name] = b
        self.optimizer = w.Box(list(self.optimizer_buttons.values()),
                               layout=w.Layout(flex_flow="row wrap", width="100%"))
        self.optimizer.add_class("tj-optimizer")

        self.objective = w.Dropdown(options=list(OBJECTIVES), value=lesson.objective, description="objective",
                                    style={"description_width": "70px"}, layout=w.Layout(width="300px"))
        self.objective.add_class("tj-objective")
        self.formula = w.Image(format="png", layout=w.Layout(margin="4px 0 4px 8px"))
        self.formula.add_class("tj-formula")
        # Steps, condition and angle change the axes or the contours: a full redraw each, so only on release
        # (the keyboard still moves them one step at a time); the hyperparameter sliders follow the hand.
        self.condition = w.FloatLogSlider(value=lesson.condition, base=10, min=0, max=3, step=0.01,
                                          continuous_update=False,
                                          description="condition", readout_format=".3g",
                                          style={"description_width": "70px"}, layout=w.Layout(width="300px"))
        self.condition.add_class("tj-condition")
        self.angle = w.FloatSlider(value=lesson.angle, min=-180, max=180, step=1, description="angle °",
                                   continuous_update=False,
                                   style={"description_width": "70px"}, layout=w.Layout(width="300px"))
        self.angle.add_class("tj-angle")
        self.general_box = w.VBox([self.condition, self.angle])

        self.convention = w.ToggleButtons(options=CONVENTION_LABELS, value=lesson.convention,
                                          description="convention", style={"button_width": "70px"},
                                          tooltips=["d2l's formulas and constants", "torch.optim's formulas"])
        self.convention.add_class("tj-convention")
        self.steps = w.IntSlider(value=lesson.steps, min=1, max=max(MAX_SLIDER_STEPS, lesson.steps),
                                 description="steps", style={"description_width": "70px"}, continuous_update=False,
                                 layout=w.Layout(width="300px"))
        self.steps.add_class("tj-steps")
        self.start_x1 = w.FloatText(value=lesson.start[0], description="start x1", step=0.1,
                                    style={"description_width": "58px"}, layout=w.Layout(width="148px"))
        self.start_x1.add_class("tj-start-x1")
        self.start_x2 = w.FloatText(value=lesson.start[1], description="start x2", step=0.1,
                                    style={"description_width": "58px"}, layout=w.Layout(width="148px"))
        self.start_x2.add_class("tj-start-x2")
        self.start_hint = w.HTML("<small>or click on the plot</small>")
        self.reset = w.Button(description="Reset", icon="undo", tooltip="back to the book's defaults "
                              "(keeps the optimizers and the objective)", layout=w.Layout(width="100px"))
        self.reset.add_class("tj-reset")
        self.tools = w.HBox([self.reset], layout=w.Layout(flex_flow="row wrap"))
        self.tools.add_class("tj-tools")

        self.play = w.Play(value=0, min=0, max=lesson.steps, step=1, interval=250, description="play")
        self.play.add_class("tj-play")
        self.step = w.IntSlider(value=0, min=0, max=lesson.steps, description="step",
                                layout=w.Layout(width="430px"))
        self.step.add_class("tj-step")
        w.jslink((self.play, "value"), (self.step, "value"))
        self.step_hint = w.HTML("<small>at the highlighted step: grey dashed arrow = −η·∇f, coloured arrow = "
                                "the actual update</small>")

        self.hyper_box = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.hyper_box.add_class("tj-hyper")
        self.message = w.HTML(layout=w.Layout(min_height="1.5em"))
        self.message.add_class("tj-message")
        self.link = w.Text(value="", description="link", disabled=True, layout=w.Layout(width="100%"))
        self.link.add_class("tj-link")

        self.objective.observe(self._guard(self._on_objective), "value")
        for c in (self.condition, self.angle):
            c.observe(self._guard(self._on_general), "value")
        self.convention.observe(self._guard(self._on_convention), "value")
        self.steps.observe(self._guard(self._on_steps), "value")
        for c in (self.start_x1, self.start_x2):
            c.observe(self._guard(self._on_start), "value")
        self.step.observe(self._guard(self._on_step), "value")
        self.reset.on_click(self._guard(lambda _: self._on_reset()))

        left = w.VBox([self.optimizer, self.objective, self.formula, self.general_box, self.convention,
                       self.steps, w.HBox([self.start_x1, self.start_x2]), self.start_hint, self.tools],
                      layout=w.Layout(width="310px", min_width="310px", padding="0 8px 0 0"))
        plot = w.VBox([self.canvas, w.HBox([self.play, self.step]), self.step_hint, self.message,
                       self.hyper_box])
        self.tabs = w.Tab([plot], titles=("Trajectories",), layout=w.Layout(width="950px"))
        self.tabs.add_class("tj-tabs")
        # On a narrow notebook the plot wraps below the controls instead of being cut off.
        self.widget = w.VBox([w.HBox([left, self.tabs], layout=w.Layout(flex_flow="row wrap")), self.link])
        self.widget.add_class("tj-app")

    def _hyper_column(self, name: str, color: str) -> w.VBox:
        lesson = self._lesson
        table = specs(name, lesson.convention)
        values = lesson.resolved(name)
        rows: list[w.Widget] = [w.HTML(f"<b style='color:{color}'>{html.escape(name)}</b>")]
        for key, spec in table.items():
            value = values[key]
            if spec.is_choice:
                if spec.choices == (True, False):
                    c = w.Checkbox(value=bool(value), description=SYMBOLS.get(key, key), indent=False)
                else:
                    c = w.Dropdown(options=list(spec.choices), value=value, description=SYMBOLS.get(key, key),
                                   layout=w.Layout(width="220px"))
            else:
                options = [(_label(v), v) for v in slider_values(key, spec, value)]
                c = w.SelectionSlider(options=options, value=float(value), description=SYMBOLS.get(key, key),
                                      continuous_update=True, style={"description_width": "28px"},
                                      layout=w.Layout(width="285px"))
            c.tooltip = spec.description
            c.add_class("tj-" + key)
            c.add_class(f"tj-{name}-{key}")
            c.observe(self._guard(self._on_hyper, name, key), "value")
            self.hyper_controls[(name, key)] = c
            rows.append(c)
        note = w.HTML()
        note.add_class(f"tj-{name}-stability")
        self._stability[name] = note
        rows.append(note)
        return w.VBox(rows, layout=w.Layout(width="292px", margin="0 6px 0 0"))

    # ---- the public face ----------------------------------------------------------------------------------
    @property
    def lesson(self) -> Lesson:
        """The settings shown now."""
        return self._lesson

    @property
    def figure(self) -> Figure:
        """The matplotlib figure on screen."""
        return self.trace.figure

    @property
    def link_base(self) -> str:
        """The page address the link field puts before ``?`` (set by ``trajectories serve``)."""
        return self._link_base

    @link_base.setter
    def link_base(self, value: str) -> None:
        if not isinstance(value, str):
            raise ValueError(f"The 'link_base' parameter must be a string. Got {value!r} instead.")
        self._link_base = value
        self._update_link()

    def set_lesson(self, lesson: Lesson) -> None:
        """Show ``lesson``: move every control to it, then recompute and redraw once."""
        if not isinstance(lesson, Lesson):
            raise ValueError(f"The 'lesson' parameter must be a Lesson. Got {type(lesson).__name__} instead.")
        self._lesson = lesson
        self._sync_controls()
        self._recompute(full=True)

    def show_message(self, text: str) -> None:
        """Show a short message under the plot (replacing the previous one); an empty string clears it."""
        if not isinstance(text, str):
            raise ValueError(f"The 'text' parameter must be a string. Got {text!r} instead.")
        lines = [html.escape(t) for t in text.splitlines() if t.strip()]
        self.message.value = "<br>".join(f"<span style='color:#b00020'>{t}</span>" for t in lines)

    def observe(self, callback: Callable[[Lesson], Any]) -> None:
        """Call ``callback(lesson)`` after every change (other views, e.g. the landscape, follow the app)."""
        if not callable(callback):
            raise ValueError(f"The 'callback' parameter must be callable. Got {callback!r} instead.")
        self._observers.append(callback)

    def add_panel(self, title: str, widget: w.Widget) -> None:
        """Add a tab next to the trajectories plot."""
        if not isinstance(title, str) or not isinstance(widget, w.Widget):
            raise ValueError(f"The 'title' and 'widget' parameters must be a string and an ipywidget. "
                             f"Got {title!r} and {type(widget).__name__} instead.")
        self.tabs.children = (*self.tabs.children, widget)
        self.tabs.set_title(len(self.tabs.children) - 1, title)

    def add_tool(self, widget: w.Widget) -> None:
        """Add a control (e.g. the export button ``tj-export``) next to Reset."""
        if not isinstance(widget, w.Widget):
            raise ValueError(f"The 'widget' parameter must be an ipywidget. Got {type(widget).__name__} instead.")
        self.tools.children = (*self.tools.children, widget)

    def _readout(self) -> w.HTML:
        """A small readout (CSS class ``tj-readout``) of where each drawn trajectory ends, in the book's words,
        so a student (or a test) can check the picture against the engine:
        ``rmsprop: epoch 20, x1: -0.010599, x2: 0.000000``."""
        readout = w.HTML(layout=w.Layout(width="100%"))
        readout.add_class("tj-readout")

        def show(_lesson: Any = None) -> None:
            readout.value = "".join(f"<div style='font-size:11px;line-height:1.3'><b>{html.escape(name)}</b>: "
                                    f"{html.escape(t.book_line())}</div>" for name, t in self.trajectories.items())

        show()
        self.observe(show)
        return readout

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ---- controls -> lesson -------------------------------------------------------------------------------
    def _guard(self, callback: Callable[..., Any], *bound: Any) -> Callable[..., Any]:
        """Wrap a callback so that any exception becomes a message in the app, never a lost traceback."""
        def guarded(*args: Any) -> None:
            if self._syncing:
                return
            try:
                callback(*bound, *args)
            except Exception as exc:  # noqa: BLE001 - every error must reach the screen
                self.show_message(f"Error: {exc}")
                try:  # put the controls back on the settings still shown
                    self._sync_controls()
                except Exception as again:  # noqa: BLE001
                    self.show_message(f"Error: {exc}\nError: {again}")
        return guarded

    def _change(self, lesson: Lesson, *, full: bool = False) -> None:
        self._lesson = lesson
        self._recompute(full=full)

    def _on_optimizer_toggle(self, change: dict[str, Any]) -> None:
        shown = [n for n in self._lesson.optimizers if self.optimizer_buttons[n].value]
        shown += [n for n in RULES if self.optimizer_buttons[n].value and n not in shown]
        if not shown or len(shown) > MAX_OPTIMIZERS:
            self._syncing = True
            try:
                change["owner"].value = change["old"]
            finally:
                self._syncing = False
            self.show_message("Show at least one optimizer." if not shown else
                              f"At most {MAX_OPTIMIZERS} optimizers at once: hide one first.")
            return
        self._lesson = replace(self._lesson, optimizers=tuple(shown))
        self._sync_controls()
        self._recompute(full=True)

    def _on_objective(self, change: dict[str, Any]) -> None:
        self._lesson = replace(self._lesson, objective=change["new"])
        self._sync_controls()
        self._recompute(full=True)

    def _on_general(self, change: dict[str, Any]) -> None:
        if self._lesson.objective != "general":
            # Hidden sliders: the browser sends back its rounding of the log slider (20 -> 19.95) when it first
            # renders; that must not redraw, nor wipe the notes of a preset link.
            return
        self._change(replace(self._lesson, condition=float(self.condition.value), angle=float(self.angle.value)),
                     full=True)

    def _on_convention(self, change: dict[str, Any]) -> None:
        old = self._lesson
        new_values = {}
        for name in old.optimizers:
            table = specs(name, change["new"])
            new_values[name] = {k: v for k, v in old.resolved(name).items() if k in table}
        lesson = replace(old, convention=change["new"], hyperparameters=new_values)
        self._lesson = lesson
        which = "torch.optim's" if change["new"] == "torch" else "the book's"
        self._notes.append(f"Convention {change['new']}: the same values through {which} formulas "
                           "(where eps sits, Adadelta's lr); Reset gives the book's defaults.")
        self._sync_controls()
        self._recompute(full=True)

    def _on_steps(self, change: dict[str, Any]) -> None:
        self.trace.reset_limits()  # the x range changes anyway: a full redraw, so fit the panels again
        self._change(replace(self._lesson, steps=int(change["new"])))

    def _on_start(self, change: dict[str, Any]) -> None:
        self._change(replace(self._lesson, start=(float(self.start_x1.value), float(self.start_x2.value))))

    def _on_click(self, event: Any) -> None:
        if event.inaxes is not self.trace.ax or event.xdata is None or event.ydata is None:
            return
        x1, x2 = round(float(event.xdata), 2), round(float(event.ydata), 2)
        self._lesson = replace(self._lesson, start=(x1, x2))
        self._syncing = True
        try:
            self.start_x1.value, self.start_x2.value = x1, x2
        finally:
            self._syncing = False
        self._recompute()

    def _on_hyper(self, optimizer: str, name: str, change: dict[str, Any]) -> None:
        self._change(self._lesson.with_hyperparameter(optimizer, name, change["new"]))

    def _on_step(self, change: dict[str, Any]) -> None:
        self._scrubbed = True
        self.trace.set_step(int(change["new"]))
        self.trace.draw()

    def _on_reset(self) -> None:
        old = self._lesson
        self._scrubbed = False
        self._syncing = True
        try:
            self.step.value = self.play.value = 0
        finally:
            self._syncing = False
        self.set_lesson(Lesson(optimizers=old.optimizers, objective=old.objective, condition=old.condition,
                               angle=old.angle))

    # ---- lesson -> controls and figure --------------------------------------------------------------------
    def _sync_controls(self) -> None:
        """Move every control to the lesson without letting their callbacks fire."""
        lesson = self._lesson
        self._syncing = True
        try:
            colors = colors_for(lesson.optimizers)
            for name, b in self.optimizer_buttons.items():
                b.value = name in lesson.optimizers
                b.icon = "check" if name in colors else ""
                b.style.text_color = colors.get(name)
                b.style.font_weight = "bold" if name in colors else ""
            self.objective.value = lesson.objective
            self.condition.value = lesson.condition
            self.angle.value = lesson.angle
            self.general_box.layout.display = "" if lesson.objective == "general" else "none"
            self.convention.value = lesson.convention
            self.steps.max = max(MAX_SLIDER_STEPS, lesson.steps)
            self.steps.value = lesson.steps
            self.start_x1.value, self.start_x2.value = lesson.start
            key = (lesson.optimizers, lesson.convention)
            if key != self._hyper_key:
                self._hyper_key = key
                self.hyper_controls = {}
                self._stability = {}
                colors = colors_for(lesson.optimizers)
                self.hyper_box.children = [self._hyper_column(n, colors[n])
                                           for n in lesson.optimizers]
            else:
                for (name, key_), c in self.hyper_controls.items():
                    value = lesson.resolved(name)[key_]
                    if isinstance(c, w.SelectionSlider):
                        if float(value) not in [v for _, v in c.options]:
                            spec = specs(name, lesson.convention)[key_]
                            c.options = [(_label(v), v) for v in slider_values(key_, spec, value)]
                        c.value = float(value)
                    else:
                        c.value = value
        finally:
            self._syncing = False

    def _recompute(self, *, full: bool = False) -> None:
        """Run the engine for the lesson and move the artists; ``full`` also re-contours if the objective changed
        and rebuilds the per-optimizer artists if the optimizers changed."""
        lesson = self._lesson
        trace = self.trace
        if full:
            objective = lesson.objective_function()
            png, width = formula_png(objective.latex)
            self.formula.value = png
            self.formula.layout.width = f"{width}px"
            trace.set_objective(objective)
            trace.set_optimizers(lesson.optimizers)
        trace.set_start(lesson.start)
        self.trajectories = self._run(lesson)
        trace.update(self.trajectories)
        if self.step.max != lesson.steps or self.play.max != lesson.steps:
            self._syncing = True
            try:
                self.step.max = self.play.max = lesson.steps
            finally:
                self._syncing = False
        # The highlight appears once the scrubber is used: the first picture is the book's.
        trace.set_step(min(int(self.step.value), lesson.steps) if self._scrubbed else None)
        trace.draw()
        self._update_notes()
        self._update_link()
        for callback in self._observers:
            try:
                callback(lesson)
            except Exception as exc:  # noqa: BLE001 - a view hooked in must not break the app
                self.show_message(f"Error in a view following the app: {exc}")

    def _run(self, lesson: Lesson) -> dict[str, Any]:
        """``lesson.run()``, reusing the runs of the optimizers whose settings did not change (a slider moves
        one optimizer's value: the other three runs are the same). Keyed on each optimizer's own lesson."""
        keys = {name: lesson.only(name) for name in lesson.optimizers}
        out = {name: self._runs[key] if key in self._runs else key.run()[name] for name, key in keys.items()}
        self._runs = {keys[name]: t for name, t in out.items()}
        return out

    def _update_notes(self) -> None:
        lesson = self._lesson
        objective = lesson.objective_function()
        messages = list(self._notes)
        self._notes = []
        for name, t in self.trajectories.items():
            if t.diverged_at is not None:
                messages.append(f"{name} diverged at step {t.diverged_at}: |x| passed {BOUND:g}; drawn up to where "
                                "it left the plot.")
            elif drawn_until(t) < t.steps:
                messages.append(f"{name} left the plot at step {drawn_until(t)} and is still outside it after "
                                f"{t.steps} steps.")
        self.show_message("\n".join(messages))
        for name, note in self._stability.items():
            hp = lesson.resolved(name)
            limit = eta_limit(name, objective, beta=hp.get("beta", 0.0))
            if limit is None:
                note.value = ""
                continue
            lam = objective.lambda_max
            bound = {"gd": "2/λmax", "sgd": "2/λmax", "momentum": "(2+2β)/λmax",
                     "nesterov": "(2+2β)/((1+2β)·λmax)"}[name]
            ok = hp["eta"] < limit
            color = "#1b7f3b" if ok else "#b00020"
            verdict = "η is inside" if ok else "η is past it: the run cannot converge"
            note.value = (f"<div style='color:{color};font-size:12px;line-height:1.3'>stable for η &lt; "
                          f"{limit:.4g} = {bound} (λmax = {lam:.4g}): {verdict}</div>")

    def _update_link(self) -> None:
        self.link.value = f"{self._link_base}?{self._lesson.to_query()}"
