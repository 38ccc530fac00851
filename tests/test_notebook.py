"""The teacher's ``app.ipynb`` runs headless in a fresh kernel (nbclient): it shows the app's widget with no error
output, and ``app.lesson``, which the README teaches, is what the app shows and moves it."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from trajectories.figures import notebook_source

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(300)
def test_app_notebook_runs_headless(monkeypatch):
    # The kernel is a subprocess: it must import this checkout, not an installed copy.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    assert (ROOT / "app.ipynb").read_bytes() == notebook_source()  # what `trajectories notebook` writes
    nb = nbformat.read(ROOT / "app.ipynb", as_version=4)
    assert len(nb.cells) <= 2 and sum(len(c.source.splitlines()) for c in nb.cells) <= 10  # logic lives in the package
    # What a teacher types next, in the same kernel: move the app, and read it back.
    nb.cells.append(nbformat.v4.new_code_cell(
        'app.lesson = Lesson(optimizers=("gd", "momentum"))\nprint(app.lesson.optimizers, app.readout())'))
    NotebookClient(nb, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for c in nb.cells for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"], outputs
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"], outputs
    views = [o for o in nb.cells[0].outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 1
    # `app.lesson`: the lesson on screen, the default one
    [shown] = [o for o in nb.cells[1].outputs if o.output_type == "execute_result"]
    assert shown["data"]["text/plain"].startswith("Lesson(optimizers=('rmsprop',), hyperparameters={'rmsprop': "
                                                  "{'eta': 0.4, 'gamma': 0.9")
    [printed] = [o for o in nb.cells[2].outputs if o.output_type == "stream"]
    assert printed.text.startswith("('gd', 'momentum') {'gd': 'epoch 20, x1: ")
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    # nbclient stores the widget state: one front-end widget carrying its bundle, the facts and the lesson it shows
    apps = [m["state"] for m in state.values() if m.get("model_name") == "AnyModel"]
    assert len(apps) == 1
    app = apps[0]
    assert [r["optimizer"] for r in app["lesson"]["runs"]] == ["gd", "momentum"] and "tj-plot" in app["_esm"]
    assert set(app["config"]["specs"]) == {"d2l", "torch"}
