"""The app: controls drive the engine through the Lesson, the figure follows, errors reach the screen."""

from __future__ import annotations

from urllib.parse import urlsplit

import ipywidgets as w
import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent

import trajectories.lesson as lesson_module
from trajectories import run
from trajectories.app import App, slider_values
from trajectories.lesson import Lesson
from trajectories.rules import eta_limit
from trajectories.specs import RULES, SPECS


def classes(widget: w.Widget) -> set[str]:
    out = set(getattr(widget, "_dom_classes", ()))
    for child in getattr(widget, "children", ()):
        out |= classes(child)
    return out


def test_css_hooks():
    app = App(Lesson(optimizers=("rmsprop", "adam", "momentum", "adadelta")))
    found = classes(app.widget)
    for name in ("tj-app", "tj-plot", "tj-optimizer", "tj-objective", "tj-steps", "tj-convention", "tj-eta",
                 "tj-gamma", "tj-rho", "tj-beta", "tj-beta1", "tj-beta2", "tj-eps", "tj-play", "tj-step", "tj-reset",
                 "tj-link", "tj-message", "tj-start-x1", "tj-start-x2", "tj-rmsprop-eta", "tj-adam-beta2",
                 "tj-adadelta-rho", "tj-formula", "tj-optimizer-sgd"):
        assert name in found, name
    assert "tj-plot" in app.canvas._dom_classes


def test_a_slider_move_changes_the_engine_call_and_the_line(monkeypatch):
    app = App(Lesson(optimizers=("gd", "rmsprop")))
    calls = []
    real = lesson_module.run

    def spy(optimizer, **kw):
        calls.append((optimizer, kw))
        return real(optimizer, **kw)

    monkeypatch.setattr(lesson_module, "run", spy)
    line = app.trace.paths["rmsprop"].line
    app.hyper_controls[("rmsprop", "eta")].value = 0.6
    assert ("rmsprop", 0.6) in [(o, kw["eta"]) for o, kw in calls]
    assert app.lesson.resolved("rmsprop")["eta"] == 0.6
    assert app.trace.paths["rmsprop"].line is line
    expected = run("rmsprop", eta=0.6, gamma=0.9)
    np.testing.assert_array_equal(np.column_stack(line.get_data()), expected.points)
    app.hyper_controls[("gd", "eta")].value = 0.2
    np.testing.assert_array_equal(app.trace.paths["gd"].line.get_xdata(), run("gd", eta=0.2).points[:, 0])
    for name, t in app.lesson.run().items():  # runs reused for unchanged optimizers are the same runs
        np.testing.assert_array_equal(app.trajectories[name].points, t.points)


def test_book_values_are_reachable_and_the_readout_is_the_value():
    for table in SPECS.values():
        for specs in table.values():
            for name, spec in specs.items():
                if spec.is_choice:
                    continue
                assert spec.default in slider_values(name, spec)
    eta = SPECS["d2l"]["gd"]["eta"]
    for value in (0.1, 0.4, 0.6, 2.0, 0.01, 0.001, 1.0):
        assert value in slider_values("eta", eta)
    for value in (0.25, 0.5, 0.9, 0.99, 0.999, 0.0, 1.0):
        assert value in slider_values("gamma", SPECS["d2l"]["rmsprop"]["gamma"])
    assert 0.37 in slider_values("eta", eta, 0.37)
    app = App(Lesson(optimizers=("momentum",), hyperparameters={"momentum": {"eta": 0.37, "beta": 0.25}}))
    for key, value in (("eta", 0.37), ("beta", 0.25)):
        slider = app.hyper_controls[("momentum", key)]
        assert slider.value == value and slider.label == f"{value:g}"
    app.set_lesson(app.lesson.with_hyperparameter("momentum", "eta", 0.123))  # same sliders, a new stop
    assert app.hyper_controls[("momentum", "eta")].label == "0.123"
    assert app.trajectories["momentum"].hyperparameters["eta"] == 0.123


def test_divergence_shows_a_message_and_the_stability_limit():
    app = App(Lesson(optimizers=("gd",), steps=100))
    note = app._stability["gd"]
    assert eta_limit("gd", "quadratic") == 0.5
    assert "η &lt; 0.5 " in note.value and "η is inside" in note.value
    app.hyper_controls[("gd", "eta")].value = 0.6
    expected = run("gd", eta=0.6, steps=100).diverged_at
    assert expected is not None
    assert f"gd diverged at step {expected}" in app.message.value
    assert "η is past it" in note.value
    assert "Traceback" not in app.message.value


def test_a_callback_error_is_shown_not_lost(monkeypatch):
    app = App()

    def broken(self):
        raise RuntimeError("engine on fire")

    monkeypatch.setattr(Lesson, "run", broken)
    app.hyper_controls[("rmsprop", "gamma")].value = 0.5
    assert "engine on fire" in app.message.value
    app.start_x1.value = 1e9  # out of range: a one-sentence error, the field goes back
    assert "start" in app.message.value and app.start_x1.value == -5.0


def test_set_lesson_moves_every_control_and_redraws_once(monkeypatch):
    app = App()
    draws = []
    monkeypatch.setattr(app.trace, "draw", lambda: draws.append(1))
    target = Lesson(optimizers=("adam", "gd"), objective="bowl", steps=50, start=(-3.0, 1.0), convention="torch",
                    hyperparameters={"adam": {"beta1": 0.8}})
    app.set_lesson(target)
    assert draws == [1]
    assert app.lesson == target
    assert app.objective.value == "bowl" and app.steps.value == 50 and app.convention.value == "torch"
    assert (app.start_x1.value, app.start_x2.value) == (-3.0, 1.0)
    assert app.hyper_controls[("adam", "beta1")].value == 0.8
    assert app.hyper_controls[("adam", "eta")].value == 0.001  # torch's default
    assert [b for b, t in app.optimizer_buttons.items() if t.value] == ["gd", "adam"]


