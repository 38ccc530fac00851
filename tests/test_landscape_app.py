"""The Landscape tab inside the real App, in-process: it follows the lesson, recomputes only when it must, steers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent

from trajectories.app import App
from trajectories.cli import main
from trajectories.landscape import compute
from trajectories.landscape_app import DEFAULT_RESOLUTION, LandscapePanel
from trajectories.lesson import Lesson

CLASSES = ("tj-landscape", "tj-landscape-x", "tj-landscape-y", "tj-landscape-metric", "tj-landscape-resolution",
           "tj-landscape-plot", "tj-landscape-export")


@pytest.fixture
def app():
    a = App(Lesson(optimizers=("rmsprop",)))
    a.tabs.selected_index = a.tabs.titles.index("Landscape")
    return a


def _classes(widget, found):
    found.update(getattr(widget, "_dom_classes", ()))
    for child in getattr(widget, "children", ()):
        _classes(child, found)
    return found


def test_the_tab_is_there_with_its_css_hooks():
    a = App()
    assert "Landscape" in a.tabs.titles
    assert set(CLASSES) <= _classes(a.widget, set())
    assert a.landscape.landscape is None  # a closed tab computes nothing: the main view stays fast


def test_opening_the_tab_draws_the_issues_default_map(app):
    m = app.landscape.landscape
    assert (m.optimizer, m.x, m.y, m.values.shape) == ("rmsprop", "eta", "gamma", (DEFAULT_RESOLUTION,) * 2)
    np.testing.assert_array_equal(app.landscape.view.image.get_array(), m.values)
    assert app.landscape.view.marker.get_xydata().tolist() == [[np.log10(0.4), 0.9]]


def test_a_mapped_slider_moves_the_marker_only_and_a_third_setting_recomputes(app):
    panel = app.landscape
    first = panel.landscape
    app.hyper_controls[("rmsprop", "eta")].value = 0.1
    assert panel.landscape is first
    assert panel.view.marker.get_xydata().tolist() == [[-1.0, 0.9]]
    app.hyper_controls[("rmsprop", "eps")].value = 1e-4
    assert panel.landscape is not first and panel.landscape.current["eps"] == 1e-4
    second = panel.landscape
    app.steps.value = 35
    assert panel.landscape.steps == 35 and panel.landscape is not second
    assert panel.view.image in panel.view.ax.images  # the same image, new data


def test_clicking_a_cell_sets_the_lesson_and_the_sliders(app):
    panel = app.landscape
    m = panel.landscape
    i, j = 60, 20
    x, y = panel.view.ax.transData.transform((np.log10(m.x_values[i]), m.y_values[j]))
    MouseEvent("button_press_event", panel.canvas, x, y, button=1)._process()
    hp = app.lesson.resolved("rmsprop")
    assert hp["eta"] == pytest.approx(m.x_values[i], rel=5e-3) and hp["gamma"] == pytest.approx(m.y_values[j],
                                                                                                 abs=5e-3)
    assert app.hyper_controls[("rmsprop", "eta")].value == hp["eta"]
    assert app.hyper_controls[("rmsprop", "gamma")].value == hp["gamma"]
    assert app.trajectories["rmsprop"].hyperparameters["eta"] == hp["eta"]
    assert panel.landscape is m  # the map itself did not need computing again


def test_controls_choose_optimizer_axes_metric_and_resolution(app):
    panel = app.landscape
    app.set_lesson(Lesson(optimizers=("gd", "adam")))
    assert panel.optimizer.options == ("gd", "adam") and panel.axes == ("eta",)
    assert panel.landscape.y is None  # gd: a 1D curve over eta
    panel.optimizer.value = "adam"
    assert panel.axes == ("eta", "beta1") and panel.landscape.y == "beta1"
    panel.y.value = "beta2"
    panel.metric.value = "steps"
    panel.resolution.value = 48
    m = panel.landscape
    assert (m.y, m.metric, m.values.shape) == ("beta2", "steps", (48, 48))
    direct = compute("adam", ("eta", "beta2"), resolution=48, metric="steps")
    np.testing.assert_array_equal(m.values, direct.values)
    panel.y.value = "eta"  # the x hyperparameter again: becomes the 1D curve rather than a map of eta by eta
    assert panel.axes == ("eta",)
    app.set_lesson(Lesson(optimizers=("adadelta",)))
    assert panel.axes == ("rho", "eps")


def test_a_map_it_cannot_draw_says_why(app):
    app.set_lesson(replace(app.lesson, objective="saddle"))
    assert "must have a minimum" in app.message.value and "must have a minimum" in app.landscape.info.value


def test_export_is_the_same_svg_as_the_command_line(app, tmp_path):
    app.set_lesson(replace(app.lesson, steps=30).with_hyperparameter("rmsprop", "eps", 1e-4))
    data = app.landscape.export_svg()
    out = tmp_path / "map.svg"
    assert main(["landscape", "rmsprop", "--resolution", str(DEFAULT_RESOLUTION), "--steps", "30", "--eps", "1e-4",
                 "-o", str(out)]) == 0
    assert data == out.read_bytes()
    link, script = app.landscape.download.outputs
    assert 'download="landscape_rmsprop_eta_x_gamma.svg"' in link["data"]["text/html"]
    assert "a.click()" in script["data"]["application/javascript"]


def test_the_panel_checks_its_input():
    with pytest.raises(ValueError, match="The 'app' parameter must be a trajectories App"):
        LandscapePanel(object())
    with pytest.raises(ValueError, match=r"The 'resolution' parameter must be an integer in the range \[32, 256\]"):
        LandscapePanel(App(), resolution=300)


def test_range_sliders_zoom_into_an_axis(app):
    panel = app.landscape
    stops = [v for _, v in panel.x_span.options]
    assert stops[0] == 1e-5 and stops[-1] == 100.0 and 1e-3 in stops and 10.0 in stops
    panel.x_span.value = (1e-3, 10.0)
    m = panel.landscape
    assert m.x_values[0] == pytest.approx(1e-3) and m.x_values[-1] == pytest.approx(10.0)
    assert panel.spans == {"eta": (1e-3, 10.0)}
    panel.x.value = "eps"  # another axis: its range slider starts over at the whole range
    assert panel.spans == {} and panel.x_span.value == (1e-12, 1.0)
    panel.y.value = "none"
    assert panel.y_span.layout.display == "none" and panel.landscape.y is None


@pytest.mark.parametrize("optimizers", [("gd",), ("adagrad", "rmsprop"), ("sgd",), ("adadelta", "gd")])
def test_the_app_opens_with_any_first_optimizer(optimizers):
    a = App(Lesson(optimizers=optimizers))
    a.tabs.selected_index = a.tabs.titles.index("Landscape")
    m = a.landscape.landscape
    assert m.optimizer == optimizers[0] and (m.x, m.y) == ((*a.landscape.axes, None)[:2])


def test_a_closed_tab_does_not_draw_and_catches_up_when_opened(app, monkeypatch):
    panel = app.landscape
    app.tabs.selected_index = 0
    draws = []
    monkeypatch.setattr(panel.canvas, "draw", lambda: draws.append(1))
    app.hyper_controls[("rmsprop", "eta")].value = 0.1
    app.steps.value = 30
    assert draws == [] and panel.landscape.steps == 20
    app.tabs.selected_index = 1
    assert len(draws) == 1 and panel.landscape.steps == 30
    assert panel.view.marker.get_xydata().tolist() == [[-1.0, 0.9]]


def test_a_click_on_the_curve_sets_eta_and_the_convention_switch_keeps_the_tab_working():
    a = App(Lesson(optimizers=("gd", "adadelta")))
    a.tabs.selected_index = a.tabs.titles.index("Landscape")
    panel = a.landscape
    m = panel.landscape
    x, y = panel.view.ax.transData.transform((np.log10(m.x_values[40]), 0.0))
    MouseEvent("button_press_event", panel.canvas, x, y, button=1)._process()
    assert a.lesson.resolved("gd")["eta"] == pytest.approx(m.x_values[40], rel=5e-3)
    panel.optimizer.value = "adadelta"
    a.convention.value = "torch"  # torch's Adadelta has a learning rate: it becomes a choice of axis
    assert "eta" in panel.x.options and panel.axes == ("rho", "eps") and panel.landscape.convention == "torch"


def test_the_steps_metric_has_a_tolerance(app):
    panel = app.landscape
    assert panel.tol.layout.display == "none"
    panel.metric.value = "steps"
    assert panel.tol.layout.display == "" and panel.landscape.tol == 0.1
    panel.tol.value = 0.5
    m = panel.landscape
    assert m.tol == 0.5 and m.label == "steps to |x - x*| <= 0.5"
    direct = compute("rmsprop", resolution=DEFAULT_RESOLUTION, metric="steps", tol=0.5)
    np.testing.assert_array_equal(m.values, direct.values)


def test_export_works_with_the_tab_never_opened():
    a = App(Lesson(optimizers=("adam",)))
    assert a.landscape.landscape is None
    data = a.landscape.export_svg()
    assert data.startswith(b"<?xml") and a.landscape.landscape.optimizer == "adam"
