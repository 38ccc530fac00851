"""The Python host of the app: what the widget is told, how it keeps the lesson, and what Export hands back.

The page itself (controls, figures, keys) is tested in a real browser (tests/test_page.py); here the widget's
state and messages are driven as the page drives them.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

import trajectories.figures as ex
from trajectories import state
from trajectories.app import BUNDLE, App, AppWidget
from trajectories.display import Display
from trajectories.i18n import say
from trajectories.lesson import PAGE_STEPS, Lesson, make_lesson
from trajectories.specs import SPECS


def page_sends(app: App, lesson: Lesson | dict) -> None:
    """What the widget manager does when the page sends its lesson."""
    app.widget.set_state({"lesson": lesson if isinstance(lesson, dict) else state.lesson_state(lesson)})


class Sent:
    """The custom messages the widget sends to the page."""

    def __init__(self, app: App, monkeypatch: pytest.MonkeyPatch) -> None:
        self.messages: list[tuple[dict, list]] = []
        monkeypatch.setattr(app.widget, "send", lambda content, buffers=None: self.messages.append((content,
                                                                                                  buffers or [])))


def test_the_widget_carries_the_bundle_and_the_facts_from_python():
    app = App()
    assert isinstance(app.widget, AppWidget)
    assert app.widget._esm == BUNDLE.read_text(encoding="utf-8")
    config = app.widget.config
    for convention, table in SPECS.items():
        for rule, specs in table.items():
            for name, spec in specs.items():
                sent = config["specs"][convention][rule][name]
                assert sent["default"] == spec.default
                if not spec.is_choice:
                    assert (sent["low"], sent["high"], sent["scale"]) == (spec.low, spec.high, spec.scale)
                    assert spec.default in sent["stops"] and sent["stops"] == sorted(sent["stops"])
    assert config["pageSteps"] == PAGE_STEPS
    json.dumps(config)  # plain data, as the widget protocol needs


def test_the_book_values_are_stops_of_their_sliders():
    stops = App().widget.config["specs"]["d2l"]
    for rule, name, value in [("gd", "eta", 0.4), ("gd", "eta", 0.6), ("adagrad", "eta", 2.0),
                              ("rmsprop", "gamma", 0.9), ("momentum", "beta", 0.5), ("momentum", "beta", 0.25),
                              ("adam", "beta2", 0.999), ("rmsprop", "eps", 1e-6), ("gd", "eta", 0.1)]:
        assert value in stops[rule][name]["stops"], (rule, name, value)


def test_the_lesson_reaches_the_page_as_runs_and_no_noise_travels():
    """The page draws the noise itself (trajectories.noise and js/src/core/noise.js agree bit for bit): the widget
    carries the lesson's runs, each with every setting, and nothing else per seed."""
    app = App(Lesson(runs=("gd:eta=0.4", "gd:eta=0.6,sigma=0.5,seed=7,spread=30", "sgd:label=class")))
    runs = app.widget.lesson["runs"]
    assert [r["optimizer"] for r in runs] == ["gd", "gd", "sgd"]
    assert runs[1] == {"optimizer": "gd", "settings": {"eta": 0.6, "schedule": "constant", "sigma": 0.5}, "seed": 7,
                       "spread": 30, "label": ""}
    assert runs[2]["label"] == "class" and runs[2]["settings"]["sigma"] == 1.0
    assert not [name for name in app.widget.trait_names() if "noise" in name]


def test_the_page_moves_the_lesson_and_python_follows():
    app = App()
    seen = []
    app.observe(seen.append)
    moved = make_lesson("gd,momentum", eta=0.3, steps=40)
    page_sends(app, moved)
    assert app.lesson == moved and seen == [moved]
    assert app.link.endswith("?" + moved.to_query())
    assert app.readout() == {n: t.book_line() for n, t in moved.run().items()}


def test_python_moves_the_page():
    app = App()
    lesson = Lesson(optimizers=("sgd", "adam"), seed=3, steps=60)
    app.lesson = lesson
    assert app.widget.lesson == state.lesson_state(lesson)
    assert app.widget.lesson["runs"][0]["seed"] == 3


