"""A notebook with apps, exported by ``jupyter nbconvert --to trajectories --execute``: one HTML file that shows every
app live from file:// with every request to another host refused, the bundle once, each app on the lesson the
notebook saved, and an Export that says it saves the figure as drawn (there is no kernel)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from pages import TIMEOUT_MS, expected_lines, wait_for

from trajectories.lesson import Lesson
from trajectories.nbconvert import APP_WIDGET, WIDGET_STATE, WIDGET_VIEW, AppOutputs
from trajectories.standalone import BUNDLE, app_text
from trajectories.state import lesson_state

ROOT = Path(__file__).resolve().parent.parent
FIRST = Lesson.from_query("optimizer=gd,momentum&momentum.eta=0.6")[0]
SECOND = Lesson.from_query("optimizer=rmsprop&gamma=0.5")[0]


def notes_notebook(path: Path) -> Path:
    """Two apps, the second moved to another lesson after it was made (only the saved state knows the last one)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Momentum and RMSProp\n\nGradient descent against momentum, then RMSProp."),
        nbformat.v4.new_code_cell("from trajectories import App, Lesson\n\n"
                                  "App(Lesson.from_query('optimizer=gd,momentum&momentum.eta=0.6')[0])"),
        nbformat.v4.new_code_cell("app = App()\napp"),
        nbformat.v4.new_code_cell("app.lesson = Lesson.from_query('optimizer=rmsprop&gamma=0.5')[0]"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("nbconvert")
    notebook = notes_notebook(folder / "notes.ipynb")
    done = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "trajectories", "--execute",
                           str(notebook)], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    return folder / "notes.html"


def test_the_file_holds_the_bundle_once_and_nothing_from_elsewhere(exported):
    text = exported.read_text(encoding="utf-8")
    bundle = BUNDLE.read_text(encoding="utf-8")
    assert text.count(bundle) == 1 and text.count('id="trajectories-bundle"') == 1
    assert text.count('class="trajectories-app"') == 2
    assert "<script src=" not in text  # no require.js, no MathJax, no widget manager from a CDN
    assert WIDGET_STATE not in text and WIDGET_VIEW not in text  # the apps' widget models are not carried twice
    # JupyterLab's CSS, two apps' settings (100 KB each: since runs the schedules' and the noise's slider tables,
    # since the step inspector each rule's lines), the notes
    assert len(text) < len(bundle) + 470_000


def test_every_app_runs_offline_on_its_saved_lesson_and_a_key_moves_it(offline, exported):
    page = offline
    page.goto(exported.as_uri(), timeout=TIMEOUT_MS)
    apps = page.locator(".trajectories-app")
    page.wait_for_function("() => document.querySelectorAll('.trajectories-app .tj-readout').length === 2 && "
                           "[...document.querySelectorAll('.tj-readout')].every((r) => /epoch/.test("
                           "r.textContent))", timeout=TIMEOUT_MS)
    assert apps.count() == 2
    first, second = (page.locator(f"#trajectories-app-{k}") for k in (1, 2))
    assert _readout(first) == expected_lines(FIRST)
    assert _readout(second) == expected_lines(SECOND)  # the lesson set after the app was shown
    before = second.locator(".tj-trajectory-rmsprop .tj-line").get_attribute("d")
    second.locator(".tj-rmsprop-eta").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(d) => document.querySelector('#trajectories-app-2 .tj-trajectory-rmsprop .tj-line')"
                           ".getAttribute('d') !== d", arg=before)
    eta = float(second.locator(".tj-rmsprop-eta").get_attribute("aria-valuenow"))
    # the plot is drawn in the key's frame; the readout follows in the task after it
    moved = expected_lines(SECOND.with_hyperparameter("rmsprop", "eta", eta))
    wait_for(page, lambda: _readout(second) == moved, "the second app's readout after the key")
    assert _readout(first) == expected_lines(FIRST)  # the other app did not move
    # no kernel: Export saves the figure as drawn, and says so where Export is, at once
    with page.expect_download() as info:
        second.locator(".tj-export").click()
    assert Path(info.value.path()).read_text(encoding="utf-8").startswith("<svg")
    assert "as drawn on screen" in second.locator(".tj-export-output").inner_text()
    assert page.outside == [] and page.errors == []


def _readout(app) -> dict[str, str]:
    lines = app.locator(".tj-readout").inner_text().strip().splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def test_an_app_is_found_by_its_text_when_the_notebook_kept_no_widget_state():
    nb = nbformat.v4.new_notebook()
    shown = {"text/plain": app_text(SECOND), WIDGET_VIEW: {"model_id": "gone", "version_major": 2}}
    other = {"text/plain": "42"}
    nb.cells = [nbformat.v4.new_code_cell("app", outputs=[nbformat.v4.new_output("display_data", data=shown),
                                                         nbformat.v4.new_output("display_data", data=other)])]
    nb, _ = AppOutputs().preprocess(nb, {})
    [app, untouched] = nb.cells[0].outputs
    assert set(app["data"]) == {"text/html", "text/plain"} and 'id="trajectories-app-1"' in app["data"]["text/html"]
    state = json.loads(app["data"]["text/html"].split('id="trajectories-app-1-state">')[1].split("</script>")[0])
    assert Lesson.from_query(app_text(SECOND).split("?", 1)[1])[0] == SECOND
    assert state["lesson"] == lesson_state(SECOND)
    assert state["lesson"]["runs"][0]["settings"] == {"eta": 0.4, "gamma": 0.5, "eps": 1e-06, "schedule": "constant",
                                                      "sigma": 0.0}
    assert untouched["data"] == other


def test_other_widgets_keep_their_state_and_an_unreadable_lesson_opens_the_default_with_a_note():
    nb = nbformat.v4.new_notebook()
    app_model = {"model_name": "AnyModel", "state": {"_anywidget_id": APP_WIDGET, "lesson": {"optimizers": ["x"]},
                                                     "layout": "IPY_MODEL_L1"}}
    slider = {"model_name": "IntSliderModel", "state": {"value": 3}}
    nb.metadata["widgets"] = {WIDGET_STATE: {"state": {"A1": app_model, "L1": {"state": {}}, "S1": slider}}}
    views = [{"text/plain": "App", WIDGET_VIEW: {"model_id": "A1"}},
             {"text/plain": "S", WIDGET_VIEW: {"model_id": "S1"}}]
    nb.cells = [nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output("display_data", data=d) for d in views])]
    nb, _ = AppOutputs().preprocess(nb, {})
    assert nb.metadata["widgets"][WIDGET_STATE]["state"] == {"S1": slider}  # the app and its layout are gone
    [app, kept] = nb.cells[0].outputs
    assert "could not be read" in app["data"]["text/html"] and WIDGET_VIEW in kept["data"]


def test_the_app_shows_its_lesson_as_text_where_no_widget_can_be_shown():
    from trajectories.app import App

    app = App(SECOND)
    data, _ = app._repr_mimebundle_()
    assert data["text/plain"] == app_text(SECOND) and WIDGET_VIEW in data
