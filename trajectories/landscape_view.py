"""Drawing a :class:`~trajectories.landscape.Landscape`: pure matplotlib, built once and then only updated.

A two-axis map is an image (cells coloured by the metric) with a colour bar; a one-axis map is a curve. Diverged
runs get their own labelled colour, the current setting a marker, and quadratics the theoretical stability limit.
Log-scaled hyperparameters (eta, eps) are placed by their log10 on a linear axis, ticks labelled 10^k, so the
image stays an image (set_data, set_extent) in the browser and in SVG.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib import patheffects
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import AutoLocator, FuncFormatter, MaxNLocator, ScalarFormatter

from . import i18n
from .engine import BOUND
from .i18n import DEFAULT, check_lang, text
from .landscape import Landscape, check_landscape

DIVERGED = "#d62728"  # no colour of viridis is red: a diverged cell cannot be read as a value
NOT_REACHED = "#c8c8c8"
SYMBOLS = {"eta": r"$\eta$", "gamma": r"$\gamma$", "beta": r"$\beta$", "beta1": r"$\beta_1$",
           "beta2": r"$\beta_2$", "rho": r"$\rho$", "eps": r"$\epsilon$"}
FIGSIZE = (6.4, 4.6)
AXES_BOX = (0.12, 0.21, 0.66, 0.70)  # left, bottom, width, height in figure fractions: fixed, so a click maps to a cell
CBAR_BOX = (0.81, 0.21, 0.03, 0.70)


def position(values: Any, scale: str | None) -> np.ndarray:
    """Where axis values sit on the drawing's axis: log10 for a log-scaled hyperparameter."""
    values = np.asarray(values, dtype=float)
    return np.log10(values) if scale == "log" else values


def _extent(pos: np.ndarray) -> tuple[float, float]:
    half = (pos[-1] - pos[0]) / (len(pos) - 1) / 2
    return float(pos[0] - half), float(pos[-1] + half)


def _ten_to(v: float, _: Any = None) -> str:
    return f"$10^{{{round(v)}}}$"


def _style_axis(axis: Any, scale: str | None) -> None:
    if scale == "log":
        axis.set_major_locator(MaxNLocator(nbins=7, integer=True))
        axis.set_major_formatter(FuncFormatter(_ten_to))
    else:
        axis.set_major_locator(AutoLocator())
        axis.set_major_formatter(ScalarFormatter())


def axis_label(name: str, scale: str | None, lang: str = DEFAULT) -> str:
    return text("landscape.axis_log" if scale == "log" else "landscape.axis", lang, symbol=SYMBOLS.get(name, name),
                name=name)


def metric_label(landscape: Landscape, lang: str = DEFAULT) -> str:
    """What the colour (or the curve's height) means, in ``lang`` (``Landscape.label`` in English)."""
    if landscape.metric == "steps":
        return text("landscape.steps_label", lang, tol=f"{landscape.tol:g}")
    return text(f"metric.{landscape.metric}", lang)