def test_a_bad_lesson_from_the_page_is_refused_and_the_page_put_back():
    app = App()
    bad = state.lesson_state(Lesson())
    bad["runs"][0]["settings"]["gamma"] = 1.5
    page_sends(app, bad)
    assert app.lesson == Lesson()
    assert app.widget.lesson == state.lesson_state(Lesson())
    assert len(app.widget.notes) == 1 and "'gamma' parameter of rmsprop" in say(app.widget.notes[0])
    assert "rmsprop的参数“gamma”必须是[0, 1]范围内的浮点数" in say(app.widget.notes[0], "zh")
    page_sends(app, {"runs": [{"optimizer": "rmsprop"}], "nonsense": 1})
    assert app.lesson == Lesson() and "nonsense" in say(app.widget.notes[0])


def test_steps_past_the_slider_are_capped_with_a_note():
    app = App(Lesson(steps=100_000))
    assert app.lesson.steps == PAGE_STEPS and app.widget.lesson["steps"] == PAGE_STEPS
    assert say(app.widget.notes[0]).startswith("Capped steps=100000")
    assert say(app.widget.notes[0], "zh").startswith("步数steps=100000被限制为500")
    app.lesson = Lesson(steps=PAGE_STEPS + 1)
    assert app.lesson.steps == PAGE_STEPS and "Capped" in say(app.widget.notes[0])
    page_sends(app, replace(Lesson(), steps=9000))
    assert app.lesson.steps == PAGE_STEPS and app.widget.lesson["steps"] == PAGE_STEPS


def test_export_is_the_command_lines_figure_of_what_is_on_screen(monkeypatch):
    app = App()
    sent = Sent(app, monkeypatch)
    page_sends(app, make_lesson("rmsprop", eta=0.3, gamma=0.5, steps=30))
    app.widget._handle_custom_msg({"type": "export", "id": 7, "kind": "trajectories", "step": 4}, [])
    (content, buffers), = sent.messages
    assert content == {"type": "download", "id": 7, "name": "rmsprop_eta0.3_gamma0.5_steps30_step4.svg",
                       "mime": "image/svg+xml"}
    assert bytes(buffers[0]) == ex.figure_bytes(app.lesson, loss=True, step=4)
    ET.fromstring(buffers[0])


def test_export_offers_play_as_a_gif_made_by_the_kernel(monkeypatch):
    from io import BytesIO

    from PIL import Image

    from trajectories.animation import alt_text

    app = App()
    sent = Sent(app, monkeypatch)
    lesson = make_lesson("momentum", eta=0.6, steps=8)
    page_sends(app, lesson)
    app.widget._handle_custom_msg({"type": "export", "id": 3, "kind": "trajectories", "format": "gif"}, [])
    (content, buffers), = sent.messages
    assert content == {"type": "download", "id": 3, "name": "momentum_eta0.6_beta0.5_steps8.gif",
                       "mime": "image/gif", "alt": alt_text(lesson)}
    assert bytes(buffers[0]) == ex.animation_bytes(lesson, format="gif")  # the command line's --format gif
    assert Image.open(BytesIO(bytes(buffers[0]))).n_frames == 9
    for bad in ({"format": "exe"}, {"format": "gif", "step": 2}, {"format": ["gif"]}):
        app.widget._handle_custom_msg({"type": "export", "id": 4, "kind": "trajectories", **bad}, [])
        content, buffers = sent.messages[-1]
        assert content["id"] == 4 and content["error"].startswith("The '") and buffers == []


