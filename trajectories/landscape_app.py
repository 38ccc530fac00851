"""The app's "Landscape" tab: a map of one optimizer over two of its hyperparameters, that follows and steers.

Widgets only, no maths: :func:`~trajectories.landscape.from_lesson` computes the map from the app's lesson and
:class:`~trajectories.landscape_view.LandscapeView` draws it into one ipympl figure built once. The map is
computed again only when a setting it depends on changes (objective, start, steps, convention, the chosen
optimizer's other hyperparameters, the tab's own axes, ranges, metric, tol or resolution), and only while its
tab is open; moving a slider of one of the two mapped hyperparameters just moves the marker. Clicking a cell sets
the app's lesson to that cell's values, so the sliders and the trajectories follow.

Use: ``attach(app)`` adds the tab to a :class:`trajectories.app.App` (anything with ``lesson``, ``set_lesson``,
``observe``, ``add_panel`` and ``show_message`` will do).
"""

from __future__ import annotations

import html
import math
import time
from dataclasses import replace
from typing import Any

import ipywidgets as w
from matplotlib.figure import Figure

from .canvas import make_canvas
from .downloads import download_link, download_script
from .figures import landscape_file_name, landscape_svg
from .landscape import DEFAULT_AXES, METRICS, RESOLUTION, Landscape, from_lesson
from .landscape_view import FIGSIZE, LandscapeView
from .lesson import Lesson
from .specs import Spec, check_int, specs

# 96 x 96 runs: on this 2-core machine a key on the steps slider gave new map pixels in ~225 ms median (the app's
# own trajectory plot: ~175 ms); the map itself takes ~15-30 ms at 20 steps and ~0.3 s at the slider's 1000 steps
# (benchmarks/bench_landscape.py --browser). 128 costs about the same at 20 steps but ~0.45 s at 1000, and a
# served class shares the machine's cores among all its kernels.
DEFAULT_RESOLUTION = 96
TOLERANCES = (0.001, 0.01, 0.1, 0.5, 1.0)  # the "steps" metric's choices of "arrived"
NO_Y = "none"  # the y dropdown's value for a 1D curve
SIGNIFICANT = 3  # a clicked cell's value is rounded to this many digits, so the slider shows 0.0316 not 0.031622...


def span_stops(spec: Spec) -> list[float]:
    """Where a range handle can stop: 1, 2, 5 per decade on a log axis, twentieths on a linear one."""
    if spec.scale == "log":
        first, last = math.floor(math.log10(spec.low)), math.ceil(math.log10(spec.high))
        stops = {float(f"{m}e{e}") for e in range(first, last + 1) for m in (1, 2, 5)}
    else:
        stops = {round(spec.low + i * (spec.high - spec.low) / 20, 10) for i in range(21)}
    return sorted(v for v in stops | {float(spec.low), float(spec.high)} if spec.low <= v <= spec.high)


def _round(value: float, low: float, high: float) -> float:
    rounded = float(f"{value:.{SIGNIFICANT}g}")
    return min(max(rounded, low), high)