class LandscapeView:
    """The artists of one landscape figure; :meth:`update` draws a map in them.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        An empty figure (a plain ``Figure`` for export, ipympl's for the app).
    lang : {"en", "zh"}, default="en"
        The language of its title, labels and legend.
    """

    def __init__(self, figure: Figure, lang: str = DEFAULT) -> None:
        self.figure = figure
        self.lang = check_lang(lang)
        self.ax = figure.add_axes(AXES_BOX)
        self.cax = figure.add_axes(CBAR_BOX)
        cmap = mpl.colormaps["viridis"].with_extremes(bad=NOT_REACHED)
        blank = np.full((2, 2), np.nan)
        self.image = self.ax.imshow(blank, cmap=cmap, origin="lower", aspect="auto", interpolation="none",
                                    extent=(0, 1, 0, 1))
        self.diverged_image = self.ax.imshow(np.ma.masked_all((2, 2)), cmap=ListedColormap([DIVERGED]),
                                             origin="lower", aspect="auto", interpolation="none",
                                             extent=(0, 1, 0, 1), vmin=0, vmax=1)
        self.colorbar = figure.colorbar(self.image, cax=self.cax)
        self.curve, = self.ax.plot([], [], color="#1f77b4", lw=1.8)
        stroke = self._stroke = [patheffects.withStroke(linewidth=3.2, foreground="black")]
        self.limit, = self.ax.plot([], [], color="white", ls="--", lw=1.6, path_effects=stroke)
        self.marker, = self.ax.plot([], [], ls="none", marker="o", ms=11, mfc="none", mec="white", mew=2.2,
                                    path_effects=stroke)
        self.title = self.ax.set_title("", fontsize=10)
        self.legend = None
        self._legend_key: tuple[Any, ...] = ()
        self.landscape: Landscape | None = None

    def update(self, landscape: Landscape) -> None:
        """Show ``landscape``: new image data, extent, limits, marker, limit line and legend."""
        check_landscape(landscape)
        self.landscape = landscape
        two = landscape.y is not None
        px = position(landscape.x_values, landscape.x_scale)
        xlim = _extent(px)
        self.image.set_visible(two)
        self.cax.set_visible(two)
        self.curve.set_visible(not two)
        finite = landscape.values[np.isfinite(landscape.values)]
        if landscape.metric == "steps":
            low, high = 0.0, float(landscape.steps)
        elif finite.size:
            low, high = float(finite.min()), float(finite.max())
        else:
            low, high = 0.0, 1.0
        if high - low < 1e-9:
            low, high = low - 0.5, high + 0.5
        if two:
            py = position(landscape.y_values, landscape.y_scale)
            ylim = _extent(py)
            extent = (*xlim, *ylim)
            self.image.set_data(landscape.values)
            self.image.set_extent(extent)
            self.image.set_clim(low, high)
            self.colorbar.set_label(metric_label(landscape, self.lang))
            self.ax.set_ylabel(axis_label(landscape.y, landscape.y_scale, self.lang))
        else:
            pad = 0.05 * (high - low)
            ylim = (low - pad, high + pad)
            self.curve.set_data(px, landscape.values)
            extent = (*xlim, *ylim)
            self.ax.set_ylabel(metric_label(landscape, self.lang))
        # Diverged cells: solid on the map; on a curve, a light band behind it over the whole height.
        diverged = landscape.diverged if two else landscape.diverged[None, :]
        self.diverged_image.set_data(np.ma.masked_where(~diverged, np.zeros(diverged.shape)))
        self.diverged_image.set_extent(extent)
        self.diverged_image.set_alpha(1.0 if two else 0.3)
        self.ax.set_xlim(*xlim)
        self.ax.set_ylim(*ylim)
        _style_axis(self.ax.xaxis, landscape.x_scale)
        _style_axis(self.ax.yaxis, landscape.y_scale if two else None)
        self.ax.set_xlabel(axis_label(landscape.x, landscape.x_scale, self.lang))
        self._draw_limit(landscape, ylim)
        self._mark_current(landscape)
        start = ", ".join(f"{v:g}" for v in landscape.start)
        self.title.set_text(text("landscape.title", self.lang,
                                 optimizer=i18n.name("optimizer", landscape.optimizer, self.lang),
                                 objective=i18n.name("objective", landscape.objective.name, self.lang),
                                 steps=str(landscape.steps), start=start, convention=landscape.convention))
        self._legend(landscape)

    def _mark_current(self, m: Landscape) -> None:
        """The marker at the setting the map is centred on."""
        current = m.current
        x = position(current[m.x], m.x_scale)
        if m.y is not None:
            self.marker.set_data([x], [position(current[m.y], m.y_scale)])
        else:  # on the curve, or at the top where the curve has no value (a diverged run)
            y = np.interp(x, position(m.x_values, m.x_scale), np.nan_to_num(m.values, nan=np.inf))
            self.marker.set_data([x], [y if np.isfinite(y) else self.ax.get_ylim()[1]])
        self.marker.set_markeredgecolor("white" if m.y is not None else "black")

    def _draw_limit(self, m: Landscape, ylim: tuple[float, float]) -> None:
        limit = m.boundary()
        if limit is None:
            self.limit.set_data([], [])
        elif m.y is not None:
            self.limit.set_data(position(limit[:, 0], m.x_scale), position(limit[:, 1], m.y_scale))
        else:
            x = float(position(limit, m.x_scale))
            self.limit.set_data([x, x], list(ylim))
        # On the coloured map a white dash with a black edge shows on every colour; over a white curve plot, black.
        two = m.y is not None
        self.limit.set_color("white" if two else "black")
        self.limit.set_path_effects(self._stroke if two else [])
        self._has_limit = limit is not None

    def _legend(self, m: Landscape) -> None:
        key = (m.optimizer, m.metric == "steps" and bool(np.isnan(m.values[~m.diverged]).any()), self._has_limit)
        if self.legend is not None and key == self._legend_key:
            return  # the same entries: keep the legend rather than lay it out again
        self._legend_key = key
        if self.legend is not None:
            self.legend.remove()
        handles: list[Any] = [Patch(color=DIVERGED, label=text("landscape.diverged", self.lang, bound=f"{BOUND:g}"))]
        if key[1]:
            handles.append(Patch(color=NOT_REACHED, label=text("landscape.never", self.lang)))
        handles.append(Line2D([], [], ls="none", marker="o", ms=8, mfc="none", mec="black", mew=1.8,
                              label=text("landscape.current", self.lang)))
        if self._has_limit:
            rule = {"gd": r"$\eta\lambda_{max} = 2$", "sgd": r"$\eta\lambda_{max} = 2$",
                    "momentum": r"$\eta\lambda_{max} = 2 + 2\beta$",
                    "nesterov": r"$\eta\lambda_{max} = (2 + 2\beta)/(1 + 2\beta)$"}[m.optimizer]
            handles.append(Line2D([], [], color="black", ls="--", lw=1.6,
                                  label=text("landscape.limit_rule", self.lang, rule=rule)))
        self.legend = self.figure.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False,
                                         fontsize=8, handlelength=1.6, columnspacing=1.2,
                                         bbox_to_anchor=(0.5, 0.0))


def figure_for(landscape: Landscape, lang: str = DEFAULT) -> tuple[Figure, LandscapeView]:
    """A new plain (backend-free) figure showing ``landscape``, its words in ``lang``."""
    figure = Figure(figsize=FIGSIZE)
    view = LandscapeView(figure, lang)
    view.update(landscape)
    return figure, view