def test_export_holds_the_step_inspector_the_page_shows(monkeypatch):
    app = App()
    sent = Sent(app, monkeypatch)
    page_sends(app, make_lesson("gd,momentum", steps=10))
    app.widget._handle_custom_msg({"type": "export", "id": 3, "kind": "trajectories", "step": 2,
                                   "inspector": "momentum"}, [])
    (content, buffers), = sent.messages
    assert content["name"] == "gd_eta0.4_vs_momentum_eta0.6_beta0.5_steps10_step2_inspector-momentum.svg"
    assert bytes(buffers[0]) == ex.figure_bytes(app.lesson, loss=True, step=2, inspector="momentum")
    assert b'id="tj-inspector"' in bytes(buffers[0])
    sent.messages.clear()
    app.widget._handle_custom_msg({"type": "export", "id": 4, "kind": "trajectories", "step": 2,
                                   "inspector": "<script>"}, [])
    (content, buffers), = sent.messages
    assert content == {"type": "download", "id": 4, "error": "The 'inspector' parameter must be one of 'gd', "
                                                             "'momentum'. Got '<script>' instead."}


def test_a_failed_export_says_why_on_the_page(monkeypatch):
    app = App()
    sent = Sent(app, monkeypatch)
    app.widget._handle_custom_msg({"type": "export", "id": 1, "kind": "trajectories", "step": 999}, [])
    (content, buffers), = sent.messages
    assert content["id"] == 1 and "'step' parameter" in content["error"] and buffers == []


def test_the_landscape_export_is_the_command_lines_map(monkeypatch):
    from trajectories.landscape import from_lesson

    app = App(make_lesson("momentum"))
    sent = Sent(app, monkeypatch)
    settings = {"optimizer": "momentum", "axes": ["eta", "beta"], "spans": {"eta": [0.01, 2]}, "metric": "loss",
                "tol": 0.1, "resolution": 40}
    app.widget._handle_custom_msg({"type": "export", "id": 2, "kind": "landscape", **settings}, [])
    (content, buffers), = sent.messages
    m = from_lesson(app.lesson, "momentum", ("eta", "beta"), resolution=40, spans={"eta": (0.01, 2)})
    assert content["name"] == "landscape_momentum_eta_x_beta.svg"
    assert bytes(buffers[0]) == ex.landscape_svg(m)


def test_the_landscape_export_maps_the_run_the_tab_shows():
    """Two runs of one optimizer: the tab names its run by index, and the map is that run's (its other settings)."""
    from trajectories.landscape import from_lesson

    app = App(Lesson(runs=("momentum:beta=0.5", "momentum:beta=0.25")))
    name, data = app.export_landscape({"run": 1, "axes": ["eta"], "resolution": 40})
    second = from_lesson(app.lesson, 1, ("eta",), resolution=40)
    assert data == ex.landscape_svg(second) != ex.landscape_svg(from_lesson(app.lesson, 0, ("eta",), resolution=40))
    with pytest.raises(ValueError, match="'optimizer' parameter must be one of the lesson's optimizers"):
        app.export_landscape({"run": 2})


def test_the_landscape_export_keeps_to_the_budget():
    from trajectories.landscape import BUDGET, fit_budget, from_lesson

    app = App(Lesson(steps=PAGE_STEPS))
    resolution = fit_budget(256, PAGE_STEPS)
    assert resolution ** 2 * PAGE_STEPS <= BUDGET < (resolution + 1) ** 2 * PAGE_STEPS
    name, data = app.export_landscape({"optimizer": "rmsprop", "resolution": 256})
    assert data == ex.landscape_svg(from_lesson(app.lesson, "rmsprop", resolution=resolution))


def test_a_curve_keeps_its_resolution_where_a_map_is_lowered():
    """Issue 20: a curve costs resolution x steps, not resolution^2 x steps: at 500 steps a 256-cell curve fits
    the budget, and the export holds the 256 points the page draws (a map of two axes is lowered to 126)."""
    from trajectories.landscape import BUDGET, fit_budget, from_lesson

    assert fit_budget(256, PAGE_STEPS, axes=1) == 256 and 256 * PAGE_STEPS <= BUDGET
    assert fit_budget(256, PAGE_STEPS, axes=2) == 126
    app = App(Lesson(optimizers=("gd",), steps=PAGE_STEPS))
    name, data = app.export_landscape({"optimizer": "gd", "axes": ["eta"], "resolution": 256})
    m = from_lesson(app.lesson, "gd", ("eta",), resolution=256)
    assert m.values.shape == (256,) and data == ex.landscape_svg(m)
    two = from_lesson(app.lesson, "gd", ("eta",), resolution=256, budget=True)
    assert two.values.shape == (256,)
    assert from_lesson(Lesson(optimizers=("momentum",), steps=PAGE_STEPS), resolution=256,
                       budget=True).values.shape == (126, 126)
    for bad in ({"axes": 3}, {"steps": 0}, {"resolution": 0}):
        with pytest.raises(ValueError, match=f"'{next(iter(bad))}' parameter"):
            fit_budget(**{"resolution": 256, "steps": 20, **bad})