def test_link_observe_panels_and_tools():
    app = App()
    seen = []
    app.observe(seen.append)
    app.link_base = "http://127.0.0.1:8866/"
    assert app.link.value.startswith("http://127.0.0.1:8866/?")
    app.steps.value = 40
    assert seen[-1].steps == 40
    again, notes = Lesson.from_query(urlsplit(app.link.value).query)
    assert again == app.lesson and notes == []
    extra = w.Button(description="export")
    app.add_tool(extra)
    assert extra in app.tools.children
    app.add_panel("Landscape", w.HTML("x"))
    assert app.tabs.titles[-1] == "Landscape"
    with pytest.raises(ValueError, match="'callback' parameter"):
        app.observe(3)


def test_an_observer_error_is_shown():
    app = App()
    app.observe(lambda lesson: 1 / 0)
    app.steps.value = 30
    assert "division by zero" in app.message.value


def test_convention_toggle_keeps_values_and_reset_returns_to_the_book():
    app = App(Lesson(optimizers=("rmsprop", "adadelta")))
    app.hyper_controls[("rmsprop", "gamma")].value = 0.95
    app.convention.value = "torch"
    assert app.lesson.convention == "torch"
    assert "Convention torch: the same values" in app.message.value
    assert app.lesson.resolved("rmsprop") == {"eta": 0.4, "gamma": 0.95, "eps": 1e-6}
    assert app.lesson.resolved("adadelta")["eta"] == 1.0
    assert ("adadelta", "eta") in app.hyper_controls
    app.steps.value = 200
    app.reset.click()
    assert app.lesson == Lesson(optimizers=("rmsprop", "adadelta"))
    assert app.convention.value == "d2l" and app.steps.value == 20


def test_click_on_the_plot_sets_the_start():
    app = App()
    fig = app.figure
    fig.canvas.draw()
    x, y = app.trace.ax.transData.transform((-2.0, 0.5))
    event = MouseEvent("button_press_event", fig.canvas, x, y, button=1)
    fig.canvas.callbacks.process("button_press_event", event)
    assert app.lesson.start == pytest.approx((-2.0, 0.5), abs=0.02)
    assert (app.start_x1.value, app.start_x2.value) == app.lesson.start
    np.testing.assert_allclose(app.trace.paths["rmsprop"].line.get_xdata()[0], app.lesson.start[0])


def test_optimizer_toggles_and_the_limit_of_four():
    app = App()
    for name in ("gd", "momentum", "adam"):
        app.optimizer_buttons[name].value = True
    assert app.lesson.optimizers == ("rmsprop", "gd", "momentum", "adam")
    assert set(app.trace.paths) == set(app.lesson.optimizers)
    app.optimizer_buttons["sgd"].value = True
    assert app.optimizer_buttons["sgd"].value is False
    assert "At most 4" in app.message.value
    for name in ("rmsprop", "gd", "momentum"):
        app.optimizer_buttons[name].value = False
    app.optimizer_buttons["adam"].value = False
    assert app.lesson.optimizers == ("adam",) and app.optimizer_buttons["adam"].value


def test_scrubber_highlights_the_step():
    app = App(Lesson(optimizers=("momentum",)))
    p = app.trace.paths["momentum"]
    assert not p.current.get_visible()  # the first picture is the book's
    app.step.value = 4
    np.testing.assert_array_equal(np.ravel(p.current.get_data()), app.trajectories["momentum"].points[4])
    app.steps.value = 3
    assert app.step.max == 3 and app.play.max == 3


def test_every_objective_and_optimizer_draws():
    app = App()
    for objective in ("bowl", "rotated", "general", "rosenbrock", "himmelblau", "saddle"):
        app.objective.value = objective
        assert "Error" not in app.message.value
        assert app.trace.objective.name == app.lesson.objective_function().name
    app.objective.value = "general"
    app.condition.value = 100
    assert "condition=100" in app.lesson.objective_function().name
    for rule in RULES:
        app.set_lesson(Lesson(optimizers=(rule,), steps=300))
        assert "Error" not in app.message.value


def test_the_package_offers_the_app_lazily():
    import trajectories

    assert trajectories.App is App


def test_notes_and_bad_arguments():
    app = App(notes=("Ignored eta='x': not a number.",))
    assert "Ignored eta" in app.message.value
    app.show_message("diverged at step 7")
    assert "diverged at step 7" in app.message.value
    with pytest.raises(ValueError, match="'lesson' parameter"):
        App("rmsprop")
    with pytest.raises(ValueError, match="'notes' parameter"):
        App(notes="one string")


def test_the_canvas_keeps_a_valid_data_url_before_a_browser_connects():
    app = App()
    assert app.canvas._data_url.startswith("data:image/png;base64,")
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_choice_controls_reach_the_engine():
    app = App(Lesson(optimizers=("sgd", "adam")))
    app.hyper_controls[("sgd", "schedule")].value = "exponential"
    app.hyper_controls[("adam", "bias_correction")].value = False
    assert app.trajectories["sgd"].hyperparameters["schedule"] == "exponential"
    assert app.trajectories["adam"].hyperparameters["bias_correction"] is False
    np.testing.assert_array_equal(app.trajectories["adam"].points,
                                  run("adam", eta=0.4, bias_correction=False).points)
