"""``app.ipynb`` runs headless in a fresh kernel (nbclient) and shows the app's widget, with no error output."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(300)
def test_app_notebook_runs_headless(monkeypatch):
    # The kernel is a subprocess: it must import this checkout, not an installed copy.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nb = nbformat.read(ROOT / "app.ipynb", as_version=4)
    assert len(nb.cells) == 1 and len(nb.cells[0].source.splitlines()) <= 6  # a few lines: logic lives in the package
    NotebookClient(nb, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"], outputs
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 1
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    # nbclient stores the widget state: one front-end widget carrying its bundle, the facts and the lesson
    apps = [m["state"] for m in state.values() if m.get("model_name") == "AnyModel"]
    assert len(apps) == 1
    app = apps[0]
    assert app["lesson"]["optimizers"] == ["rmsprop"] and "tj-plot" in app["_esm"]
    assert set(app["config"]["specs"]) == {"d2l", "torch"}