def test_messages_hooks_and_bad_arguments():
    app = App(notes=("Ignored eta='x': not a number.",))
    assert app.widget.notes == ["Ignored eta='x': not a number."]
    app.show_message("one\n\ntwo")
    assert app.widget.notes == ["one", "two"]
    app.link_base = "http://host:8866/"
    assert app.widget.link_base == "http://host:8866/" and app.link.startswith("http://host:8866/?optimizer=")
    seen = []
    app.observe(lambda lesson: 1 / 0)
    app.observe(seen.append)
    app.lesson = Lesson(optimizers=("adam",))
    assert seen == [Lesson(optimizers=("adam",))] and "Error in a view following the app" in say(app.widget.notes[0])
    for call, words in [(lambda: App("rmsprop"), "'lesson' parameter"), (lambda: App(notes="x"), "'notes'"),
                        (lambda: setattr(app, "lesson", {}), "'lesson' parameter"),
                        (lambda: setattr(app, "link_base", 3), "'link_base'"), (lambda: app.observe(3), "'callback'"),
                        (lambda: app.show_message(None), "'text'")]:
        with pytest.raises(ValueError, match=words):
            call()


def test_the_kernel_does_not_load_matplotlib_until_an_export():
    import subprocess

    code = ("import sys; from trajectories.serve import page; app = page('optimizer=gd,momentum'); "
            "print('matplotlib' in sys.modules); app.export(); print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.split() == ["False", "True"]


def test_the_package_offers_the_app_lazily():
    import trajectories

    assert trajectories.App is App


def test_display_options_go_to_the_page_and_the_link_and_stay_out_of_the_lesson(monkeypatch):
    lesson = make_lesson("momentum")
    app = App(lesson, presenter=True, controls=("eta", "beta"), panels=False, view="window")
    assert app.widget.display == {"presenter": True, "controls": ["eta", "beta"], "panels": False, "view": "window"}
    assert app.display == Display(presenter=True, controls=("eta", "beta"), panels=False, view="window")
    assert app.lesson == lesson  # how it is shown is not part of the lesson
    assert app.link.endswith("&presenter=1&controls=eta,beta&panels=none&view=window")
    assert Lesson.from_query(app.link.split("?", 1)[1], ignore=("presenter", "controls", "panels", "view")) == (
        lesson, [])
    sent = Sent(app, monkeypatch)
    app.widget._handle_custom_msg({"type": "export", "id": 2, "kind": "trajectories"}, [])
    (content, buffers), = sent.messages
    # the figure on screen: no panels, the objective's window, the slides' size for a projector
    assert bytes(buffers[0]) == ex.figure_bytes(lesson, loss=False, view="window", style="slides")
    app.display = Display()
    assert app.widget.display == Display().to_state() and "presenter" not in app.link
    # the page may send its options too (a presenter switch on the page), checked as a lesson is
    app.widget.set_state({"display": {"presenter": True, "controls": None, "panels": True, "view": "fit"}})
    assert app.display.presenter
    app.widget.set_state({"display": {"presenter": "yes"}})
    assert app.display.presenter and "'presenter' parameter" in say(app.widget.notes[0])
    for call, words in [(lambda: App(presenter=1), "'presenter' parameter"),
                        (lambda: App(controls=("eta", "zeta")), "'controls' parameter"),
                        (lambda: App(view="zoom"), "'view' parameter"),
                        (lambda: setattr(app, "display", {}), "'display' parameter")]:
        with pytest.raises(ValueError, match=words):
            call()