class LandscapePanel:
    """The Landscape tab of an app.

    Parameters
    ----------
    app : trajectories.app.App
        The app to follow and steer.
    resolution : int, default=96
        Cells per side at first, in [32, 256].
    """

    def __init__(self, app: Any, *, resolution: int = DEFAULT_RESOLUTION) -> None:
        for needed in ("lesson", "set_lesson", "observe", "add_panel", "show_message"):
            if not hasattr(app, needed):
                raise ValueError(f"The 'app' parameter must be a trajectories App (with lesson, set_lesson, observe, "
                                 f"add_panel and show_message). Got {type(app).__name__} without {needed!r} instead.")
        check_int(resolution, "resolution", *RESOLUTION)
        self.app = app
        self.landscape: Landscape | None = None
        self.seconds = 0.0  # how long the last map took to compute
        self._key: tuple[Any, ...] | None = None
        self._syncing = False
        self._build(app.lesson, resolution)
        self._tab_index: int | None = None
        app.add_panel("Landscape", self.widget)
        tabs = getattr(app, "tabs", None)
        if isinstance(tabs, w.Tab):
            self._tabs = tabs
            self._tab_index = len(tabs.children) - 1
            tabs.observe(self._guard(lambda _: self.refresh()), "selected_index")
        app.observe(self._guard(self._on_lesson))
        self._on_lesson(app.lesson)

    # ---- construction -------------------------------------------------------------------------------------
    def _build(self, lesson: Lesson, resolution: int) -> None:
        figure = Figure(figsize=FIGSIZE)
        canvas, self._manager = make_canvas(figure)
        canvas.add_class("tj-landscape-plot")
        canvas.mpl_connect("button_press_event", self._guard(self._on_click))
        self.canvas = canvas
        self.view = LandscapeView(figure)

        name = lesson.optimizers[0]
        self.optimizer = w.Dropdown(options=list(lesson.optimizers), value=name, description="optimizer",
                                    layout=w.Layout(width="220px"))
        self.optimizer.add_class("tj-landscape-optimizer")
        self.x = w.Dropdown(description="x axis", layout=w.Layout(width="220px"))
        self.x.add_class("tj-landscape-x")
        self.y = w.Dropdown(description="y axis", layout=w.Layout(width="220px"))
        self.y.add_class("tj-landscape-y")
        # The slider's own readout would join "1e-05" and "100" with a hyphen: a label says "1e-05 to 100".
        self.x_span = w.SelectionRangeSlider(options=[("0", 0.0), ("1", 1.0)], description="x range",
                                             readout=False, continuous_update=False, layout=w.Layout(width="250px"))
        self.x_span.add_class("tj-landscape-x-span")
        self.y_span = w.SelectionRangeSlider(options=[("0", 0.0), ("1", 1.0)], description="y range",
                                             readout=False, continuous_update=False, layout=w.Layout(width="250px"))
        self.y_span.add_class("tj-landscape-y-span")
        self.x_span_label, self.y_span_label = (w.Label(layout=w.Layout(margin="0 0 0 12px")) for _ in "xy")
        self.metric = w.Dropdown(options=[(label, key) for key, label in METRICS.items()], value="loss",
                                 description="colour", layout=w.Layout(width="340px"))
        self.metric.add_class("tj-landscape-metric")
        self.tol = w.SelectionSlider(options=[(f"{t:g}", t) for t in TOLERANCES], value=0.1, description="tol",
                                     tooltip="distance to a minimum that counts as arrived", continuous_update=False,
                                     layout=w.Layout(width="340px", display="none"))
        self.tol.add_class("tj-landscape-tol")
        self.resolution = w.IntSlider(value=resolution, min=RESOLUTION[0], max=RESOLUTION[1], step=16
                                      if resolution % 16 == 0 else 1, description="cells/side",
                                      continuous_update=False, layout=w.Layout(width="340px"))
        self.resolution.add_class("tj-landscape-resolution")
        self.export = w.Button(description="Export map SVG", icon="download", tooltip="the map as an SVG file",
                               layout=w.Layout(width="160px"))
        self.export.add_class("tj-landscape-export")
        self.download = w.Output(layout=w.Layout(max_width="260px"))
        self.download.add_class("tj-landscape-download")
        self.info = w.HTML(layout=w.Layout(min_height="1.4em"))
        self.info.add_class("tj-landscape-info")
        self._set_axes_options(name, lesson.convention, DEFAULT_AXES[name])

        self.optimizer.observe(self._guard(self._on_optimizer), "value")
        for c in (self.x, self.y, self.metric, self.tol, self.resolution, self.x_span, self.y_span):
            c.observe(self._guard(self._on_control), "value")
        self.export.on_click(self._guard(lambda _: self.export_svg()))

        controls = w.HBox([w.VBox([self.optimizer, self.x, self.y, self.metric, self.tol]),
                           w.VBox([w.HBox([self.x_span, self.x_span_label]),
                                   w.HBox([self.y_span, self.y_span_label]), self.resolution,
                                   w.HBox([self.export, self.download])])],
                          layout=w.Layout(flex_flow="row wrap"))
        hint = w.HTML("<small>click a cell: the sliders move there and the trajectory follows</small>")
        self.widget = w.VBox([controls, self.canvas, self.info, hint])
        self.widget.add_class("tj-landscape")

    def _set_axes_options(self, name: str, convention: str, axes: tuple[str, ...]) -> None:
        numeric = [k for k, s in specs(name, convention).items() if not s.is_choice]
        axes = tuple(a for a in axes if a in numeric) or (numeric[0],)
        self._syncing = True
        try:
            self.x.options = numeric
            self.x.value = axes[0]
            self.y.options = [("none (1D curve)", NO_Y)] + [(k, k) for k in numeric]
            self.y.value = axes[1] if len(axes) > 1 else NO_Y
        finally:
            self._syncing = False
        self._reset_spans(name, convention)

    def _reset_spans(self, name: str, convention: str) -> None:
        """Both range sliders back to the whole spec range of their axis (the y one hidden for a 1D curve)."""
        table = specs(name, convention)
        self._syncing = True
        try:
            for axis, span in ((self.x.value, self.x_span), (self.y.value, self.y_span)):
                if axis == NO_Y:
                    span.layout.display = "none"
                    continue
                span.layout.display = ""
                stops = span_stops(table[axis])
                span.options = [(f"{v:g}", v) for v in stops]
                span.index = (0, len(stops) - 1)
        finally:
            self._syncing = False
        self._label_spans()

    def _label_spans(self) -> None:
        for span, label in ((self.x_span, self.x_span_label), (self.y_span, self.y_span_label)):
            if span.layout.display == "none":
                label.value = ""
                continue
            low, high = span.value
            label.value = f"{low:g} to {high:g}"

    # ---- the public face ----------------------------------------------------------------------------------
    @property
    def axes(self) -> tuple[str, ...]:
        """The hyperparameters on the map's axes: (x,) or (x, y)."""
        return (self.x.value,) if self.y.value == NO_Y else (self.x.value, self.y.value)

    @property
    def spans(self) -> dict[str, tuple[float, float]]:
        """The axes narrowed by the range sliders (an axis over its whole range is left out)."""
        out = {}
        for axis, span in ((self.x.value, self.x_span), (self.y.value, self.y_span)):
            if axis != NO_Y and span.index != (0, len(span.options) - 1):
                out[axis] = tuple(float(v) for v in span.value)
        return out

    @property
    def visible(self) -> bool:
        """Whether the tab is open (a closed tab does not compute; it catches up when opened)."""
        return self._tab_index is None or self._tabs.selected_index == self._tab_index

    def refresh(self, *, force: bool = False) -> None:
        """Compute the map again if a setting it depends on changed (and the tab is open), else move the marker.

        Draws with ``canvas.draw()``, not ``draw_idle()``: in ipympl ``draw_idle`` asks the browser to ask back
        for a draw, one more round trip per change.
        """
        if not self.visible and not force:
            return  # a closed tab costs the main view nothing: opening it catches up
        lesson = self.app.lesson
        name = self.optimizer.value
        key = self._map_key(lesson)
        if self.landscape is not None and key == self._key and not force:
            self.view.set_current(lesson.resolved(name))
            self.canvas.draw()
            return
        t0 = time.perf_counter()
        landscape = from_lesson(lesson, name, self.axes, resolution=int(self.resolution.value),
                                metric=self.metric.value, tol=float(self.tol.value), spans=self.spans)
        self.seconds = time.perf_counter() - t0
        self.landscape, self._key = landscape, key
        self.view.update(landscape)
        self.canvas.draw()
        n = landscape.values.size
        share = landscape.diverged.sum() / n
        self.info.value = (f"<small>{n} runs of {landscape.steps} steps in {self.seconds * 1e3:.0f} ms; "
                           f"{share:.0%} diverged</small>")
        self.download.outputs = ()

    def export_svg(self) -> bytes:
        """The map as SVG (the same bytes as ``trajectories landscape ... -o``), handed to the browser as a
        download the way the app's Export SVG does (:func:`trajectories.export.download_script`)."""
        if self.landscape is None:
            self.refresh(force=True)
        name, data = landscape_file_name(self.landscape), landscape_svg(self.landscape)
        # Emptied first: the same export twice is the same list of outputs, which would not be sent again.
        self.download.outputs = ()
        self.download.outputs = (
            {"output_type": "display_data", "metadata": {},
             "data": {"text/html": download_link(name, data, "image/svg+xml"), "text/plain": name}},
            {"output_type": "display_data", "metadata": {},
             "data": {"application/javascript": download_script(name, data, "image/svg+xml")}},
        )
        return data

    # ---- events -------------------------------------------------------------------------------------------
    def _map_key(self, lesson: Lesson) -> tuple[Any, ...]:
        # What the map depends on: the chosen optimizer's lesson with the mapped values set aside (moving along an
        # axis only moves the marker), and the tab's own settings.
        name = self.optimizer.value
        base = lesson.only(name)
        table = specs(name, lesson.convention)
        for axis in self.axes:
            base = base.with_hyperparameter(name, axis, table[axis].default)
        if base.objective != "general":
            base = replace(base, condition=Lesson.condition, angle=Lesson.angle)
        return (base, self.axes, tuple(sorted(self.spans.items())), self.metric.value, float(self.tol.value),
                int(self.resolution.value))

    def _guard(self, callback: Any) -> Any:
        def guarded(*args: Any) -> None:
            if self._syncing:
                return
            try:
                callback(*args)
            except Exception as exc:  # noqa: BLE001 - every error must reach the screen
                self.info.value = (f"<small style='color:#b00020'>{html.escape(str(exc))} "
                                   "The map shown is the last one drawn.</small>")
                self.app.show_message(f"Landscape: {exc}")
        return guarded

    def _on_lesson(self, lesson: Lesson) -> None:
        name = self.optimizer.value
        if tuple(self.optimizer.options) != lesson.optimizers or name not in lesson.optimizers:
            keep = name if name in lesson.optimizers else lesson.optimizers[0]
            self._syncing = True
            try:
                self.optimizer.options = list(lesson.optimizers)
                self.optimizer.value = keep
            finally:
                self._syncing = False
            if keep != name:
                self._set_axes_options(keep, lesson.convention, DEFAULT_AXES[keep])
        if list(self.x.options) != [k for k, s in specs(self.optimizer.value, lesson.convention).items()
                                    if not s.is_choice]:
            self._set_axes_options(self.optimizer.value, lesson.convention, self.axes)  # convention changed
        self.refresh()

    def _on_optimizer(self, change: dict[str, Any]) -> None:
        name = change["new"]
        self._set_axes_options(name, self.app.lesson.convention, DEFAULT_AXES[name])
        self.refresh()

    def _on_control(self, change: dict[str, Any]) -> None:
        if self.y.value == self.x.value:  # one hyperparameter on both axes: swap instead
            self._syncing = True
            try:
                other = change["old"] if change["owner"] is self.x else NO_Y
                self.y.value = other if other in dict(self.y.options).values() else NO_Y
            finally:
                self._syncing = False
        if change["owner"] in (self.x, self.y):
            self._reset_spans(self.optimizer.value, self.app.lesson.convention)
        self._label_spans()
        self.tol.layout.display = "" if self.metric.value == "steps" else "none"
        self.refresh()

    def _on_click(self, event: Any) -> None:
        if event.inaxes is not self.view.ax or self.landscape is None:
            return
        cell = self.view.cell_at(event.xdata, event.ydata)
        if cell is None:
            return
        name = self.optimizer.value
        lesson = self.app.lesson
        table = specs(name, lesson.convention)
        for key, value in cell.items():
            lesson = lesson.with_hyperparameter(name, key, _round(value, table[key].low, table[key].high))
        self.app.set_lesson(lesson)


def attach(app: Any, *, resolution: int = DEFAULT_RESOLUTION) -> LandscapePanel:
    """Add the Landscape tab to ``app`` and return it."""
    return LandscapePanel(app, resolution=resolution)
